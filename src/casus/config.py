"""One options object through every stage: packaged defaults, then the user's file, then CLI flags."""
from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import OptionError

USER_CONFIG = Path("~/.config/casus/casus.toml").expanduser()


@dataclass(frozen=True)
class Options:
    """Everything a run can be told. Each limit has a reason next to it."""

    date: str | None = None  # publication date for inputs that carry none (YYYY-MM-DD)
    actors: tuple[str, ...] = ()  # extra actor files (TSV, formats of data/actors)
    lexicon: tuple[str, ...] = ()  # extra lexicon files (TSV, formats of data/lexicon)
    min_confidence: float = 0.0  # events below this are not emitted
    max_doc_chars: int = 1_000_000  # a news article is far below this; larger inputs are rejected, not parsed
    max_input_bytes: int = 16 * 1024 * 1024  # bytes read per document at most; bigger files are refused unread
    max_run_tokens: int = 4_000  # tokens without a sentence end beyond which a text is a dump, not prose
    max_sentence_tokens: int = 400  # longer "sentences" are scraping accidents: cut into pieces before parsing
    languages: tuple[str, ...] = ("en",)  # languages with a pipeline; others are skipped with a reason
    clean: bool = True  # remove scraped junk before coding
    batch_size: int = 32  # documents per spaCy batch
    dedup_threshold: float = 0.8  # Jaccard similarity of word shingles above which two articles are one story
    # days: an article folds only into stories published within this many days of its own date, and the
    # dedup index forgets stories this far behind the newest date seen (republications come within days;
    # 30 leaves a wide margin). 0: no window (a backfill whose inputs are not in date order)
    dedup_window: int = 30
    # stories the dedup index holds at most, whatever the volume: 969 bytes of RSS each (measured), so
    # ~780 MB, and the parent stays under ~1.3 GB even while it rebuilds the index on resuming; at 300,000
    # articles a day (~250,000 stories) the cap, not the window, bounds the index: about 3 days. 0: none
    dedup_max_stories: int = 800_000

    def replace(self, **changes: Any) -> "Options":
        clean = {k: v for k, v in changes.items() if v is not None}
        unknown = set(clean) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            raise OptionError(f"unknown option(s): {', '.join(sorted(unknown))}")
        return dataclasses.replace(self, **clean)


def load_options(path: str | Path | None = None, **overrides: Any) -> Options:
    """Defaults, laid over by the user's TOML file (``[casus]`` table), laid over by ``overrides``."""
    opts = Options()
    file = Path(path) if path else USER_CONFIG
    if file.exists():
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8")).get("casus", {})
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise OptionError(f"{file}: not valid TOML ({exc})") from None
        for key in ("actors", "lexicon", "languages"):
            if key in data and isinstance(data[key], list):
                data[key] = tuple(data[key])
        opts = opts.replace(**data)
    elif path:
        raise OptionError(f"config file {file} not found")
    return opts.replace(**overrides)


def check_date(value: str | None) -> str | None:
    """Validate a YYYY-MM-DD date option."""
    if value is None:
        return None
    import datetime as dt

    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise OptionError(f"date {value!r} is not YYYY-MM-DD") from None


__all__ = ["Options", "load_options", "check_date", "field"]
