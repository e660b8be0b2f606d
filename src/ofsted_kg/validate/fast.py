"""The fast SHACL engine (``--engine fast``, the default): the shapes' Core constraints
evaluated in Python over an index of a report's triples, their SPARQL-based constraints run
by Oxigraph on only the triples those queries read.

Why the project keeps an engine of its own rather than pyshacl-turbo (a Rust engine with
pyshacl's interface), measured on every report of the corpus and on a broken graph per
constraint (``benchmarks/validation.py``; the figures are in benchmarks/README.md):

- given a report as N-Triples, turbo agrees with pyshacl on every report but not on every
  broken graph (it fails an xsd:date start before an xsd:dateTime end, which pyshacl
  compares by their text), and it is more than ten times slower than this engine: it reads
  the document with rdflib's Python parser before its Rust engine starts;
- given a pyoxigraph store it is faster, still several times slower than this engine, and
  disagrees with pyshacl on most reports: it reads the store's plain strings as
  xsd:string-typed literals, which it then holds different from the shapes' plain ones in
  ``sh:in``.

The project's other engine, every constraint compiled to one SPARQL query run by Oxigraph,
was removed for this one: the same results in about half the time.

It implements the Core components the shapes use (targetClass, minCount, maxCount,
datatype, class, pattern, minLength, in, hasValue, lessThanOrEquals, minInclusive, and
sh:or of property shapes with minCount 1) and SPARQL-based constraints whose own query does
not read rdf:type; a shape that uses anything else is refused when the shapes are read,
rather than silently skipped. Each test of a value gives what SPARQL's functions give
(isLiteral, DATATYPE, REGEX over STR, STRLEN, sameTerm, <= and >=, an error taken as no
violation), and a value that cannot be compared violates lessThanOrEquals and minInclusive,
as in pyshacl (an xsd:date and an xsd:dateTime are compared by their ISO text, as rdflib
does). Triples are read by pyoxigraph's N-Triples parser: a term is an ``ox`` term, and
two terms are the same term (sameTerm) when they are equal.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from ofsted_kg.rdf import vocab
from ofsted_kg.validate.report import Result, in_order, shapes_graph

Term = ox.NamedNode | ox.BlankNode | ox.Literal

_TYPE, _SUBCLASS = ox.NamedNode(str(RDF.type)), ox.NamedNode(str(RDFS.subClassOf))
_NUMERIC = {str(XSD[t]) for t in (
    "integer", "decimal", "double", "float", "int", "long", "short", "byte",
    "nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger",
    "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte")}  # fmt: skip
_DOUBLES = {str(XSD.double), str(XSD.float)}
_STRING, _DECIMAL, _DATE, _DATE_TIME = map(str, (XSD.string, XSD.decimal, XSD.date, XSD.dateTime))
_DATES = {_DATE, _DATE_TIME}
_MANY = 1_000_000_000

# what the engine knows of a node shape and of a property shape: anything else is refused
_NODE_KEYS = {RDF.type, RDFS.label, SH.targetClass, SH.property, SH["or"], SH.sparql, SH.message}
_PROPERTY_KEYS = {
    SH.path, SH.minCount, SH.maxCount, SH.datatype, SH["class"], SH.pattern, SH.minLength,
    SH["in"], SH.hasValue, SH.lessThanOrEquals, SH.minInclusive, SH.message,
}  # fmt: skip


def _component(name: str) -> str:
    return f"{SH}{name}ConstraintComponent"


_OR, _SPARQL = _component("Or"), _component("SPARQL")


# ---------------------------------------------------------------- the shapes, read once


@dataclass(frozen=True)
class _Property:
    path: ox.NamedNode
    message: str
    counts: tuple[tuple[str, int, int], ...]  # (component, min, max)
    tests: tuple[tuple[str, Callable, object], ...]  # (component, violates, parameter) a value
    has_values: tuple[tuple[str, Term], ...]  # (component, the value it must have)


@dataclass(frozen=True)
class _Sparql:
    """A SPARQL-based constraint, its query restricted to the shape's focus nodes."""

    query: str
    classes: tuple[ox.NamedNode, ...]  # the shape's target classes
    message: str
    has_value: bool  # whether it selects ?value (shown in the message for {?value})


@dataclass(frozen=True)
class _Shape:
    targets: tuple[ox.NamedNode, ...]
    properties: tuple[_Property, ...]
    ors: tuple[tuple[tuple[ox.NamedNode, ...], str], ...]  # (paths, one with a value; message)
    sparql: tuple[_Sparql, ...]


