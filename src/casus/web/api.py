"""The JSON API under ``/api``: events, documents, series, alerts, actors, and coding a posted article.

Each route validates its input with pydantic, calls one function of :mod:`casus.web.data` (which calls the
store and analytics libraries) or :mod:`casus.web.coding`, and returns the result. Errors are raised as
``CasusError`` and rendered by the app's one error handler (see :mod:`casus.web.errors`).
"""
from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..store import EventFilter
from .coding import code_article
from .data import StoreView, check_code, search_actors
from .errors import NotFound

MAX_PAGE = 500  # events per page: a browser table and a JSON client both stay responsive
MAX_OFFSET = 10**9  # far beyond any store; keeps the number inside DuckDB's BIGINT
MAX_ARTICLE = 1_000_000  # characters, as Options.max_doc_chars: longer inputs are not articles
Order = Literal["date", "-date", "confidence", "-confidence", "goldstein", "-goldstein", "num_articles",
                "-num_articles"]
Period = Literal["day", "week", "month"]
DATE = {"format": "date", "examples": ["2025-10-08"]}


def _text(description: str, **extra: Any):
    return Field(None, min_length=1, max_length=500, description=description, **extra)


class EventQuery(BaseModel):
    """The filters of ``casus events`` (see ``casus.store.EventFilter``), plus paging and order."""

    model_config = ConfigDict(extra="ignore")
    actor: str | None = _text("Actor code, country or name substring, either side (any case).")
    country: str | None = _text("ISO 3166 alpha-3 country of either side, e.g. ARM.")
    dyad: str | None = _text("SOURCE:TARGET codes, e.g. ARM:AZE (ordered unless unordered=true).")
    unordered: bool = Field(False, description="The dyad matches either direction.")
    plover: str | None = _text("PLOVER event type, e.g. ASSAULT.")
    cameo: str | None = _text("CAMEO code prefix, e.g. 19 or 0231.")
    modality: str | None = _text("asserted, negated, hypothetical or future.")
    since: str | None = _text("Events on or after this date (YYYY-MM-DD).", json_schema_extra=DATE)
    until: str | None = _text("Events on or before this date (YYYY-MM-DD).", json_schema_extra=DATE)
    min_confidence: float | None = Field(None, ge=0.0, le=1.0, allow_inf_nan=False, description="0 to 1.")
    text: str | None = _text("Substring of the evidence sentence (any case).")
    doc_id: str | None = _text("Events of this document (exact doc_id).")
    story_id: str | None = _text("Events of this story (exact story_id).")
    limit: int = Field(50, ge=0, le=MAX_PAGE, description=f"Events per page (at most {MAX_PAGE}).")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Skip this many events first.")
    order: Order = Field("-date", description="Sort key; a leading - sorts descending.")

    def to_filter(self) -> EventFilter:
        return EventFilter(actor=self.actor, country=self.country, dyad=self.dyad, unordered=self.unordered,
                           plover=self.plover, cameo=self.cameo, modality=self.modality, since=self.since,
                           until=self.until, min_confidence=self.min_confidence, text=self.text,
                           doc_id=self.doc_id, story_id=self.story_id)


class ActorOut(BaseModel):
    text: str | None = None
    code: str | None = None
    country: str | None = None
    sector: str | None = None
    kind: str | None = None
    name: str | None = None


class EventOut(BaseModel):
    """One event in the JSON contract (README); store events add story_id, num_articles, num_sources."""

    model_config = ConfigDict(extra="allow")
    doc_id: str
    event_id: str
    sentence: str
    sentence_index: int
    trigger: str | None
    trigger_span: list[int | None]
    rule: str | None
    plover: str | None
    cameo: str
    cameo_root: str | None
    quad_class: int | None
    goldstein: float | None
    mode: str | None
    context: str | None
    source: ActorOut | None
    target: ActorOut | None
    modality: str
    date: str | None
    date_precision: str | None
    location: dict[str, Any] | None
    quantities: list[dict[str, Any]]
    attribution: dict[str, Any] | None
    confidence: float
    coder_version: str


class EventsPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[EventOut]


class DocumentBase(BaseModel):
    """A stored document: cleaned text, what cleaning removed, its story and its articles."""

    model_config = ConfigDict(extra="allow")
    content_hash: str
    doc_id: str
    story_id: str
    status: str
    title: str | None
    url: str | None
    source: str | None
    published: str | None
    text: str
    removed: list[dict[str, Any]]


class DocumentOut(DocumentBase):
    """A stored document with the events shown on it (a duplicate shows its canonical article's events)."""

    events: list[EventOut]


class EventDetail(BaseModel):
    event: EventOut
    document: DocumentBase | None


class SeriesRowOut(BaseModel):
    key: str
    period: str
    period_end: str
    modality: str
    events: int
    by_plover: dict[str, int]
    by_quad: dict[str, int]
    goldstein_sum: float
    goldstein_mean: float | None
    stories: int
    articles: int
    sources: int


class SeriesOut(BaseModel):
    key: str
    period: Period
    modality: str
    rows: list[SeriesRowOut]


class AlertsOut(BaseModel):
    alerts: list[dict[str, Any]]


class ActorRow(BaseModel):
    code: str | None
    country: str | None
    name: str | None
    kind: str | None
    sector: str | None
    events: int
    in_store: bool
    in_kb: bool
    role: str | None = None
    matched: str | None = None


class ActorsOut(BaseModel):
    items: list[ActorRow]


