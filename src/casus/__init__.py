"""casus: news in, political event data out.

>>> import casus
>>> events = casus.code_text("Russia accused Ukraine of shelling.", date="2022-01-26")
"""
from __future__ import annotations

__version__ = "0.1.0"

from .model import Actor, Document, Event  # noqa: E402
from .pipeline import code_documents, code_text  # noqa: E402

__all__ = ["__version__", "Actor", "Document", "Event", "code_text", "code_documents"]
