"""API tokens: created once, stored as a hash, listed and revoked.

A token is 32 random bytes (``sl_`` and URL-safe base64). Only its SHA-256 is
stored: a token has far more entropy than a password, so a fast hash is as
good as a slow one against guessing, and it lets a request be checked with
one indexed lookup.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update

from ..errors import NotFoundError
from . import schema
from .database import Store

PREFIX = "sl_"
t = schema.api_tokens.c


@dataclass(frozen=True)
class TokenInfo:
    """What is known about a token; never the token itself."""

    id: int
    name: str
    created_at: str
    last_used_at: str | None
    revoked_at: str | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "created_at": self.created_at,
            "last_used_at": self.last_used_at,
            "revoked_at": self.revoked_at,
        }


def hash_token(token: str) -> str:
    """The stored form of a token: the hex SHA-256 of its text."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def create_token(store: Store, name: str) -> tuple[TokenInfo, str]:
    """Make a new token named ``name``; returns its record and the token, which is shown only now."""
    name = name.strip()
    if not name:
        raise ValueError("a token needs a name that says who or what uses it")
    token = PREFIX + secrets.token_urlsafe(32)
    created = _now()
    with store.engine.begin() as conn:
        result = conn.execute(
            insert(schema.api_tokens).values(name=name, token_hash=hash_token(token), created_at=created)
        )
        token_id = int(result.inserted_primary_key[0])  # type: ignore[index]
    return TokenInfo(token_id, name, created, None, None), token


def list_tokens(store: Store) -> list[TokenInfo]:
    """Every token ever made, revoked ones too, oldest first."""
    query = select(t.id, t.name, t.created_at, t.last_used_at, t.revoked_at).order_by(t.id)
    with store.engine.connect() as conn:
        return [TokenInfo(*row) for row in conn.execute(query)]


def revoke_token(store: Store, token_id: int) -> TokenInfo:
    """Revoke a token by id (revoking twice keeps the first time); NotFoundError if there is none."""
    with store.engine.begin() as conn:
        conn.execute(
            update(schema.api_tokens)
            .where(t.id == token_id, t.revoked_at.is_(None))
            .values(revoked_at=_now())
        )
    found = [info for info in list_tokens(store) if info.id == token_id]
    if not found:
        raise NotFoundError("token", str(token_id))
    return found[0]


def find_token(store: Store, token: str, touch: bool = True) -> TokenInfo | None:
    """The token's record if ``token`` is one we made (revoked or not), else None.

    ``touch`` records the time of use, so that `token list` shows which tokens are idle.
    """
    query = select(t.id, t.name, t.created_at, t.last_used_at, t.revoked_at).where(
        t.token_hash == hash_token(token)
    )
    with store.engine.connect() as conn:
        row = conn.execute(query).first()
    if row is None:
        return None
    info = TokenInfo(*row)
    if touch and info.active:
        with store.engine.begin() as conn:
            conn.execute(update(schema.api_tokens).where(t.id == info.id).values(last_used_at=_now()))
    return info
