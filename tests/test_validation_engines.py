"""The fast SHACL engine (shapes compiled to SPARQL) against pyshacl on the whole corpus.

One pyshacl run over every report graph of the seeds and the corpus, with a few nodes
broken on purpose: both engines must report exactly the same violations, and only on the
broken nodes (so the rest of the corpus conforms under both).
"""

from __future__ import annotations

import random

from ofsted_kg import api
from ofsted_kg.validate import validate_ntriples

OKG = "https://w3id.org/ofsted-kg/ontology#"


def _break(lines: list[bytes], rng: random.Random) -> tuple[list[bytes], dict[bytes, str]]:
    """Drop or retype a few triples; returns the lines and {subject: what was broken}."""
    broken: dict[bytes, str] = {}
    plans = [  # predicate, how many, what to do
        (f"<{OKG}grade>", 3, "drop"),
        (f"<{OKG}timescale>", 2, "drop"),
        (f"<{OKG}text>", 2, "drop"),
        (f"<{OKG}startDate>", 2, "string"),
    ]
    out = list(lines)
    for predicate, count, action in plans:
        key = predicate.encode()
        candidates = [i for i, line in enumerate(out) if line.split(b" ", 2)[1:2] == [key]]
        for i in rng.sample(candidates, count):
            subject = out[i].split(b" ", 1)[0]
            broken[subject] = predicate
            if action == "drop":
                out[i] = b""
            else:
                out[i] = out[i].replace(b"#date>", b"#string>")
    return [line for line in out if line], broken


def test_engines_agree_on_the_whole_corpus(corpus_store: api.Store) -> None:
    data = b"".join(corpus_store.ntriples(g) for g in corpus_store.report_graphs())
    lines, broken = _break(data.splitlines(), random.Random(2026))
    mutated = b"\n".join(lines) + b"\n"
    fast = validate_ntriples(mutated, "sparql").results
    reference = validate_ntriples(mutated, "pyshacl").results
    assert sorted(fast) == sorted(reference)
    assert {r.focus for r in fast} == {s.decode().strip("<>") for s in broken}
    assert len(lines) > 60_000  # every report graph was there
