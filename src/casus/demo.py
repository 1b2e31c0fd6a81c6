"""``casus demo``: the bundled sample corpus into a fresh event store, the escalation alerts, a situation report."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

from .errors import InputError


def sample_dir() -> Path:
    """The bundled sample corpus: ``samples/corpus`` of the source tree."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        cand = parent / "samples" / "corpus"
        if cand.is_dir():
            return cand
    raise InputError("the sample corpus (samples/corpus) was not found next to the casus sources")


def run_demo(out: Path, console: Console) -> dict:
    """Ingest the sample corpus into ``out/casus.duckdb`` (made afresh, so it reflects this coder), print the
    escalation alerts, write the report to ``out/report/`` and print the path of its ``index.html``."""
    from .analytics.load import store_alerts
    from .analytics.report import write_report
    from .cli_analytics import AlertFormat, render_alerts
    from .store import ingest

    corpus = sample_dir()
    out.mkdir(parents=True, exist_ok=True)
    db = out / "casus.duckdb"
    for stale in (db, db.with_name(db.name + ".wal")):
        stale.unlink(missing_ok=True)  # the demo's own store: rebuilt each run
    with Progress(SpinnerColumn(), TextColumn("ingesting the sample corpus"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("coded {task.fields[coded]}  duplicates {task.fields[dup]}"), console=console,
                  transient=False) as bar:
        task = bar.add_task("ingest", total=None, coded=0, dup=0)

        def progress(p) -> None:
            bar.update(task, completed=p.done, total=max(p.total or 0, p.done) or None, coded=p.summary.coded,
                       dup=p.summary.duplicates)

        summary = ingest([str(corpus)], db, progress=progress)
    console.print(f"{summary.read} articles read: {summary.coded} coded, {summary.duplicates} duplicates folded into "
                  f"their stories, {summary.rejected} rejected; {summary.events} events in {escape(str(db))}")
    alerts = store_alerts(db)
    render_alerts(alerts, AlertFormat.table, out=console.file)
    result = write_report(db, out / "report")
    if result.first_week and result.last_week:
        console.print(f"{len(result.charts)} charts, {len(result.alerts)} alert(s), {result.events} events from "
                      f"{result.first_week} to {result.last_week + dt.timedelta(days=6)}")
    console.print(f"report: [bold]{escape(str(result.index_html.resolve()))}[/bold]")
    return {"documents": summary.read, "coded": summary.coded, "duplicates": summary.duplicates,
            "rejected": summary.rejected, "events": summary.events, "alerts": [a.to_dict() for a in alerts],
            "report": str(result.index_html)}

