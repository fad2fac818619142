"""Check the hand-labelled gold set against the sample corpus.

.venv/bin/python scripts/check_gold.py

For every language folder of data/sample/ (and of tests/gold/):

- each document has a gold file tests/gold/<language>/<stem>.jsonl, and each gold file a document;
- each gold line is a JSON object with exactly the fields of the claim record (without doc and span),
  each with an allowed value: kinds, categories, sides UA/RU/null, qualifiers, dates YYYY, YYYY-MM or
  YYYY-MM-DD (or null), speakers and agreement ids from src/swapledger/conflicts/ru-ua.yaml;
- every quote is a substring of the document's text (after the front matter; for an HTML page, the
  text the reader takes from it), and a plain-text document's front matter names its folder's language;

and every document named in tests/gold/events.jsonl exists and has claims. Prints what is wrong and
exits 1, or prints a summary and exits 0.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from dataclasses import fields
from pathlib import Path
from typing import Any

from swapledger import conflicts
from swapledger.errors import SourceError
from swapledger.model import Claim
from swapledger.sources import read_path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"
GOLD = ROOT / "tests" / "gold"
CONFLICT = "ru-ua"

# The claim record without what a labeller cannot give (doc, span) or what it does not label.
FIELDS = tuple(f.name for f in fields(Claim) if f.name not in {"doc", "span", "mediators", "date_note"})
KINDS = {"exchange", "cumulative", "target", "status"}
CATEGORIES = {"bodies", "pows", "civilians"}
SIDES = {"UA", "RU", None}
QUALIFIERS = {"exact", "about", "at_least", "more_than", "up_to"}
DOCUMENT_SUFFIXES = {".txt", ".md", ".html", ".htm"}
DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def valid_date(value: Any) -> bool:
    """A YYYY, YYYY-MM or YYYY-MM-DD string naming a real year, month or day."""
    if not isinstance(value, str):
        return False
    match = DATE.match(value)
    if not match:
        return False
    year, month, day = match.groups()
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return False
    return True


def conflict_names() -> tuple[set[str], set[str]]:
    """The speakers' canonical names and the agreement ids of the conflict."""
    conflict = conflicts.load(CONFLICT)
    return {s.name for s in conflict.speakers}, {a.id for a in conflict.agreements}


