"""A fast SHACL engine for the project's shapes: each constraint compiled to one SPARQL query
run by Oxigraph.

It implements the SHACL Core components the shapes in shapes/ use (targetClass, minCount,
maxCount, datatype, class, pattern, minLength, in, hasValue, lessThanOrEquals, minInclusive,
or of property shapes with minCount) and SPARQL-based constraints. A shape that uses anything
else is refused at compile time rather than silently skipped. pyshacl stays the reference
engine: tests check that both give the same results on every report and every broken graph.
Like pyshacl, values that cannot be compared violate lessThanOrEquals (a start date typed as
a string against an xsd:date end date; an xsd:date and an xsd:dateTime are compared as
rdflib does, by their ISO text) and minInclusive (a page number typed as a string, an IRI);
tests check the engines on such broken graphs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH

from ofsted_kg.rdf import vocab
from ofsted_kg.validate.report import Result, in_order, shapes_graph

_SUPPORTED = {
    SH.path, SH.minCount, SH.maxCount, SH.datatype, SH["class"], SH.pattern, SH.minLength,
    SH["in"], SH.hasValue, SH.lessThanOrEquals, SH.minInclusive, SH.message,
}  # fmt: skip
_DATE_TYPES = (
    "(<http://www.w3.org/2001/XMLSchema#date>, <http://www.w3.org/2001/XMLSchema#dateTime>)"
)
_DATES_COMPARED = (
    f"IF(DATATYPE(?value) IN {_DATE_TYPES} && DATATYPE(?other) IN {_DATE_TYPES},"
    " STR(?value) <= STR(?other), false)"
)
_NODE_KEYS = {RDF.type, SH.targetClass, SH.property, SH["or"], SH.sparql, SH.message}
_NODE_KEYS |= {URIRef("http://www.w3.org/2000/01/rdf-schema#label")}


@dataclass(frozen=True)
class _Check:
    """One query; a row's ?check (0 when absent) picks its path, component and message."""

    query: str
    paths: tuple[str | None, ...]
    components: tuple[str, ...]
    messages: tuple[str, ...]
    classes: tuple[str, ...] = ()  # a SPARQL-based constraint's target classes
    reads_types: bool = False  # whether its own query reads rdf:type (beyond the target)

    @property
    def projection(self) -> str:
        select = self.query[self.query.index("SELECT") :]
        return select[: select.index("WHERE")]


def n3(term: URIRef | Literal) -> str:
    """A term as SPARQL and N-Triples write it: this engine writes it into its queries, and
    shacl_core keys its index of the graph on it."""
    return term.n3()


def _target(classes: list[URIRef]) -> str:
    if len(classes) == 1:
        return f"?this a {n3(classes[0])} ."
    values = " ".join(n3(c) for c in classes)
    return f"VALUES ?class {{ {values} }} ?this a ?class ."


def _shape_checks(g: Graph, shape: URIRef | BNode, target: str) -> list[_Check]:
    """A node shape's property constraints as two queries: cardinalities, and values."""
    cards: list[tuple[str, str, int, int, str]] = []  # (path, component, min, max, message)
    conds: list[tuple[str, str, str, str]] = []  # (path, component, condition, message)
    extra: list[_Check] = []
    for prop in g.objects(shape, SH.property):
        unknown = set(g.predicates(prop, None)) - _SUPPORTED
        if unknown:
            raise NotImplementedError(f"property shape uses {sorted(map(str, unknown))}")
        path = g.value(prop, SH.path)
        if not isinstance(path, URIRef):
            raise NotImplementedError("only predicate paths are supported")
        p, msg = n3(path), str(g.value(prop, SH.message) or "")
        for o in g.objects(prop, SH.minCount):
            cards.append((p, "MinCountConstraintComponent", int(o), _MANY, msg))
        for o in g.objects(prop, SH.maxCount):
            cards.append((p, "MaxCountConstraintComponent", 0, int(o), msg))

        def cond(component: str, test: str, p: str = p, msg: str = msg) -> None:
            conds.append((p, component + "ConstraintComponent", test, msg))

        for o in g.objects(prop, SH.datatype):
            # DATATYPE gives rdf:langString for a language-tagged literal, as SHACL wants
            cond("Datatype", f"(!isLiteral(?value) || DATATYPE(?value) != {n3(o)})")
        for o in g.objects(prop, SH["class"]):
            cond("Class", f"NOT EXISTS {{ ?value a {n3(o)} }}")
        for o in g.objects(prop, SH.pattern):
            regex = n3(Literal(str(o)))
            cond("Pattern", f"(isBlank(?value) || !REGEX(STR(?value), {regex}))")
        for o in g.objects(prop, SH.minLength):
            cond("MinLength", f"(isBlank(?value) || STRLEN(STR(?value)) < {int(o)})")
        for o in g.objects(prop, SH["in"]):
            members = " || ".join(f"sameTerm(?value, {n3(m)})" for m in Collection(g, o))
            cond("In", f"!({members})")
        for o in g.objects(prop, SH.lessThanOrEquals):
            other = f"?this {n3(o)} ?other"
            cond(
                "LessThanOrEquals",
                f"EXISTS {{ {other} FILTER (!COALESCE(?value <= ?other, {_DATES_COMPARED})) }}",
            )
        for o in g.objects(prop, SH.minInclusive):
            cond("MinInclusive", f"!COALESCE(?value >= {n3(o)}, false)")
        for o in g.objects(prop, SH.hasValue):
            extra.append(_Check(
                f"SELECT ?this WHERE {{ {target} FILTER NOT EXISTS {{ ?this {p} {n3(o)} }} }}",
                (str(path),), (str(SH) + "HasValueConstraintComponent",), (msg,)))  # fmt: skip
    checks = extra
    if cards:
        rows = " ".join(f"({i} {p} {lo} {hi})" for i, (p, _c, lo, hi, _m) in enumerate(cards))
        query = (f"SELECT ?check ?this WHERE {{ {target} VALUES (?check ?p ?min ?max) {{ {rows} }} "
                 f"OPTIONAL {{ ?this ?p ?v }} }} GROUP BY ?check ?this ?min ?max "
                 f"HAVING (COUNT(DISTINCT ?v) < ?min || COUNT(DISTINCT ?v) > ?max)")  # fmt: skip
        checks.append(
            _Check(query, *_columns([(_path(p), str(SH) + c, m) for p, c, _, _, m in cards]))
        )
    if conds:
        branches = " UNION ".join(
            f"{{ ?this {p} ?value FILTER ({x}) BIND ({i} AS ?check) }}"
            for i, (p, _c, x, _m) in enumerate(conds)
        )
        query = f"SELECT DISTINCT ?check ?this ?value WHERE {{ {target} {branches} }}"
        checks.append(
            _Check(query, *_columns([(_path(p), str(SH) + c, m) for p, c, _, m in conds]))
        )
    return checks


