"""Parameter values matched as people write them.

A library query compares its parameters with labels exactly as the graph holds them
("Single inspection framework", "Police force", "Camden"). People write "ILACS", "sif",
"police force", "camden", "London Borough of Camden" or a GSS code, and a value that
matched nothing used to answer nothing, silently. Here each labelled parameter has a
*source* of known values, each with the other spellings it goes by:

* concepts of the ontology (frameworks, kinds of finding, themes, measures) and the
  agency classes: their label, preferred and alternative labels and key (``ilacs``,
  ``early-help``), read once per process from the ontology files;
* what the store holds (authorities, regions, agencies, inspectors, report families),
  read from the store only when the value given is not there exactly; an authority by any
  of the register's names or its GSS code.

A value is taken as given when it is known exactly; else it is compared as a spelling
(case, accents, quotes, punctuation and a leading "the" aside) with every known value and
alias; a value that matches nothing, or two values alike, is a ``QueryError`` naming the
closest known values. A query's header may name a parameter's source (``values=...`` among
its flags); otherwise the parameter's name does, for the names the library uses.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import pyoxigraph as ox
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import SKOS

from ofsted_kg.parse.authorities import register, resolve
from ofsted_kg.parse.concepts import ontology_graph
from ofsted_kg.query.library import Query, QueryError
from ofsted_kg.rdf import vocab
from ofsted_kg.store import GraphStore

__all__ = ["SOURCES", "STORED_SOURCES", "known_values", "match_params", "source_of", "spelling",
           "stored_values"]  # fmt: skip

_OKG = "https://w3id.org/ofsted-kg/ontology#"
_PREFIXES = (
    f"PREFIX okg: <{_OKG}>\nPREFIX rdfs: <{RDFS}>\nPREFIX foaf: <http://xmlns.com/foaf/0.1/>\n"
)

# Sources the store answers: a SELECT of ?value (what the queries compare the parameter with)
_STORED = {
    "authorities": "SELECT DISTINCT ?value WHERE { ?inspection okg:authorityLabel ?value }",
    "regions": "SELECT DISTINCT ?value WHERE { ?authority okg:region ?value }",
    "agencies": "SELECT DISTINCT ?value WHERE { ?agency rdfs:label ?value ; a ?class . "
    "?class rdfs:subClassOf okg:PartnerAgency }",
    "inspectors": "SELECT DISTINCT ?value WHERE { ?inspection okg:leadInspector/foaf:name ?value }",
    "families": "SELECT DISTINCT ?value WHERE { ?report okg:family ?value }",
}
# Sources the ontology answers: the concept scheme (or, for agency kinds, the class) whose
# members' rdfs:label the queries compare the parameter with
_SCHEMES = {
    "frameworks": "frameworks",
    "finding-kinds": "finding-kinds",
    "themes": "themes",
    "measures": "measures",
}
STORED_SOURCES = frozenset(_STORED)
SOURCES = (*_STORED, *_SCHEMES, "agency-kinds")
_ONE = {"authorities": "authority", "regions": "region", "agencies": "agency",
        "inspectors": "lead inspector", "families": "report family", "frameworks": "framework",
        "finding-kinds": "kind of finding", "themes": "theme", "measures": "measure",
        "agency-kinds": "agency kind"}  # fmt: skip
# The library's parameter names and their sources (``kind`` means two things: declared)
_BY_NAME = {
    "authority": "authorities",
    "region": "regions",
    "agency": "agencies",
    "inspector": "inspectors",
    "family": "families",
    "framework": "frameworks",
    "theme": "themes",
    "measure": "measures",
}


def spelling(text: str) -> str:
    """A value as people may write it: no case, accents, quotes, punctuation or leading
    "the"; "&" as "and" (``"The Children's  Trust"`` -> ``"childrens trust"``)."""
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c)).casefold()
    t = re.sub(r"['\u2018\u2019`]", "", t.replace("&", " and "))
    t = re.sub(r"[^0-9a-z]+", " ", t).strip()
    return t.removeprefix("the ")


def source_of(q: Query, name: str) -> str | None:
    """The source of known values of parameter ``name`` of ``q`` (None: any value, as for
    a phrase to search for)."""
    p = q.params[name]
    if p.kind != "literal":
        return None
    return p.values or _BY_NAME.get(name)


@dataclass(frozen=True)
class Known:
    """A source's known values: each value's spellings -> the value."""

    values: tuple[str, ...]
    by_spelling: dict[str, tuple[str, ...]]

    @classmethod
    def of(cls, pairs: Iterable[tuple[str, str]]) -> Known:
        """From (value, another name of it) pairs; each value is a name of itself."""
        values: dict[str, None] = {}
        by: dict[str, dict[str, None]] = {}
        for value, alias in pairs:
            values.setdefault(value)
            for name in (value, alias):
                if key := spelling(name):
                    by.setdefault(key, {})[value] = None
        return cls(tuple(sorted(values)), {k: tuple(v) for k, v in by.items()})


@cache
def _ontology_known(source: str) -> Known:
    g = ontology_graph()
    okg = _OKG
    pairs: list[tuple[str, str]] = []
    if source == "agency-kinds":
        keys = {local: key for key, local in vocab.AGENCY_KINDS.items()}
        for cls in g.subjects(RDFS.subClassOf, URIRef(okg + "PartnerAgency")):
            label = g.value(cls, RDFS.label)
            if label is not None:
                pairs.append((str(label), keys.get(str(cls)[len(okg) :], str(label))))
        return Known.of(pairs)
    scheme = URIRef(okg + _SCHEMES[source])
    for concept in g.subjects(SKOS.inScheme, scheme):
        label = g.value(concept, RDFS.label)
        if label is None:
            continue
        value = str(label)
        local = str(concept)[len(okg) :]
        pairs.append((value, local.split("-", 1)[1] if "-" in local else local))
        for prop in (SKOS.prefLabel, SKOS.altLabel, SKOS.notation):
            pairs += [(value, str(o)) for o in g.objects(concept, prop) if isinstance(o, Literal)]
    if source == "frameworks":  # a framework is also a class member, not only a concept
        for concept in g.subjects(RDF.type, URIRef(okg + "Framework")):
            label = g.value(concept, RDFS.label)
            if label is not None:
                pairs.append((str(label), str(concept)[len(okg) + len("framework-") :]))
    return Known.of(pairs)


def _stored(store: GraphStore, source: str, value: str | None = None) -> list[str]:
    text = _PREFIXES + _STORED[source] + (" LIMIT 1" if value is not None else "")
    subs = {ox.Variable("value"): ox.Literal(value)} if value is not None else None
    return [s["value"].value for s in store.query(text, substitutions=subs)]


def stored_values(source: str, store: GraphStore | None) -> list[str]:
    """The values of a store source that the store holds (none without a store)."""
    return sorted(_stored(store, source)) if store is not None else []


def known_values(source: str, store: GraphStore | None) -> Known:
    """Every known value of ``source`` (a store source needs the store)."""
    if source not in _STORED:
        return _ontology_known(source)
    stored = _stored(store, source) if store is not None else []
    pairs = [(v, v) for v in stored]
    if source == "authorities":  # the register: every authority, by each of its names
        pairs += [(a.name, a.gss_code) for a in register().values()]
    elif source == "regions":  # the register's regions, before the authority data is loaded
        pairs += [(a.region, a.region) for a in register().values() if a.region]
    return Known.of(pairs)


def _authority(value: str) -> str | None:
    """An authority's short name from any of its names or its GSS code, via the register."""
    code = value.strip().upper()
    for a in register().values():
        if a.gss_code == code:
            return a.name
    found = resolve(value)
    return found.name if found is not None else None


