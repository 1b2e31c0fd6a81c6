"""Time expressions resolved against the publication date.

Handles weekdays ("Wednesday", "last Friday", "on Monday night"), relative phrases ("yesterday",
"three years ago", "last month", "early January", "in November", "next week"), absolute dates in common
formats ("26 January 2022", "January 26, 2022", "2022-01-26", "Jan. 26", "January 2022", "2014") and
spans ("since 2014": the span's start, year precision). Each result is ``(YYYY-MM-DD, precision)``
with precision day, week, month or year; a month or year is dated to its first day.
"""
from __future__ import annotations

import datetime as dt
import re

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS.update({"sept": 9})
WEEKDAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
NUMBER_WORDS = {w: i for i, w in enumerate(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"])}
NUMBER_WORDS.update({"a": 1, "an": 1, "several": 3, "a few": 3, "few": 3, "couple": 2, "a couple of": 2})

MONTH_RE = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH_RE}(?:,?\s+(\d{{4}}))?\b", re.I)
MONTH_DAY_YEAR = re.compile(rf"\b{MONTH_RE}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b", re.I)
ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
SLASHED = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
MONTH_YEAR = re.compile(rf"\b(early|mid|late|the end of|the beginning of|the start of)?[\s-]*{MONTH_RE}\s+(\d{{4}})\b", re.I)
PART_MONTH = re.compile(rf"\b(early|mid|late|the end of|the beginning of|the start of)[\s-]+{MONTH_RE}\b", re.I)
IN_MONTH = re.compile(rf"\b(?:in|since|during|until|by|last|next|this)\s+{MONTH_RE}\b", re.I)
YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
AGO = re.compile(r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a|an|several|a few|a couple of)\s+"
                 r"(day|week|month|year|decade)s?\s+ago\b", re.I)