def _ox(term: Node) -> Term:
    """An rdflib term of the shapes as the pyoxigraph term the parser gives for it."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    assert isinstance(term, Literal), term
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))


@lru_cache(maxsize=1)
def _shapes() -> tuple[_Shape, ...]:
    """The node shapes of shapes/; NotImplementedError for a feature the engine lacks."""
    g = shapes_graph()
    prefixes = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(_declared(g).items()))
    out = []
    for shape in sorted(set(g.subjects(RDF.type, SH.NodeShape))):
        unknown = set(g.predicates(shape, None)) - _NODE_KEYS
        if unknown:
            raise NotImplementedError(f"{shape} uses {sorted(map(str, unknown))}")
        classes = sorted(g.objects(shape, SH.targetClass))
        message = str(g.value(shape, SH.message) or "")
        out.append(_Shape(
            tuple(ox.NamedNode(str(c)) for c in classes),
            tuple(_property(g, p) for p in g.objects(shape, SH.property)),
            tuple((_or(g, members), message) for members in g.objects(shape, SH["or"])),
            tuple(_sparql(g, classes, c, prefixes) for c in g.objects(shape, SH.sparql)),
        ))  # fmt: skip
    return tuple(out)


def _property(g: Graph, prop: Node) -> _Property:
    unknown = set(g.predicates(prop, None)) - _PROPERTY_KEYS
    if unknown:
        raise NotImplementedError(f"property shape uses {sorted(map(str, unknown))}")
    path = g.value(prop, SH.path)
    if not isinstance(path, URIRef):
        raise NotImplementedError("only predicate paths are supported")

    def each(key: URIRef) -> list[Node]:
        return list(g.objects(prop, key))

    counts = [("MinCount", int(o), _MANY) for o in each(SH.minCount)]
    counts += [("MaxCount", 0, int(o)) for o in each(SH.maxCount)]
    tests: list[tuple[str, object]] = [("Datatype", str(o)) for o in each(SH.datatype)]
    tests += [("Class", _ox(o)) for o in each(SH["class"])]
    tests += [("Pattern", re.compile(str(o))) for o in each(SH.pattern)]
    tests += [("MinLength", int(o)) for o in each(SH.minLength)]
    tests += [("In", {_ox(m) for m in Collection(g, o)}) for o in each(SH["in"])]
    tests += [("LessThanOrEquals", _ox(o)) for o in each(SH.lessThanOrEquals)]
    tests += [("MinInclusive", _comparable(_ox(o))) for o in each(SH.minInclusive)]
    return _Property(
        ox.NamedNode(str(path)),
        str(g.value(prop, SH.message) or ""),
        tuple((_component(c), lo, hi) for c, lo, hi in counts),
        tuple((_component(c), _VIOLATES[c], x) for c, x in tests),
        tuple((_component("HasValue"), _ox(o)) for o in each(SH.hasValue)),
    )


def _or(g: Graph, members: Node) -> tuple[ox.NamedNode, ...]:
    """sh:or of property shapes that each require at least one value: their paths."""
    paths = []
    for member in Collection(g, members):
        if (
            set(g.predicates(member, None)) != {SH.path, SH.minCount}
            or int(g.value(member, SH.minCount)) != 1
        ):
            raise NotImplementedError("sh:or members must be property shapes with sh:minCount 1")
        paths.append(ox.NamedNode(str(g.value(member, SH.path))))
    return tuple(paths)


def _sparql(g: Graph, classes: list[URIRef], constraint: Node, prefixes: str) -> _Sparql:
    select = str(g.value(constraint, SH.select)).replace("$this", "?this")
    where = select.index("{")
    if re.search(r"\sa\s|rdf:type|rdf-syntax-ns#type>", select[where:]):
        # the store it runs on gives only its focus nodes their types
        raise NotImplementedError(f"a SPARQL constraint that reads rdf:type: {select}")
    if len(classes) == 1:
        target = f"?this a <{classes[0]}> ."
    else:
        target = f"VALUES ?class {{ {' '.join(f'<{c}>' for c in classes)} }} ?this a ?class ."
    # restrict the query to the shape's focus nodes, as SHACL prebinds $this to each
    query = prefixes + select[: where + 1] + f" {target} " + select[where + 1 :]
    return _Sparql(
        query,
        tuple(ox.NamedNode(str(c)) for c in classes),
        str(g.value(constraint, SH.message) or ""),
        "?value" in select[:where],
    )


def _declared(g: Graph) -> dict[str, str]:
    """{prefix: namespace} of the shapes' sh:declare."""
    return {str(g.value(d, SH.prefix)): str(g.value(d, SH.namespace))
            for d in g.objects(None, SH.declare)}  # fmt: skip


