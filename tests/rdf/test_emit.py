"""The emitter writes N-Triples lines itself (ofsted_kg/emit.py): they must be exactly what
Oxigraph's serialiser writes for the same triples, hostile text included."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pyoxigraph as ox

from ofsted_kg.enrich.pipeline import parse_file
from ofsted_kg.rdf.emit import emit_ntriples
from ofsted_kg.rdf.ntriples import XSD, literal

NT = ox.RdfFormat.N_TRIPLES
# every character Oxigraph escapes, and some it writes as they are
SPECIAL = [chr(c) for c in range(0x20)] + ['"', "\\", "\x7f", "\ufffe", "\uffff"]
SPECIAL += ["\x80", "\xa0", "\xad", "\u2028", "\u2019", "\ufeff", "\U0001f600", "é", "'", "<>"]


def _oxigraph(obj: ox.Literal) -> str:
    triple = ox.Triple(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), obj)
    return (ox.serialize([triple], format=NT) or b"").decode()


def test_literals_are_escaped_as_oxigraph_escapes_them() -> None:
    for text in [*SPECIAL, "".join(SPECIAL), "", "plain words"]:
        assert f"<urn:s> <urn:p> {literal(text)} .\n" == _oxigraph(ox.Literal(text)), repr(text)
    date = ox.Literal("2023-05-01", datatype=ox.NamedNode(XSD.date.strip("<>")))
    assert f"<urn:s> <urn:p> {literal('2023-05-01', XSD.date)} .\n" == _oxigraph(date)


def test_each_seed_report_is_written_as_oxigraph_would_write_it(seeds: list[Path]) -> None:
    for path in seeds:
        report = parse_file(path)
        # hostile text where the reports have free text: findings, labels, spellings
        report.findings[0] = dataclasses.replace(report.findings[0], text="".join(SPECIAL))
        report.title = 'A "quoted" title \\ with\ta tab\nand a line break'
        data = emit_ntriples(report)
        triples = list(ox.parse(data, format=NT))
        assert len(triples) == data.count(b"\n") > 200
        assert ox.serialize(triples, format=NT) == data, path.name


def test_a_finding_that_asks_to_act_is_addressed_to_the_council_unless_it_names_someone(
    seeds: list[Path],
) -> None:
    """The 2023 focused-visit letter's "what needs to improve" items ask Camden to act."""
    okg = "https://w3id.org/ofsted-kg/ontology#"
    [path] = [p for p in seeds if "what needs to improve" in p.read_text().lower()
              and "focused visit" in p.read_text().lower()]  # fmt: skip
    report = parse_file(path)
    asks = [f for f in report.findings if f.kind == "what-needs-to-improve"]
    assert asks and not any(f.addressees for f in asks)
    triples = list(ox.parse(emit_ntriples(report), format=NT))
    kind = ox.NamedNode(okg + "findingKind")
    needing = {t.subject for t in triples
               if t.predicate == kind and t.object.value.endswith("finding-what-needs-to-improve")}  # fmt: skip
    addressed = {t.subject: t.object for t in triples if t.predicate.value == okg + "addressee"}
    assert needing and needing <= addressed.keys()
    assert {addressed[s].value.rsplit("/", 1)[-1] for s in needing} == {"camden"}