WEEKDAY = re.compile(r"\b(last|this|next|on|early|late)?\s*(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)
RELATIVE_UNIT = re.compile(r"\b(last|past|previous|this|next|coming)\s+(week|month|year|weekend)\b", re.I)
SINCE = re.compile(r"\bsince\b", re.I)


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")[:4] if name.lower().startswith("sept") else name.lower().rstrip(".")[:3]]


def _safe(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _year_for_month(month: int, pub: dt.date, future: bool) -> int:
    """A month without a year: the latest one not after publication (the next one for future events)."""
    if future:
        return pub.year if month >= pub.month else pub.year + 1
    return pub.year if month <= pub.month else pub.year - 1


def resolve(expr: str, pub: dt.date | None, future: bool = False) -> tuple[str, str] | None:
    """Resolve one time expression to ``(date, precision)``; None when it names no date."""
    e = expr.strip()
    low = e.lower()
    m = ISO.search(e)
    if m:
        d = _safe(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return (d.isoformat(), "day") if d else None
    for rx, order in ((DAY_MONTH_YEAR, "dmy"), (MONTH_DAY_YEAR, "mdy")):
        m = rx.search(e)
        if m:
            day, mon = (m.group(1), m.group(2)) if order == "dmy" else (m.group(2), m.group(1))
            year = int(m.group(3)) if m.group(3) else (_year_for_month(_month(mon), pub, future) if pub else None)
            if year is None:
                return None
            d = _safe(year, _month(mon), int(day))
            return (d.isoformat(), "day") if d else None
    m = SLASHED.search(e)
    if m:
        a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        d = _safe(y, a, b) if a <= 12 else _safe(y, b, a)
        return (d.isoformat(), "day") if d else None
    m = MONTH_YEAR.search(e)
    if m:
        return f"{int(m.group(3)):04d}-{_month(m.group(2)):02d}-01", "month"
    if pub is None:
        m = YEAR.search(e)
        return (f"{m.group(1)}-01-01", "year") if m else None
    if low in ("today", "tonight", "this morning", "this afternoon", "this evening", "now"):
        return pub.isoformat(), "day"
    if "yesterday" in low:
        return (pub - dt.timedelta(days=1)).isoformat(), "day"
    if "tomorrow" in low:
        return (pub + dt.timedelta(days=1)).isoformat(), "day"
    m = AGO.search(e)
    if m:
        n = int(m.group(1)) if m.group(1).isdigit() else NUMBER_WORDS.get(m.group(1).lower(), 1)
        unit = m.group(2).lower()
        if unit == "day":
            return (pub - dt.timedelta(days=n)).isoformat(), "day"
        if unit == "week":
            return (pub - dt.timedelta(weeks=n)).isoformat(), "week"
        if unit == "month":
            y, mo = divmod(pub.year * 12 + pub.month - 1 - n, 12)
            return f"{y:04d}-{mo + 1:02d}-01", "month"
        years = n * (10 if unit == "decade" else 1)
        return f"{pub.year - years:04d}-01-01", "year"
    m = WEEKDAY.search(e)
    if m:
        which = (m.group(1) or "").lower()
        target = WEEKDAYS[m.group(2).lower()]
        if which == "next" or (future and which != "last"):
            delta = (target - pub.weekday()) % 7 or (7 if which == "next" else 0)
            return (pub + dt.timedelta(days=delta)).isoformat(), "day"
        delta = (pub.weekday() - target) % 7
        if which == "last" and delta == 0:
            delta = 7
        return (pub - dt.timedelta(days=delta)).isoformat(), "day"
    m = RELATIVE_UNIT.search(e)
    if m:
        which, unit = m.group(1).lower(), m.group(2).lower()
        step = -1 if which in ("last", "past", "previous") else (1 if which in ("next", "coming") else 0)
        if unit in ("week", "weekend"):
            monday = pub - dt.timedelta(days=pub.weekday()) + dt.timedelta(weeks=step)
            return monday.isoformat(), "week"
        if unit == "month":
            y, mo = divmod(pub.year * 12 + pub.month - 1 + step, 12)
            return f"{y:04d}-{mo + 1:02d}-01", "month"
        return f"{pub.year + step:04d}-01-01", "year"
    m = PART_MONTH.search(e) or IN_MONTH.search(e)
    if m:
        mon = _month(m.group(2) if m.re is PART_MONTH else m.group(1))
        nxt = low.startswith("next")
        year = _year_for_month(mon, pub, future or nxt)
        if low.startswith("last") and mon >= pub.month:
            year = pub.year - 1
        return f"{year:04d}-{mon:02d}-01", "month"
    m = YEAR.search(e)
    if m:
        return f"{m.group(1)}-01-01", "year"
    return None


def parse_iso(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


DATELINE = re.compile(
    rf"^(?P<place>[A-Z][A-Za-z .'’-]{{1,40}}),?\s+(?P<date>(?:\d{{1,2}}\s+{MONTH_RE}\s+\d{{4}})|(?:{MONTH_RE}\s+\d{{1,2}},?\s+\d{{4}}))?"
    rf"\s*\((?P<outlet>[A-Za-z][\w .&'-]{{1,40}})\)\s*[-–—:]+\s*", re.I)
DATELINE_DASH = re.compile(r"^(?P<place>[A-Z][A-Z .'’-]{2,40}?)\s+[–—-]{1,2}\s+(?=[A-Z])")
DATELINE_SHORT = re.compile(r"^(?P<place>[A-Z][A-Z .'’-]{1,40})\s*\((?P<outlet>[A-Za-z][\w .&'-]{1,40})\)\s*[-–—:]+\s*")


def parse_dateline(text: str) -> tuple[str | None, str | None, str | None, int]:
    """A wire dateline at the start of a story: ``(place, date, outlet, length)``; length 0 when none."""
    m = DATELINE.match(text) or DATELINE_SHORT.match(text) or DATELINE_DASH.match(text)
    if not m or not (m.group("place").isupper() or m.groupdict().get("date")):
        return None, None, None, 0
    date = None
    if m.groupdict().get("date"):
        r = resolve(m.group("date"), None)
        date = r[0] if r else None
    outlet = m.groupdict().get("outlet")
    return m.group("place").strip(), date, outlet.strip() if outlet else None, m.end()
