"""Engines: where coding runs. ``local`` (worker processes on this machine, writing the DuckDB store)
and ``dask_engine`` (a Dask cluster, writing partitioned Parquet that ``casus.store.parquet`` imports).

Both leave reading, deduplication and the order of results to one process, so every engine gives
the events of ``casus.store.ingest`` on the same inputs.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from ..errors import CasusError


class EngineError(CasusError):
    """An engine cannot run: a worker process died, the Dask scheduler is unreachable, workers differ."""

    code = "E601"


ENGINES = ("local", "dask")


def run_ingest(inputs: Iterable[str], db_path: str | Path = "casus.duckdb", *, engine: str = "local",
               workers: int | None = None, scheduler: str | None = None, out: str | Path | None = None,
               options=None, batch_size: int | None = None, progress: Callable | None = None):
    """``casus ingest`` with an engine: ``local`` (``workers`` processes, default 1 = this process) or
    ``dask`` (Parquet in ``out``, then imported into ``db_path``; ``scheduler`` or a LocalCluster of
    ``workers`` processes). Returns the run's ``IngestSummary``."""
    from ..errors import OptionError

    if engine == "local":
        if scheduler is not None or out is not None:
            raise OptionError("--scheduler and --out belong to --engine dask")
        from ..store.writer import DEFAULT_BATCH
        from .local import ingest_local

        return ingest_local(inputs, db_path, workers=1 if workers is None else workers, options=options,
                            batch_size=batch_size or DEFAULT_BATCH, progress=progress)
    if engine == "dask":
        if out is None:
            raise OptionError("--engine dask writes Parquet: give --out DIR (a new directory)")
        if workers is not None and scheduler is not None:
            raise OptionError("--workers sizes the LocalCluster; with --scheduler the cluster has its own workers")
        from .dask_engine import PARTITION_SIZE, ingest_dask

        return ingest_dask(inputs, out, db=db_path, scheduler=scheduler, n_workers=workers, options=options,
                           partition_size=batch_size or PARTITION_SIZE, progress=progress)
    raise OptionError(f"engine {engine!r} is not one of {', '.join(ENGINES)}")


__all__ = ["EngineError", "run_ingest", "ENGINES"]
