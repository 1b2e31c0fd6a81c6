"""The dashboard's HTML pages, rendered on the server with Jinja2 (autoescape on: article text is untrusted).

Pages: overview ``/``, events browser ``/events``, document ``/documents/{doc_id}``, dyad ``/dyad?a=&b=``,
actors ``/actors?q=`` and ``/actor/{code}``, and "code an article" ``/code`` (a form POST). Each parses its
input, asks :class:`casus.web.data.StoreView` (or :mod:`casus.web.coding`), and renders a template.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader
from pydantic import ValidationError

from .. import __version__
from ..errors import CasusError, OptionError
from ..model import MODALITIES
from ..ontology import PLOVER_TYPES, UNTYPED_LABEL
from . import charts, marks
from .api import MAX_ARTICLE, EventQuery
from .coding import code_article
from .data import StoreView, check_code, search_actors, search_kb
from .errors import NotFound, status_of, validation_message

TEMPLATES = Path(__file__).resolve().parent / "templates"
PAGE_SIZE = 50  # rows per events page: one screen of evidence sentences to read
ACTOR_EVENTS = 25  # latest events listed on an actor page; the rest are a click away in the events browser
KEY_EVENTS = 8  # key events listed on a dyad page: the ones to read first

ENV = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True,  # every template is HTML
                  trim_blocks=True, lstrip_blocks=True)
ENV.globals.update(version=__version__, plover_types=PLOVER_TYPES, modalities=MODALITIES,
                   evidence=marks.evidence, actor_label=marks.actor_label, actor_key=marks.actor_key,
                   safe_url=marks.safe_url, quad_labels=charts.QUAD_LABELS, gcolour=charts.goldstein_colour)
ENV.filters["part"] = marks.path_part

router = APIRouter(include_in_schema=False)


def render_page(template: str, status: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("page_title", None)
    context.setdefault("nav", "")
    context.setdefault("status", status)
    return HTMLResponse(ENV.get_template(template).render(**context), status_code=status)


def _view(request: Request) -> StoreView:
    return request.app.state.view


def _qs(params: dict[str, Any], **changes: Any) -> str:
    merged = {k: v for k, v in {**params, **changes}.items() if v not in (None, "", False)}
    return "?" + urlencode({k: ("on" if v is True else v) for k, v in merged.items()})


def _params(request: Request) -> dict[str, str]:
    """Query parameters without empty ones (a form sends blank fields as ``name=``) and without the token."""
    return {k: v for k, v in request.query_params.items() if v.strip() and k != "token"}


@router.get("/", response_class=HTMLResponse)
def overview(request: Request) -> HTMLResponse:
    view = _view(request)
    ov = view.overview()
    stats, dyads = ov["stats"], ov["dyads"]
    dyad_bars = charts.hbars([{"label": d["dyad"].replace(":", " – "), "value": d["events"],
                               "href": f"/dyad{_qs({}, a=d['a'], b=d['b'])}", "colour": charts.goldstein_colour(
                                   d["goldstein_mean"]), "note": f"mean Goldstein {d['goldstein_mean']:+.1f}"}
                              for d in dyads], "Most active dyads")
    type_bars = charts.hbars([{"label": k, "value": v, "href": f"/events{_qs({}, plover=k)}"
                               if k in PLOVER_TYPES else None} for k, v in stats["events_by_plover"].items()],
                             "Events by PLOVER type")
    volume = charts.timeline(ov["volume"], "Weekly events: cooperation up, conflict down")
    return render_page("overview.html", nav="overview", stats=stats, alerts=ov["alerts"][:6], dyads=dyads,
                       dyad_bars=dyad_bars, type_bars=type_bars, volume=volume, db=view.db.name, span=ov["span"])


@router.get("/events", response_class=HTMLResponse)
def events_page(request: Request) -> HTMLResponse:
    params = _params(request)
    params.setdefault("limit", str(PAGE_SIZE))
    error, total, items, q = None, 0, [], None
    try:
        q = EventQuery(**params)
        total, items = _view(request).events(q.to_filter(), q.limit, q.offset, q.order)
    except ValidationError as exc:
        error = validation_message([{**e, "loc": ("query", *e["loc"])} for e in exc.errors()])
    except OptionError as exc:
        error = exc.message
    order = q.order if q else "-date"
    limit, offset = (q.limit, q.offset) if q else (PAGE_SIZE, 0)
    pages = {"prev": _qs(params, offset=max(0, offset - limit)) if offset > 0 else None,
             "next": _qs(params, offset=offset + limit) if offset + limit < total else None}
    sort = {k: _qs(params, order=("-" + k if order != "-" + k else k), offset=None)
            for k in ("date", "confidence", "goldstein", "num_articles")}
    return render_page("events.html", status=422 if error else 200, nav="events", page_title="Events",
                       params=params, error=error, total=total, items=items, order=order, limit=limit,
                       offset=offset, pages=pages, sort=sort)


@router.get("/events/{event_id}")
def event_redirect(request: Request, event_id: str) -> RedirectResponse:
    ev = _view(request).event(event_id)
    if ev is None:
        raise NotFound(f"no event {event_id!r} in this store")
    return RedirectResponse(f"/documents/{marks.path_part(ev['doc_id'])}#ev-{ev['event_id']}", status_code=303)


@router.get("/documents/{key:path}", response_class=HTMLResponse)
def document_page(request: Request, key: str) -> HTMLResponse:
    doc = _view(request).document(key)
    if doc is None:
        raise NotFound(f"no document {key!r} in this store")
    events = sorted(doc["events"], key=lambda e: (e["sentence_index"], (e.get("trigger_span") or [0])[0] or 0))
    pieces, missing = marks.article(doc["text"], events)
    return render_page("document.html", nav="events", page_title=doc.get("title") or doc["doc_id"], doc=doc,
                       pieces=pieces, missing=set(missing), events=events)


@router.get("/dyad", response_class=HTMLResponse)
def dyad_page(request: Request) -> HTMLResponse:
    params = _params(request)
    view = _view(request)
    if "a" not in params or "b" not in params:
        return render_page("dyad_pick.html", nav="dyads", page_title="Dyads", dyads=view.top_dyads(30),
                           params=params)
    a, b = check_code(params["a"], "actor a"), check_code(params["b"], "actor b")
    dyad = view.dyad(a, b, key_events=KEY_EVENTS)
    weekly = dyad["weekly"]
    label = f"{a} – {b}"
    alerts = [al for al in view.alerts() if set(al["actors"]) == {a, b}]
    directions = {f"{a} → {b}": dyad["a_to_b"], f"{b} → {a}": dyad["b_to_a"]}
    return render_page(
        "dyad.html", nav="dyads", page_title=f"Dyad {label}", a=a, b=b, label=label, total=dyad["total"],
        timeline=charts.timeline(weekly, f"{label}: weekly cooperation and conflict"),
        goldstein=charts.goldstein_line(weekly, f"{label}: weekly mean Goldstein score", width=560),
        types=charts.hbars([{"label": k or UNTYPED_LABEL, "value": v} for k, v in dyad["by_plover"]],
                           f"{label}: events by type"),
        alerts=alerts, key_events=dyad["key_events"], directions=directions,
        all_link=f"/events{_qs({}, dyad=f'{a}:{b}', unordered=True)}")


@router.get("/actors", response_class=HTMLResponse)
def actors_page(request: Request) -> HTMLResponse:
    q = _params(request).get("q")
    if q is not None and len(q) > 100:
        raise OptionError("q must be at most 100 characters")
    rows = search_actors(_view(request), q, limit=40)
    return render_page("actors.html", nav="actors", page_title="Actors", q=q or "", rows=rows)


@router.get("/actor/{code}", response_class=HTMLResponse)
def actor_page(request: Request, code: str) -> HTMLResponse:
    code = check_code(code)
    actor = _view(request).actor(code, latest=ACTOR_EVENTS)
    partners = actor["partners"]
    kb = [k for k in search_kb(code, limit=50) if k["code"] == code][:1]
    href = lambda other: f"/dyad{_qs({}, a=code, b=other)}"  # noqa: E731
    return render_page(
        "actor.html", nav="actors", page_title=f"Actor {code}", code=code, kb=kb[0] if kb else None,
        events=actor["latest"], total=actor["total"], partners=partners,
        network=charts.network(code, partners, href, f"{code} and its partners"),
        timeline=charts.timeline(actor["weekly"], f"{code}: weekly cooperation and conflict"),
        all_link=f"/events{_qs({}, actor=code)}")


@router.get("/code", response_class=HTMLResponse)
def code_form(request: Request) -> HTMLResponse:
    return render_page("code.html", nav="code", page_title="Code an article", form={"kind": "text",
                       "date": dt.date.today().isoformat()}, result=None, error=None)


@router.post("/code", response_class=HTMLResponse)
async def code_submit(request: Request) -> HTMLResponse:
    body = (await request.body()).decode("utf-8", "replace")
    form = {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}
    article = form.get("article", "")
    kind = "html" if form.get("kind") == "html" else "text"
    result, error, status = None, None, 200
    try:
        if len(article) > MAX_ARTICLE:
            raise OptionError(f"the article is over {MAX_ARTICLE:,} characters")
        coded = await run_in_threadpool(
            code_article, text=article if kind == "text" else None, html=article if kind == "html" else None,
            title=form.get("title") or None, date=form.get("date") or None, url=form.get("url") or None)
        events = [{**e.to_dict(), "sentence_start": e.sentence_start} for e in coded.events]
        pieces, missing = marks.article(coded.document.text, events)
        result = {"doc": coded.document_dict(), "events": events, "pieces": pieces, "missing": set(missing)}
    except CasusError as exc:
        error, status = f"[{exc.code}] {exc.message}", status_of(exc)
    return render_page("code.html", status=status, nav="code", page_title="Code an article",
                       form={**form, "kind": kind}, result=result, error=error)


__all__ = ["router", "render_page", "ENV"]
