"""Shared test fixtures. Tests that need ../shared skip with a clear reason when it is absent."""
from __future__ import annotations

from pathlib import Path

import pytest

from casus_test_helpers import FIXTURES, ROOT, SHARED  # noqa: F401  (re-exported for old imports)


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "eval").is_dir():
        pytest.skip("../shared (evaluation data and the seed article) is not present on this machine")
    return SHARED


@pytest.fixture(scope="session")
def code():
    """casus.code_text as a fixture returning plain dicts (the JSON contract)."""
    from casus import code_text

    def run(text: str, date: str | None = "2024-03-15", **kw):
        return [e.to_dict() for e in code_text(text, date=date, **kw)]

    return run
