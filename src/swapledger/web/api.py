"""The JSON API under /api/v1: reading is open; writing needs a bearer token."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ..errors import OptionError
from ..ledger import agreement_detail, apply_decision, totals
from ..store import EventFilter, get_event
from ..store.tokens import TokenInfo, find_token
from . import findings as findings_store
from . import reading, views
from .context import Ledger
from .errors import WebError
from .models import (
    ISO_DATE,
    CheckOut,
    ClaimOut,
    DecisionIn,
    DecisionOut,
    DocumentDetail,
    DocumentIn,
    DocumentOut,
    ErrorBody,
    EventDetail,
    EventOut,
    IngestOut,
    Open,
    Page,
    TokenCheck,
    TotalOut,
)
from .paging import DEFAULT_LIMIT, MAX_LIMIT, page_in_memory
from .writing import check_report, ingest_report

Category = Literal["bodies", "pows", "civilians"]
_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "A bad filter, sort or cursor."},
    404: {"model": ErrorBody, "description": "No such record."},
    500: {"model": ErrorBody, "description": "An error on our side (never with a stack trace)."},
    503: {"model": ErrorBody, "description": "The database is not available."},
}
_WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "No token, or not one of ours."},
    403: {"model": ErrorBody, "description": "The token was revoked."},
    413: {"model": ErrorBody, "description": "The request body is over the size limit."},
    422: {"model": ErrorBody, "description": "The JSON body is not valid, or nothing in it could be read."},
    429: {"model": ErrorBody, "description": "Too many writes; wait as Retry-After says."},
}

router = APIRouter(prefix="/api/v1", responses=_ERRORS)
bearer = HTTPBearer(auto_error=False, description="A token from `swapledger token create --name NAME`.")


def get_ledger(request: Request) -> Ledger:
    ledger: Ledger = request.app.state.ledger
    return ledger


LedgerDep = Annotated[Ledger, Depends(get_ledger)]
CategoryQ = Annotated[Category | None, Query(description="bodies, pows or civilians.")]
SinceQ = Annotated[
    str | None, Query(pattern=ISO_DATE, description="On or after: YYYY, YYYY-MM or YYYY-MM-DD.")
]
UntilQ = Annotated[
    str | None, Query(pattern=ISO_DATE, description="On or before: YYYY, YYYY-MM or YYYY-MM-DD.")
]
LimitQ = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Rows per page.")]
CursorQ = Annotated[
    str | None,
    Query(max_length=1000, description="`next_cursor` of the previous page; absent for the first."),
]


def writer(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> TokenInfo:
    """The token a write comes with: 401 without a valid one, 403 if revoked, 429 when writing too fast."""
    ledger = get_ledger(request)
    challenge = {"WWW-Authenticate": "Bearer"}
    if credentials is None:
        raise WebError(401, "writing needs a token: send Authorization: Bearer TOKEN", challenge)
    info = find_token(ledger.store, credentials.credentials)
    if info is None:
        raise WebError(401, "the token is not one of ours; `swapledger token create` makes one", challenge)
    if not info.active:
        raise WebError(403, f"the token {info.name!r} was revoked on {info.revoked_at}")
    ledger.writes.hit(f"token:{info.id}")
    return info


Writer = Annotated[TokenInfo, Depends(writer)]


@router.get("/documents", response_model=Page[DocumentOut], summary="List documents, newest first")
def list_documents(
    ledger: LedgerDep,
    category: CategoryQ = None,
    since: SinceQ = None,
    until: UntilQ = None,
    limit: LimitQ = DEFAULT_LIMIT,
    cursor: CursorQ = None,
) -> dict[str, Any]:
    """Documents (without their text); `since` and `until` bound the publication date, `category` keeps
    those with a claim of that category."""
    q = reading.ListQuery(category, since, until, limit, cursor)
    return reading.list_documents(ledger.store, q).record()


@router.get("/documents/{document_id}", response_model=DocumentDetail, summary="One document")
def get_document(ledger: LedgerDep, document_id: Annotated[str, Path(max_length=64)]) -> dict[str, Any]:
    """A document with its text and every claim extracted from it."""
    return reading.get_document(ledger.store, document_id)


@router.post(
    "/documents",
    response_model=IngestOut,
    status_code=201,
    responses=_WRITE_ERRORS,
    summary="Ingest a report (needs a token)",
)
def post_document(ledger: LedgerDep, token: Writer, body: DocumentIn) -> dict[str, Any]:
    """Store a report given as `text` or read from `url` (a page or a feed), extract its claims and
    update the events they touch. The same text posted twice is stored once (`new` is false)."""
    return ingest_report(ledger, body, token.name)


@router.get("/claims", response_model=Page[ClaimOut], summary="List claims")
def list_claims(
    ledger: LedgerDep,
    category: CategoryQ = None,
    since: SinceQ = None,
    until: UntilQ = None,
    kind: Annotated[Literal["exchange", "cumulative", "target", "status"] | None, Query()] = None,
    document: Annotated[str | None, Query(max_length=64, description="Only this document's claims.")] = None,
    limit: LimitQ = DEFAULT_LIMIT,
    cursor: CursorQ = None,
) -> dict[str, Any]:
    """Claims in storage order with their quotes; `since` and `until` bound the event date."""
    q = reading.ListQuery(category, since, until, limit, cursor)
    return reading.list_claims(ledger.store, q, kind, document).record()


@router.get("/claims/{claim_id}", response_model=ClaimOut, summary="One claim")
def get_claim(ledger: LedgerDep, claim_id: Annotated[int, Path(ge=1, le=2**62)]) -> dict[str, Any]:
    return reading.get_claim(ledger.store, claim_id)


@router.get("/events", response_model=Page[EventOut], summary="List events")
def list_events(
    ledger: LedgerDep,
    category: CategoryQ = None,
    since: SinceQ = None,
    until: UntilQ = None,
    agreement: Annotated[str | None, Query(max_length=64, description="Only events under it.")] = None,
    disputed: Annotated[bool | None, Query(description="Only disputed (or undisputed) events.")] = None,
    sort: Annotated[
        str,
        Query(pattern=r"^-?(date|category|n_documents|n_claims|status)$", description="- for descending."),
    ] = "-date",
    limit: LimitQ = DEFAULT_LIMIT,
    cursor: CursorQ = None,
) -> dict[str, Any]:
    """Events, each direction reconciled (best, low, high, the rule), newest first by default."""
    q = reading.EventQuery(category, since, until, limit, cursor, agreement, disputed, sort)
    return reading.list_events(ledger.store, q).record()


@router.get("/events/{event_id}", response_model=EventDetail, summary="One event with its claims")
def get_event_route(ledger: LedgerDep, event_id: Annotated[str, Path(max_length=64)]) -> dict[str, Any]:
    return get_event(ledger.store, event_id)


@router.get("/totals", response_model=Page[TotalOut], summary="What each side received")
def list_totals(
    ledger: LedgerDep,
    category: CategoryQ = None,
    since: SinceQ = None,
    until: UntilQ = None,
    limit: LimitQ = DEFAULT_LIMIT,
    cursor: CursorQ = None,
) -> dict[str, Any]:
    """Per category and receiving side: best, low and high summed over the events that match."""
    where = EventFilter(category, since, until)
    rows = ledger.cached(
        ("totals", category, since, until),
        lambda: [t.record() for t in totals(ledger.store, where, ledger.options.conflict)],
    )
    return page_in_memory(rows, limit, cursor, "totals", lambda r: [r["category"], r["to_side"]]).record()


@router.get("/findings", response_model=Page[Open], summary="List findings")
def list_findings(
    ledger: LedgerDep,
    category: CategoryQ = None,
    since: SinceQ = None,
    until: UntilQ = None,
    kind: Annotated[str | None, Query(max_length=32, description="Only findings of this kind.")] = None,
    limit: LimitQ = DEFAULT_LIMIT,
    cursor: CursorQ = None,
) -> dict[str, Any]:
    """What a reader should know about the evidence, each with the claims and quotes behind it."""
    q = reading.ListQuery(category, since, until, limit, cursor)
    return findings_store.list_findings(ledger.store, q, kind).record()


@router.get("/findings/{finding_id}", response_model=Open, summary="One finding")
def get_finding(ledger: LedgerDep, finding_id: Annotated[str, Path(max_length=64)]) -> dict[str, Any]:
    return findings_store.get_finding(ledger.store, finding_id)


@router.get("/token", response_model=TokenCheck, responses=_WRITE_ERRORS, summary="Check a token")
def check_token(token: Writer) -> dict[str, Any]:
    """Which token this is (counts as a write for the rate limit); a way to test a token before use."""
    return {"id": token.id, "name": token.name}


@router.get("/agreements", response_model=Page[Open], summary="Agreements and their progress")
def list_agreements(
    ledger: LedgerDep, limit: LimitQ = DEFAULT_LIMIT, cursor: CursorQ = None
) -> dict[str, Any]:
    """Each agreement: its terms, delivered against target per side and category, what remains, and the
    running totals announced for it next to the ledger's sum."""
    rows = ledger.cached(("agreements",), lambda: views.agreement_records(ledger))
    return page_in_memory(rows, limit, cursor, "agreements", lambda r: [r["id"]]).record()


