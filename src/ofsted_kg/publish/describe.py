"""The dataset description for linked-data portals: VoID and DCAT, derived from the data.

Nothing here reads the clock: the issued and modified dates are the earliest and latest
publication dates of the stored reports, so an export stays byte-identical.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import pyoxigraph as ox

from ofsted_kg.query.formats import RDF_FORMATS
from ofsted_kg.rdf import vocab
from ofsted_kg.store.embedded import Store

OGL = "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
ONS_GEOGRAPHY = "http://statistics.data.gov.uk/id/statistical-geography/"
IANA = "https://www.iana.org/assignments/media-types/"
SPARQL_PROTOCOL = "https://www.w3.org/TR/sparql11-protocol/"

TITLE = "Ofsted inspections of English local authority children's services"
DESCRIPTION = (
    "A knowledge graph of Ofsted's inspections of English local authority children's "
    "services, extracted from the published inspection reports: inspections, graded "
    "judgements, recommendations and other findings, statistics and partner agencies, each "
    "fact traced to its report (SHA-256 of the file), page and paragraph. One named graph "
    "per report; authority codes and ONS geography links in a graph of their own."
)
RIGHTS = (
    "Data derived from Ofsted inspection reports. The reports are Crown copyright; source: "
    "Ofsted, www.ofsted.gov.uk. Contains public sector information licensed under the Open "
    "Government Licence v3.0."
)
PUBLISHER = "The ofsted-kg project"
KEYWORDS = ("Ofsted", "children's services", "inspection", "local authority", "safeguarding")

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_DCT = "http://purl.org/dc/terms/"
_DCAT = "http://www.w3.org/ns/dcat#"
_VOID = "http://rdfs.org/ns/void#"
_FOAF = "http://xmlns.com/foaf/0.1/"
_OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
_OKG = str(vocab.OKG)

# The kinds of resource a reader is shown an example of, in this order
EXAMPLE_CLASSES = ("Report", "Inspection", "Judgement", "Recommendation", "Authority")

DEFAULT_ENDPOINT = "http://127.0.0.1:7878/sparql"


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _int(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=_n(_XSD + "integer"))


def _date(iso: str) -> ox.Literal:
    return ox.Literal(iso, datatype=_n(_XSD + "date"))


def dataset_iri(store: Store) -> ox.NamedNode:
    return _n(f"{store.iris.base}dataset")


def _local(iri: str) -> str:
    """A readable, IRI-safe name for a class or property: okg-Report, dcterms-title."""
    for prefix, ns in sorted(vocab.PREFIXES.items(), key=lambda kv: -len(str(kv[1]))):
        if iri.startswith(str(ns)):
            return f"{prefix}-{iri[len(str(ns)) :]}"
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in iri.split("//", 1)[-1])


def data_triples(store: Store) -> set[ox.Triple]:
    """Distinct triples of the data graphs (reports and enrichment), the ontology left out."""
    out: set[ox.Triple] = set()
    for graph in store.data_graphs():
        out.update(store.triples(graph))
    return out


def description(store: Store, endpoint: str | None = None,
                triples: set[ox.Triple] | None = None) -> list[ox.Triple]:  # fmt: skip
    """VoID and DCAT triples describing the store's data, sorted. ``triples``: the distinct
    triples of the data graphs when the caller has read them already (an export has)."""

    endpoint = endpoint or DEFAULT_ENDPOINT
    triples = data_triples(store) if triples is None else triples
    base = store.iris.base
    d = dataset_iri(store)
    out: list[ox.Triple] = []

    def add(s: ox.NamedNode, p: str, o: ox.NamedNode | ox.Literal) -> None:
        out.append(ox.Triple(s, _n(p), o))

    rdf_type = _n(_RDF + "type")
    types: dict[ox.NamedNode | ox.BlankNode, set[str]] = defaultdict(set)
    subjects: set = set()
    objects: set = set()
    predicates: Counter[str] = Counter()
    published: list[str] = []
    same_as = 0
    for t in triples:
        subjects.add(t.subject)
        objects.add(t.object)
        predicates[t.predicate.value] += 1
        if t.predicate == rdf_type and isinstance(t.object, ox.NamedNode):
            types[t.subject].add(t.object.value)
        elif t.predicate.value == _DCT + "issued" and isinstance(t.object, ox.Literal):
            published.append(t.object.value)
        elif t.predicate.value == _OWL_SAME_AS and str(t.object).startswith(f"<{ONS_GEOGRAPHY}"):
            same_as += 1
    per_subject = Counter(t.subject for t in triples)

    add(d, _RDF + "type", _n(_VOID + "Dataset"))
    add(d, _RDF + "type", _n(_DCAT + "Dataset"))
    add(d, _DCT + "title", ox.Literal(TITLE, language="en"))
    add(d, _DCT + "description", ox.Literal(DESCRIPTION, language="en"))
    add(d, _DCT + "license", _n(OGL))
    add(d, _DCT + "rights", ox.Literal(RIGHTS, language="en"))
    add(d, _DCT + "conformsTo", _n(str(vocab.ONTOLOGY_IRI)))
    for word in KEYWORDS:
        add(d, _DCAT + "keyword", ox.Literal(word, language="en"))
    publisher = _n(f"{base}dataset/publisher")
    add(d, _DCT + "publisher", publisher)
    add(publisher, _RDF + "type", _n(_FOAF + "Organization"))
    add(publisher, _FOAF + "name", ox.Literal(PUBLISHER))
    add(d, _DCT + "source", _n("https://www.gov.uk/government/organisations/ofsted"))
    if published:
        add(d, _DCT + "issued", _date(max(published)))
        add(d, _DCT + "modified", _date(max(published)))
        period = _n(f"{base}dataset/period")
        add(d, _DCT + "temporal", period)
        add(period, _RDF + "type", _n(_DCT + "PeriodOfTime"))
        add(period, _DCAT + "startDate", _date(min(published)))
        add(period, _DCAT + "endDate", _date(max(published)))

    # VoID statistics
    add(d, _VOID + "uriSpace", ox.Literal(base))
    for prefix in ("okg", "org", "prov", "skos", "dcterms", "foaf"):
        add(d, _VOID + "vocabulary", _n(str(vocab.PREFIXES[prefix])))
    add(d, _VOID + "triples", _int(len(triples)))
    add(d, _VOID + "entities", _int(len(types)))
    add(d, _VOID + "distinctSubjects", _int(len(subjects)))
    add(d, _VOID + "distinctObjects", _int(len(objects)))
    add(d, _VOID + "properties", _int(len(predicates)))
    by_class: dict[str, list] = defaultdict(list)
    for subject, classes in types.items():
        for cls in classes:
            by_class[cls].append(subject)
    add(d, _VOID + "classes", _int(len(by_class)))
    for cls, members in sorted(by_class.items()):
        part = _n(f"{base}dataset/class-{_local(cls)}")
        add(d, _VOID + "classPartition", part)
        add(part, _VOID + "class", _n(cls))
        add(part, _VOID + "entities", _int(len(members)))
        add(part, _VOID + "triples", _int(sum(per_subject[m] for m in members)))
    for prop, count in sorted(predicates.items()):
        part = _n(f"{base}dataset/property-{_local(prop)}")
        add(d, _VOID + "propertyPartition", part)
        add(part, _VOID + "property", _n(prop))
        add(part, _VOID + "triples", _int(count))
    for local in EXAMPLE_CLASSES:
        members = sorted(
            (m for m in by_class.get(_OKG + local, []) if isinstance(m, ox.NamedNode)),
            key=lambda m: m.value,
        )
        if members:
            add(d, _VOID + "exampleResource", members[0])

    # Access: the SPARQL endpoint and one distribution per export format
    add(d, _VOID + "sparqlEndpoint", _n(endpoint))
    service = _n(f"{base}dataset/sparql")
    add(d, _DCAT + "accessService", service)
    add(service, _RDF + "type", _n(_DCAT + "DataService"))
    add(service, _DCT + "title", ox.Literal("SPARQL endpoint (ofsted-kg serve)", language="en"))
    add(service, _DCAT + "endpointURL", _n(endpoint))
    add(service, _DCAT + "servesDataset", d)
    add(service, _DCT + "conformsTo", _n(SPARQL_PROTOCOL))
    for fmt, f in RDF_FORMATS.items():
        suffix, media = f.suffix, f.media_type
        dist = _n(f"{base}dataset/distribution-{fmt}")
        add(d, _DCAT + "distribution", dist)
        add(dist, _RDF + "type", _n(_DCAT + "Distribution"))
        add(dist, _DCT + "title", ox.Literal(f"{f.title} export", language="en"))
        add(dist, _DCT + "description", ox.Literal(
            f"ofsted-kg export --format {fmt} --out ofsted-kg.{suffix}", language="en"
        ))  # fmt: skip
        add(dist, _DCAT + "mediaType", _n(IANA + media))
        add(dist, _DCT + "format", _n(IANA + media))
        add(dist, _DCT + "license", _n(OGL))

    # The owl:sameAs links to ONS statistical geography, when the authorities are loaded
    if same_as:
        ons = _n(f"{base}dataset/ons-geography")
        add(ons, _RDF + "type", _n(_VOID + "Dataset"))
        add(ons, _DCT + "title", ox.Literal("ONS statistical geographies", language="en"))
        add(ons, _VOID + "uriSpace", ox.Literal(ONS_GEOGRAPHY))
        add(ons, _FOAF + "homepage", _n("https://statistics.data.gov.uk/"))
        linkset = _n(f"{base}dataset/linkset-ons-geography")
        add(d, _VOID + "subset", linkset)
        add(linkset, _RDF + "type", _n(_VOID + "Linkset"))
        add(linkset, _VOID + "linkPredicate", _n(_OWL_SAME_AS))
        add(linkset, _VOID + "subjectsTarget", d)
        add(linkset, _VOID + "objectsTarget", ons)
        add(linkset, _VOID + "triples", _int(same_as))
    return sorted(set(out), key=str)
