"""The query library: .rq files with a comment header, parameters bound as RDF terms.

Parameters are never spliced into the query text: each ``?name`` declared in a ``# param:``
line is substituted with a typed RDF term by the engine (SEP-0007 in pyoxigraph, initBindings
in rdflib), so a hostile value cannot change the query's shape. A parameter must be a
variable of the SELECT clause (pyoxigraph substitutes only those), bound by a triple pattern
so that the query also works when the parameter is left out: concepts carry a plain
``rdfs:label`` for that (``?kind_concept rdfs:label ?kind``).

A parameter's flags may name where its known values come from (``values=agency-kinds``):
a value is then matched as people write it (query/param_values.py).

A ``# scope: authority - ...`` line declares that with its ``authority`` parameter given, the
query's answer comes from that authority's reports alone: the embedded store then runs it
over those report graphs (with the ontology and enrichment graphs) instead of every graph,
so that its time does not grow with the rest of the store. tests/test_queries.py checks
each such query against the union of every graph, for every authority of the corpus.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyoxigraph as ox

from ofsted_kg.resources import resource_dir

_PARAM_RE = re.compile(r"^(\w+)\s*\((\w+)(?:,\s*([^)]*))?\)\s*(?:-\s*(.*))?$")
KINDS = ("literal", "iri", "integer", "date")
_XSD = "http://www.w3.org/2001/XMLSchema#"


class QueryError(ValueError):
    """A query that cannot be found or parameters that do not fit it."""


@dataclass
class Param:
    name: str
    kind: str  # literal | iri | integer | date
    required: bool
    description: str = ""
    values: str | None = None  # where its known values come from (query/param_values.py)


@dataclass
class Query:
    name: str
    path: Path
    text: str
    title: str = ""
    question: str = ""
    columns: list[str] = field(default_factory=list)
    params: dict[str, Param] = field(default_factory=dict)
    scope: str | None = None  # the parameter that confines the query to one authority


def library() -> dict[str, Query]:
    """Every query in queries/, by name (the file name without .rq)."""
    return {p.stem: load_query(p) for p in sorted(resource_dir("queries").glob("*.rq"))}


def find_query(name_or_file: str) -> Query:
    path = Path(name_or_file)
    if path.suffix == ".rq" and path.is_file():
        return load_query(path)
    if path.suffix == ".rq" or len(path.parts) > 1:  # a file was meant, not a library name
        raise QueryError(f"{name_or_file}: no such query file")
    candidate = resource_dir("queries") / f"{name_or_file}.rq"
    if candidate.is_file():
        return load_query(candidate)
    close = difflib.get_close_matches(name_or_file, library(), n=3, cutoff=0.6)
    if close:
        raise QueryError(f"no query named {name_or_file!r} (closest: {', '.join(close)})")
    known = ", ".join(library())
    raise QueryError(f"no query named {name_or_file!r} (known: {known})")


def load_query(path: Path) -> Query:
    text = path.read_text(encoding="utf-8")
    q = Query(path.stem, path, text)
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        key, _, value = line.lstrip("# ").partition(":")
        value = value.strip()
        if key == "title":
            q.title = value
        elif key == "question":
            q.question = value
        elif key == "columns":
            q.columns = [c.strip() for c in value.split(",") if c.strip()]
        elif key == "param":
            m = _PARAM_RE.match(value)
            if not m or m.group(2) not in KINDS:
                raise QueryError(f"{path.name}: cannot read parameter line {line!r}")
            name, kind, flags, desc = m.groups()
            tokens = [t.strip() for t in (flags or "").split(",")]
            source = next((t.partition("=")[2] for t in tokens if t.startswith("values=")), None)
            q.params[name] = Param(name, kind, "optional" not in tokens, desc or "", source)
        elif key == "scope":  # "authority - what it means"
            q.scope = value.partition(" - ")[0].strip()
    if q.scope is not None and (q.scope != "authority" or q.scope not in q.params):
        raise QueryError(f"{path.name}: scope must be 'authority', a parameter of the query")
    return q


def parse_params(pairs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """['area=Quality of provision'] -> {'area': 'Quality of provision'}."""
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"parameter {pair!r} is not NAME=VALUE")
        out[name.strip()] = value
    return out


def check_params(q: Query, values: dict[str, str]) -> None:
    unknown = set(values) - set(q.params)
    if unknown:
        allowed = ", ".join(q.params) or "none"
        raise QueryError(f"{q.name}: unknown parameter {sorted(unknown)[0]!r} (allowed: {allowed})")
    for p in q.params.values():
        if p.required and p.name not in values:
            raise QueryError(f"{q.name}: parameter {p.name!r} is required")


def bind(q: Query, values: dict[str, str]) -> dict[ox.Variable, ox.NamedNode | ox.Literal]:
    """Typed RDF terms for the parameters, checked against their declared kinds."""
    check_params(q, values)
    out: dict[ox.Variable, ox.NamedNode | ox.Literal] = {}
    for name, value in values.items():
        kind = q.params[name].kind
        try:
            if kind == "iri":
                term: ox.NamedNode | ox.Literal = ox.NamedNode(value)
            elif kind == "integer":
                term = ox.Literal(str(int(value)), datatype=ox.NamedNode(_XSD + "integer"))
            elif kind == "date":
                term = ox.Literal(
                    date.fromisoformat(value).isoformat(), datatype=ox.NamedNode(_XSD + "date")
                )
            else:
                term = ox.Literal(value)
        except ValueError as exc:
            raise QueryError(f"{q.name}: parameter {name!r} is not a valid {kind}: {exc}") from None
        out[ox.Variable(name)] = term
    return out
