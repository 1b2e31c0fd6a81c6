"""Context of an event: when, where, how many, and who says so.

``annotate`` fills each event's date, location, quantities and attribution from its sentence and article.
"""
from __future__ import annotations

from .annotate import annotate

__all__ = ["annotate"]
