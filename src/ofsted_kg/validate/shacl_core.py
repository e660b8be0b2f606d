"""The default SHACL engine: the shapes' Core constraints evaluated in Python over an index of
a report's N-Triples, their SPARQL-based constraints run by Oxigraph on only the triples
those queries read.

It gives the results of ``shacl_sparql`` (every constraint compiled to SPARQL), which gives
pyshacl's: the same tests of a value (``_VIOLATES``: the expressions of that engine's
queries, SPARQL's errors included), the same view of the ontology (``checked_ontology``:
types, class hierarchy and the predicates the checks name) and the same refusal of a shape
feature it does not know. tests/test_shapes.py and tests/test_validation_engines.py hold all
three engines to pyshacl. It skips what costs the SPARQL engine most on a report: loading
about 2,300 triples into a store, closing their types and planning 29 queries, 12 ms against
6-7 ms here (benchmarks/README.md). One difference, in what no message shows: a value that
Oxigraph would write canonically ("1e3" as "1000") is given as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD

from ofsted_kg.validate import shacl_sparql
from ofsted_kg.validate.report import Result, in_order, shapes_graph
from ofsted_kg.validate.shacl_sparql import n3

_TYPE, _SUBCLASS = str(RDF.type), str(RDFS.subClassOf)
_STRING, _LANG_STRING = str(XSD.string), str(RDF.langString)
_TYPED_STRING = f'"^^<{_STRING}>'
_NUMERIC = {str(XSD[t]) for t in (
    "integer", "decimal", "double", "float", "int", "long", "short", "byte",
    "nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger",
    "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte")}  # fmt: skip
_DOUBLES = {str(XSD.double), str(XSD.float)}
_DECIMAL, _DATE, _DATE_TIME = str(XSD.decimal), str(XSD.date), str(XSD.dateTime)
_DATES = {_DATE, _DATE_TIME}


# ---------------------------------------------------------------- the shapes, read once


@dataclass(frozen=True)
class _Property:
    path: str
    message: str
    counts: tuple[tuple[str, int, int], ...]  # (component, min, max)
    tests: tuple[tuple[str, Callable, object], ...]  # (component, violates, parameter) a value
    has_values: tuple[tuple[str, tuple], ...]  # (component, the value's sameTerm key)


@dataclass(frozen=True)
class _Shape:
    targets: tuple[str, ...]  # classes as N-Triples terms (``n3``), as the index holds them
    properties: tuple[_Property, ...]
    ors: tuple[tuple[tuple[str, ...], str], ...]  # (paths of which one must have a value, message)


_MANY = shacl_sparql._MANY


@lru_cache(maxsize=1)
def _shapes() -> tuple[_Shape, ...]:
    """The node shapes' Core constraints; ``shacl_sparql.compiled`` refuses what neither knows."""
    shacl_sparql.compiled()
    g = shapes_graph()
    return tuple(
        _Shape(
            tuple(sorted(n3(c) for c in g.objects(shape, SH.targetClass))),
            tuple(_property(g, p) for p in g.objects(shape, SH.property)),
            tuple(
                _or(g, members, str(g.value(shape, SH.message) or ""))
                for members in g.objects(shape, SH["or"])
            ),
        )
        for shape in sorted(set(g.subjects(RDF.type, SH.NodeShape)))
    )


def _property(g, prop) -> _Property:  # noqa: ANN001
    def each(key: URIRef) -> list:
        return list(g.objects(prop, key))

    counts = [("MinCount", int(o), _MANY) for o in each(SH.minCount)]
    counts += [("MaxCount", 0, int(o)) for o in each(SH.maxCount)]
    tests: list[tuple[str, object]] = [("Datatype", str(o)) for o in each(SH.datatype)]
    tests += [("Class", n3(o)) for o in each(SH["class"])]
    tests += [("Pattern", re.compile(str(o))) for o in each(SH.pattern)]
    tests += [("MinLength", int(o)) for o in each(SH.minLength)]
    tests += [("In", {_key(n3(m)) for m in Collection(g, o)}) for o in each(SH["in"])]
    tests += [("LessThanOrEquals", str(o)) for o in each(SH.lessThanOrEquals)]
    tests += [("MinInclusive", _comparable(n3(o))) for o in each(SH.minInclusive)]
    return _Property(
        str(g.value(prop, SH.path)),
        str(g.value(prop, SH.message) or ""),
        tuple((_component(c), lo, hi) for c, lo, hi in counts),
        tuple((_component(c), _VIOLATES[c], x) for c, x in tests),
        tuple((_component("HasValue"), _key(n3(o))) for o in each(SH.hasValue)),
    )


def _component(name: str) -> str:
    return f"{SH}{name}ConstraintComponent"


_OR = _component("Or")


def _or(g, members, message: str) -> tuple[tuple[str, ...], str]:  # noqa: ANN001
    return tuple(str(g.value(m, SH.path)) for m in Collection(g, members)), message


# ---------------------------------------------------------------- N-Triples terms


_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.S)
_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    return _ESCAPE.sub(lambda m: chr(int(m[1] or m[2], 16)) if m[1] or m[2] else _ECHAR[m[3]], text)


