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
