"""Highlighting for the pages: evidence sentences split into (text, role) pieces, and whole articles split
into pieces that know which events' sentences and triggers cover them. Templates escape every piece.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable
from urllib.parse import quote, urlsplit


LABEL_CHARS = 24  # longer actor names are cut in tables (the full name is on the actor page)


@dataclass
class Piece:
    text: str
    role: str = ""  # "", "trigger", "source", "target" (evidence); "", "sent", "trigger" (articles)
    events: list[str] = field(default_factory=list)  # event ids whose sentence (or trigger) covers this piece
    anchors: list[str] = field(default_factory=list)  # event ids whose sentence starts here (link targets)


def _span(ev: dict[str, Any]) -> tuple[int, int] | None:
    span = ev.get("trigger_span") or [None, None]
    a, b = span[0], span[1]
    n = len(ev.get("sentence") or "")
    if isinstance(a, int) and isinstance(b, int) and 0 <= a < b <= n:
        return a, b
    return None


def evidence(ev: dict[str, Any]) -> list[Piece]:
    """The evidence sentence as pieces: the trigger, and the first mention of source and target text."""
    s = ev.get("sentence") or ""
    marks: list[tuple[int, int, str]] = []
    span = _span(ev)
    if span:
        marks.append((span[0], span[1], "trigger"))
    for side in ("source", "target"):
        actor = ev.get(side)
        text = ((actor.get("text") if isinstance(actor, dict) else None) or "").strip()
        if not text:
            continue
        start = 0
        while (i := s.find(text, start)) >= 0:
            j = i + len(text)
            if all(j <= a or i >= b for a, b, _ in marks):
                marks.append((i, j, side))
                break
            start = i + 1
    marks.sort()
    pieces, pos = [], 0
    for a, b, role in marks:
        if a > pos:
            pieces.append(Piece(s[pos:a]))
        pieces.append(Piece(s[a:b], role))
        pos = b
    if pos < len(s):
        pieces.append(Piece(s[pos:]))
    return pieces


def locate(text: str, ev: dict[str, Any]) -> int | None:
    """Where the event's sentence starts in ``text``: its stored offset when the text there matches, else the
    first place the sentence occurs (a republished copy), else None."""
    sentence = ev.get("sentence") or ""
    if not sentence:
        return None
    start = ev.get("sentence_start")
    if isinstance(start, int) and text[start:start + len(sentence)] == sentence:
        return start
    i = text.find(sentence)
    return i if i >= 0 else None


def article(text: str, events: Iterable[dict[str, Any]]) -> tuple[list[Piece], list[str]]:
    """The article as pieces (sentences of events marked ``sent``, triggers ``trigger``), and the ids of
    events that could not be placed in this text."""
    spans: list[tuple[int, int, str, str]] = []  # start, end, kind, event id
    missing: list[str] = []
    anchors: dict[int, list[str]] = {}
    for ev in events:
        at = locate(text, ev)
        eid = ev.get("event_id") or ""
        if at is None:
            missing.append(eid)
            continue
        spans.append((at, at + len(ev["sentence"]), "sent", eid))
        anchors.setdefault(at, []).append(eid)
        t = _span(ev)
        if t:
            spans.append((at + t[0], at + t[1], "trigger", eid))
    cuts = sorted({0, len(text), *(a for a, _, _, _ in spans), *(b for _, b, _, _ in spans)})
    pieces: list[Piece] = []
    for a, b in zip(cuts, cuts[1:]):
        if a >= b:
            continue
        trig = [e for s, t, k, e in spans if k == "trigger" and s <= a and b <= t]
        sent = [e for s, t, k, e in spans if k == "sent" and s <= a and b <= t]
        role, ids = ("trigger", trig) if trig else (("sent", sent) if sent else ("", []))
        last = pieces[-1] if pieces else None
        if last and last.role == role and last.events == ids and a not in anchors:
            last.text += text[a:b]
        else:
            pieces.append(Piece(text[a:b], role, ids, anchors.get(a, [])))
    return pieces, missing


def safe_url(url: Any) -> str | None:
    """``url`` when it is an http(s) link, else None (a ``javascript:`` or ``data:`` URL is shown as text)."""
    if not isinstance(url, str):
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def actor_label(actor: dict[str, Any] | None) -> str:
    """``ARMGOV (Armenia)``, ``ARM``, or an em dash for no actor."""
    if not actor:
        return "—"
    code = actor.get("code") or actor.get("country") or "?"
    name = actor.get("name") or actor.get("text")
    if name and len(name) > LABEL_CHARS:
        name = name[:LABEL_CHARS - 1].rstrip() + "…"
    return f"{code} ({name})" if name and name != code else code


def actor_key(actor: dict[str, Any] | None) -> str | None:
    """The code an actor page is addressed by (its code, else its country)."""
    if not actor:
        return None
    return actor.get("code") or actor.get("country")


def path_part(value: Any) -> str:
    """A value quoted for one path segment (``/`` included), for document and actor links."""
    return quote(str(value), safe="")


__all__ = ["Piece", "evidence", "locate", "article", "safe_url", "actor_label", "actor_key", "path_part"]