@lru_cache(maxsize=4096)
def _literal(term: str) -> tuple[str, str, str | None]:
    """(lexical form, datatype, language) of an N-Triples literal."""
    end = term.rindex('"')
    lexical, tail = _unescape(term[1:end]), term[end + 1 :]
    if tail.startswith("@"):
        return lexical, _LANG_STRING, tail[1:].lower()
    return lexical, tail[3:-1] if tail else _STRING, None


def _key(term: str) -> tuple:
    """What makes two terms the same term (sameTerm), whatever their escapes."""
    if term.startswith('"'):
        return ("literal", *_literal(term))
    return ("node", _string(term))


def _string(term: str) -> str:
    """STR(): an IRI's text, a literal's lexical form (a blank node's label)."""
    if term.startswith('"'):
        return _literal(term)[0]
    if term.startswith("<"):
        return _unescape(term[1:-1])
    return term[2:]


@lru_cache(maxsize=4096)
def _comparable(term: str) -> tuple[str, object] | None:
    """(kind, value) that SPARQL's < and <= compare within a kind; None where they fail."""
    if not term.startswith('"'):
        return None
    lexical, datatype, _language = _literal(term)
    try:
        if datatype in _NUMERIC:
            if datatype in _DOUBLES:
                return "number", float(lexical)
            return "number", Decimal(lexical) if datatype == _DECIMAL else int(lexical)
        if datatype == _DATE:
            return "date", date.fromisoformat(lexical)
        if datatype == _DATE_TIME:
            return "dateTime", datetime.fromisoformat(lexical)
    except (ValueError, InvalidOperation):
        return None
    if datatype == _STRING:
        return "string", lexical
    return None


def _less_or_equal(value: str, other: str) -> bool:
    """``COALESCE(?value <= ?other, IF(both dates, STR(?value) <= STR(?other), false))``
    as shacl_sparql asks it, an error (DATATYPE of a node) taken as no violation."""
    a, b = _comparable(value), _comparable(other)
    if a is not None and b is not None and a[0] == b[0]:
        return a[1] <= b[1]  # type: ignore[operator]
    dates = [_literal(t)[1] in _DATES if t.startswith('"') else None for t in (value, other)]
    if False in dates:  # false && error is false in SPARQL
        return False
    if None in dates:
        return True
    return _literal(value)[0] <= _literal(other)[0]


def _display(term: str) -> str:
    """How shacl_sparql shows a term: an IRI's or blank node's text, a literal in N-Triples."""
    if not term.startswith('"'):
        return _string(term)
    lexical, datatype, language = _literal(term)
    if language:
        return str(ox.Literal(lexical, language=language))
    return str(ox.Literal(lexical, datatype=ox.NamedNode(datatype)))


# ---------------------------------------------------------------- the triples


class _Index:
    """subject -> predicate -> objects over a report's triples and the checked ontology's,
    with every node's types closed under rdfs:subClassOf."""

    def __init__(self, triples: Iterable[tuple[str, str, str]], ontology: _Index | None = None):
        self.spo: dict[str, dict[str, list[str]]] = {}
        for s, p, o in triples:
            objects = self.spo.setdefault(s, {}).setdefault(p, [])
            if o not in objects:
                objects.append(o)
        self.ontology = ontology.spo if ontology else {}
        self._types: dict[str, set[str]] = {}
        self._supers: dict[str, set[str]] = {}
        self._instances: dict[str, set[str]] | None = None
        self._shared = ontology is not None and not any(_SUBCLASS in p for p in self.spo.values())
        if self._shared:  # the ontology's hierarchy alone: its closure is shared and cached
            self._supers = ontology._supers  # type: ignore[union-attr]
            self._ontology_instances = ontology.instances()  # type: ignore[union-attr]

    def values(self, subject: str, path: str) -> list[str]:
        by_p = self.spo.get(subject)
        here = by_p.get(path, _NONE) if by_p else _NONE
        by_p = self.ontology.get(subject)
        there = by_p.get(path) if by_p else None
        return here + [o for o in there if o not in here] if there else here

    def types(self, node: str) -> set[str]:
        """Every class the node is an instance of."""
        found = self._types.get(node)
        if found is None:
            found = set().union(*map(self.supers, self.values(node, _TYPE)))
            self._types[node] = found
        return found

    def supers(self, cls: str) -> set[str]:
        """The class and every class above it."""
        if cls not in self._supers:
            self._supers[cls] = {cls}  # a cycle stops here
            self._supers[cls] = {cls}.union(*map(self.supers, self.values(cls, _SUBCLASS)))
        return self._supers[cls]

    def instances(self) -> dict[str, set[str]]:
        """class -> its instances, subclasses' included."""
        if self._instances is None:
            out: dict[str, set[str]] = {}
            nodes = [s for s, p in self.spo.items() if _TYPE in p]
            if self._shared:  # the ontology's own instances, the same for every report
                out = {c: set(found) for c, found in self._ontology_instances.items()}
            else:
                nodes += [s for s, p in self.ontology.items() if _TYPE in p]
            for node in nodes:
                for c in self.types(node):
                    out.setdefault(c, set()).add(node)
            self._instances = out
        return self._instances


