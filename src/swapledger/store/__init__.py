"""The store: the only layer that touches the database."""

from .database import Store, normalise_url
from .queries import EventFilter, claim_refs, event_claims, get_event, list_events, stored_claims

__all__ = [
    "EventFilter",
    "Store",
    "claim_refs",
    "event_claims",
    "get_event",
    "list_events",
    "normalise_url",
    "stored_claims",
]
