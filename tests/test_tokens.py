"""API tokens: printed once, stored only as a hash, listed and revoked (library and CLI)."""

from __future__ import annotations

import re

from click.testing import CliRunner

from swapledger.cli import cli
from swapledger.store import Store
from swapledger.store.tokens import create_token, find_token, hash_token, list_tokens, revoke_token


def test_a_token_is_stored_only_as_its_hash(db_path: str) -> None:
    store = Store(db_path)
    info, token = create_token(store, "newsroom bot")
    assert token.startswith("sl_") and len(token) > 40
    rows = store.execute_sql("select name, token_hash from api_tokens")
    assert rows == [("newsroom bot", hash_token(token))]
    assert token not in repr(store.execute_sql("select * from api_tokens"))
    found = find_token(store, token)
    assert found is not None and found.id == info.id and found.active
    assert find_token(store, token + "x") is None
    assert list_tokens(store)[0].last_used_at is not None  # using it records when


def test_two_tokens_differ_and_revoking_one_keeps_the_other(db_path: str) -> None:
    store = Store(db_path)
    a, token_a = create_token(store, "a")
    _, token_b = create_token(store, "b")
    assert token_a != token_b
    revoked = revoke_token(store, a.id)
    assert revoked.revoked_at is not None
    assert not find_token(store, token_a).active  # type: ignore[union-attr]
    assert find_token(store, token_b).active  # type: ignore[union-attr]
    assert revoke_token(store, a.id).revoked_at == revoked.revoked_at  # revoking again changes nothing


def test_cli_creates_lists_and_revokes(runner: CliRunner, db_path: str) -> None:
    created = runner.invoke(cli, ["token", "create", "--name", "analyst", "--db", db_path])
    assert created.exit_code == 0, created.output
    token = created.stdout.strip().splitlines()[0]
    assert re.fullmatch(r"sl_[A-Za-z0-9_-]{40,}", token)
    listed = runner.invoke(cli, ["token", "list", "--db", db_path])
    assert "analyst" in listed.stdout and token not in listed.stdout
    revoked = runner.invoke(cli, ["token", "revoke", "1", "--db", db_path])
    assert revoked.exit_code == 0 and "revoked" in revoked.stdout
    missing = runner.invoke(cli, ["token", "revoke", "99", "--db", db_path])
    assert missing.exit_code == 1 and "no token with id '99'" in missing.output
    empty = runner.invoke(cli, ["token", "create", "--name", "  ", "--db", db_path])
    assert empty.exit_code == 2 and "needs a name" in empty.output
