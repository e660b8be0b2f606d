"""The dataset description for linked-data portals: VoID and DCAT, derived from the data.

Nothing here reads the clock, so the description is the same for the same store:

- the temporal coverage is that of the inspections the data describes (the earliest
  okg:startDate to the latest okg:endDate), not of the reports' publication dates, which
  many reports do not print;
- issued and modified are the store's ingest history (store/history.py: when reports were
  first ingested and when the data last changed), kept in the store's settings, not in its
  graphs; a store that has no history recorded (made before it was kept, or behind an
  endpoint) states neither;
- where the data is published is told (``Publication``): the SPARQL endpoint and the folder
  the export files are put in (``--base-url``), which give each distribution its
  dcat:accessURL and dcat:downloadURL; the publisher and a contact point.

``SHAPES_FILE`` holds SHACL shapes of what DCAT-AP 3.0 makes mandatory (and the ranges it
gives) for the classes used here, checked in tests/publish: no well-kept copy of the
DCAT-AP shapes is packaged for PyPI or Debian to validate against offline.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ofsted_kg.query.formats import RDF_FORMATS
from ofsted_kg.rdf import vocab
from ofsted_kg.store import history
from ofsted_kg.store.embedded import ONTOLOGY_GRAPH, Store

OGL = "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
ONS_GEOGRAPHY = "http://statistics.data.gov.uk/id/statistical-geography/"
IANA = "https://www.iana.org/assignments/media-types/"
SPARQL_PROTOCOL = "https://www.w3.org/TR/sparql11-protocol/"
SHAPES_FILE = Path(__file__).resolve().parent / "dcat-ap-shapes.ttl"

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
ONTOLOGY_TITLE = "The ofsted-kg ontology and concept schemes"
ONTOLOGY_DESCRIPTION = (
    "The classes and properties of the data and its concept schemes (kinds of finding, "
    "themes, grades, frameworks, judgement areas), each with its label: part of every "
    "export, in N-Quads and TriG as the named graph <{graph}>."
)
PUBLISHER = "The ofsted-kg project"
# The project's persistent identifier space (its ontology and default base IRIs are under it)
CONTACT = "https://w3id.org/ofsted-kg/"
KEYWORDS = ("Ofsted", "children's services", "inspection", "local authority", "safeguarding")
# The export files are named FILE_STEM.suffix where they are published (``--base-url``)
FILE_STEM = "ofsted-kg"

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_DCT = "http://purl.org/dc/terms/"
_DCAT = "http://www.w3.org/ns/dcat#"
_VOID = "http://rdfs.org/ns/void#"
_FOAF = "http://xmlns.com/foaf/0.1/"
_VCARD = "http://www.w3.org/2006/vcard/ns#"
_OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
_OKG = str(vocab.OKG)

# The kinds of resource a reader is shown an example of, in this order
EXAMPLE_CLASSES = ("Report", "Inspection", "Judgement", "Recommendation", "Authority")

DEFAULT_ENDPOINT = "http://127.0.0.1:7878/sparql"


@dataclass(frozen=True)
class Publication:
    """Where and by whom the data is published: what the description says of access.

    ``endpoint``: the SPARQL endpoint. ``base_url``: the folder (URL) the export files are
    put in, as FILE_STEM.suffix; without it a distribution's access URL is the endpoint and
    it has no download URL. ``contact``: an email address or a URL. ``ontology``: the
    exports hold the ontology's graph (``export --no-ontology`` leaves it out).
    """

    endpoint: str = DEFAULT_ENDPOINT
    base_url: str | None = None
    publisher: str = PUBLISHER
    contact: str = CONTACT
    ontology: bool = True

    def __post_init__(self) -> None:
        for name in ("endpoint", "base_url"):
            value = getattr(self, name)
            if value is not None and not _is_web_url(value):
                raise ValueError(f"{name.replace('_', '-')} must be an http(s) URL, not {value!r}")
        if not self.publisher.strip():
            raise ValueError("the publisher's name is empty")
        contact_iri(self.contact)  # raises ValueError with the reason

    def download_url(self, suffix: str) -> str | None:
        if self.base_url is None:
            return None
        return f"{self.base_url.rstrip('/')}/{FILE_STEM}.{suffix}"


def _is_web_url(value: str) -> bool:
    if not value.startswith(("http://", "https://")) or len(value.split("//", 1)[1]) < 1:
        return False
    try:
        ox.NamedNode(value)
    except ValueError:
        return False
    return True


def contact_iri(contact: str) -> tuple[str, str]:
    """(vCard property, IRI) for a contact: an email address (mailto:) or an http(s) URL."""
    value = contact.strip()
    address = value.removeprefix("mailto:")
    if "@" in address and "/" not in address and " " not in address:
        local, _, domain = address.partition("@")
        if local and "." in domain:
            return _VCARD + "hasEmail", f"mailto:{address}"
    elif _is_web_url(value):
        return _VCARD + "hasURL", value
    raise ValueError(f"the contact must be an email address or an http(s) URL, not {contact!r}")


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _int(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=_n(_XSD + "integer"))


def _date(iso: str) -> ox.Literal:
    return ox.Literal(iso, datatype=_n(_XSD + "date"))


def _datetime(iso: str) -> ox.Literal:
    return ox.Literal(iso, datatype=_n(_XSD + "dateTime"))


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


def ontology_triples(store: Store) -> list[ox.Triple]:
    """The ontology's graph as the store holds it (the one its data and queries were made
    with), or this version's when the store holds none (an endpoint loaded by hand)."""
    held = list(store.triples(ONTOLOGY_GRAPH))
    if held:
        return held
    return [q.triple for q in ox.parse(vocab.ontology_ntriples(), format=ox.RdfFormat.N_TRIPLES)]


