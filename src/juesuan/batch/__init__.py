"""Batch work over many departments on Dask: ``juesuan batch validate|build|check``.

:func:`run_batch` is the library entry; :mod:`juesuan.batch.engine` is the only module that
talks to Dask. Every item is processed by :mod:`juesuan.pipeline` (or :mod:`juesuan.check`).
"""

from juesuan.batch.runner import BatchOptions, BatchReport, run_batch

__all__ = ["BatchOptions", "BatchReport", "run_batch"]
