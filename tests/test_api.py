"""The HTTP API, through an HTTP client against the app in process (no port, no sleeps)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import anyio.from_thread
import httpx
import pytest

from swapledger.ingest import ingest
from swapledger.sources import iter_paths
from swapledger.store import Store
from swapledger.store.tokens import create_token, revoke_token
from swapledger.web import WebOptions, create_app

from .conftest import SAMPLE

SCRIPT_REPORT = (
    "On 3 March 2026 Russia handed over 512 bodies of fallen soldiers to Ukraine, the Coordination "
    "Headquarters said. <script>alert(1)</script> In return, Ukraine gave back 31 bodies."
)


class Client:
    """A synchronous face on httpx's async client over the ASGI app (the app runs in a portal thread)."""

    def __init__(self, portal: Any, client: httpx.AsyncClient) -> None:
        self._portal = portal
        self._client = client

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        response: httpx.Response = self._portal.call(partial(self._client.request, method, url, **kwargs))
        return response

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)


@pytest.fixture(scope="session")
def sample_ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample corpus ingested once; tests work on copies of it."""
    path = tmp_path_factory.mktemp("sample") / "sample.db"
    store = Store(str(path))
    ingest(store, list(iter_paths([str(SAMPLE)])))
    store.close()
    return path


@pytest.fixture
def ledger_db(sample_ledger: Path, tmp_path: Path) -> str:
    path = tmp_path / "ledger.db"
    shutil.copy(sample_ledger, path)
    return str(path)


def open_client(app: Any) -> Iterator[Client]:
    with anyio.from_thread.start_blocking_portal() as portal:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async_client = httpx.AsyncClient(transport=transport, base_url="http://testserver")
        yield Client(portal, async_client)
        portal.call(async_client.aclose)


@pytest.fixture
def make_client(ledger_db: str) -> Iterator[Callable[..., Client]]:
    """A client over a fresh copy of the sample ledger, with the options asked for."""
    portals: list[Iterator[Client]] = []

    def make(**options: Any) -> Client:
        gen = open_client(create_app(WebOptions(db=ledger_db, **options)))
        portals.append(gen)
        return next(gen)

    yield make
    for gen in portals:
        for _ in gen:
            pass


@pytest.fixture
def client(make_client: Callable[..., Client]) -> Client:
    return make_client()


@pytest.fixture
def token(ledger_db: str) -> str:
    return create_token(Store(ledger_db), "tests")[1]


def assert_error(response: httpx.Response, status: int, says: str = "") -> dict[str, Any]:
    """The one error shape, with no stack trace in it."""
    assert response.status_code == status, response.text
    assert "Traceback" not in response.text and 'File "' not in response.text
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"status", "title", "detail", "errors"}
    assert error["status"] == status and error["title"] and isinstance(error["errors"], list)
    assert says in error["detail"], error["detail"]
    return error


# -- reading ---------------------------------------------------------------------------


def test_every_list_answers_a_page(client: Client) -> None:
    for name in ("documents", "claims", "events", "totals", "agreements", "findings"):
        response = client.get(f"/api/v1/{name}", params={"limit": 3})
        assert response.status_code == 200, (name, response.text)
        page = response.json()
        assert set(page) == {"items", "next_cursor", "limit"} and page["limit"] == 3
        assert 1 <= len(page["items"]) <= 3, name
        whole = client.get(f"/api/v1/{name}", params={"limit": 500}).json()["items"]
        assert bool(page["next_cursor"]) == (len(whole) > 3), name


def _walk(client: Client, path: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        response = client.get(path, params={**params, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200, response.text
        page = response.json()
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return items


@pytest.mark.parametrize(
    ("path", "key", "params"),
    [
        ("/api/v1/events", "id", {}),
        ("/api/v1/events", "id", {"sort": "n_documents"}),
        ("/api/v1/events", "id", {"sort": "-category", "category": "pows"}),
        ("/api/v1/documents", "id", {}),
        ("/api/v1/claims", "id", {"category": "bodies"}),
        ("/api/v1/findings", "id", {}),
        ("/api/v1/totals", "category", {}),
    ],
)
def test_cursor_pages_cover_the_list_once(
    client: Client, path: str, key: str, params: dict[str, str]
) -> None:
    whole = client.get(path, params={**params, "limit": 500}).json()["items"]
    paged = _walk(client, path, **params, limit=4)
    assert [json.dumps(i, sort_keys=True) for i in paged] == [json.dumps(i, sort_keys=True) for i in whole]
    if key == "id":
        assert len({i["id"] for i in paged}) == len(paged)


def test_filters_narrow_the_lists(client: Client) -> None:
    events = client.get("/api/v1/events", params={"limit": 500}).json()["items"]
    bodies = client.get("/api/v1/events", params={"limit": 500, "category": "bodies"}).json()["items"]
    assert 0 < len(bodies) < len(events) and {e["category"] for e in bodies} == {"bodies"}
    recent = client.get("/api/v1/events", params={"since": "2025-12", "until": "2026-01"}).json()["items"]
    assert recent and all("2025-12" <= e["date"] <= "2026-01-31" for e in recent)
    disputed = client.get("/api/v1/events", params={"disputed": "true", "limit": 500}).json()["items"]
    assert disputed and all(e["disputed"] for e in disputed)
    claims = client.get("/api/v1/claims", params={"since": "2026-03", "limit": 500}).json()["items"]
    assert claims and all(c["event_date"] >= "2026-03" for c in claims)
    docs = client.get("/api/v1/documents", params={"until": "2024-12-31", "limit": 500}).json()["items"]
    assert docs and all(d["published"] <= "2024-12-31" for d in docs)
    totals = client.get("/api/v1/totals", params={"category": "pows"}).json()["items"]
    assert {t["category"] for t in totals} == {"pows"}


def test_an_event_reads_the_same_in_the_api_and_on_its_page(client: Client) -> None:
    event = client.get("/api/v1/events/2025-12-19-bodies").json()
    page = client.get("/events/2025-12-19-bodies.json").json()
    assert event["flows"] == page["flows"] and event["id"] == page["id"]
    assert [c["id"] for c in event["claims"]] == [c["id"] for c in page["claims"]]
    best = {f["to_side"]: f["best"] for f in event["flows"]}
    assert best["UA"] == 1003
    document = client.get(f"/api/v1/documents/{event['claims'][0]['document_id']}").json()
    start, end = event["claims"][0]["span"]
    assert document["text"][start:end] == event["claims"][0]["quote"]


# -- writing ---------------------------------------------------------------------------


def test_posting_a_report_updates_the_events_it_touches(client: Client, token: str) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    body = {"text": SCRIPT_REPORT, "published": "2026-03-03", "language": "en", "outlet": "Test Wire"}
    response = client.post("/api/v1/documents", json=body, headers=auth)
    assert response.status_code == 201, response.text
    result = response.json()
    assert result["documents"][0]["new"] and result["documents"][0]["claims"] == 2
    assert result["events"] == ["2026-03-03-bodies"] and result["update"] == "incremental"
    event = client.get("/api/v1/events/2026-03-03-bodies").json()
    assert {f["to_side"]: f["best"] for f in event["flows"]} == {"UA": 512, "RU": 31}
    totals = client.get("/api/v1/totals", params={"category": "bodies"}).json()["items"]
    assert any(t["to_side"] == "UA" for t in totals)
    again = client.post("/api/v1/documents", json=body, headers=auth).json()
    assert again["documents"][0]["new"] is False and again["update"] == "none"


def test_report_text_is_escaped_everywhere_it_is_shown(client: Client, token: str) -> None:
    body = {"text": SCRIPT_REPORT, "published": "2026-03-03", "title": "<img src=x onerror=alert(2)>"}
    client.post("/api/v1/documents", json=body, headers={"Authorization": f"Bearer {token}"})
    for path in ("/events/2026-03-03-bodies", "/", "/events", "/agreements", "/findings"):
        html = client.get(path).text
        assert "<script>alert" not in html and "<img src=x" not in html, path
    page = client.get("/events/2026-03-03-bodies").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    csp = client.get("/events/2026-03-03-bodies").headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]


def test_a_decision_through_the_api_changes_the_event(client: Client, token: str) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    decision = {
        "action": "set",
        "target": "2025-12-19-bodies",
        "payload": {"to": "UA", "count": 1001},
        "why": "the receiving side corrected its count",
    }
    response = client.post("/api/v1/decisions", json=decision, headers=auth)
    assert response.status_code == 201, response.text
    assert "2025-12-19-bodies" in response.json()["events"]
    event = client.get("/api/v1/events/2025-12-19-bodies").json()
    assert {f["to_side"]: f["best"] for f in event["flows"]}["UA"] == 1001
    bad = client.post("/api/v1/decisions", json={**decision, "target": "not-an-event"}, headers=auth)
    assert_error(bad, 422, "is not an event id")


def test_the_checker_gives_a_verdict_per_claim(client: Client) -> None:
    text = "Russia returned 1,003 bodies to Ukraine on 19 December 2025, Ukraine's headquarters said."
    response = client.post("/api/v1/check", json={"text": text, "published": "2025-12-19"})
    assert response.status_code == 200, response.text
    report = response.json()["reports"][0]
    assert [c["verdict"] for c in report["checks"]] == ["matches"]
    assert report["checks"][0]["event_id"] == "2025-12-19-bodies"
    wrong = client.post(
        "/api/v1/check", json={"text": text.replace("1,003", "1,400"), "published": "2025-12-19"}
    )
    assert [c["verdict"] for c in wrong.json()["reports"][0]["checks"]] == ["disagrees"]


# -- every failure path, in the one error shape ------------------------------------------


def test_every_failure_answers_in_one_shape(make_client: Callable[..., Client], ledger_db: str) -> None:
    client = make_client(write_burst=1, writes_per_minute=1, max_body_bytes=4096)
    store = Store(ledger_db)
    token = create_token(store, "walker")[1]
    auth = {"Authorization": f"Bearer {token}"}
    # 404: no route, no record (API and page)
    assert_error(client.get("/api/v1/nothing"), 404, "nothing here")
    assert_error(client.get("/api/v1/events/1999-01-01-bodies"), 404, "no event with id")
    assert_error(client.get("/api/v1/documents/ffff"), 404, "no document")
    assert_error(client.get("/api/v1/claims/999999"), 404, "no claim")
    assert_error(client.get("/api/v1/agreements/nowhere"), 404, "no agreement")
    assert_error(client.get("/api/v1/findings/none"), 404, "no finding")
    assert_error(client.get("/events/1999-01-01-bodies.json"), 404, "no event")
    page = client.get("/events/1999-01-01-bodies")
    assert page.status_code == 404 and "text/html" in page.headers["content-type"]
    assert "no event with id" in page.text and "Traceback" not in page.text
    # 405
    error = assert_error(client.request("DELETE", "/api/v1/events"), 405, "DELETE is not allowed")
    assert error["title"] == "Method Not Allowed"
    # 400: bad filters, sort, cursor, limit (API and page)
    assert_error(client.get("/api/v1/events", params={"category": "tanks"}), 400, "category")
    assert_error(client.get("/api/v1/events", params={"since": "yesterday"}), 400, "since")
    assert_error(client.get("/api/v1/events", params={"sort": "price"}), 400, "sort")
    assert_error(client.get("/api/v1/events", params={"limit": 0}), 400, "limit")
    assert_error(client.get("/api/v1/claims", params={"cursor": "not-a-cursor"}), 400, "is not a cursor")
    events_cursor = client.get("/api/v1/events", params={"limit": 1}).json()["next_cursor"]
    assert_error(client.get("/api/v1/claims", params={"cursor": events_cursor}), 400, "is not a cursor")
    assert_error(client.get("/events.json", params={"until": "soon"}), 400, "until")
    page = client.get("/events", params={"category": "tanks"})
    assert page.status_code == 400 and "is not one of" in page.text
    # 401 / 403: no token, a token not ours, a revoked token
    body = {"text": SCRIPT_REPORT, "published": "2026-03-03"}
    assert_error(client.post("/api/v1/documents", json=body), 401, "needs a token")
    wrong = {"Authorization": "Bearer sl_not-a-token"}
    assert_error(client.post("/api/v1/documents", json=body, headers=wrong), 401, "not one of ours")
    revoked_token = create_token(store, "gone")
    revoke_token(store, revoked_token[0].id)
    gone = {"Authorization": f"Bearer {revoked_token[1]}"}
    assert_error(client.post("/api/v1/documents", json=body, headers=gone), 403, "was revoked")
    # 413: a body over the limit, declared or not
    big = {"text": "x" * 5000, "published": "2026-03-03"}
    assert_error(client.post("/api/v1/documents", json=big, headers=auth), 413, "larger than the limit")

    async def chunks() -> Any:  # no Content-Length: the limit is counted as the body arrives
        for chunk in (b'{"text": "', b"y" * 5000, b'"}'):
            yield chunk

    streamed = client.post("/api/v1/check", content=chunks(), headers={"Content-Type": "application/json"})
    assert_error(streamed, 413, "larger than the limit")
    # 422: not JSON, wrong fields, nothing readable
    broken = client.post(
        "/api/v1/documents", content=b"{not json", headers={**auth, "Content-Type": "application/json"}
    )
    assert_error(broken, 422, "request body is not valid")
    assert_error(client.post("/api/v1/check", json={"published": "2026-03-03"}), 422, "either text or url")
    # 429: the second write in a burst of one
    ok = client.post("/api/v1/documents", json=body, headers=auth)
    assert ok.status_code == 201
    limited = client.post("/api/v1/documents", json=body, headers=auth)
    assert_error(limited, 429, "too many writes")
    assert int(limited.headers["Retry-After"]) >= 1
    # 500: a broken record in the database; the client learns nothing of the inside
    store.execute_sql("select 1")
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE events SET record = '{broken' WHERE id = '2025-12-19-bodies'")
    error = assert_error(client.get("/api/v1/events/2025-12-19-bodies"), 500, "went wrong on our side")
    assert "JSON" not in error["detail"] and "broken" not in error["detail"]
    page = client.get("/events/2025-12-19-bodies")
    assert page.status_code == 500 and "Traceback" not in page.text and "went wrong on our side" in page.text


def test_the_api_docs_work_offline(client: Client) -> None:
    page = client.get("/api/v1/docs").text
    assert "http://" not in page and "https://" not in page.replace("https://...", "")
    for asset in (
        "/api/v1/docs/assets/swagger-ui-bundle.js",
        "/api/v1/docs/assets/swagger-ui.css",
        "/static/api-docs.js",
        "/static/vendor/plotly.min.js",
    ):
        assert client.get(asset).status_code == 200, asset
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.") and "/api/v1/events" in spec["paths"]
    assert "bearerAuth" in json.dumps(spec) or "HTTPBearer" in json.dumps(spec)


def test_pages_answer_html_json_and_csv(client: Client) -> None:
    for path in ("/", "/events", "/events/2025-12-19-bodies", "/agreements", "/findings", "/check"):
        html = client.get(path)
        assert html.status_code == 200 and html.headers["content-type"].startswith("text/html"), path
        base = "/index" if path == "/" else path
        data = client.get(base + ".json")
        assert data.status_code == 200 and isinstance(data.json(), dict), path
        table = client.get(base + ".csv")
        assert table.status_code == 200 and table.headers["content-type"].startswith("text/csv"), path
        assert table.text.splitlines()[0].count(",") >= 2, path
    events_csv = client.get("/events.csv", params={"category": "pows"}).text.splitlines()
    assert events_csv[0].startswith("id,date,category") and all(",pows," in row for row in events_csv[1:])


def test_answers_are_kept_until_a_write_through_the_server(
    client: Client, ledger_db: str, token: str
) -> None:
    first = client.get("/api/v1/events", params={"category": "civilians", "limit": 500}).json()["items"]
    store = Store(ledger_db)  # another process changes the ledger behind the server's back
    with store.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM events WHERE category = 'civilians'")
    kept = client.get("/api/v1/events", params={"category": "civilians", "limit": 500}).json()["items"]
    assert kept == first and first  # served from what was kept, for at most cache_seconds
    fresh = client.get("/api/v1/events", params={"category": "civilians", "limit": 499}).json()["items"]
    assert fresh == []  # another URL is rendered afresh
    body = {"text": SCRIPT_REPORT, "published": "2026-03-03"}
    client.post("/api/v1/documents", json=body, headers={"Authorization": f"Bearer {token}"})
    after = client.get("/api/v1/events", params={"category": "civilians", "limit": 500}).json()["items"]
    assert after == []  # a write through the server forgets what was kept


def test_a_kept_answer_is_sent_the_same_every_time(client: Client) -> None:
    for encoding in ("identity", "gzip"):
        answers = [client.get("/events", headers={"Accept-Encoding": encoding}) for _ in range(4)]
        assert len({a.content for a in answers}) == 1
        assert all(a.headers.get_list("vary") == ["Accept-Encoding"] for a in answers), encoding
        assert all(len(a.headers.raw) == len(answers[0].headers.raw) for a in answers)
