"""The fast SHACL engine against pyshacl, the reference, on the whole corpus.

One pyshacl run over every report graph of the seeds and the corpus, with a few nodes
broken on purpose: the fast engine must report exactly the same violations, and only on the
broken nodes (so the rest of the corpus conforms under both). The fast engine reads
N-Triples laid out in any way the grammar allows, as pyshacl does.
"""

from __future__ import annotations

import random

import pytest
from rdflib import Graph

from ofsted_kg import api
from ofsted_kg.enrich.pipeline import parse_file
from ofsted_kg.rdf.emit import emit_ntriples
from ofsted_kg.resources import example_reports
from ofsted_kg.validate import fast
from ofsted_kg.validate.shacl import ENGINES, validate_ntriples

OKG = "https://w3id.org/ofsted-kg/ontology#"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


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


@pytest.mark.corpus
def test_engines_agree_on_the_whole_corpus(corpus_store: api.Store) -> None:
    data = b"".join(corpus_store.ntriples(g) for g in corpus_store.report_graphs())
    lines, broken = _break(data.splitlines(), random.Random(2026))
    mutated = b"\n".join(lines) + b"\n"
    reference = validate_ntriples(mutated, "pyshacl").results
    assert {r.focus for r in reference} == {s.decode().strip("<>") for s in broken}
    assert reference, "the planted breaks were found"
    for engine in set(ENGINES) - {"pyshacl"}:
        assert validate_ntriples(mutated, engine).results == reference, engine
    assert len(lines) > 60_000  # every report graph was there


LAYOUTS = {
    "no final newline": lambda lines: "\n".join(lines),
    "CRLF": lambda lines: "\r\n".join(lines) + "\r\n",
    "comments and blank lines": lambda lines: "# a report\n\n" + "\n\n".join(lines) + "\n",
    "tabs": lambda lines: "\n".join(line.replace(" ", "\t", 1) for line in lines) + "\n",
    "two spaces before the dot": lambda lines: "\n".join(f"{x[:-2]}  ." for x in lines),
    "comment after each triple": lambda lines: "\n".join(f"{x} # c" for x in lines) + "\n",
    # the same terms written otherwise: an escaped letter, a plain literal typed xsd:string
    "escapes and typed strings": lambda lines: (
        "\n".join(
            x.replace('"body"', '"\\u0062ody"').replace('" .', f'"^^<{XSD_STRING}> .')
            for x in lines
        )
        + "\n"
    ),
}


@pytest.fixture(scope="module")
def broken_seed() -> tuple[list[str], list]:
    """A seed's lines with one finding's text dropped and one start date typed as a string,
    and pyshacl's results for them."""
    lines = emit_ntriples(parse_file(example_reports()[0])).decode().splitlines()
    text, date = f"<{OKG}text>", f"<{OKG}startDate>"
    dropped = next(i for i, x in enumerate(lines) if x.split(" ")[1] == text)
    retyped = next(i for i, x in enumerate(lines) if x.split(" ")[1] == date)
    lines[retyped] = lines[retyped].replace("#date>", "#string>")
    del lines[dropped]
    expected = validate_ntriples(("\n".join(lines) + "\n").encode(), "pyshacl").results
    assert len({r.focus for r in expected}) == 2
    return lines, expected


@pytest.mark.parametrize("layout", LAYOUTS)
def test_fast_engine_reads_every_layout(broken_seed: tuple[list[str], list], layout: str) -> None:
    lines, expected = broken_seed
    laid_out = LAYOUTS[layout](lines)
    assert laid_out != "\n".join(lines) + "\n"
    assert validate_ntriples(laid_out.encode(), "fast").results == expected


def test_an_unknown_engine_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="unknown SHACL engine 'sparql': one of fast, pyshacl"):
        validate_ntriples(b"", "sparql")


def test_not_n_triples_is_refused() -> None:
    with pytest.raises(SyntaxError):
        validate_ntriples(b'<https://example.org/a> "b" <https://example.org/c> .\n', "fast")


SHAPE = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix okg: <https://w3id.org/ofsted-kg/ontology#> .
okg:S a sh:NodeShape ; sh:targetClass okg:Report ; %s .
"""


@pytest.mark.parametrize(
    ("constraint", "refusal"),
    [
        ("sh:property [ sh:path okg:text ; sh:maxLength 3 ]", "maxLength"),
        ("sh:property [ sh:path ( okg:a okg:b ) ; sh:minCount 1 ]", "predicate paths"),
        ("sh:closed true", "closed"),
        ("sh:or ( [ sh:path okg:a ; sh:minCount 2 ] )", "sh:minCount 1"),
        ('sh:sparql [ sh:select "SELECT $this WHERE { $this a okg:Report }" ]', "rdf:type"),
    ],
    ids=["maxLength", "sequence path", "closed", "or of minCount 2", "sparql reading types"],
)
def test_fast_engine_refuses_a_shape_feature_it_lacks(
    monkeypatch: pytest.MonkeyPatch, constraint: str, refusal: str
) -> None:
    """Rather than skip a constraint it does not evaluate, and pass what pyshacl would fail."""
    shapes = Graph().parse(data=SHAPE % constraint, format="turtle")
    monkeypatch.setattr(fast, "shapes_graph", lambda: shapes)
    fast._shapes.cache_clear()
    try:
        with pytest.raises(NotImplementedError, match=refusal):
            validate_ntriples(emit_ntriples(parse_file(example_reports()[3])), "fast")
    finally:
        fast._shapes.cache_clear()
        fast._read_by_sparql.cache_clear()
        fast._ontology.cache_clear()
