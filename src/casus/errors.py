"""One exception hierarchy for casus; every message carries a code.

::

    CasusError                     [E0xx] base: anything casus raises on purpose
    ├── DataFileError              [E1xx] a packaged or user data file is malformed (file:line)
    ├── InputError                 [E2xx] an input cannot be read or decoded (path and reason)
    │   └── DocumentRejected       [E21x] one document is rejected (too large, not English, empty...)
    ├── ModelError                 [E3xx] the spaCy model is missing or cannot be loaded
    ├── StoreError                 [E4xx] the event store cannot be opened, migrated or written
    ├── OptionError                [E5xx] an option or filter value is invalid
    ├── EngineError                [E6xx] a processing engine (local workers, Dask) failed   (casus.engines)
    └── WebError                   [E7xx] an HTTP-level error of the web layer                (casus.web.errors)

EngineError and WebError live next to the code that raises them (they are defined in their packages so the
core does not import the engines or the web stack); their code ranges are reserved here.

The CLI turns these into one-line messages and a non-zero exit code; the web layer turns them
into JSON with an HTTP status. Codes are stable: tests and users may match on them.
"""
from __future__ import annotations


class CasusError(Exception):
    """Base class: ``code`` is a stable identifier such as ``E101``."""

    code = "E000"
    http_status = 500

    def __init__(self, message: str, *, code: str | None = None) -> None:
        if code is not None:
            self.code = code
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class DataFileError(CasusError):
    """A data file (ontology, actors, lexicon) is malformed; the message names file and line."""

    code = "E101"

    def __init__(self, path: str, line: int | None, problem: str) -> None:
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {problem}")
        self.path = str(path)
        self.line = line


class InputError(CasusError):
    """An input path or record cannot be read."""

    code = "E201"
    http_status = 400


class DocumentRejected(InputError):
    """A single document is rejected; the run records the reason and goes on."""

    code = "E210"

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class ModelError(CasusError):
    code = "E301"


class StoreError(CasusError):
    code = "E401"


class OptionError(CasusError):
    code = "E501"
    http_status = 422
