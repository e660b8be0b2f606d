"""Enrichment of authorities from the bundled register (parse/data/authorities.csv), or from a
CSV of the shape of ../shared/reference/local-authorities.csv: GSS code, old LA code, Ofsted
URN, region, type, statistical neighbours (that file only), other names, and owl:sameAs the
ONS statistical-geography IRI of the GSS code.

The triples go to a named graph of their own, replaced whole on each load.
"""

from __future__ import annotations

import csv
from pathlib import Path

from ofsted_kg.parse.authorities import authority_name, register_rows
from ofsted_kg.rdf.iris import Iris
from ofsted_kg.rdf.ntriples import OKG, RDF, RDFS, SKOS, literal, node_term
from ofsted_kg.rdf.ntriples import iri as _iri
from ofsted_kg.read.document import IngestError

ONS_GEOGRAPHY = "http://statistics.data.gov.uk/id/statistical-geography/"
OWL_SAME_AS = _iri("http://www.w3.org/2002/07/owl#sameAs")
GRAPH = "authorities"
REQUIRED = ("local_authority_ons_name", "la_code_new")
_COLUMNS = [
    ("la_code_new", OKG.gssCode),
    ("la_code", OKG.laCode),
    ("urn", OKG.ofstedUrn),
    ("region_name", OKG.region),
    ("rgn22cd", OKG.regionCode),
    ("ons_la_type", OKG.authorityType),
]


def _name(row: dict[str, str]) -> str:
    for column in ("ltla23nm", "utla23nm", "local_authority_ons_name"):
        if row.get(column, "").strip():
            return authority_name(row[column])
    return ""


def _register_rows() -> list[dict[str, str]]:
    """The bundled register in the columns of local-authorities.csv (it has no statistical
    neighbours or region codes: those come with that file)."""
    return [
        {"la_code_new": r["gss_code"], "la_code": r["la_code"], "urn": r["ofsted_urn"],
         "region_name": r["region"], "ons_la_type": r["type"], "ltla23nm": r["name"],
         "local_authority_ons_name": r["ons_name"] or r["name"],
         "register_aliases": r["aliases"]}
        for r in register_rows()
    ]  # fmt: skip


def authority_ntriples(path: Path | None, iris: Iris) -> tuple[bytes, int]:
    """The enrichment triples of every authority in the CSV file (None: the bundled
    register), as N-Triples, and the number of authorities with a GSS code."""
    try:
        if path is None:
            rows = _register_rows()
        else:
            with path.open(newline="", encoding="utf-8-sig") as f:
                rows = list(csv.DictReader(f))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise IngestError(f"cannot read the authorities file: {exc}") from None
    missing = [c for c in REQUIRED if rows and c not in rows[0]]
    if not rows or missing:
        raise IngestError(f"not an authorities file: missing columns {missing or list(REQUIRED)}")
    by_gss = {
        r["la_code_new"].strip(): node_term(iris.authority(_name(r))) for r in rows if _name(r)
    }
    out: set[str] = set()

    def add(s: str, p: str, o: str) -> None:
        out.add(f"{s} {p} {o} .\n")

    for row in rows:
        name = _name(row)
        if not name:
            continue
        a = node_term(iris.authority(name))
        gss = row["la_code_new"].strip()
        add(a, RDF.type, OKG.Authority)
        add(a, RDFS.label, literal(name))
        add(a, SKOS.prefLabel, literal(name))
        names = {row["local_authority_ons_name"].strip()}
        names |= {a.strip() for a in row.get("register_aliases", "").split("|")}
        for alias in names - {name, ""}:
            add(a, SKOS.altLabel, literal(alias))
        for column, prop in _COLUMNS:
            value = row.get(column, "").strip()
            if value:
                add(a, prop, literal(value))
        if gss:
            add(a, OWL_SAME_AS, _iri(ONS_GEOGRAPHY + gss))
        for code in row.get("stat_neighbours_la_code", "").split(","):
            neighbour = by_gss.get(code.strip())
            if neighbour is not None:
                add(a, OKG.statisticalNeighbour, neighbour)
    coded = sum(1 for line in out if f" {OKG.gssCode} " in line)
    return "".join(sorted(out)).encode(), coded