@lru_cache(maxsize=1)
def _read_by_sparql() -> Callable[[ox.NamedNode], bool]:
    """Whether the SPARQL-based constraints' queries name a predicate (as ``<iri>`` or
    ``prefix:name``): the triples their store needs, besides its focus nodes' types. A query
    that read a predicate through a variable would need more: tests/validate/ compare with
    pyshacl, which is given every triple."""
    text = " ".join(c.query for shape in _shapes() for c in shape.sparql)
    declared = _declared(shapes_graph()).items()

    @cache
    def named(p: ox.NamedNode) -> bool:
        iri = p.value
        return f"<{iri}>" in text or any(
            iri.startswith(ns) and f"{pre}:{iri[len(ns) :]}" in text for pre, ns in declared
        )

    return named


# ---------------------------------------------------------------- terms


@lru_cache(maxsize=4096)
def _comparable(term: Term) -> tuple[str, object] | None:
    """(kind, value) that SPARQL's < and <= compare within a kind; None where they fail."""
    if not isinstance(term, ox.Literal):
        return None
    lexical, datatype = term.value, term.datatype.value
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


def _less_or_equal(value: Term, other: Term) -> bool:
    """``COALESCE(?value <= ?other, IF(both dates, STR(?value) <= STR(?other), false))``,
    an error (DATATYPE of a node) taken as no violation."""
    a, b = _comparable(value), _comparable(other)
    if a is not None and b is not None and a[0] == b[0]:
        return a[1] <= b[1]  # type: ignore[operator]
    dates = [t.datatype.value in _DATES if isinstance(t, ox.Literal) else None
             for t in (value, other)]  # fmt: skip
    if False in dates:  # false && error is false in SPARQL
        return False
    if None in dates:
        return True
    return value.value <= other.value


def _display(term: Term) -> str:
    """How a result shows a term: an IRI's or blank node's text, a literal in N-Triples."""
    return str(term) if isinstance(term, ox.Literal) else term.value


# ---------------------------------------------------------------- the triples


class _Index:
    """subject -> predicate -> objects over a report's triples and the ontology's, with every
    node's types closed under rdfs:subClassOf."""

    def __init__(self, quads: Iterable[ox.Quad], ontology: _Index | None = None):
        self.spo: dict[Term, dict[ox.NamedNode, list[Term]]] = {}
        for s, p, o, _graph in quads:
            objects = self.spo.setdefault(s, {}).setdefault(p, [])
            if o not in objects:
                objects.append(o)
        self.ontology = ontology.spo if ontology else {}
        self._types: dict[Term, set[Term]] = {}
        self._supers: dict[Term, set[Term]] = {}
        self._instances: dict[Term, set[Term]] | None = None
        self._shared = ontology is not None and not any(_SUBCLASS in p for p in self.spo.values())
        if self._shared:  # the ontology's hierarchy alone: its closure is shared and cached
            self._supers = ontology._supers  # type: ignore[union-attr]
            self._ontology_instances = ontology.instances()  # type: ignore[union-attr]

    def values(self, subject: Term, path: ox.NamedNode) -> list[Term]:
        by_p = self.spo.get(subject)
        here = by_p.get(path, _NONE) if by_p else _NONE
        by_p = self.ontology.get(subject)
        there = by_p.get(path) if by_p else None
        return here + [o for o in there if o not in here] if there else here

    def types(self, node: Term) -> set[Term]:
        """Every class the node is an instance of."""
        found = self._types.get(node)
        if found is None:
            found = set().union(*map(self.supers, self.values(node, _TYPE)))
            self._types[node] = found
        return found

    def supers(self, cls: Term) -> set[Term]:
        """The class and every class above it."""
        if cls not in self._supers:
            self._supers[cls] = {cls}  # a cycle stops here
            self._supers[cls] = {cls}.union(*map(self.supers, self.values(cls, _SUBCLASS)))
        return self._supers[cls]

    def instances(self) -> dict[Term, set[Term]]:
        """class -> its instances, subclasses' included."""
        if self._instances is None:
            out: dict[Term, set[Term]] = {}
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


_NONE: list[Term] = []


def _parse(data: bytes | str) -> list[ox.Quad]:
    # lenient: IRIs are not checked against the IRI grammar, which SHACL does not judge and
    # the store checks when it loads the report (it takes most of the parser's time)
    return list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES, lenient=True))