_MANY = 1_000_000_000


def _path(iri: str) -> str:
    """An IRI written as N-Triples (``<...>``) without its brackets."""
    return iri[1:-1]


def _columns(rows: list[tuple[str | None, str, str]]) -> tuple[tuple, tuple, tuple]:
    paths, components, messages = zip(*rows, strict=True)
    return tuple(paths), tuple(components), tuple(messages)


def _or_check(g: Graph, target: str, members: BNode, message: str) -> _Check:
    """sh:or of property shapes that each require at least one value."""
    alternatives = []
    for member in Collection(g, members):
        if (
            set(g.predicates(member, None)) != {SH.path, SH.minCount}
            or int(g.value(member, SH.minCount)) != 1
        ):
            raise NotImplementedError("sh:or members must be property shapes with sh:minCount 1")
        alternatives.append(f"EXISTS {{ ?this {n3(g.value(member, SH.path))} ?any }}")
    query = f"SELECT ?this WHERE {{ {target} FILTER (!({' || '.join(alternatives)})) }}"
    return _Check(query, (None,), (str(SH) + "OrConstraintComponent",), (message,))


def _sparql_check(g: Graph, classes: list[URIRef], constraint: BNode, prefixes: str) -> _Check:
    select = str(g.value(constraint, SH.select)).replace("$this", "?this")
    where = select.index("{")
    # restrict the query to the shape's focus nodes, as SHACL prebinds $this to each
    query = prefixes + select[: where + 1] + f" {_target(classes)} " + select[where + 1 :]
    message = str(g.value(constraint, SH.message) or "")
    reads_types = bool(re.search(r"\sa\s|rdf:type|rdf-syntax-ns#type>", select[where:]))
    return _Check(query, (None,), (str(SH) + "SPARQLConstraintComponent",), (message,),
                  tuple(map(str, classes)), reads_types)  # fmt: skip


def _declared(g: Graph) -> dict[str, str]:
    """{prefix: namespace} of the shapes' sh:declare."""
    return {str(g.value(d, SH.prefix)): str(g.value(d, SH.namespace))
            for d in g.objects(None, SH.declare)}  # fmt: skip


def _prefixes(g: Graph) -> str:
    lines = {f"PREFIX {prefix}: <{ns}>" for prefix, ns in _declared(g).items()}
    return "\n".join(sorted(lines)) + "\n"


@lru_cache(maxsize=1)
def compiled() -> tuple[_Check, ...]:
    """Every constraint of the shapes as a SPARQL query returning ?this (and ?value)."""
    g = shapes_graph()
    prefixes = _prefixes(g)
    checks: list[_Check] = []
    for shape in sorted(set(g.subjects(RDF.type, SH.NodeShape))):
        unknown = set(g.predicates(shape, None)) - _NODE_KEYS
        if unknown:
            raise NotImplementedError(f"{shape} uses {sorted(map(str, unknown))}")
        classes = sorted(g.objects(shape, SH.targetClass))
        target = _target(classes)
        checks.extend(_shape_checks(g, shape, target))
        for members in g.objects(shape, SH["or"]):
            checks.append(_or_check(g, target, members, str(g.value(shape, SH.message) or "")))
        for constraint in g.objects(shape, SH.sparql):
            checks.append(_sparql_check(g, classes, constraint, prefixes))
    return tuple(checks)


