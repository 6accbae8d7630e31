"""Names of classification codes as the document prints them."""

from __future__ import annotations

from juesuan.catalog.catalogs import Catalogs
from juesuan.model.dataset import Dataset


class Names:
    """Functional and economic names: the dataset's own name for a line (or its
    ``code_names``), else the catalog's. A code named nowhere prints as the code itself;
    validation reports it (CAT-001) before a document is built."""

    def __init__(self, ds: Dataset, catalogs: Catalogs):
        self.catalogs = catalogs
        self._given = dict(ds.code_names)
        self._functional = {line.code: line.name for line in ds.functional if line.name}
        self._economic = {
            line.code: line.name
            for line in (*ds.basic_by_economic, *ds.project_by_economic)
            if line.name
        }

    def functional(self, code: str) -> str:
        return (
            self._functional.get(code)
            or self._given.get(code)
            or self.catalogs.functional.name(code)
            or code
        )

    def economic(self, code: str, given: str | None = None) -> str:
        return (
            given
            or self._economic.get(code)
            or self._given.get(code)
            or self.catalogs.economic.name(code)
            or code
        )

    def functional_path(self, code: str) -> str:
        """一般公共服务支出（类）党委办公厅（室）及相关机构事务（款）行政运行（项）."""
        levels = (("类", 3), ("款", 5), ("项", 7))
        return "".join(f"{self.functional(code[:n])}（{lv}）" for lv, n in levels if len(code) >= n)
