"""Copies: the same report republished under several mastheads counts as one source.

Each document gets a MinHash signature of its word shingles (datasketch's
MinHash, a well-kept implementation of the standard estimator). Signatures are
cut into bands; two documents that share a band are candidates, and a pair
whose estimated Jaccard similarity reaches the threshold is a copy. The band
keys are plain integers, so the store can keep them in an indexed table and
find the candidates of a new document with one query, however large the
corpus: nothing has to be held in memory.

Which document is the original: the one published first (then the one whose
id sorts first, so the answer never depends on the order of ingest).
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

NUM_PERM = 64
BANDS = 16  # 16 bands of 4 rows: a pair at Jaccard 0.8 shares a band with probability 0.9996
ROWS = NUM_PERM // BANDS
SHINGLE = 4  # words
THRESHOLD = 0.8
_SEED = 20251219
_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class Fingerprint:
    """What copy detection keeps of a document: its signature and band keys."""

    document_id: str
    published: str | None
    signature: tuple[int, ...]

    def bands(self) -> list[int]:
        """One integer key per band; documents that share a key are candidates."""
        keys = []
        for band in range(BANDS):
            rows = self.signature[band * ROWS : (band + 1) * ROWS]
            digest = hashlib.blake2b(
                band.to_bytes(2, "big") + b"".join(r.to_bytes(8, "big") for r in rows), digest_size=8
            ).digest()
            # Signed, so it fits a 64-bit integer column in every database.
            keys.append(int.from_bytes(digest, "big", signed=True))
        return keys


@dataclass(frozen=True)
class Copy:
    """``document_id`` republishes ``copy_of`` (estimated Jaccard ``similarity``)."""

    document_id: str
    copy_of: str
    similarity: float


def shingles(text: str) -> set[bytes]:
    """Word shingles of a text, case and punctuation ignored."""
    words = _TOKEN.findall(text.lower())
    if len(words) < SHINGLE:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)}


@functools.cache
def _template() -> MinHash:
    """A MinHash of our seed, whose permutations every fingerprint reuses (drawing them is most of
    the cost of a short document)."""
    return MinHash(num_perm=NUM_PERM, seed=_SEED)


def fingerprint(document_id: str, text: str, published: str | None) -> Fingerprint:
    """The fingerprint of one document."""
    template = _template()
    minhash = MinHash(
        num_perm=NUM_PERM, seed=_SEED, permutations=template.permutations, scheme=template.scheme
    )
    minhash.update_batch(list(shingles(text)))
    return Fingerprint(document_id, published, tuple(int(v) for v in minhash.hashvalues))


def similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.count_nonzero(np.asarray(a) == np.asarray(b))) / len(a)


def _first(a: Fingerprint, b: Fingerprint) -> tuple[Fingerprint, Fingerprint]:
    """The original and the copy."""
    key_a = (a.published or "9999", a.document_id)
    key_b = (b.published or "9999", b.document_id)
    return (a, b) if key_a <= key_b else (b, a)


def match(new: Fingerprint, candidates: Iterable[Fingerprint], threshold: float = THRESHOLD) -> list[Copy]:
    """Copy relations between a new document and candidates that share a band with it."""
    out = []
    for other in candidates:
        if other.document_id == new.document_id:
            continue
        score = similarity(new.signature, other.signature)
        if score >= threshold:
            original, copy = _first(new, other)
            out.append(Copy(copy.document_id, original.document_id, round(score, 3)))
    return out


def find_copies(prints: Iterable[Fingerprint], threshold: float = THRESHOLD) -> list[Copy]:
    """Every copy relation among documents, each copy pointing at its earliest original."""
    by_band: dict[int, list[Fingerprint]] = defaultdict(list)
    seen: dict[str, Fingerprint] = {}
    for fp in prints:
        seen[fp.document_id] = fp
        for key in fp.bands():
            by_band[key].append(fp)
    pairs: set[tuple[str, str]] = set()
    for group in by_band.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                pairs.add((min(a.document_id, b.document_id), max(a.document_id, b.document_id)))
    original_of: dict[str, tuple[str, float]] = {}
    for a_id, b_id in sorted(pairs):
        for found in match(seen[a_id], [seen[b_id]], threshold):
            current = original_of.get(found.document_id)
            if current is None or _earlier(seen[found.copy_of], seen[current[0]]):
                original_of[found.document_id] = (found.copy_of, found.similarity)
    # A copy of a copy points at the first original of the chain.
    out = []
    for copy_id, (original, score) in sorted(original_of.items()):
        hops = 0
        while original in original_of and hops < len(original_of):
            original = original_of[original][0]
            hops += 1
        out.append(Copy(copy_id, original, score))
    return out


def _earlier(a: Fingerprint, b: Fingerprint) -> bool:
    return _first(a, b)[0] is a