@lru_cache(maxsize=1)
def _sparql_constraints() -> tuple[_Check, ...]:
    """The shapes' SPARQL-based constraints (sh:sparql) alone."""
    return tuple(c for c in compiled() if c.components == (str(SH) + "SPARQLConstraintComponent",))


@lru_cache(maxsize=2)
def _named(checks: tuple[_Check, ...]) -> Callable[[str], bool]:
    """Whether a predicate IRI is named in the checks' queries (as ``<iri>`` or ``prefix:name``)."""
    text = " ".join(check.query for check in checks)
    declared = _declared(shapes_graph()).items()

    @cache
    def named(p: str) -> bool:
        return f"<{p}>" in text or any(
            p.startswith(ns) and f"{pre}:{p[len(ns) :]}" in text for pre, ns in declared
        )

    return named


@lru_cache(maxsize=4)
def _ontology_for(checks: tuple[_Check, ...], types: bool = True) -> bytes:
    named = _named(checks)
    lines = vocab.ontology_ntriples().splitlines(keepends=True)
    predicates = {line.split(" ", 2)[1][1:-1] for line in lines}
    keep = {p for p in predicates if named(p)}
    if types:
        keep |= {str(RDF.type), str(RDFS.subClassOf)}
    return "".join(line for line in lines if line.split(" ", 2)[1][1:-1] in keep).encode()


def checked_ontology() -> bytes:
    """The ontology triples a check can read, as N-Triples: types, the class hierarchy, and
    those of every predicate a check query names (as ``<iri>`` or ``prefix:name``); comments,
    definitions, domains and ranges are left out. About half the ontology's triples, it
    loads in half the time (benchmarks/README.md). A check that read the ontology through a
    variable predicate would need more: tests/test_validation_engines.py and
    tests/test_shapes.py compare with pyshacl, which is given the whole ontology."""
    return _ontology_for(compiled(), True)


def sparql_constraints() -> tuple[_Check, ...]:
    """The shapes' SPARQL-based constraints; NotImplementedError for one whose own query reads
    rdf:type, as ``validate_sparql_constraints`` gives only its focus nodes their types."""
    checks = _sparql_constraints()
    for check in checks:
        if check.reads_types:
            raise NotImplementedError(f"a SPARQL constraint that reads rdf:type: {check.query}")
    return checks


def constraint_predicates() -> Callable[[str], bool]:
    """Whether the shapes' SPARQL-based constraints name a predicate: the triples of a report
    that ``validate_sparql_constraints`` needs, with its focus nodes' types."""
    return _named(_sparql_constraints())


# close rdf:type under rdfs:subClassOf so that checks find instances with a plain "a"
_SUBCLASS_CLOSURE = """
INSERT { ?x a ?super } WHERE {
  ?x a ?class . ?class <http://www.w3.org/2000/01/rdf-schema#subClassOf>+ ?super }"""


def validate_ntriples(data: bytes) -> list[Result]:
    """Violations of the shapes by one report's triples (N-Triples), the ontology's types and
    links mixed in (``checked_ontology``).

    Each report gets a new in-memory store with the ontology and the report in its default
    graph: reusing one store and clearing the report's graph after each was slower (about
    10 ms a report), as an in-memory store grows slower with every graph cleared from it."""
    return _validate(data, compiled())


def validate_sparql_constraints(data: bytes) -> list[Result]:
    """Violations of the shapes' SPARQL-based constraints alone (shacl_core runs the rest).
    ``data`` holds the triples whose predicate ``constraint_predicates`` names and, for each
    check's focus nodes, a type triple naming one of its ``classes``; the ontology's triples
    of those predicates are added here, without the class hierarchy."""
    return _validate(data, sparql_constraints(), types=False)


def _validate(data: bytes, checks: tuple[_Check, ...], types: bool = True) -> list[Result]:
    """The checks over the data and the ontology triples they read; with ``types``, the
    ontology's types and class hierarchy too, and the data's types closed under it."""
    store = ox.Store()
    store.load(_ontology_for(checks, types), format=ox.RdfFormat.N_TRIPLES)
    store.load(data, format=ox.RdfFormat.N_TRIPLES)
    if types:
        store.update(_SUBCLASS_CLOSURE)
    return _run(store, checks)


def _run(store: ox.Store, checks: tuple[_Check, ...]) -> list[Result]:
    results = set()
    for check in checks:
        has_check, has_value = "?check" in check.projection, "?value" in check.projection
        for row in store.query(check.query):
            i = int(row["check"].value) if has_check else 0
            value = row["value"] if has_value else None
            message = check.messages[i]
            if value is not None and "{?value}" in message:
                message = message.replace("{?value}", _display(value))
            shown = _display(value) if value is not None else None
            results.add(Result(_display(row["this"]), check.paths[i], check.components[i],
                               message, shown))  # fmt: skip
    return in_order(results)


def _display(term: ox.NamedNode | ox.Literal | ox.BlankNode) -> str:
    return term.value if isinstance(term, ox.NamedNode | ox.BlankNode) else str(term)
