"""Reading the knowledge files under ``data/`` (and users' own): TSV with a header, ``#`` comments, ``|`` lists.

Every row remembers its file and line, so a schema problem is reported as ``path:line: problem``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .errors import DataFileError

DATA_DIR = Path(str(resources.files("casus") / "data"))


@dataclass(frozen=True, slots=True)
class Row:
    """One data row: values by column name, plus where it came from."""

    values: dict[str, str]
    path: str
    line: int

    def __getitem__(self, key: str) -> str:
        return self.values[key]

    def get(self, key: str, default: str = "") -> str:
        return self.values.get(key, default) or default

    def list(self, key: str) -> list[str]:
        """A ``|``-separated column as a list of stripped, non-empty values."""
        return [v.strip() for v in self.get(key).split("|") if v.strip()]

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"

    def error(self, problem: str) -> DataFileError:
        return DataFileError(self.path, self.line, problem)


def display_path(path: Path) -> str:
    """A packaged file as ``data/<name>`` (independent of where casus is installed); a user file as given."""
    try:
        return "data/" + Path(path).resolve().relative_to(DATA_DIR.resolve()).as_posix()
    except ValueError:
        return str(path)


def data_path(*parts: str) -> Path:
    """Path of a packaged data file."""
    return DATA_DIR.joinpath(*parts)


def read_tsv(path: str | Path, required: Iterable[str]) -> list[Row]:
    """Read a TSV data file; raise :class:`DataFileError` naming file and line on any schema problem."""
    path = Path(path)
    required = list(required)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError(str(path), None, "file not found") from None
    except UnicodeDecodeError as exc:
        raise DataFileError(str(path), None, f"not UTF-8 ({exc.reason})") from None
    header: list[str] | None = None
    rows: list[Row] = []
    shown = display_path(path)
    for lineno, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        cells = raw.split("\t")
        if header is None:
            header = [c.strip() for c in cells]
            missing = [c for c in required if c not in header]
            if missing:
                raise DataFileError(str(path), lineno, f"header lacks column(s) {', '.join(missing)}")
            continue
        if len(cells) > len(header):
            raise DataFileError(
                str(path), lineno, f"{len(cells)} tab-separated values, header has {len(header)}"
            )
        cells += [""] * (len(header) - len(cells))
        rows.append(Row(dict(zip(header, (c.strip() for c in cells))), shown, lineno))
    if header is None:
        raise DataFileError(str(path), None, "no header row")
    return rows


def check(row: Row, column: str, predicate: Callable[[str], bool], expected: str) -> str:
    """Return ``row[column]`` or raise a located error saying what was expected."""
    value = row.get(column)
    if not predicate(value):
        raise row.error(f"column {column!r}: {value!r} is not {expected}")
    return value


CAMEO_CODE = re.compile(r"^\d{2,4}$")


def iter_files(directory: Path, pattern: str) -> Iterator[Path]:
    yield from sorted(directory.glob(pattern))