def match(source: str, value: str, store: GraphStore | None) -> str:
    """The known value ``value`` stands for; QueryError (with the closest) where none or
    several do."""
    if source == "authorities" and (name := _authority(value)) is not None:
        return name
    if source in _STORED:
        if store is not None and _stored(store, source, value):
            return value
    elif value in _ontology_known(source).values:
        return value
    known = known_values(source, store)
    found = known.by_spelling.get(spelling(value), ())
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise QueryError(f"{value!r} could be any of {', '.join(found)}: give one of them")
    return _closest(source, value, known)


def _closest(source: str, value: str, known: Known) -> str:
    what = _ONE[source]
    given = spelling(value)
    # the spellings holding the value's words first ("paul" for "Paul d'Inverno"), then
    # the ones alike letter by letter
    holding = [k for k in known.by_spelling if given and f" {given}" in f" {k}"]
    close = difflib.get_close_matches(given, known.by_spelling, n=8, cutoff=0.6)
    names: dict[str, None] = {}
    for key in (*holding, *close):
        for v in known.by_spelling[key]:
            names.setdefault(v)
    hint = list(names)[:4] or list(known.values)[:6]
    listed = "; ".join(hint) if hint else "none in this store"
    kind = "closest" if names else "known values include"
    raise QueryError(f"no {what} {value!r} is known ({kind}: {listed})")


def match_params(q: Query, values: dict[str, str], store: GraphStore | None) -> dict[str, str]:
    """``values`` with each labelled parameter as the graph writes it (see the module)."""
    out = dict(values)
    for name, value in values.items():
        if name not in q.params:
            continue  # check_params says so
        source = source_of(q, name)
        if source is not None and value.strip():
            try:
                out[name] = match(source, value, store)
            except QueryError as exc:
                raise QueryError(f"{q.name}: parameter {name!r}: {exc}") from None
    return out
