"""Cleaning of extracted article text: keep the story, remove what scraped pages wrap around it.

Removed, each with a reason: a repeated headline, a photo caption fused into the lead, link lines
("Read also", "See also ...") and the headlines they introduce, lists of related stories, comment forms,
share/subscribe/cookie prompts, photo credits, bylines, author boxes and bios. The patterns are data
(``data/cleaning/boilerplate.yaml``); this module holds the logic that walks the text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import yaml

from ..context.dates import parse_dateline, resolve
from ..datafiles import data_path

TERMINAL = re.compile(r"[.!?…][\"'”’»)\]]*$")
QUOTED = re.compile(r"^[\"“«'‘].*[\"”»'’]$")
TITLE_SUFFIX = re.compile(r"\s+[–—|-]\s+([A-Z0-9][\w.&' ]{0,40}?)\s*$")
KICKER = re.compile(r"^[^.:!]{1,60}[?!]?:\s+\S")
NAME_LINE = re.compile(r"^(By\s+)?([A-ZÀ-Ý][\w'’.-]+)(\s+[A-ZÀ-Ý][\w'’.-]+){1,3}$")
BYLINE = re.compile(r"^(By|Written by|Author:)\s+[A-Z][\w'’.-]+(\s+[A-Z][\w'’.-]+){0,3}(\s*(,|and|&)\s*.*)?$")
DATE_WORDS = {"published", "updated", "posted", "last", "on", "at", "am", "pm", "a.m.", "p.m.", "gmt", "utc", "cet",
              "cest", "est", "edt", "bst", "pst", "local", "time", "hrs", "h"}
DATE_PIECE = re.compile(r"^(\d{1,4}([:./-]\d{1,4}){0,2}(st|nd|rd|th)?|(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)"
                        r"[a-z]*\.?|(mon|tues|tue|wed|wednes|thu|thurs|fri|sat|satur|sun)(day)?)$", re.I)
HEADLINE_MAX_WORDS = 25  # longer lines are paragraphs, not link titles
WRAP_MIN_CHARS = 50  # hard-wrapped text dumps have lines of at least this length


@dataclass
class CleanResult:
    text: str
    title: str | None = None
    outlet: str | None = None
    date: str | None = None  # from a dateline ("SEOUL, 2 September 2025 (Pacific Ledger) - ")
    place: str | None = None
    removed: list[dict] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.removed:
            out[r["reason"]] = out.get(r["reason"], 0) + 1
        return out


@lru_cache(maxsize=1)
def _patterns() -> dict[str, list[re.Pattern]]:
    raw = yaml.safe_load(data_path("cleaning", "boilerplate.yaml").read_text(encoding="utf-8"))
    return {k: [re.compile(rf"^(?:{p})$", re.IGNORECASE) for p in v] for k, v in raw.items()}


def _matches(kind: str, line: str) -> bool:
    return any(p.match(line) for p in _patterns()[kind])


def _norm(s: str) -> str:
    s = TITLE_SUFFIX.sub("", s)
    s = re.sub(r"[\"“”'‘’«»]", "", s.lower())
    return re.sub(r"[\W_]+", " ", s).strip()


def _is_date_line(line: str) -> bool:
    """A line that is only a date stamp ("Published: 15 October 2025, 10:30 GMT"), nothing a sentence says."""
    words = [w.strip(",:;|()") for w in line.split()]
    words = [w for w in words if w]
    return bool(words) and any(re.search(r"\d{4}", w) for w in words) and all(
        w.lower() in DATE_WORDS or DATE_PIECE.match(w) for w in words)


def _words(s: str) -> int:
    return len(s.split())


def is_prose(line: str) -> bool:
    """A paragraph of the story: ends like a sentence, and is more than a headline."""
    return bool(TERMINAL.search(line)) and (_words(line) > HEADLINE_MAX_WORDS or len(re.findall(r"[.!?]\s", line)) >= 1
                                             or (_words(line) >= 6 and not KICKER.match(line)))


def is_headline_like(line: str) -> bool:
    if _words(line) > HEADLINE_MAX_WORDS:
        return False
    return not TERMINAL.search(line) or bool(KICKER.match(line))


def _units(text: str) -> list[str]:
    """Blocks separated by blank lines; hard-wrapped prose in a block is joined into one unit."""
    units: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [ln.strip() for ln in block.split("\n") if ln.strip()]
        if not lines:
            continue
        inner = lines[:-1]
        open_ended = sum(not TERMINAL.search(ln) for ln in inner)
        # hard-wrapped prose: long lines, most of them stopping mid-sentence
        wrapped = len(lines) > 1 and all(len(ln) >= WRAP_MIN_CHARS for ln in inner) and open_ended >= 0.6 * len(inner)
        if wrapped:
            units.append(" ".join(lines))
        else:
            units.extend(lines)
    return units


def split_title(text: str, title: str | None) -> tuple[str | None, str | None, str]:
    """Take a headline line off the top when no title was given; return (title, outlet, rest)."""
    body = text.lstrip()
    if title is None:
        first, _, rest = body.partition("\n")
        first = first.strip()
        if first and _words(first) <= HEADLINE_MAX_WORDS and (not TERMINAL.search(first) or TITLE_SUFFIX.search(first)):
            title, body = first, rest
    outlet = None
    if title:
        m = TITLE_SUFFIX.search(title)
        if m and _words(m.group(1)) <= 4:
            outlet = m.group(1).strip()
    return title, outlet, body


PHOTO_CAPTION = re.compile(r"^(.{10,240}?\((?:photo|foto|image|picture|illustration)\b[^)]{0,80}\))\s*(?=\S)", re.I)


def _fused_caption(unit: str) -> tuple[str, str] | None:
    """ "X met in Geneva: X, met his counterpart ..." -> (caption, paragraph); also a caption that ends
    with a photo credit in brackets and runs straight into the lead."""
    m = PHOTO_CAPTION.match(unit)
    if m and is_prose(unit[m.end():]):
        return m.group(1), unit[m.end():]
    m = re.match(r"^(.{10,160}?):\s+(.+)$", unit)
    if not m:
        return None
    caption, rest = m.group(1), m.group(2)
    if TERMINAL.search(caption) or _words(caption) > HEADLINE_MAX_WORDS or not is_prose(rest):
        return None
    cap_words = [w for w in re.findall(r"\w+", caption.lower()) if len(w) > 2][:4]
    rest_head = set(re.findall(r"\w+", rest.lower())[:15])
    if len(cap_words) >= 2 and sum(w in rest_head for w in cap_words) >= max(2, len(cap_words) - 1):
        return caption, rest
    return None


def clean_text(text: str, title: str | None = None) -> CleanResult:
    """Clean extracted article text. ``title`` is the page's own title when the reader knows it."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    title, outlet, body = split_title(text, title)
    units = _units(body)
    removed: list[dict] = []
    kept: list[str] = []
    title_norm = _norm(title) if title else None
    dateline: tuple = (None, None, None)
    after_intro = 0  # >0: we are inside a block of links introduced by "Read also" and the like
    in_author_box = False
    first_para = True

    def drop(u: str, reason: str) -> None:
        removed.append({"text": u, "reason": reason})

    for u in units:
        if title_norm and _norm(u) == title_norm:
            drop(u, "repeated-headline")
            continue
        if _matches("form", u):
            drop(u, "comment-form" if re.search(r"reply|comment|email|required|name", u, re.I) else "prompt")
            in_author_box = False
            continue
        if _matches("link_intro", u) and not is_prose(u.rstrip(":")):
            drop(u, "link")
            after_intro = 6  # at most this many headline lines follow one intro
            continue
        if _matches("link_line", u):
            drop(u, "link")
            continue
        if _matches("credit", u) and _words(u) <= HEADLINE_MAX_WORDS:
            drop(u, "photo-credit")
            continue
        if BYLINE.match(u):
            drop(u, "byline")
            continue
        if NAME_LINE.match(u) and not TERMINAL.search(u) and _words(u) <= 4:
            if first_para:
                drop(u, "byline")  # a name above the story
            else:
                drop(u, "author-box")
                in_author_box, after_intro = True, 0
            continue
        if first_para and _words(u) <= 6 and _is_date_line(u):
            drop(u, "date-line")
            stamp = resolve(u, None)
            if stamp and dateline[1] is None:
                dateline = (dateline[0], stamp[0], dateline[2])
            continue
        if after_intro and is_headline_like(u):
            drop(u, "link")
            after_intro -= 1
            continue
        after_intro = 0
        if in_author_box and (QUOTED.match(u) or not is_prose(u)):
            drop(u, "author-bio")
            continue
        in_author_box = False
        if first_para and not kept:
            place, date, wire, length = parse_dateline(u)
            if length:
                drop(u[:length].strip(), "dateline")
                u = u[length:]
                dateline = (place, date or dateline[1], wire or dateline[2])
        if first_para and TERMINAL.search(u) and _words(u) > 6:
            fused = _fused_caption(u)
            if fused is not None:
                drop(fused[0] + ("" if fused[0].endswith(")") else ":"), "caption")
                u = fused[1]
                place, date, wire, length = parse_dateline(u)
                if length:
                    drop(u[:length].strip(), "dateline")
                    u = u[length:]
                    dateline = (place, date or dateline[1], wire or dateline[2])
            first_para = False
        kept.append(u)
    # Trailing lines after the last story paragraph that are not prose (widgets, tags, bylines).
    while len(kept) > 1 and not TERMINAL.search(kept[-1]) and not kept[-1].endswith(":"):
        drop(kept.pop(), "trailer")
    return CleanResult("\n\n".join(kept), title=title, outlet=outlet or dateline[2], removed=removed,
                       date=dateline[1], place=dateline[0])
