"""The project's SHACL engines (fast: Core constraints in Python; sparql: every constraint
compiled to SPARQL) against pyshacl on the whole corpus.

One pyshacl run over every report graph of the seeds and the corpus, with a few nodes
broken on purpose: every engine must report exactly the same violations, and only on the
broken nodes (so the rest of the corpus conforms under all three). The fast engine reads
N-Triples laid out in any way the grammar allows, as the others do.
"""

from __future__ import annotations

import random

import pytest

from ofsted_kg import api
from ofsted_kg.enrich.pipeline import parse_file
from ofsted_kg.rdf.emit import emit_ntriples
from ofsted_kg.resources import example_reports
from ofsted_kg.validate.shacl import validate_ntriples

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
    reference = validate_ntriples(mutated, "pyshacl").results
    assert {r.focus for r in reference} == {s.decode().strip("<>") for s in broken}
    for engine in ("fast", "sparql"):
        assert validate_ntriples(mutated, engine).results == reference, engine
    assert len(lines) > 60_000  # every report graph was there


LAYOUTS = {
    "no final newline": lambda lines: "\n".join(lines),
    "CRLF": lambda lines: "\r\n".join(lines) + "\r\n",
    "comments and blank lines": lambda lines: "# a report\n\n" + "\n\n".join(lines) + "\n",
    "tabs": lambda lines: "\n".join(line.replace(" ", "\t", 1) for line in lines) + "\n",
    "two spaces before the dot": lambda lines: "\n".join(f"{x[:-2]}  ." for x in lines),
    "comment after each triple": lambda lines: "\n".join(f"{x} # c" for x in lines) + "\n",
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_fast_engine_reads_every_layout(layout: str) -> None:
    lines = emit_ntriples(parse_file(example_reports()[0])).decode().splitlines()
    text, date = f"<{OKG}text>", f"<{OKG}startDate>"
    dropped = next(i for i, x in enumerate(lines) if x.split(" ")[1] == text)
    retyped = next(i for i, x in enumerate(lines) if x.split(" ")[1] == date)
    lines[retyped] = lines[retyped].replace("#date>", "#string>")
    del lines[dropped]
    expected = validate_ntriples(("\n".join(lines) + "\n").encode(), "sparql").results
    assert len({r.focus for r in expected}) == 2
    laid_out = LAYOUTS[layout](lines).encode()
    assert validate_ntriples(laid_out, "fast").results == expected
