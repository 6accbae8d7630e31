"""``fill_template(ds)``: the fill-in workbook of ``ds``'s profile with its values filled in."""

from __future__ import annotations

from juesuan.excel.workbook import workbook_bytes
from juesuan.model.dataset import Dataset

__all__ = ["fill_template"]


def fill_template(ds: Dataset) -> bytes:
    """XLSX bytes: the template of ``ds.profile`` holding every value the workbook can hold.

    Not held: ``evaluation`` (预算绩效自评评分), and a line part that is present but
    entirely blank (``income: {}``) reads back as absent.
    """
    return workbook_bytes(ds)