def coverage(triples: set[ox.Triple]) -> tuple[str, str] | None:
    """The earliest okg:startDate and the latest okg:endDate (or start, when no end is
    stated) of the inspections in the data, as ISO dates; None when there is none."""
    rdf_type, inspection = _n(_RDF + "type"), _n(_OKG + "Inspection")
    start, end, date = _n(_OKG + "startDate"), _n(_OKG + "endDate"), _n(_XSD + "date")
    inspections: set = set()
    starts: dict = {}
    ends: dict = {}
    for t in triples:
        if t.predicate == rdf_type and t.object == inspection:
            inspections.add(t.subject)
        elif t.predicate in (start, end) and isinstance(t.object, ox.Literal):
            if t.object.datatype == date:
                (starts if t.predicate == start else ends).setdefault(t.subject, []).append(
                    t.object.value
                )
    firsts = [min(starts[i]) for i in inspections if i in starts]
    lasts = [max(ends.get(i) or starts[i]) for i in inspections if i in starts or i in ends]
    if not firsts or not lasts:
        return None
    return min(firsts), max(lasts)


def description(store: Store, publication: Publication | None = None,
                triples: set[ox.Triple] | None = None,
                ontology: list[ox.Triple] | None = None) -> list[ox.Triple]:  # fmt: skip
    """VoID and DCAT triples describing the store's data, sorted. ``triples``: the distinct
    triples of the data graphs, ``ontology`` those of the ontology's graph, when the caller
    has read them already (an export has)."""

    pub = publication or Publication()
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
    same_as = 0
    for t in triples:
        subjects.add(t.subject)
        objects.add(t.object)
        predicates[t.predicate.value] += 1
        if t.predicate == rdf_type and isinstance(t.object, ox.NamedNode):
            types[t.subject].add(t.object.value)
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
    add(publisher, _FOAF + "name", ox.Literal(pub.publisher))
    contact = _n(f"{base}dataset/contact")
    add(d, _DCAT + "contactPoint", contact)
    add(contact, _RDF + "type", _n(_VCARD + "Organization"))
    add(contact, _VCARD + "fn", ox.Literal(pub.publisher))
    how, where = contact_iri(pub.contact)
    add(contact, how, _n(where))
    add(d, _DCT + "source", _n("https://www.gov.uk/government/organisations/ofsted"))
    kept = store.history()
    if history.FIRST_INGEST in kept:
        add(d, _DCT + "issued", _datetime(kept[history.FIRST_INGEST]))
    if history.LAST_CHANGE in kept:
        add(d, _DCT + "modified", _datetime(kept[history.LAST_CHANGE]))
    covered = coverage(triples)
    if covered:
        period = _n(f"{base}dataset/period")
        add(d, _DCT + "temporal", period)
        add(period, _RDF + "type", _n(_DCT + "PeriodOfTime"))
        add(period, _DCAT + "startDate", _date(covered[0]))
        add(period, _DCAT + "endDate", _date(covered[1]))

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

    # The ontology's graph, part of every export unless left out
    onto = None
    if pub.ontology:
        onto_triples = ontology_triples(store) if ontology is None else ontology
        onto = _n(f"{base}dataset/ontology")
        add(onto, _RDF + "type", _n(_VOID + "Dataset"))
        add(onto, _DCT + "title", ox.Literal(ONTOLOGY_TITLE, language="en"))
        add(onto, _DCT + "description", ox.Literal(
            ONTOLOGY_DESCRIPTION.format(graph=ONTOLOGY_GRAPH.value), language="en"
        ))  # fmt: skip
        add(onto, _DCT + "source", _n(str(vocab.ONTOLOGY_IRI)))
        add(onto, _VOID + "triples", _int(len(set(onto_triples))))
        add(onto, _VOID + "uriSpace", ox.Literal(_OKG))

    # Access: the SPARQL endpoint and one distribution per export format
    endpoint = _n(pub.endpoint)
    add(d, _VOID + "sparqlEndpoint", endpoint)
    service = _n(f"{base}dataset/sparql")
    add(d, _DCAT + "accessService", service)
    add(service, _RDF + "type", _n(_DCAT + "DataService"))
    add(service, _DCT + "title", ox.Literal("SPARQL endpoint (ofsted-kg serve)", language="en"))
    add(service, _DCAT + "endpointURL", endpoint)
    add(service, _DCAT + "servesDataset", d)
    add(service, _DCT + "conformsTo", _n(SPARQL_PROTOCOL))
    for fmt, f in RDF_FORMATS.items():
        suffix, media = f.suffix, f.media_type
        dist = _n(f"{base}dataset/distribution-{fmt}")
        add(d, _DCAT + "distribution", dist)
        add(dist, _RDF + "type", _n(_DCAT + "Distribution"))
        add(dist, _DCT + "title", ox.Literal(f"{f.title} export", language="en"))
        flags = "" if pub.ontology else " --no-ontology"
        add(dist, _DCT + "description", ox.Literal(
            f"ofsted-kg export --format {fmt}{flags} --out {FILE_STEM}.{suffix}", language="en"
        ))  # fmt: skip
        add(dist, _DCAT + "mediaType", _n(IANA + media))
        add(dist, _DCT + "format", _n(IANA + media))
        add(dist, _DCT + "license", _n(OGL))
        download = pub.download_url(suffix)
        if download is None:  # reached through the endpoint alone
            add(dist, _DCAT + "accessURL", endpoint)
            add(dist, _DCAT + "accessService", service)
        else:
            add(dist, _DCAT + "accessURL", _n(pub.base_url))
            add(dist, _DCAT + "downloadURL", _n(download))
        if onto is not None:
            add(dist, _DCT + "hasPart", onto)

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


def shape_violations(triples: list[ox.Triple]) -> list[str]:
    """What a description lacks against SHAPES_FILE (DCAT-AP's mandatory properties and
    ranges), one line each, sorted; empty when it conforms."""
    from pyshacl import validate
    from rdflib import Graph, Namespace

    sh = Namespace("http://www.w3.org/ns/shacl#")
    data = Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode(),
                         format="nt")  # fmt: skip
    shapes = Graph().parse(SHAPES_FILE, format="turtle")
    _conforms, report, _text = validate(data, shacl_graph=shapes, inference="none")
    lines = []
    for result in report.objects(None, sh.result):
        focus, path = report.value(result, sh.focusNode), report.value(result, sh.resultPath)
        message = report.value(result, sh.resultMessage)
        lines.append(f"{focus} {path}: {message}")
    return sorted(lines)