_NONE: list[str] = []


_LINE = re.compile(r"^(<[^>]*>|_:\S+) <([^>]*)> (.*\S) \.\r?$", re.M)


def _triples(text: str) -> list[tuple[str, str, str]] | None:
    """(subject, predicate IRI, object) of each line of N-Triples written as Oxigraph and
    rdflib write them, one triple a line; None for any other layout (other spacing, a
    comment after a triple)."""
    found = _LINE.findall(text)
    if len(found) != text.count("\n") + (not text.endswith("\n")):  # blank lines, comments?
        lines = [line for line in text.splitlines() if line.strip()]
        lines = [line for line in lines if not line.lstrip().startswith("#")]
        if len(found) != len(lines):
            return None
    if _TYPED_STRING in text:  # "x"^^xsd:string is the term "x"
        n = len(_TYPED_STRING) - 1
        found = [(s, p, o[:-n] if o.endswith(_TYPED_STRING) else o) for s, p, o in found]
    return found


@lru_cache(maxsize=1)
def _ontology() -> _Index:
    triples = _triples(shacl_sparql.checked_ontology().decode())
    assert triples is not None, "the ontology is written one triple a line"
    return _Index(triples)


# ---------------------------------------------------------------- validation


def validate_ntriples(data: bytes) -> list[Result]:
    """Violations of the shapes by one report's triples (N-Triples), the checked ontology
    mixed in: the results of ``shacl_sparql.validate_ntriples``, several times faster."""
    text = data.decode()
    triples = _triples(text)
    if triples is None:  # laid out otherwise: as Oxigraph writes the same triples
        text = "".join(f"{t} .\n" for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
        triples = _triples(text)
        assert triples is not None, "Oxigraph writes one triple a line"
    index = _Index(triples, _ontology())
    results = set(_core(index))
    read = shacl_sparql.constraint_predicates()
    wanted = [f"{s} <{p}> {o} .\n" for s, p, o in triples if read(p)]
    instances = index.instances()
    for check in shacl_sparql.sparql_constraints():
        for cls in check.classes:
            wanted += [f"{n} <{_TYPE}> <{cls}> .\n" for n in instances.get(f"<{cls}>", ())]
    results.update(shacl_sparql.validate_sparql_constraints("".join(wanted).encode()))
    return in_order(results)


def _core(index: _Index) -> Iterable[Result]:
    instances = index.instances()
    for shape in _shapes():
        for node in set().union(*(instances.get(c, ()) for c in shape.targets)):
            for paths, message in shape.ors:
                if not any(index.values(node, p) for p in paths):
                    yield Result(_display(node), None, _OR, message)
            for prop in shape.properties:
                values = index.values(node, prop.path)
                count = len(values) if len(values) < 2 else len({_key(v) for v in values})
                for component, lo, hi in prop.counts:
                    if not lo <= count <= hi:
                        yield Result(_display(node), prop.path, component, prop.message)
                for component, key in prop.has_values:
                    if key not in {_key(v) for v in values}:
                        yield Result(_display(node), prop.path, component, prop.message)
                for component, violates, parameter in prop.tests:
                    for value in values:
                        if violates(index, node, value, parameter):
                            text = _display(value)
                            message = prop.message.replace("{?value}", text)
                            yield Result(_display(node), prop.path, component, message, text)


# Each test: whether a value of a focus node violates the constraint, as shacl_sparql's query
# for it decides (isLiteral, DATATYPE, REGEX over STR, STRLEN, sameTerm, <= and >=).
def _datatype(_index: _Index, _node: str, value: str, datatype: str) -> bool:
    return not value.startswith('"') or _literal(value)[1] != datatype


def _class(index: _Index, _node: str, value: str, cls: str) -> bool:
    return value.startswith('"') or cls not in index.types(value)


def _pattern(_index: _Index, _node: str, value: str, pattern: re.Pattern) -> bool:
    return value.startswith("_:") or not pattern.search(_string(value))


def _min_length(_index: _Index, _node: str, value: str, length: int) -> bool:
    return value.startswith("_:") or len(_string(value)) < length


def _in(_index: _Index, _node: str, value: str, members: set) -> bool:
    return _key(value) not in members


def _less_than_or_equals(index: _Index, node: str, value: str, other: str) -> bool:
    return any(not _less_or_equal(value, o) for o in index.values(node, other))


def _min_inclusive(_index: _Index, _node: str, value: str, least: tuple | None) -> bool:
    a = _comparable(value)  # a value that cannot be compared violates it, as in pyshacl
    return a is None or least is None or a[0] != least[0] or a[1] < least[1]


_VIOLATES: dict[str, Callable[[_Index, str, str, object], bool]] = {
    "Datatype": _datatype, "Class": _class, "Pattern": _pattern, "MinLength": _min_length,
    "In": _in, "LessThanOrEquals": _less_than_or_equals, "MinInclusive": _min_inclusive,
}  # fmt: skip
