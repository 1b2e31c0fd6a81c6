"""``casus alerts`` and ``casus report``: thin commands over :mod:`casus.analytics`.

Registered on the main ``app`` by importing this module (the last import of :mod:`casus.cli`).
"""
from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .analytics.escalation import AlertOptions
from .cli import _run, app, err
from .config import check_date

_DEFAULTS = AlertOptions()


class AlertFormat(str, Enum):
    table = "table"
    jsonl = "jsonl"


def render_alerts(alerts: list, fmt: AlertFormat = AlertFormat.table, out=None) -> None:
    """Print alerts as a table (with their driving events) or as JSON Lines (``Alert.to_dict``)."""
    out = out or sys.stdout
    if fmt is AlertFormat.jsonl:
        for a in alerts:
            out.write(json.dumps(a.to_dict(), ensure_ascii=False) + "\n")
        return
    console = Console(file=out, width=max(120, Console().width))
    if not alerts:
        console.print("no escalation alerts")
        return
    table = Table(title=f"{len(alerts)} escalation alert(s)", show_lines=True, expand=True)
    for col, kw in [("dyad", {"no_wrap": True}), ("week", {"no_wrap": True}), ("score", {"justify": "right"}),
                    ("baseline", {"justify": "right"}), ("z", {"justify": "right"}),
                    ("stories", {"justify": "right"}), ("driving events (evidence)", {"ratio": 5})]:
        table.add_column(col, **kw)
    for a in alerts:
        lines = [f"[bold]{escape(e['date'] or '')}[/bold] {escape(str(e['source']))} → {escape(str(e['target']))} "
                 f"{escape(e['plover'] or '')} ({e['goldstein']:+.1f}): {escape(e['sentence'] or '')}"
                 for e in a.events]
        table.add_row(a.label, f"{a.week_start.isoformat()}\nto {a.week_end.isoformat()}", f"{a.score:g}",
                      f"median {a.baseline_median:g}\nmean {a.baseline_mean:.1f}\nspread {a.spread:.1f}",
                      f"{a.z:.1f}", str(a.stories), "\n".join(lines))
    console.print(table)


@app.command()
def alerts(
    db: Path = typer.Option(Path("casus.duckdb"), "--db", help="The event store."),
    since: Optional[str] = typer.Option(None, "--since", help="Only weeks ending on or after this date (YYYY-MM-DD)."),
    until: Optional[str] = typer.Option(None, "--until", help="Only weeks starting on or before this date."),
    min_stories: int = typer.Option(_DEFAULTS.min_stories, "--min-stories", min=1,
                                    help="Distinct stories a week needs before it can alert."),
    z: float = typer.Option(_DEFAULTS.z, "--z", min=0.0, help="Robust z-score at or above which a week alerts."),
    min_score: float = typer.Option(_DEFAULTS.min_score, "--min-score", min=0.0,
                                    help="Lowest weekly conflict score that can alert."),
    baseline_weeks: int = typer.Option(_DEFAULTS.baseline_weeks, "--baseline-weeks", min=1,
                                       help="Weeks of history the baseline looks back."),
    fmt: AlertFormat = typer.Option(AlertFormat.table, "--format", "-f", help="Output format."),
) -> None:
    """Escalation alerts: weeks in which a dyad's conflict rose far above its own baseline."""
    from .analytics.load import store_alerts

    def work():
        opts = AlertOptions(baseline_weeks=baseline_weeks,
                            min_baseline_weeks=min(_DEFAULTS.min_baseline_weeks, baseline_weeks),
                            z=z, min_score=min_score, min_stories=min_stories,
                            since=check_date(since), until=check_date(until))
        return store_alerts(db, opts)

    found = _run(work)
    render_alerts(found, fmt)
    if fmt is AlertFormat.table:
        err.print(f"{len(found)} alert(s)")


@app.command()
def report(
    out: Path = typer.Option(..., "--out", help="Directory to write index.html, report.md and the charts into."),
    db: Path = typer.Option(Path("casus.duckdb"), "--db", help="The event store."),
    dyad: Optional[str] = typer.Option(None, "--dyad", help="Only this dyad, A:B (either direction), e.g. ARM:AZE."),
    since: Optional[str] = typer.Option(None, "--since", help="Start of the period reported (YYYY-MM-DD)."),
    min_stories: int = typer.Option(_DEFAULTS.min_stories, "--min-stories", min=1,
                                    help="Distinct stories a week needs before it can alert."),
    z: float = typer.Option(_DEFAULTS.z, "--z", min=0.0, help="Robust z-score at or above which a week alerts."),
) -> None:
    """Write a situation report (HTML and Markdown with PNG charts) from the event store."""
    from .analytics.report import write_report

    def work():
        opts = AlertOptions(z=z, min_stories=min_stories)
        return write_report(db, out, dyad=dyad, since=check_date(since), alert_options=opts)

    result = _run(work)
    for a in result.alerts:
        err.print(f"[red]alert[/red] {escape(a.label)} week {a.week_start} to {a.week_end}: score {a.score:g}, "
                  f"baseline median {a.baseline_median:g}, z {a.z:.1f}, {a.stories} stories")
    err.print(f"{result.events} events, {len(result.alerts)} alert(s), {len(result.charts)} chart(s)")
    typer.echo(str(result.index_html))


__all__ = ["alerts", "report", "render_alerts", "AlertFormat"]
