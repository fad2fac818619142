"""Speed benchmarks: extraction throughput, ingest into SQLite, rebuilding events.

    .venv/bin/python benchmarks/run.py [--only extract|languages|ingest|rebuild|incremental] [--scale 1.0]

Every input is generated here from the bundled sample corpus and from
templates of unrelated war news, so runs are repeatable. See README.md beside
this file for the figures measured on our machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

from swapledger import conflicts
from swapledger.extract import EXTRACTOR_VERSION, ExtractOptions, extract
from swapledger.ingest import ingest
from swapledger.ledger import rebuild, update_events
from swapledger.model import Claim, Document
from swapledger.resolve import build_events
from swapledger.sources import iter_paths, read_path
from swapledger.store import Store, claim_refs

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"

UNRELATED = [
    "Air defence units shot down {a} of {b} drones launched overnight at {city}, the air force said.",
    "Power was cut to {a} homes in {city} after a strike on a substation, the grid operator reported.",
    "The parliament approved a budget of {a} billion for the coming year after a long debate.",
    "Farmers in the {city} region expect a harvest {a} per cent larger than last year.",
    "At least {a} people were injured when a missile hit a residential building in {city}.",
    "The central bank kept its key rate at {a} per cent, citing inflation risks.",
    "Railway traffic between {city} and the border resumed after a {a}-hour halt.",
    "Volunteers delivered {a} generators to hospitals in frontline towns this month.",
    "The football club from {city} won {a} to {b} in a friendly match on Sunday.",
    "Officials said {a} schools would reopen in September with shelters in their basements.",
]
CITIES = ["Kharkiv", "Odesa", "Dnipro", "Zaporizhzhia", "Sumy", "Lviv", "Poltava", "Kherson"]


def unrelated_document(rng: random.Random, i: int) -> Document:
    sentences = [
        rng.choice(UNRELATED).format(a=rng.randint(2, 900), b=rng.randint(2, 900), city=rng.choice(CITIES))
        for _ in range(rng.randint(8, 20))
    ]
    return Document(text="\n".join(sentences), source=f"news-{i}", published="2025-10-01", language="en")


def sample_documents() -> list[Document]:
    return [read_path(p) for p in iter_paths([str(SAMPLE)])]


def varied(doc: Document, i: int) -> Document:
    """A copy of a sample report with its own text (so it is a new document) and date."""
    shift = dt.timedelta(days=i % 700)
    published = doc.published and (dt.date.fromisoformat(doc.published) - shift).isoformat()
    return Document(
        text=doc.text + f"\n\nReport number {i}.",
        source=f"{doc.source}#{i}",
        published=published,
        language=doc.language,
        outlet=doc.outlet,
    )


def bench_extract(n: int) -> None:
    rng = random.Random(1)
    samples = sample_documents()
    docs = [
        varied(samples[i % len(samples)], i) if i % 10 == 0 else unrelated_document(rng, i) for i in range(n)
    ]
    options = ExtractOptions()
    extract(docs[0], options)  # warm the pattern caches
    started = time.perf_counter()
    claims = sum(len(extract(d, options)) for d in docs)
    seconds = time.perf_counter() - started
    related = [d for d in docs[:2000] if d.source.startswith(str(SAMPLE))]
    started = time.perf_counter()
    for d in related:
        extract(d, options)
    related_rate = len(related) / (time.perf_counter() - started)
    print(
        f"extract: {n:,} documents (1 in 10 about exchanges) in {seconds:.1f}s on one core: "
        f"{n / seconds:,.0f} documents/s, {claims:,} claims; "
        f"reports about exchanges alone: {related_rate:,.0f} documents/s"
    )


def bench_languages(n: int) -> None:
    """Extraction of the sample's reports in each language, and each language's speed against English."""
    options = ExtractOptions()
    rates: dict[str, float] = {}
    for language in ("en", "ru", "uk"):
        samples = [d for d in sample_documents() if d.language == language]
        docs = [varied(samples[i % len(samples)], i) for i in range(n)]
        extract(docs[0], options)
        started = time.perf_counter()
        for d in docs:
            extract(d, options)
        rates[language] = n / (time.perf_counter() - started)
    print(
        "languages: sample reports (with their unrelated war news) per second on one core: "
        + ", ".join(f"{lang} {rate:,.0f}" for lang, rate in rates.items())
        + "; time against English: "
        + ", ".join(f"{lang} {rates['en'] / rate:.2f}x" for lang, rate in rates.items() if lang != "en")
    )


def bench_ingest(n: int) -> None:
    samples = sample_documents()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "docs"
        folder.mkdir()
        rng = random.Random(2)
        for i in range(n):
            doc = varied(samples[i % len(samples)], i) if i % 2 == 0 else unrelated_document(rng, i)
            front = f"---\npublished: {doc.published}\nlanguage: en\noutlet: {doc.outlet or 'Bench'}\n---\n"
            (folder / f"{i:06}.txt").write_text(front + doc.text, encoding="utf-8")
        store = Store(str(Path(tmp) / "bench.db"))
        paths = list(iter_paths([str(folder)]))
        started = time.perf_counter()
        report = ingest(store, paths)
        seconds = time.perf_counter() - started
        split = ", ".join(f"{k} {v:.1f}s" for k, v in report.seconds.items())
        print(
            f"ingest: {n:,} documents into SQLite in {seconds:.1f}s ({report.new:,} new, "
            f"{report.claims:,} claims, {report.events:,} events); by stage: {split}"
        )
        store.close()


def synthetic_ledger(path: Path, n_claims: int) -> Store:
    """A ledger of ``n_claims`` synthetic exchange claims over four years, ten per document.

    Documents are stored as ingest stores them (with their copy-detection
    fingerprints), in bulk, so that setting up a million claims takes seconds.
    """
    from sqlalchemy import insert

    from swapledger.resolve.copies import fingerprint
    from swapledger.store import schema
    from swapledger.store.database import _claim_row, _pack

    rng = random.Random(3)
    conflict = conflicts.load("ru-ua")
    store = Store(str(path))
    per_doc = 10
    start_day = dt.date(2022, 3, 1)
    with store.engine.begin() as conn:
        for d in range(n_claims // per_doc):
            doc_id = f"{d:016x}"
            day = start_day + dt.timedelta(days=rng.randint(0, 1400))
            text = f"Report {d} from outlet {d % 300} on {day.isoformat()}."
            conn.execute(
                insert(schema.documents),
                {
                    "id": doc_id,
                    "source": f"doc-{d}",
                    "url": None,
                    "outlet": f"outlet-{d % 300}",
                    "published": None,
                    "language": "en",
                    "title": None,
                    "text": text,
                    "n_claims": per_doc,
                    "extractor_version": EXTRACTOR_VERSION,
                    "ingested_at": "2026-01-01T00:00:00",
                },
            )
            fp = fingerprint(doc_id, text, None)
            conn.execute(
                insert(schema.document_prints), {"document_id": doc_id, "signature": _pack(fp.signature)}
            )
            conn.execute(
                insert(schema.document_bands),
                [{"document_id": doc_id, "band": i, "key": k} for i, k in enumerate(fp.bands())],
            )
            category = rng.choice(("bodies", "pows", "civilians"))
            rows = []
            for k in range(per_doc):
                to_side = "UA" if k % 2 == 0 else "RU"
                date = day.isoformat() if k < 8 else day.isoformat()[:7]
                claim = Claim(
                    doc=f"doc-{d}",
                    kind="exchange",
                    category=category,
                    from_side=conflict.other(to_side),
                    to_side=to_side,
                    count=rng.choice((1000, 1003, 26, 30, 157)),
                    qualifier="exact",
                    event_date=date,
                    attributed_to=rng.choice(("Vladimir Medinsky", None)),
                    agreement=None,
                    span=(0, 1),
                    quote="q",
                )
                rows.append(_claim_row(doc_id, claim, EXTRACTOR_VERSION))
            conn.execute(insert(schema.claims), rows)
    return store


def bench_rebuild(n_claims: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        store = synthetic_ledger(Path(tmp) / "rebuild.db", n_claims)
        print(
            f"rebuild: stored {n_claims:,} synthetic claims in {time.perf_counter() - started:.1f}s (setup)"
        )
        conflict = conflicts.load("ru-ua")
        started = time.perf_counter()
        refs = list(claim_refs(store))
        read = time.perf_counter() - started
        result = build_events(refs, conflict)
        grouped = time.perf_counter() - started - read
        store.replace_events(result.events)
        total = time.perf_counter() - started
        print(
            f"rebuild: {len(refs):,} claims -> {len(result.events):,} events in {total:.1f}s "
            f"(read {read:.1f}s, group and reconcile {grouped:.1f}s, write {total - read - grouped:.1f}s)"
        )
        started = time.perf_counter()
        rebuild(store)
        print(
            f"rebuild: `swapledger rebuild` in full (copies, decisions, events and findings): "
            f"{time.perf_counter() - started:.1f}s"
        )
        store.close()


def bench_incremental(n_claims: int) -> None:
    """Adding one report to a ledger of ``n_claims``: store it, then update the events it touches."""
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        store = synthetic_ledger(Path(tmp) / "incremental.db", n_claims)
        rebuild(store)
        print(
            f"incremental: {n_claims:,} claims stored and built in "
            f"{time.perf_counter() - started:.1f}s (setup)"
        )
        sample = [d for d in sample_documents() if d.language == "en" and d.published]
        options = ExtractOptions()
        timings = []
        for i, doc in enumerate(sample[:5]):
            report = Document(
                text=doc.text + f"\n\nUpdated {i}.",
                source=f"new-{i}",
                published=doc.published,
                language=doc.language,
                outlet=doc.outlet,
            )
            claims = extract(report, options)
            started = time.perf_counter()
            store.add_document(report, claims, EXTRACTOR_VERSION)
            stored = time.perf_counter() - started
            result = update_events(store, [report.id])
            total = time.perf_counter() - started
            timings.append(total)
            print(
                f"incremental: one report ({len(claims)} claims, published {report.published}) added in "
                f"{total:.2f}s (store {stored:.2f}s, update {total - stored:.2f}s; "
                f"{len(result.events)} events changed, of {store.count_events():,})"
            )
        print(f"incremental: worst {max(timings):.2f}s, median {sorted(timings)[len(timings) // 2]:.2f}s")
        store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("extract", "languages", "ingest", "rebuild", "incremental"))
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every input size by this")
    args = parser.parse_args()
    if args.only in (None, "extract"):
        bench_extract(int(100_000 * args.scale))
    if args.only in (None, "languages"):
        bench_languages(int(3_000 * args.scale))
    if args.only in (None, "ingest"):
        bench_ingest(int(10_000 * args.scale))
    if args.only in (None, "rebuild"):
        bench_rebuild(int(1_000_000 * args.scale))
    if args.only in (None, "incremental"):
        bench_incremental(int(1_000_000 * args.scale))
    return 0


if __name__ == "__main__":
    sys.exit(main())
