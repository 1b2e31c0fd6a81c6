"""The event store: the only code that touches DuckDB.

``ingest`` writes (documents, duplicate stories, events, rejections); ``query_events`` and friends read;
``exports`` writes GDELT, PLOVER and Parquet files. See the README sections on the store.
"""
from __future__ import annotations

from .queries import EventFilter, count_events, get_document, query_events
from .schema import SCHEMA_VERSION, upgrade
from .writer import IngestSummary, Progress, ingest

__all__ = ["ingest", "IngestSummary", "Progress", "EventFilter", "query_events", "count_events", "get_document",
           "SCHEMA_VERSION", "upgrade"]
