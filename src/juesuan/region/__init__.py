"""The finance bureau's region layer: per-department facts, the region's aggregates and
inputs (the average 人均资产变化率 ``N``), rescoring, and the region report.

Pure functions (:func:`department_facts`, :func:`aggregate`, :func:`region_inputs`,
:func:`rescore`) work on analyses already in memory, for the batch layer and the service.
"""

from juesuan.region.aggregate import RegionReport, aggregate, region_average, region_inputs
from juesuan.region.facts import DepartmentFacts, department_facts, failed_facts, region_values
from juesuan.region.score import Rescore, rescore

__all__ = [
    "DepartmentFacts",
    "RegionReport",
    "Rescore",
    "aggregate",
    "department_facts",
    "failed_facts",
    "region_average",
    "region_inputs",
    "region_values",
    "rescore",
]
