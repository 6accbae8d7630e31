"""The immutable data model of one department-year (部门决算 + its narrative inputs)."""

from juesuan.model.dataset import (
    Balances,
    Dataset,
    Department,
    EconomicLine,
    FunctionalLine,
    Income,
)

__all__ = ["Balances", "Dataset", "Department", "EconomicLine", "FunctionalLine", "Income"]
