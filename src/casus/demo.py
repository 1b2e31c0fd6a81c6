"""``casus demo``: the main job on the bundled sample corpus, with a readable result."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.table import Table

from .config import Options
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
    """Code every sample article, print the events, write them to ``out/events.jsonl``; return counts."""
    from .cli import CodeFormat, render_events
    from .ingest.readers import Rejected, read_inputs
    from .pipeline import code_documents

    corpus = sample_dir()
    out.mkdir(parents=True, exist_ok=True)
    events_path = out / "events.jsonl"
    by_type: Counter = Counter()
    n_docs = n_rejected = 0
    shown: list[dict] = []
    with console.status("coding the sample corpus ..."), events_path.open("w", encoding="utf-8") as fh:
        for doc, events in code_documents(read_inputs([str(corpus)]), Options()):
            if isinstance(doc, Rejected):
                n_rejected += 1
                continue
            n_docs += 1
            for ev in events:
                d = ev.to_dict()
                fh.write(json.dumps(d, ensure_ascii=False) + "\n")
                by_type[d["plover"] or "(statement)"] += 1
                if d["modality"] == "asserted" and d["confidence"] >= 0.8 and len(shown) < 12:
                    shown.append(d)
    render_events(shown, CodeFormat.table)
    t = Table(title=f"{n_docs} sample articles coded, {sum(by_type.values())} events")
    t.add_column("PLOVER type")
    t.add_column("events", justify="right")
    for typ, n in by_type.most_common():
        t.add_row(typ, str(n))
    console.print(t)
    console.print(f"all events: {events_path}")
    return {"documents": n_docs, "rejected": n_rejected, "events": sum(by_type.values())}
