"""The store commands: ``casus ingest``, ``casus events``, ``casus export`` (registered on ``casus.cli.app``).

Each parses its options, calls one library function of :mod:`casus.store`, and renders the result.
"""
from __future__ import annotations

import csv
import json
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeRemainingColumn

from .cli import CSV_COLUMNS, CodeFormat, _csv_row, _run, app, err, render_events
from .config import check_date, load_options
from .ontology import UNTYPED_LABEL

DB = typer.Option(Path("casus.duckdb"), "--db", help="The event database (DuckDB file).")
ACTOR = typer.Option(None, "--actor", help="Actor code, country or name substring, either side.")
COUNTRY = typer.Option(None, "--country", help="ISO 3166 alpha-3 country of either side.")
DYAD = typer.Option(None, "--dyad", help="SOURCE:TARGET codes, e.g. ARM:AZE (ordered; see --unordered).")
UNORDERED = typer.Option(False, "--unordered", help="--dyad matches either direction.")
PLOVER = typer.Option(None, "--plover", help="PLOVER event type, e.g. ASSAULT.")
CAMEO = typer.Option(None, "--cameo", help="CAMEO code prefix, e.g. 19 or 0231.")
MODALITY = typer.Option(None, "--modality", help="asserted, negated, hypothetical or future.")
SINCE = typer.Option(None, "--since", help="Events on or after this date (YYYY-MM-DD).")
UNTIL = typer.Option(None, "--until", help="Events on or before this date (YYYY-MM-DD).")
MIN_CONF = typer.Option(None, "--min-confidence", help="Minimum confidence (0-1).")
TEXT = typer.Option(None, "--text", help="Substring of the evidence sentence (any case).")
TABLE_LIMIT = 100  # a terminal table longer than this is unreadable; other formats return everything


class EventsFormat(str, Enum):
    table = "table"
    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"


class Engine(str, Enum):  # casus ingest --engine (issue 9)
    local = "local"
    dask = "dask"


class ExportFormat(str, Enum):
    gdelt = "gdelt"
    plover = "plover"
    parquet = "parquet"


def _filter(actor, country, dyad, unordered, plover, cameo, modality, since, until, min_confidence, text):
    from .store.queries import EventFilter

    return EventFilter(actor=actor, country=country, dyad=dyad, unordered=unordered, plover=plover, cameo=cameo,
                       modality=modality, since=since, until=until, min_confidence=min_confidence, text=text)


class _Bar:
    """A rich progress bar fed by the ingest's progress callback: documents, docs/s, time left."""

    def __init__(self) -> None:
        self.progress: Progress | None = None
        self.task = None

    def __call__(self, p) -> None:
        if self.progress is None:
            cols = [SpinnerColumn(), TextColumn("ingest")]
            if p.total:
                cols += [BarColumn(), MofNCompleteColumn()]
            else:
                cols += [TextColumn("{task.completed} docs")]
            cols += [TextColumn("{task.fields[rate]:.1f} docs/s"),
                     TextColumn("coded {task.fields[coded]}  dup {task.fields[dup]}  rejected {task.fields[rej]}")]
            if p.total:
                cols.append(TimeRemainingColumn())
            self.progress = Progress(*cols, console=err, transient=False)
            self.progress.start()
            self.task = self.progress.add_task("ingest", total=p.total, rate=0.0, coded=0, dup=0, rej=0)
        s = p.summary
        total = max(p.total, p.done) if p.total else None
        self.progress.update(self.task, completed=p.done, total=total, rate=p.done / p.elapsed if p.elapsed else 0.0,
                             coded=s.coded, dup=s.duplicates, rej=s.rejected)

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()


