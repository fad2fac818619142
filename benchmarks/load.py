"""The dashboard and the API under load: 1,000,000 claims, 50 concurrent clients, p50/p99 per URL.

    .venv/bin/python benchmarks/load.py [--claims 1000000] [--seconds 10] [--connections 50] [--workers 2]

Builds (or reuses) a ledger of synthetic claims in benchmarks/out/, serves it with
`swapledger serve` (uvicorn) on 127.0.0.1, and drives each page and API call in turn with
wrk (Debian's package; installed here with apt-get when missing and running as root), which
runs in its own process. The target is a 99th percentile under 200 ms for every URL.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from sqlalchemy import insert

from swapledger import conflicts
from swapledger.extract import EXTRACTOR_VERSION
from swapledger.ledger import rebuild
from swapledger.model import Claim
from swapledger.store import Store, schema
from swapledger.store.database import _claim_row

OUT = Path(__file__).resolve().parent / "out"
PER_DOC = 10
SENTENCE = "On {day} {giver} handed over {count} bodies to {taker}, officials said."


# Words for each document's own background paragraph: without it the documents would be near-copies
# of each other, and copy detection would compare every one with every other.
VOCABULARY = [
    f"{a}{b}" for a in ("ka", "lo", "mi", "ne", "po", "ru", "sa", "te", "vu", "zo") for b in range(500)
]


def _filler(rng: random.Random) -> str:
    return " ".join(rng.choices(VOCABULARY, k=80)) + "."


def build(path: Path, n_claims: int) -> None:
    """A ledger of ``n_claims`` exchange claims in documents of ten, each with its text, and its events."""
    rng = random.Random(5)
    conflict = conflicts.load("ru-ua")
    store = Store(str(path))
    start_day = dt.date(2022, 3, 1)
    started = time.perf_counter()
    with store.engine.begin() as conn:
        for d in range(n_claims // PER_DOC):
            doc_id = f"{d:016x}"
            day = start_day + dt.timedelta(days=rng.randint(0, 1400))
            category = rng.choice(("bodies", "pows", "civilians"))
            sentences, rows, offset = [], [], 0
            for k in range(PER_DOC):
                to_side = "UA" if k % 2 == 0 else "RU"
                count = rng.choice((1000, 1003, 26, 30, 157))
                text = SENTENCE.format(
                    day=day.isoformat(), giver=conflict.other(to_side), count=count, taker=to_side
                )
                claim = Claim(
                    doc=f"doc-{d}",
                    kind="exchange",
                    category=category,
                    from_side=conflict.other(to_side),
                    to_side=to_side,
                    count=count,
                    qualifier="exact",
                    event_date=day.isoformat() if k < 8 else day.isoformat()[:7],
                    attributed_to=rng.choice(("Vladimir Medinsky", None)),
                    agreement=None,
                    span=(offset, offset + len(text)),
                    quote=text,
                )
                sentences.append(text)
                offset += len(text) + 1
                rows.append(_claim_row(doc_id, claim, EXTRACTOR_VERSION))
            conn.execute(
                insert(schema.documents),
                {
                    "id": doc_id,
                    "source": f"doc-{d}",
                    "url": f"https://wire.example/{d}",
                    "outlet": f"outlet-{d % 300}",
                    "published": day.isoformat(),
                    "language": "en",
                    "title": f"Report {d}",
                    "text": "\n".join([*sentences, _filler(rng)]),
                    "n_claims": PER_DOC,
                    "extractor_version": EXTRACTOR_VERSION,
                    "ingested_at": "2026-01-01T00:00:00",
                },
            )
            conn.execute(insert(schema.claims), rows)
    print(f"built {n_claims:,} claims in {time.perf_counter() - started:.0f}s", flush=True)
    started = time.perf_counter()
    result = rebuild(store)
    print(f"rebuilt {len(result.events):,} events in {time.perf_counter() - started:.0f}s", flush=True)
    store.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0:
        subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", "wrk"], check=True)
        return "wrk"
    sys.exit("wrk is needed: apt-get install wrk")


def _ms(text: str) -> float:
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if found is None:
        raise ValueError(f"wrk printed a latency we do not read: {text!r}")
    number, unit = found.groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def drive(tool: str, url: str, seconds: int, connections: int) -> tuple[float, float, float, int]:
    """p50 and p99 in ms, requests per second and non-2xx answers, as wrk measured them."""
    out = subprocess.run(
        [tool, "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "50%" not in out:
        raise RuntimeError(f"wrk printed no latency distribution for {url}:\n{out}")
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return p50, p99, rate, int(bad.group(1)) if bad else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    db = OUT / f"load-{args.claims}.db"
    if not db.exists():
        build(db, args.claims)
    tool = wrk()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from swapledger.cli import main; main()",
            "serve",
            "--db",
            str(db),
            "--port",
            str(port),
            "--workers",
            str(args.workers),
        ],
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 600
        while True:
            try:
                if httpx.get(base + "/api/v1/totals", timeout=30).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                sys.exit("the server did not start")
            time.sleep(0.5)
        events = httpx.get(base + "/api/v1/events", params={"limit": 2}).json()
        event_id = events["items"][0]["id"]
        cursor = events["next_cursor"]
        claims = httpx.get(base + "/api/v1/claims", params={"limit": 1}).json()["items"][0]["document_id"]
        urls = {
            "page /": "/",
            "page /events": "/events",
            "page /events?category&since": "/events?category=pows&since=2024-01",
            "page /events/ID": f"/events/{event_id}",
            "page /agreements": "/agreements",
            "page /findings": "/findings",
            "page /check (form)": "/check",
            "page /events.csv": "/events.csv",
            "api events": "/api/v1/events",
            "api events, 2nd page": f"/api/v1/events?limit=2&cursor={cursor}",
            "api events/ID": f"/api/v1/events/{event_id}",
            "api claims": "/api/v1/claims?category=bodies",
            "api documents": "/api/v1/documents",
            "api documents/ID": f"/api/v1/documents/{claims}",
            "api totals": "/api/v1/totals",
            "api agreements": "/api/v1/agreements",
            "api findings": "/api/v1/findings",
        }
        for path in urls.values():  # warm each once (caches, first compile of templates)
            httpx.get(base + path, timeout=60).raise_for_status()
        print(
            f"{args.claims:,} claims; {args.connections} concurrent clients, {args.seconds}s per URL, "
            f"{args.workers} server processes; wrk"
        )
        print(f"{'what':32} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>8}  non-2xx")
        worst = 0.0
        for label, path in urls.items():
            p50, p99, rate, bad = drive(tool, base + path, args.seconds, args.connections)
            worst = max(worst, p99)
            print(f"{label:32} {p50:8.1f} {p99:8.1f} {rate:8.0f}  {bad}", flush=True)
        print(f"worst p99: {worst:.1f} ms (target < 200 ms): {'met' if worst < 200 else 'NOT met'}")
        return 0 if worst < 200 else 1
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