@lru_cache(maxsize=1)
def _ontology() -> tuple[_Index, tuple[ox.Quad, ...]]:
    """The ontology's index, and its triples that the SPARQL-based constraints read."""
    quads = _parse(vocab.ontology_ntriples())
    read = _read_by_sparql()
    return _Index(quads), tuple(q for q in quads if read(q.predicate))


# ---------------------------------------------------------------- validation


def validate_ntriples(data: bytes) -> list[Result]:
    """Violations of the shapes by one report's triples (N-Triples), the ontology mixed in;
    SyntaxError (pyoxigraph's) for a document that is not N-Triples."""
    quads = _parse(data)
    ontology, ontology_read = _ontology()
    index = _Index(quads, ontology)
    results = set(_core(index))
    # the SPARQL-based constraints: a store with the triples they read and their focus
    # nodes' types (from the index, closed under the class hierarchy), not the whole report
    read = _read_by_sparql()
    checks = [check for shape in _shapes() for check in shape.sparql]
    instances = index.instances()
    store = ox.Store()
    store.extend(ontology_read)
    store.extend([ox.Quad(s, p, o) for s, by_p in index.spo.items() for p, objects in by_p.items()
                  if read(p) for o in objects])  # fmt: skip
    store.extend({ox.Quad(n, _TYPE, c) for check in checks for c in check.classes
                  for n in instances.get(c, ())})  # fmt: skip
    for check in checks:
        results.update(_run(store, check))
    return in_order(results)


def _core(index: _Index) -> Iterable[Result]:
    instances = index.instances()
    for shape in _shapes():
        for node in set().union(*(instances.get(c, ()) for c in shape.targets)):
            focus = _display(node)
            for paths, message in shape.ors:
                if not any(index.values(node, p) for p in paths):
                    yield Result(focus, None, _OR, message)
            for prop in shape.properties:
                values = index.values(node, prop.path)
                path = prop.path.value
                for component, lo, hi in prop.counts:
                    if not lo <= len(values) <= hi:
                        yield Result(focus, path, component, prop.message)
                for component, value in prop.has_values:
                    if value not in values:
                        yield Result(focus, path, component, prop.message)
                for component, violates, parameter in prop.tests:
                    for value in values:
                        if violates(index, node, value, parameter):
                            text = _display(value)
                            message = prop.message.replace("{?value}", text)
                            yield Result(focus, path, component, message, text)


def _run(store: ox.Store, check: _Sparql) -> Iterable[Result]:
    for row in store.query(check.query):
        value = row["value"] if check.has_value else None
        shown = _display(value) if value is not None else None
        message = check.message
        if shown is not None:
            message = message.replace("{?value}", shown)
        yield Result(_display(row["this"]), None, _SPARQL, message, shown)


# Each test: whether a value of a focus node violates the constraint, as SPARQL's functions
# decide it (isLiteral, DATATYPE, REGEX over STR, STRLEN, sameTerm, <= and >=).
def _datatype(_index: _Index, _node: Term, value: Term, datatype: str) -> bool:
    # a language-tagged literal's datatype is rdf:langString, as SHACL wants
    return not isinstance(value, ox.Literal) or value.datatype.value != datatype


def _class(index: _Index, _node: Term, value: Term, cls: ox.NamedNode) -> bool:
    return isinstance(value, ox.Literal) or cls not in index.types(value)


def _pattern(_index: _Index, _node: Term, value: Term, pattern: re.Pattern) -> bool:
    return isinstance(value, ox.BlankNode) or not pattern.search(value.value)


def _min_length(_index: _Index, _node: Term, value: Term, length: int) -> bool:
    return isinstance(value, ox.BlankNode) or len(value.value) < length


def _in(_index: _Index, _node: Term, value: Term, members: set[Term]) -> bool:
    return value not in members


def _less_than_or_equals(index: _Index, node: Term, value: Term, other: ox.NamedNode) -> bool:
    return any(not _less_or_equal(value, o) for o in index.values(node, other))


def _min_inclusive(_index: _Index, _node: Term, value: Term, least: tuple | None) -> bool:
    a = _comparable(value)  # a value that cannot be compared violates it, as in pyshacl
    return a is None or least is None or a[0] != least[0] or a[1] < least[1]  # type: ignore[operator]


_VIOLATES: dict[str, Callable[[_Index, Term, Term, object], bool]] = {
    "Datatype": _datatype, "Class": _class, "Pattern": _pattern, "MinLength": _min_length,
    "In": _in, "LessThanOrEquals": _less_than_or_equals, "MinInclusive": _min_inclusive,
}  # fmt: skip
