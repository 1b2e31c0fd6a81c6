"""Fixtures for the analytics tests: the demo run once on the bundled sample corpus."""
from __future__ import annotations

import io

import pytest


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory):
    """``run_demo`` once on the bundled sample corpus: (output directory, returned dict, printed text)."""
    from rich.console import Console

    from casus.demo import run_demo

    out = tmp_path_factory.mktemp("demo")
    buf = io.StringIO()
    result = run_demo(out, Console(file=buf, width=160))
    return out, result, buf.getvalue()
