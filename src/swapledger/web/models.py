"""The API's response and request bodies, as pydantic models: they make the OpenAPI description.

Records that other issues may grow (events, findings, agreements) allow extra
fields, so that a field added by the library reaches API clients without a
change here; the fields listed are the ones clients can rely on.
"""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

T = TypeVar("T")

ISO_DAY = r"^\d{4}-\d{2}-\d{2}$"
ISO_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class ErrorDetail(BaseModel):
    status: int = Field(description="The HTTP status, repeated.")
    title: str = Field(description="The status's name, e.g. Not Found.")
    detail: str = Field(description="What went wrong, naming the input at fault.")
    errors: list[dict[str, Any]] = Field(
        description="Per-field problems of a bad request (location, message)."
    )


class ErrorBody(BaseModel):
    """Every error, whatever its status."""

    error: ErrorDetail


class Page(BaseModel, Generic[T]):
    """One page of a list; pass ``next_cursor`` as ``?cursor=`` for the next (null on the last page)."""

    items: list[T]
    next_cursor: str | None
    limit: int


class Figure(BaseModel):
    count: int
    said_by: list[str]


class FlowOut(Open):
    from_side: str | None
    to_side: str | None
    best: int | None
    low: int | None
    high: int | None
    n_sources: int
    rule: str
    figures: list[Figure]


class ClaimOut(Open):
    id: int
    doc: str
    document_id: str
    kind: str
    category: str
    from_side: str | None
    to_side: str | None
    count: int | None
    qualifier: str
    event_date: str | None
    attributed_to: str | None
    agreement: str | None
    span: list[int]
    quote: str
    mediators: list[str]
    date_note: str | None
    url: str | None
    outlet: str | None
    published: str | None
    title: str | None


class EventOut(Open):
    id: str
    category: str
    date: str
    flows: list[FlowOut]
    agreement: str | None
    mediators: list[str]
    n_documents: int
    n_claims: int
    disputed: bool
    notes: list[str]


class EventDetail(EventOut):
    claims: list[ClaimOut]


class DocumentOut(BaseModel):
    id: str
    source: str
    url: str | None
    outlet: str | None
    published: str | None
    language: str | None
    title: str | None
    n_claims: int
    ingested_at: str


class DocumentDetail(DocumentOut):
    text: str
    claims: list[ClaimOut]


class TotalOut(BaseModel):
    category: str
    to_side: str | None
    best: int
    low: int
    high: int
    n_events: int
    n_events_without_figure: int


class DocumentIn(BaseModel):
    """A report to ingest: its text, or a URL to read it from (a page or a feed), and what is known of it."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(None, min_length=1, description="The report's text.")
    url: str | None = Field(
        None, pattern=r"^https?://", description="Where to read the report (an article page or a feed)."
    )
    published: str | None = Field(None, pattern=ISO_DAY, description="Publication date, YYYY-MM-DD.")
    language: str | None = Field(
        None, pattern=r"^[a-z]{2}$", description="en, ru, uk; told from the text if absent."
    )
    outlet: str | None = Field(None, max_length=200)
    title: str | None = Field(None, max_length=500)

    @model_validator(mode="after")
    def _text_or_url(self) -> DocumentIn:
        if (self.text is None) == (self.url is None):
            raise ValueError("give either text or url, not both and not neither")
        return self


class StoredDocument(BaseModel):
    id: str
    source: str
    new: bool = Field(description="False when the same text was stored before (it is stored once).")
    claims: int


class FailedDocument(BaseModel):
    source: str
    problem: str


class IngestOut(BaseModel):
    documents: list[StoredDocument]
    failed: list[FailedDocument]
    events: list[str] = Field(description="The events that hold a claim of the documents, after the update.")
    update: Literal["incremental", "none"] = Field(
        description="incremental: the events the new documents touch were updated; none: nothing was new."
    )


class TokenCheck(BaseModel):
    id: int
    name: str


class DecisionIn(BaseModel):
    """An analyst's decision (see the curation docs): merge, split, reject, set, or revoke one."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["merge", "split", "reject", "set", "revoke"]
    target: str = Field(min_length=1, max_length=64, description="An event id, or a claim or decision id.")
    payload: dict[str, Any] = Field(
        default_factory=dict,
        description='merge {"events": [...]}, split {"claims": [...]}, set {"to": "UA", "count": N}.',
    )
    who: str | None = Field(None, max_length=200, description="Who decides; the token's name if absent.")
    why: str = Field(min_length=1, max_length=2000, description="Why, for readers of the audit log.")


class DecisionOut(BaseModel):
    id: int
    events: list[str] = Field(description="The events rebuilt to apply it.")
    problems: list[dict[str, Any]] = Field(description="Decisions that could not be applied, and why.")


class CheckOut(BaseModel):
    reports: list[Open] = Field(description="Each report read, checked claim by claim.")
    failed: list[FailedDocument]