def check_claim(claim: Any, text: str, speakers: set[str], agreements: set[str]) -> list[str]:
    """What is wrong with one gold claim (empty when nothing is)."""
    if not isinstance(claim, dict):
        return ["not a JSON object"]
    wrong = []
    missing = [f for f in FIELDS if f not in claim]
    extra = [f for f in claim if f not in FIELDS]
    if missing:
        wrong.append(f"missing fields {missing}")
    if extra:
        wrong.append(f"unknown fields {extra}")
    kind = claim.get("kind")
    if kind not in KINDS:
        wrong.append(f"kind {kind!r} is not one of {sorted(KINDS)}")
    if claim.get("category") not in CATEGORIES:
        wrong.append(f"category {claim.get('category')!r} is not one of {sorted(CATEGORIES)}")
    for field in ("from_side", "to_side"):
        if claim.get(field) not in SIDES:
            wrong.append(f"{field} {claim.get(field)!r} is not UA, RU or null")
    if claim.get("from_side") is not None and claim.get("from_side") == claim.get("to_side"):
        wrong.append("from_side and to_side are the same party")
    count = claim.get("count")
    if kind == "status":
        if count is not None:
            wrong.append(f"a status claim has count {count!r}; it must be null")
    elif not isinstance(count, int) or isinstance(count, bool) or count < 0:
        wrong.append(f"count {count!r} is not a non-negative integer")
    if claim.get("qualifier") not in QUALIFIERS:
        wrong.append(f"qualifier {claim.get('qualifier')!r} is not one of {sorted(QUALIFIERS)}")
    date = claim.get("event_date")
    if date is not None and not valid_date(date):
        wrong.append(f"event_date {date!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    speaker = claim.get("attributed_to")
    if speaker is not None and speaker not in speakers:
        wrong.append(
            f"attributed_to {speaker!r} is not a speaker's canonical name in conflicts/{CONFLICT}.yaml"
        )
    agreement = claim.get("agreement")
    if agreement is not None and agreement not in agreements:
        wrong.append(f"agreement {agreement!r} is not an agreement id in conflicts/{CONFLICT}.yaml")
    quote = claim.get("quote")
    if not isinstance(quote, str) or not quote.strip():
        wrong.append("quote is empty")
    elif quote not in text:
        wrong.append(f"quote is not in the document's text: {quote[:80]!r}")
    return wrong


def read_gold(path: Path) -> tuple[list[Any], list[str]]:
    claims, wrong = [], []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip():
            wrong.append(f"line {number}: blank line")
            continue
        try:
            claims.append(json.loads(line))
        except json.JSONDecodeError as exc:
            wrong.append(f"line {number}: not JSON ({exc.msg})")
            claims.append(None)
    return claims, wrong


def check_language(
    language: str, speakers: set[str], agreements: set[str]
) -> tuple[list[str], dict[str, int]]:
    """Problems in one language folder, and the number of claims of each of its documents."""
    problems: list[str] = []
    folder = SAMPLE / language
    documents = {
        p.stem: p for p in sorted(folder.glob("*")) if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES
    }
    golds = {p.stem: p for p in sorted((GOLD / language).glob("*.jsonl"))}
    for stem in sorted(set(documents) - set(golds)):
        problems.append(
            f"{documents[stem].relative_to(ROOT)}: no gold file tests/gold/{language}/{stem}.jsonl"
        )
    for stem in sorted(set(golds) - set(documents)):
        problems.append(f"{golds[stem].relative_to(ROOT)}: no document {stem}.* in data/sample/{language}/")
    counts: dict[str, int] = {}
    for stem in sorted(set(documents) & set(golds)):
        doc_path, gold_path = documents[stem], golds[stem]
        where = gold_path.relative_to(ROOT)
        try:
            document = read_path(str(doc_path))
        except SourceError as exc:
            problems.append(f"cannot be read: {exc}")
            continue
        if doc_path.suffix.lower() in {".txt", ".md"}:
            if document.language != language:
                problems.append(
                    f"{doc_path.relative_to(ROOT)}: front matter language {document.language!r}, "
                    f"folder {language!r}"
                )
            if not document.published:
                problems.append(f"{doc_path.relative_to(ROOT)}: no published date in the front matter")
        claims, wrong = read_gold(gold_path)
        problems += [f"{where}: {w}" for w in wrong]
        for number, claim in enumerate(claims, 1):
            if claim is None:
                continue
            problems += [
                f"{where}: claim {number}: {w}"
                for w in check_claim(claim, document.text, speakers, agreements)
            ]
        counts[stem] = len(claims)
    return problems, counts


def check_events(claims_per_doc: dict[str, int]) -> tuple[list[str], int]:
    """Problems in events.jsonl: unknown or claimless documents, repeats, bad keys."""
    problems: list[str] = []
    path = GOLD / "events.jsonl"
    seen: set[tuple[str, str]] = set()
    lines = [line for line in path.read_text("utf-8").splitlines() if line.strip()]
    for number, line in enumerate(lines, 1):
        where = f"tests/gold/events.jsonl: line {number}"
        try:
            event = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{where}: not JSON ({exc.msg})")
            continue
        key = (event.get("date"), event.get("category"))
        if not valid_date(key[0]):
            problems.append(f"{where}: date {key[0]!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
        if key[1] not in CATEGORIES:
            problems.append(f"{where}: category {key[1]!r} is not one of {sorted(CATEGORIES)}")
        if key in seen:
            problems.append(f"{where}: a second event for {key}")
        seen.add(key)
        docs = event.get("docs", [])
        for doc in docs:
            if doc not in claims_per_doc:
                problems.append(f"{where}: document {doc!r} is in no language folder of data/sample/")
            elif claims_per_doc[doc] == 0:
                problems.append(f"{where}: document {doc!r} has no gold claims")
        repeated = sorted({d for d in docs if docs.count(d) > 1})
        if repeated:
            problems.append(f"{where}: documents listed twice: {repeated}")
    return problems, len(lines)


def main() -> int:
    speakers, agreements = conflict_names()
    languages = sorted(
        {p.name for p in SAMPLE.iterdir() if p.is_dir()} | {p.name for p in GOLD.iterdir() if p.is_dir()}
    )
    problems: list[str] = []
    claims_per_doc: dict[str, int] = {}
    summary = []
    for language in languages:
        found, counts = check_language(language, speakers, agreements)
        problems += found
        for stem in counts:
            if stem in claims_per_doc:
                problems.append(f"document name {stem!r} is used in more than one language folder")
        claims_per_doc.update(counts)
        empty = sum(1 for n in counts.values() if n == 0)
        summary.append(
            f"{language}: {len(counts)} documents, {sum(counts.values())} claims, {empty} without claims"
        )
    found, n_events = check_events(claims_per_doc)
    problems += found
    if problems:
        for problem in problems:
            print(problem)
        print(f"{len(problems)} problem(s)")
        return 1
    for line in summary:
        print(line)
    print(f"events: {n_events}, every document named exists")
    print("gold set OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