class CodeRequest(BaseModel):
    """An article to code: ``text`` (plain) or ``html`` (a saved page), not both."""

    model_config = ConfigDict(extra="forbid")
    text: str | None = Field(None, max_length=MAX_ARTICLE, description="The article's plain text.")
    html: str | None = Field(None, max_length=MAX_ARTICLE, description="A saved news page (HTML).")
    title: str | None = Field(None, max_length=1000)
    date: str | None = Field(None, max_length=10, description="Publication date (YYYY-MM-DD).",
                             json_schema_extra=DATE)
    url: str | None = Field(None, max_length=2000)

    @model_validator(mode="after")
    def _one_input(self) -> "CodeRequest":
        if (self.text is None) == (self.html is None):
            raise ValueError("give the article as either 'text' or 'html' (exactly one of them)")
        return self


class CodedDocument(BaseModel):
    doc_id: str
    title: str | None
    url: str | None
    source: str | None
    date: str | None
    language: str | None
    text: str
    removed: list[dict[str, Any]]


class CodeOut(BaseModel):
    document: CodedDocument
    events: list[EventOut]


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable error code, e.g. E501 (bad filter), E701 (not found).")
    message: str
    status: int


class ErrorBody(BaseModel):
    """The one error shape of casus (see casus.web.errors)."""

    error: ErrorDetail


ERRORS = {status: {"model": ErrorBody, "description": text} for status, text in (
    (400, "The input cannot be coded (E2xx) or the host is not allowed (E705)"),
    (401, "A token is configured and the request did not carry it (E702)"),
    (404, "No such event, document or resource (E701)"),
    (413, "Request body over the size limit (E703)"),
    (422, "Invalid parameter or filter (E501)"),
    (503, "The store is busy or does not exist yet (E405-E407)"))}


def view(request: Request) -> StoreView:
    return request.app.state.view


router = APIRouter(prefix="/api", tags=["api"], responses=ERRORS)
SeriesDates = dict(since=Query(None, max_length=10, json_schema_extra=DATE),
                   until=Query(None, max_length=10, json_schema_extra=DATE))


@router.get("/events", response_model=EventsPage, summary="Events matching filters, one page at a time")
def list_events(request: Request, q: Annotated[EventQuery, Query()]) -> dict[str, Any]:
    total, items = view(request).events(q.to_filter(), q.limit, q.offset, q.order)
    return {"total": total, "limit": q.limit, "offset": q.offset, "items": items}


@router.get("/events/{event_id}", response_model=EventDetail, summary="One event with its document")
def get_event(request: Request, event_id: Annotated[str, Path(max_length=64)]) -> dict[str, Any]:
    ev = view(request).event(event_id)
    if ev is None:
        raise NotFound(f"no event {event_id!r} in this store")
    doc = view(request).document(ev["doc_id"])
    if doc is not None:
        doc = {k: v for k, v in doc.items() if k != "events"}
    return {"event": ev, "document": doc}


@router.get("/documents/{key:path}", response_model=DocumentOut, summary="A document by doc_id or content hash")
def get_document(request: Request, key: Annotated[str, Path(min_length=1, max_length=1000)]) -> dict[str, Any]:
    doc = view(request).document(key)
    if doc is None:
        raise NotFound(f"no document {key!r} in this store")
    return doc


def _series(view: StoreView, filters: EventFilter, key: str, period: str, modality: str,
            party: str | None = None) -> dict[str, Any]:
    rows = view.series(filters, party=party, key=key, period=period, modality=modality)
    return {"key": key, "period": period, "modality": modality, "rows": rows}


@router.get("/series/dyad", response_model=SeriesOut, summary="Event counts per period between two actors")
def dyad_series(request: Request, a: Annotated[str, Query(max_length=12, examples=["ARM"])],
                b: Annotated[str, Query(max_length=12, examples=["AZE"])],
                period: Period = "week", modality: Annotated[str, Query(max_length=60)] = "asserted",
                since: str | None = SeriesDates["since"], until: str | None = SeriesDates["until"]) -> dict:
    a, b = check_code(a, "actor a"), check_code(b, "actor b")
    f = EventFilter(dyad=f"{a}:{b}", unordered=True, since=since, until=until)
    return _series(view(request), f, f"{a}:{b}", period, modality)


@router.get("/series/actor", response_model=SeriesOut, summary="Event counts per period involving one actor")
def actor_series(request: Request, actor: Annotated[str, Query(max_length=12, examples=["ARM"])],
                 period: Period = "week", modality: Annotated[str, Query(max_length=60)] = "asserted",
                 since: str | None = SeriesDates["since"], until: str | None = SeriesDates["until"]) -> dict:
    code = check_code(actor)
    return _series(view(request), EventFilter(since=since, until=until), code, period, modality, party=code)


@router.get("/alerts", response_model=AlertsOut, summary="Escalation alerts (newest week first)")
def alerts(request: Request, since: str | None = SeriesDates["since"],
           until: str | None = SeriesDates["until"]) -> dict[str, Any]:
    return {"alerts": view(request).alerts(since, until)}


@router.get("/actors", response_model=ActorsOut, summary="Actors in the store and the knowledge base")
def actors(request: Request, q: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
           limit: Annotated[int, Query(ge=1, le=100)] = 20) -> dict[str, Any]:
    return {"items": search_actors(view(request), q, limit)}


@router.get("/stats", summary="Figures about the store")
def stats(request: Request) -> dict[str, Any]:
    return view(request).stats()


@router.post("/code", response_model=CodeOut, summary="Code a posted article (text or HTML) into events")
def code(body: CodeRequest) -> dict[str, Any]:
    return code_article(text=body.text, html=body.html, title=body.title, date=body.date, url=body.url).to_dict()


__all__ = ["router", "EventQuery", "EventOut", "CodeRequest"]