@router.get("/agreements/{agreement_id}", response_model=Open, summary="One agreement with its events")
def get_agreement(ledger: LedgerDep, agreement_id: Annotated[str, Path(max_length=64)]) -> dict[str, Any]:
    return agreement_detail(ledger.store, agreement_id, ledger.options.conflict).record()


@router.post(
    "/check",
    response_model=CheckOut,
    responses={k: v for k, v in _WRITE_ERRORS.items() if k in (413, 422, 429)},
    summary="Check a report against the ledger (nothing is stored)",
)
def post_check(request: Request, ledger: LedgerDep, body: DocumentIn) -> dict[str, Any]:
    """Read a report (text or URL) and say, claim by claim, whether it matches an event, disagrees with
    the ledger (and who says otherwise), gives a known exchange the wrong date, or is new."""
    ledger.checks.hit(f"ip:{request.client.host if request.client else '?'}")
    return check_report(ledger, body)


@router.post(
    "/decisions",
    response_model=DecisionOut,
    status_code=201,
    responses=_WRITE_ERRORS,
    summary="Record an analyst's decision (needs a token)",
)
def post_decision(ledger: LedgerDep, token: Writer, body: DecisionIn) -> dict[str, Any]:
    """Merge or split events, reject a claim, set a figure, or revoke an earlier decision; stored in the
    audit log with who and why, and applied at once to the events it touches."""
    try:
        decision_id, result = apply_decision(
            ledger.store,
            body.action,
            body.target,
            body.payload,
            body.who or token.name,
            body.why,
            ledger.options.conflict,
        )
    except OptionError as exc:
        raise WebError(422, f"the decision is not valid: {exc}") from None
    ledger.changed()
    return {
        "id": decision_id,
        "events": sorted(e.id for e in result.events),
        "problems": [p.record() for p in result.problems],
    }
