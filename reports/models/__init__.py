"""Models of the reports app: rollups (one row per node and quarter) and the quarterly review
workbook archive."""

from .rollups import Rollup
from .workbooks import QuarterlyWorkbook

__all__ = ["QuarterlyWorkbook", "Rollup"]
