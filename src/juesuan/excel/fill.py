"""``fill_template(ds)``: the fill-in workbook of ``ds``'s profile with its values filled in."""

from __future__ import annotations

from juesuan.excel.workbook import workbook_bytes
from juesuan.model.dataset import Dataset

__all__ = ["fill_template"]


def fill_template(ds: Dataset) -> bytes:
    """XLSX bytes: the template of ``ds.profile`` holding every value the workbook can hold.

    Held too: ``evaluation`` (预算绩效自评) on the 绩效自评（部门）/（项目） sheets. Not
    held: a line part that is present but entirely blank (``income: {}``) reads back as
    absent (the evaluation's flat rows keep it through their 列示 mark).
    """
    return workbook_bytes(ds)
