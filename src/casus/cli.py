"""The ``casus`` command line: each command parses its options, calls one library function, renders.

Errors from casus become one line on stderr and a non-zero exit (``--debug`` shows the traceback).
"""
from __future__ import annotations

import csv
import json
import sys
from enum import Enum
from pathlib import Path
from typing import Iterable, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .config import check_date, load_options
from .errors import CasusError
from .ontology import plover_label

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="casus: news in, political event data out (CAMEO/PLOVER events with evidence).")
err = Console(stderr=True)
STATE = {"debug": False}


class CodeFormat(str, Enum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"


@app.callback()
def _root(debug: bool = typer.Option(False, "--debug", help="Show tracebacks for errors.")) -> None:
    STATE["debug"] = debug


CSV_COLUMNS = ["doc_id", "event_id", "date", "source_code", "source_text", "target_code", "target_text",
               "plover", "cameo", "cameo_name", "quad_class", "goldstein", "modality", "confidence",
               "trigger", "sentence"]


def _csv_row(ev: dict) -> list:
    s, t = ev.get("source") or {}, ev.get("target") or {}
    return [ev["doc_id"], ev["event_id"], ev.get("date"), s.get("code"), s.get("text"), t.get("code"),
            t.get("text"), ev.get("plover"), ev["cameo"], ev.get("cameo_name"), ev["quad_class"],
            ev["goldstein"], ev["modality"], ev["confidence"], ev["trigger"], ev["sentence"]]


def _actor_label(a: dict | None) -> str:
    if not a:
        return "—"
    label = a.get("code") or "?"
    name = a.get("name") or a.get("text")
    return f"{label} ({name})" if name and name != label else label


def _highlight(ev: dict) -> str:
    s = ev["sentence"]
    a, b = ev.get("trigger_span") or (0, 0)
    if 0 <= a < b <= len(s):
        return escape(s[:a]) + "[bold yellow]" + escape(s[a:b]) + "[/]" + escape(s[b:])
    return escape(s)


def render_events(events: list[dict], fmt: CodeFormat, out=None) -> None:
    """Print event dicts as a table, JSON Lines or CSV."""
    out = out or sys.stdout
    if fmt is CodeFormat.jsonl:
        for ev in events:
            out.write(json.dumps(ev, ensure_ascii=False) + "\n")
    elif fmt is CodeFormat.csv:
        w = csv.writer(out)
        w.writerow(CSV_COLUMNS)
        for ev in events:
            w.writerow(_csv_row(ev))
    else:
        table = Table(show_lines=True, expand=True)
        for col, kw in [("date", {"no_wrap": True}), ("source → target", {"ratio": 2}),
                        ("event", {"ratio": 2}), ("modality", {}), ("conf", {"justify": "right"}),
                        ("evidence (trigger highlighted)", {"ratio": 5})]:
            table.add_column(col, **kw)
        for ev in events:
            label = plover_label(ev.get("plover"), ev.get("cameo"))
            kind = f"{label}\nCAMEO {ev['cameo']} {escape(ev.get('cameo_name') or '')}"
            table.add_row(ev.get("date") or "", escape(f"{_actor_label(ev.get('source'))}\n→ {_actor_label(ev.get('target'))}"),
                          kind, ev["modality"], f"{ev['confidence']:.2f}", _highlight(ev))
        Console(file=out, width=max(120, Console().width)).print(table)


def _run(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except CasusError as exc:
        if STATE["debug"]:
            raise
        err.print(f"[red]error[/red] {escape(str(exc))}")
        raise typer.Exit(2) from None


@app.command()
def code(
    inputs: list[str] = typer.Argument(..., help="Files (.txt, .html, .jsonl, feeds, WARC), directories, or - for stdin."),
    date: Optional[str] = typer.Option(None, "--date", help="Publication date (YYYY-MM-DD) for inputs that carry none."),
    fmt: CodeFormat = typer.Option(CodeFormat.table, "--format", "-f", help="Output format."),
    show_removed: bool = typer.Option(False, "--show-removed", help="List what cleaning removed from each document."),
    min_confidence: float = typer.Option(0.0, "--min-confidence", min=0.0, max=1.0),
    actors: list[Path] = typer.Option([], "--actors", help="Extra actor file(s) (TSV)."),
    lexicon: list[Path] = typer.Option([], "--lexicon", help="Extra lexicon file(s) (TSV)."),
    config: Optional[Path] = typer.Option(None, "--config", help="Options file (TOML, [casus] table)."),
) -> None:
    """Code articles into events and print them."""
    from .ingest.readers import Rejected, read_inputs
    from .pipeline import code_documents

    def work() -> int:
        opts = load_options(config, date=check_date(date), min_confidence=min_confidence,
                            actors=tuple(map(str, actors)) or None, lexicon=tuple(map(str, lexicon)) or None)
        rejected = coded = 0
        all_events: list[dict] = []
        for doc, events in code_documents(read_inputs(inputs, opts.date, max_bytes=opts.max_input_bytes), opts):
            if isinstance(doc, Rejected):
                rejected += 1
                err.print(f"[yellow]skipped[/yellow] {escape(doc.message)}")
                continue
            coded += 1
            if show_removed:
                _print_removed(doc)
            dicts = [e.to_dict() for e in events]
            if fmt is CodeFormat.table:
                all_events += dicts
            else:
                render_events(dicts, fmt) if fmt is CodeFormat.jsonl else all_events.extend(dicts)
        if fmt is not CodeFormat.jsonl:
            render_events(all_events, fmt)
        err.print(f"{coded} document(s) coded, {rejected} skipped")
        return 1 if rejected and not coded else 0

    raise typer.Exit(_run(work))


def _print_removed(doc) -> None:
    err.print(f"[bold]{escape(doc.id)}[/bold]: cleaning removed {len(doc.removed)} line(s)")
    for r in doc.removed:
        err.print(f"  [dim]{r['reason']:>18}[/dim]  {escape(r['text'])}")


@app.command("eval")
def eval_cmd(
    gold: Path = typer.Argument(..., help="Gold file (JSON Lines: PLOVER events or five-way 'penta' labels)."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Write the figures (and errors) as JSON here."),
    errors: int = typer.Option(0, "--errors", help="Print this many error cases (sentence, gold, predicted, rule)."),
    lexicon: list[Path] = typer.Option([], "--lexicon", help="Extra lexicon file(s) (TSV)."),
    actors: list[Path] = typer.Option([], "--actors", help="Extra actor file(s) (TSV)."),
) -> None:
    """Score casus on a gold file: PLOVER type P/R/F1, triple accuracy, five-way macro-F1, errors."""
    from .config import Options
    from .evaluate import run_eval

    opts = Options(actors=tuple(map(str, actors)), lexicon=tuple(map(str, lexicon)))
    result = _run(run_eval, gold, opts)
    _print_eval(result, errors)
    if json_out is not None:
        json_out.write_text(json.dumps({"figures": result.figures, "errors": result.errors}, indent=2,
                                       ensure_ascii=False), encoding="utf-8")
        err.print(f"figures written to {json_out}")


def _print_eval(result, n_errors: int) -> None:
    con = Console()
    fig = result.figures
    if n_errors:
        for e in result.errors[:n_errors]:
            con.print(f"[bold]{escape(str(e['id']))}[/bold] {escape(e['text'])}")
            con.print(f"  gold: {escape(json.dumps(e['gold'], ensure_ascii=False)[:300])}")
            for p in e["predicted"] or [{"plover": None}]:
                con.print(f"  pred: {escape(json.dumps(p, ensure_ascii=False))}")
    if "per_type" in fig:
        t = Table(title="PLOVER types")
        for c in ("type", "precision", "recall", "f1", "tp", "fp", "fn"):
            t.add_column(c, justify="right" if c != "type" else "left")
        for typ, v in fig["per_type"].items():
            t.add_row(typ, f"{v['precision']:.3f}", f"{v['recall']:.3f}", f"{v['f1']:.3f}", str(v["tp"]),
                      str(v["fp"]), str(v["fn"]))
        con.print(t)
        conf = Table(title="Confusion: gold type (rows) vs main predicted type")
        conf.add_column("gold")
        conf.add_column("predicted (count)")
        for g, row in fig["confusion"].items():
            conf.add_row(g, ", ".join(f"{k} {v}" for k, v in sorted(row.items(), key=lambda kv: -kv[1])))
        con.print(conf)
    lines = [f"records: {fig['records']}"]
    if "plover_type" in fig:
        pt = fig["plover_type"]
        lines.append(f"PLOVER type: P {pt['precision']:.3f}  R {pt['recall']:.3f}  F1 {pt['f1']:.3f}")
        lines.append(f"triple accuracy: {fig['triple_accuracy']:.3f}")
    if "penta" in fig:
        p = fig["penta"]
        lines.append(f"five-way: macro-F1 {p['macro_f1']:.3f}  accuracy {p['accuracy']:.3f}  "
                     f"confusion {json.dumps(p['confusion'])}")
        if p.get("confident_accuracy") is not None:
            lines.append(f"five-way accuracy where the main event has confidence >= 0.7: "
                         f"{p['confident_accuracy']:.3f} ({p['confident_sentences']} sentences)")
    if fig.get("confident_type_precision") is not None:
        lines.append(f"type precision at confidence >= 0.7: {fig['confident_type_precision']:.3f} "
                     f"({fig['confident_pairs']} typed predictions)")
    for line in lines:
        con.print(line)


@app.command()
def demo(
    out: Path = typer.Option(Path("demo-output"), "--out", help="Where the demo writes its outputs."),
) -> None:
    """Code the bundled sample articles and show the events."""
    from .demo import run_demo

    _run(run_demo, out=out, console=Console())


from . import cli_store  # noqa: E402,F401  (registers ingest/events/export)
from . import cli_analytics  # noqa: E402,F401  (registers alerts/report)
from . import cli_web  # noqa: E402,F401  (registers serve)


def main(argv: Iterable[str] | None = None) -> None:
    """Entry point of the ``casus`` script."""
    try:
        app(args=list(argv) if argv is not None else None, standalone_mode=True)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except CasusError as exc:
        if STATE["debug"]:
            raise
        err.print(f"[red]error[/red] {escape(str(exc))}")
        sys.exit(2)
    except Exception as exc:  # a bug: say so plainly, keep the traceback for --debug
        if STATE["debug"]:
            raise
        err.print(f"[red]internal error[/red] {escape(type(exc).__name__)}: {escape(str(exc))} "
                  "(run with --debug for the traceback, and please report it)")
        sys.exit(3)


if __name__ == "__main__":
    main()