def _print_summary(s) -> None:
    con = Console()
    con.print(f"documents read {s.read} = coded {s.coded} + duplicates {s.duplicates} + rejected {s.rejected}"
              f" + already stored {s.already_stored}")
    con.print(f"stories: {s.new_stories} new; events stored: {s.events}")
    if s.events_by_plover:
        con.print("events by PLOVER type: " + ", ".join(
            f"{k or UNTYPED_LABEL} {v}" for k, v in sorted(s.events_by_plover.items(), key=lambda kv: (-kv[1], kv[0] or ""))))
    if s.rejected:
        con.print("rejected: " + ", ".join(f"{k} {v}" for k, v in sorted(s.rejected_reasons.items())))
        for reason, examples in sorted(s.rejected_examples.items()):
            for msg in examples:
                err.print(f"  [dim]{reason:>10}[/dim]  {escape(msg)}")
    rate = (s.coded + s.duplicates) / s.seconds if s.seconds else 0.0
    con.print(f"database: {escape(s.db)}  ({s.seconds:.1f} s, {rate:.1f} new documents/s)")


@app.command()
def ingest(
    inputs: list[str] = typer.Argument(..., help="Files (.txt, .html, .jsonl, feeds, WARC), directories, feed URLs, or -."),
    db: Path = DB,
    date: Optional[str] = typer.Option(None, "--date", help="Publication date (YYYY-MM-DD) for inputs that carry none."),
    batch_size: int = typer.Option(64, "--batch-size", min=1, help="Documents per commit (one transaction each)."),
    actors: list[Path] = typer.Option([], "--actors", help="Extra actor file(s) (TSV)."),
    lexicon: list[Path] = typer.Option([], "--lexicon", help="Extra lexicon file(s) (TSV)."),
    config: Optional[Path] = typer.Option(None, "--config", help="Options file (TOML, [casus] table)."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a progress bar."),
    dedup_window: Optional[int] = typer.Option(
        None, "--dedup-window", min=0, metavar="DAYS",
        help="Fold an article only into stories published within DAYS days of its own date, and forget stories "
             "DAYS days older than the newest article seen (default 30). 0: no window, for a backfill whose "
             "inputs are not in date order (memory is then bounded by --dedup-max-stories alone)."),
    dedup_max_stories: Optional[int] = typer.Option(
        None, "--dedup-max-stories", min=0, metavar="N",
        help="Stories the duplicate index keeps in memory at most, about 1 KB each (default 800,000: about "
             "780 MB); beyond it the earliest days are forgotten first. 0: no limit."),
    # -- engines (casus.engines, issue 9): where coding runs ------------------------------------------
    engine: Engine = typer.Option(Engine.local, "--engine",
                                  help="local: this machine; dask: a Dask cluster, Parquet in --out, imported into --db."),
    workers: Optional[int] = typer.Option(None, "--workers", min=1,
                                          help="Coding processes (local, default 1) or LocalCluster workers (dask, default: cores)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address, e.g. tcp://host:8786."),
    out: Optional[Path] = typer.Option(None, "--out", help="Parquet directory the dask engine writes (a new one)."),
) -> None:
    """Code inputs into the event database: incremental, resumable, duplicates folded into stories."""
    from .engines import run_ingest  # the engine dispatch (issue 9); --engine local --workers 1 = store.ingest

    bar = _Bar() if progress else None

    def work():
        opts = load_options(config, date=check_date(date), actors=tuple(map(str, actors)) or None,
                            lexicon=tuple(map(str, lexicon)) or None, dedup_window=dedup_window,
                            dedup_max_stories=dedup_max_stories)
        try:
            return run_ingest(inputs, db, engine=engine.value, workers=workers, scheduler=scheduler, out=out,
                              options=opts, batch_size=batch_size, progress=bar)
        finally:
            if bar is not None:
                bar.stop()

    summary = _run(work)
    _print_summary(summary)
    raise typer.Exit(1 if summary.mostly_rejected else 0)


@app.command()
def events(
    db: Path = DB, actor: Optional[str] = ACTOR, country: Optional[str] = COUNTRY, dyad: Optional[str] = DYAD,
    unordered: bool = UNORDERED, plover: Optional[str] = PLOVER, cameo: Optional[str] = CAMEO,
    modality: Optional[str] = MODALITY, since: Optional[str] = SINCE, until: Optional[str] = UNTIL,
    min_confidence: Optional[float] = MIN_CONF, text: Optional[str] = TEXT,
    limit: Optional[int] = typer.Option(None, "--limit", min=0,
                                        help=f"At most this many events (table: {TABLE_LIMIT} unless given)."),
    offset: int = typer.Option(0, "--offset", min=0, help="Skip this many events first."),
    order: str = typer.Option("date", "--order", help="date, confidence, goldstein or num_articles; - for descending."),
    fmt: EventsFormat = typer.Option(EventsFormat.table, "--format", "-f", help="Output format."),
    out: Optional[Path] = typer.Option(None, "--out", help="Write here instead of stdout (required for parquet)."),
) -> None:
    """Query stored events with filters; print a table, CSV or JSON Lines, or write Parquet."""
    from .store.exports import write_events_parquet
    from .store.queries import query_events

    filters = _filter(actor, country, dyad, unordered, plover, cameo, modality, since, until, min_confidence, text)
    if fmt is EventsFormat.parquet:
        if out is None:
            err.print("[red]error[/red] --format parquet needs --out FILE")
            raise typer.Exit(2)
        n = _run(write_events_parquet, db, out, filters, order, limit)
        err.print(f"{n} event(s) written to {escape(str(out))}")
        return
    default_limit = fmt is EventsFormat.table and limit is None
    if default_limit:
        limit = TABLE_LIMIT
    rows = _run(query_events, db, filters, limit=limit, offset=offset, order=order)
    try:
        fh = open(out, "w", encoding="utf-8", newline="") if out else sys.stdout
    except OSError as exc:
        err.print(f"[red]error[/red] {escape(str(out))}: cannot write ({escape(exc.strerror or str(exc))})")
        raise typer.Exit(2) from None
    try:
        if fmt is EventsFormat.csv:
            w = csv.writer(fh)
            w.writerow(CSV_COLUMNS + ["story_id", "num_articles", "num_sources"])
            for ev in rows:
                w.writerow(_csv_row(ev) + [ev["story_id"], ev["num_articles"], ev["num_sources"]])
        elif fmt is EventsFormat.jsonl:
            for ev in rows:
                fh.write(json.dumps(ev, ensure_ascii=False) + "\n")
        else:
            render_events(rows, CodeFormat.table, fh)
    finally:
        if out:
            fh.close()
    if default_limit and len(rows) == limit:
        err.print(f"first {limit} events shown (--limit, --offset for more)")
    elif out:
        err.print(f"{len(rows)} event(s) written to {escape(str(out))}")


@app.command()
def export(
    fmt: ExportFormat = typer.Option(..., "--format", "-f", help="gdelt (TSV), plover (JSON Lines) or parquet (a directory)."),
    out: Path = typer.Option(..., "--out", help="Output file (gdelt, plover) or directory (parquet); - for stdout."),
    db: Path = DB, actor: Optional[str] = ACTOR, country: Optional[str] = COUNTRY, dyad: Optional[str] = DYAD,
    unordered: bool = UNORDERED, plover: Optional[str] = PLOVER, cameo: Optional[str] = CAMEO,
    modality: Optional[str] = MODALITY, since: Optional[str] = SINCE, until: Optional[str] = UNTIL,
    min_confidence: Optional[float] = MIN_CONF, text: Optional[str] = TEXT,
) -> None:
    """Export stored events as the GDELT 2.0 event table, PLOVER JSON records, or Parquet files."""
    from .store.exports import run_export

    filters = _filter(actor, country, dyad, unordered, plover, cameo, modality, since, until, min_confidence, text)
    counts = _run(run_export, db, fmt.value, out, filters)
    err.print(", ".join(f"{v} {k}" for k, v in counts.items()) + f" written to {escape(str(out))}")
