"""The JSON-LD context (publish/context.jsonld) and the compaction of pyoxigraph's JSON-LD by it.

The context gives each property the ontology declares a short term, its local name
(``grade``, ``text``, ``page``, ``startDate``...), typed from the ontology's rdfs:range: an
object property's values are IRIs (``"@type": "@id"``), a datatype property's are coerced to
its datatype (``"@type": "xsd:integer"``), so that a JSON user reads ``"page": 4`` and
``"grade": "okg:grade-good"``, not ``{"@value": "4", "@type": "xsd:integer"}``. It is
generated from the ontology (``python -m ofsted_kg.publish.jsonld`` writes it; a test
checks the shipped file is what the ontology gives).

The compaction is done here, not by a JSON-LD processor (pyld is a test extra only), for the
one shape pyoxigraph writes: a flat list of node objects, one per subject. A value is
written bare under its term only when the term's coercion reads it back to the same RDF
term (an integer as a JSON number only in its canonical form); any other value of that
property keeps the expanded form under the property's compact IRI (``"okg:page"``), as a
JSON-LD processor's compaction would. Tests expand the result with pyld and compare the
triples with the N-Triples export.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from rdflib import OWL, RDF, RDFS, XSD, Graph, URIRef
from rdflib.namespace import DCTERMS

from ofsted_kg.rdf import vocab

CONTEXT_FILE = Path(__file__).resolve().parent / "context.jsonld"
RDF_TYPE_IRI = str(RDF.type)

# Prefixes of the written files besides the project's (vocab.PREFIXES)
EXTRA_PREFIXES = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
}
# Sub-folders of the base IRI that get a prefix of their own in Turtle and TriG. In JSON-LD
# those named like a property (okg:agency, okg:authority, okg:inspector) give the name to the
# property's term, the key a JSON user reads: their IRIs are written id:authority/camden.
BASE_PREFIXES = ("agency", "authority", "dataset", "inspector", "report")

# Properties of other vocabularies the data uses with one datatype, which their own
# ontologies do not state as a range (so ours does not either)
RANGES = {DCTERMS.issued: XSD.date}
# Properties the ontology uses without declaring them, given a term too
UNDECLARED = (RDFS.label, RDFS.comment)
_PROPERTY_CLASSES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                     RDF.Property)  # fmt: skip
_INTEGER = re.compile(r"-?(0|[1-9][0-9]*)")


def prefixes(base: str) -> dict[str, str]:
    """Prefix -> namespace for Turtle and TriG: the project's, then the store's base."""
    out = {p: str(ns) for p, ns in vocab.PREFIXES.items()}
    out.update(EXTRA_PREFIXES)
    out["id"] = base
    for name in BASE_PREFIXES:
        out[name] = f"{base}{name}/"
    return out


def _local(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1]


def _compact(iri: str, namespaces: dict[str, str]) -> str:
    for prefix, ns in sorted(namespaces.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns) and iri != ns:
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def generated_context(ontology: Graph | None = None) -> dict:
    """The context the ontology gives, under the default base: prefixes, then one term per
    property (sorted). A ValueError when two properties, or a property and a prefix, would
    have the same term."""
    g = vocab.ontology_graph() if ontology is None else ontology
    ctx: dict[str, object] = prefixes(vocab.DEFAULT_BASE)
    for name in BASE_PREFIXES:
        if name != "dataset" and name != "report":
            del ctx[name]
    namespaces = {k: v for k, v in ctx.items() if isinstance(v, str)}
    declared: dict[URIRef, URIRef] = {}
    for cls in _PROPERTY_CLASSES:
        for p in g.subjects(RDF.type, cls):
            if isinstance(p, URIRef):
                declared.setdefault(p, cls)
    for p in UNDECLARED:
        declared.setdefault(p, OWL.AnnotationProperty)
    terms: dict[str, dict] = {}
    for p, cls in sorted(declared.items()):
        name = _local(str(p))
        if name in ctx or name in terms:
            other = ctx.get(name) or terms[name]["@id"]
            raise ValueError(f"the JSON-LD term {name!r} would name both {p} and {other}")
        term: dict[str, str] = {"@id": _compact(str(p), namespaces)}
        ranges = [r for r in g.objects(p, RDFS.range) if isinstance(r, URIRef)]
        datatype = RANGES.get(p) or next((r for r in ranges if str(r).startswith(str(XSD))), None)
        if cls == OWL.ObjectProperty:
            term["@type"] = "@id"
        elif datatype is not None and datatype != XSD.string:
            term["@type"] = _compact(str(datatype), namespaces)
        terms[name] = term
    ctx.update(dict(sorted(terms.items())))
    return ctx


def context(base: str) -> dict:
    """The shipped context (publish/context.jsonld) with the store's base IRIs."""
    ctx = dict(json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"])
    for key, value in list(ctx.items()):
        if isinstance(value, str) and value.startswith(vocab.DEFAULT_BASE):
            ctx[key] = base + value[len(vocab.DEFAULT_BASE) :]
    return ctx


class _Terms:
    """What the compaction needs of a context: IRI -> compact IRI, property IRI -> (term,
    coercion: "@id", a datatype IRI, or None)."""

    def __init__(self, ctx: dict) -> None:
        self.namespaces = sorted(
            ((k, v) for k, v in ctx.items() if isinstance(v, str) and v.endswith(("/", "#"))),
            key=lambda kv: (-len(kv[1]), kv[0]),
        )
        prefixes = dict(self.namespaces)
        self.by_property: dict[str, tuple[str, str | None]] = {}
        for name, term in ctx.items():
            if isinstance(term, dict):
                coercion = term.get("@type")
                if coercion and coercion != "@id":
                    coercion = self.expand(coercion, prefixes)
                self.by_property[self.expand(term["@id"], prefixes)] = (name, coercion)
        self._compacted: dict[str, str] = {}  # the same predicates and nodes recur throughout

    @staticmethod
    def expand(value: str, prefixes: dict[str, str]) -> str:
        prefix, sep, rest = value.partition(":")
        return prefixes[prefix] + rest if sep and prefix in prefixes else value

    def iri(self, value: str) -> str:
        if value not in self._compacted:
            self._compacted[value] = value
            for prefix, ns in self.namespaces:
                rest = value[len(ns) :]
                if value.startswith(ns) and rest and not rest.startswith("//"):
                    self._compacted[value] = f"{prefix}:{rest}"
                    break
        return self._compacted[value]

    def expanded(self, v: dict) -> dict | str:
        """A value in the expanded form JSON-LD reads whatever the key's coercion."""
        if "@id" in v:
            return {"@id": self.iri(v["@id"])}
        if "@language" in v:
            return {"@value": v["@value"], "@language": v["@language"]}
        if "@type" in v:
            return {"@value": v["@value"], "@type": self.iri(v["@type"])}
        return v["@value"]  # a plain string: no term of ours coerces these

    def keyed(self, prop: str, v: dict) -> tuple[str, object]:
        """(key, value): under the property's term, bare when its coercion reads it back."""
        term = self.by_property.get(prop)
        if term is None:
            return self.iri(prop), self.expanded(v)
        name, coercion = term
        if coercion == "@id":
            if "@id" in v:
                return name, self.iri(v["@id"])
            return self.iri(prop), self.expanded(v)
        if coercion is not None:
            if v.get("@type") != coercion or "@language" in v:
                return self.iri(prop), self.expanded(v)
            return name, _native(v["@value"], coercion)
        return name, self.expanded(v)


def _native(lexical: str, datatype: str) -> object:
    """The JSON value a term coerced to ``datatype`` reads back as ``lexical``: a number or
    a boolean in their canonical forms (JSON-LD writes those back as they were), else the
    string."""
    if datatype == str(XSD.integer) and _INTEGER.fullmatch(lexical) and len(lexical) < 21:
        return int(lexical)
    if datatype == str(XSD.boolean) and lexical in ("true", "false"):
        return lexical == "true"
    return lexical


def compact_jsonld(expanded: bytes, base: str) -> bytes:
    """pyoxigraph's JSON-LD (expanded: full IRIs, every value an array) compacted with the
    shipped context: short terms for properties, values bare as their terms coerce them,
    compact IRIs, rdf:type as @type, single values out of their arrays, keys sorted."""
    ctx = context(base)
    terms = _Terms(ctx)
    graph = []
    for node in json.loads(expanded):
        out: dict = {"@id": terms.iri(node["@id"])}
        types: list[str] = []
        props: dict[str, list] = {}
        for key, values in node.items():
            if key == "@id":
                continue
            for v in values:
                if key == RDF_TYPE_IRI and set(v) == {"@id"}:
                    types.append(terms.iri(v["@id"]))
                else:
                    k, value = terms.keyed(key, v)
                    props.setdefault(k, []).append(value)
        if types:
            out["@type"] = types if len(types) > 1 else types[0]
        for key in sorted(props):
            out[key] = props[key] if len(props[key]) > 1 else props[key][0]
        graph.append(out)
    doc = {"@context": ctx, "@graph": graph}
    return (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode()


def context_document() -> str:
    """The text of publish/context.jsonld, as the ontology gives it: one entry a line."""
    entries = [f"    {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}"
               for k, v in generated_context().items()]  # fmt: skip
    return '{\n  "@context": {\n' + ",\n".join(entries) + "\n  }\n}\n"


if __name__ == "__main__":  # python -m ofsted_kg.publish.jsonld: write the shipped context
    CONTEXT_FILE.write_text(context_document(), encoding="utf-8")
    print(f"wrote {CONTEXT_FILE}", file=sys.stderr)
