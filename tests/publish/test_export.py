"""Exports in five formats: byte-identical whatever the order of ingest, read back to the same
graph by rdflib, by Debian's rapper and (JSON-LD) by pyld; self-contained (the ontology, its
concept schemes and labels in each); the VoID and DCAT description."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, RDFS, SKOS, VOID

from ofsted_kg import api
from ofsted_kg.cli import main
from ofsted_kg.publish import describe
from ofsted_kg.publish import jsonld as jsonld_module
from ofsted_kg.publish.export import CONTEXT_FILE, FORMATS, serialize
from ofsted_kg.query.formats import RDF_FORMATS, rdf_format
from ofsted_kg.rdf import vocab
from ofsted_kg.store.embedded import ONTOLOGY_GRAPH

ID = Namespace("https://w3id.org/ofsted-kg/id/")
OKG = Namespace("https://w3id.org/ofsted-kg/ontology#")
OGL = URIRef("http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/")
DATASET = ID["dataset"]
RDFLIB_FORMAT = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld"}
ONTOLOGY = Graph().parse(data=vocab.ontology_ntriples(), format="nt")

# Two authorities of the seeds, in the columns of ../shared/reference/local-authorities.csv
AUTHORITIES_CSV = """\
urn,la_code,la_code_new,stat_neighbours_la_code,local_authority_ons_name,region_name,ons_la_type
80491,202,E09000007,E09000019,Camden,London,London Borough
80505,206,E09000019,E09000007,Islington,London,London Borough
"""


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def authorities_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("authorities") / "local-authorities.csv"
    path.write_text(AUTHORITIES_CSV, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def stores(
    tmp_path_factory: pytest.TempPathFactory, seeds: list[Path], authorities_csv: Path
) -> tuple[api.Store, api.Store]:
    """The seeds and two authorities, stored in opposite orders (authorities first in b)."""
    root = tmp_path_factory.mktemp("export-stores")
    a = api.open_store(root / "a")
    assert api.ingest(seeds, a, jobs=1).ok
    api.enrich_authorities(authorities_csv, a)
    b = api.open_store(root / "b")
    api.enrich_authorities(authorities_csv, b)
    for seed in reversed(seeds):
        assert api.ingest([seed], b, jobs=1).ok
    return a, b


@pytest.fixture(scope="module")
def exports(stores: tuple[api.Store, api.Store], tmp_path_factory: pytest.TempPathFactory):
    """Format -> file exported from store a."""
    folder = tmp_path_factory.mktemp("exports")
    out = {}
    for fmt, (suffix, _media) in FORMATS.items():
        out[fmt] = folder / f"kg.{suffix}"
        out[fmt].write_bytes(api.export(fmt, stores[0]))
    return out


def _nt_graph(path: Path) -> Graph:
    return Graph().parse(path, format="nt")


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_same_bytes_whatever_the_order_of_ingest(
    stores: tuple[api.Store, api.Store], exports: dict[str, Path], fmt: str
) -> None:
    _a, b = stores
    assert exports[fmt].read_bytes() == api.export(fmt, b)
    assert exports[fmt].read_bytes() == api.export(fmt, b)  # and twice over


def test_every_format_reads_back_to_the_same_graph(exports: dict[str, Path]) -> None:
    expected = _nt_graph(exports["ntriples"])
    assert len(expected) > 3000
    for fmt, parse_as in RDFLIB_FORMAT.items():
        assert set(Graph().parse(exports[fmt], format=parse_as)) == set(expected), fmt
    for fmt in ("nquads", "trig"):
        ds = Dataset()
        ds.parse(exports[fmt], format=fmt)
        union = {(s, p, o) for s, p, o, _g in ds.quads((None, None, None, None))}
        assert union == set(expected), fmt


def test_named_graphs_per_report_enrichment_and_description(
    stores: tuple[api.Store, api.Store], exports: dict[str, Path]
) -> None:
    graphs = {line.rsplit(" ", 2)[1] for line in exports["nquads"].read_text().splitlines()}
    reports = {g for g in graphs if g.startswith(f"<{ID}graph/report/")}
    assert len(reports) == 5
    assert graphs - reports == {f"<{ID}graph/authorities>", f"<{ID}dataset/description>",
                                "<https://w3id.org/ofsted-kg/ontology>"}  # fmt: skip
    ds = Dataset()
    ds.parse(exports["trig"], format="trig")
    names = {str(g.identifier) for g in ds.graphs() if len(g)}
    assert {f"<{n}>" for n in names} >= graphs


def test_turtle_is_prefixed_and_readable(exports: dict[str, Path]) -> None:
    text = exports["turtle"].read_text()
    header = [line for line in text.splitlines() if line.startswith("@prefix ")]
    assert "@prefix agency: <https://w3id.org/ofsted-kg/id/agency/> ." in header
    assert "@prefix okg: <https://w3id.org/ofsted-kg/ontology#> ." in header
    assert text.startswith("\n".join(header) + "\n")  # every prefix at the top
    assert "\nauthority:camden a okg:Authority ;\n" in text  # rdf:type first, as 'a'
    assert 'okg:gssCode "E09000007"' in text
    assert re.search(r"\n\tokg:charStart \d+ [;.,]", text)  # integers written bare
    assert "^^xsd:date" in text and "^^<http://www.w3.org/2001/XMLSchema#" not in text
    body = text.split("\n", len(header))[-1]
    assert "<https://w3id.org/ofsted-kg/id/" not in body  # the data's IRIs all prefixed


def test_trig_names_each_graph_once(exports: dict[str, Path]) -> None:
    heads = [line for line in exports["trig"].read_text().splitlines() if line.endswith("{")]
    assert heads[0] == "dataset:description {"
    assert heads[-1] == "<https://w3id.org/ofsted-kg/ontology> {"
    assert len(heads) == len(set(heads)) == 5 + 3  # reports, authorities, description, ontology


def test_jsonld_uses_the_shipped_context(exports: dict[str, Path]) -> None:
    doc = json.loads(exports["jsonld"].read_text())
    shipped = json.loads(CONTEXT_FILE.read_text())["@context"]
    assert doc["@context"] == shipped  # the default base: the shipped context as it is
    ids = [node["@id"] for node in doc["@graph"]]
    assert ids == sorted(ids) or len(set(ids)) == len(ids)
    camden = next(n for n in doc["@graph"] if n["@id"] == "id:authority/camden")
    assert camden["@type"] == "okg:Authority"
    assert camden["owl:sameAs"] == {
        "@id": "http://statistics.data.gov.uk/id/statistical-geography/E09000007"
    }


def test_jsonld_expands_with_pyld_to_the_same_graph(exports: dict[str, Path]) -> None:
    jsonld = pytest.importorskip("pyld.jsonld", reason="pyld is in the test extra")
    doc = json.loads(exports["jsonld"].read_text())
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads"})
    assert set(Graph().parse(data=nquads, format="nt")) == set(_nt_graph(exports["ntriples"]))
    expanded = jsonld.expand(doc)
    assert len(expanded) == len(doc["@graph"])


def _rapper_count(path: Path, syntax: str) -> int:
    result = subprocess.run(
        ["rapper", "--count", "--input", syntax, str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert "Error" not in result.stderr, result.stderr
    line = next(s for s in result.stderr.splitlines() if "Parsing returned" in s)
    return int(line.split("returned ")[1].split()[0])


@pytest.mark.skipif(
    shutil.which("rapper") is None,
    reason="rapper is absent (Debian's raptor2-utils; .ci/run installs it)",
)
def test_rapper_reads_the_same_number_of_statements(exports: dict[str, Path]) -> None:
    triples = len(exports["ntriples"].read_text().splitlines())
    quads = len(exports["nquads"].read_text().splitlines())
    assert triples == len(_nt_graph(exports["ntriples"]))
    assert quads > triples  # an authority's type is stated in each graph that names it
    assert _rapper_count(exports["turtle"], "turtle") == triples
    assert _rapper_count(exports["ntriples"], "ntriples") == triples
    assert _rapper_count(exports["nquads"], "nquads") == quads
    assert _rapper_count(exports["trig"], "trig") == quads


# ---------------------------------------------------------------- self-contained exports


def _read(path: Path, fmt: str) -> Graph:
    """An export as rdflib reads it: the union of its graphs."""
    if fmt in RDFLIB_FORMAT:
        return Graph().parse(path, format=RDFLIB_FORMAT[fmt])
    ds = Dataset()
    ds.parse(path, format=fmt)
    g = Graph()
    for s, p, o, _g in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def _okg_terms(g: Graph) -> set[URIRef]:
    """Every okg: IRI the graph uses as a class, a property or a concept (any position)."""
    found = {x for t in g for x in t if isinstance(x, URIRef) and str(x).startswith(str(OKG))}
    return found - {URIRef(str(OKG))}  # the namespace itself: void:vocabulary's object


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_okg_term_is_labelled_in_the_same_export(exports: dict[str, Path], fmt: str) -> None:
    g = _read(exports[fmt], fmt)
    terms = _okg_terms(g)
    assert len(terms) > 150
    unlabelled = sorted(t for t in terms if g.value(t, RDFS.label) is None)
    assert unlabelled == []
    assert str(g.value(OKG["theme-early-help"], RDFS.label)) == "Early help"
    kinds = set(g.objects(None, OKG.findingKind))
    assert len(kinds) >= 4 and all(g.value(k, RDFS.label) is not None for k in kinds)
    # the concept schemes with their labels, each concept used in one
    schemes = set(g.subjects(RDF.type, SKOS.ConceptScheme))
    assert len(schemes) >= 5 and all(g.value(x, RDFS.label) or g.value(x, SKOS.prefLabel)
                                     for x in schemes)  # fmt: skip
    assert all(g.value(k, SKOS.inScheme) in schemes for k in kinds)
    classes = set(g.objects(None, RDF.type)) & terms
    assert all((c, RDF.type, OWL.Class) in g for c in classes)


def test_the_ontology_is_its_own_graph_and_the_description_names_it(
    exports: dict[str, Path],
) -> None:
    ds = Dataset()
    ds.parse(exports["nquads"], format="nquads")
    ontology = ds.graph(URIRef(str(vocab.ONTOLOGY_IRI)))
    assert set(ontology) == set(ONTOLOGY)  # what the store holds: this version's ontology
    d = ds.graph(ID["dataset/description"])
    part = ID["dataset/ontology"]
    assert d.value(part, VOID.triples).toPython() == len(ONTOLOGY)
    assert "ontology" in str(d.value(part, DCTERMS.title))
    dists = set(d.objects(DATASET, DCAT.distribution))
    assert len(dists) == 5 and all((x, DCTERMS.hasPart, part) in d for x in dists)


def test_no_ontology_leaves_it_out(seed_store: api.Store) -> None:
    code, out, _ = run("export", "--store", str(seed_store.path), "--format", "nquads",
                       "--no-ontology")  # fmt: skip
    assert code == 0
    assert "<https://w3id.org/ofsted-kg/ontology> .\n" not in out
    assert f"<{OKG}theme-early-help> <{RDFS.label}>" not in out
    assert "/graph/report/" in out
    ds = Dataset()
    ds.parse(data=out, format="nquads")
    d = ds.graph(ID["dataset/description"])
    assert not set(d.objects(None, DCTERMS.hasPart))
    assert (ID["dataset/ontology"], None, None) not in d
    assert "--no-ontology" in str(d.value(ID["dataset/distribution-turtle"], DCTERMS.description))
    assert out.encode() == api.export("nquads", seed_store, ontology=False)


# ---------------------------------------------------------------- the dataset description


@pytest.fixture(scope="module")
def description(exports: dict[str, Path]) -> Graph:
    ds = Dataset()
    ds.parse(exports["trig"], format="trig")
    return ds.graph(ID["dataset/description"])


def test_description_names_licence_publisher_and_attribution(description: Graph) -> None:
    d = description
    assert (DATASET, RDF.type, VOID.Dataset) in d and (DATASET, RDF.type, DCAT.Dataset) in d
    assert "children's services" in str(d.value(DATASET, DCTERMS.title))
    assert d.value(DATASET, DCTERMS.license) == OGL
    rights = str(d.value(DATASET, DCTERMS.rights))
    assert "Crown copyright" in rights and "Ofsted" in rights
    assert d.value(d.value(DATASET, DCTERMS.publisher), FOAF.name) is not None
    assert d.value(DATASET, DCTERMS.conformsTo) == URIRef("https://w3id.org/ofsted-kg/ontology")


def test_description_counts_match_the_data(description: Graph, exports) -> None:
    d, data = description, _nt_graph(exports["ntriples"])
    data_only = set(data) - set(d) - set(ONTOLOGY)
    assert d.value(DATASET, VOID.triples) == Literal(len(data_only))
    partitions = {d.value(p, VOID["class"]): p for p in d.objects(DATASET, VOID.classPartition)}
    for cls in (OKG.Report, OKG.Judgement, OKG.Authority, OKG.Recommendation):
        instances = set(data.subjects(RDF.type, cls))
        assert d.value(partitions[cls], VOID.entities).toPython() == len(instances), cls
        owned = sum(1 for s, _p, _o in data_only if s in instances)
        assert d.value(partitions[cls], VOID.triples).toPython() == owned, cls
    assert d.value(partitions[OKG.Report], VOID.entities).toPython() == 5
    examples = set(d.objects(DATASET, VOID.exampleResource))
    assert len(examples) == 5 and all((e, None, None) in data for e in examples)


def test_description_distributions_endpoint_and_linkset(description: Graph) -> None:
    d = description
    media = {str(d.value(x, DCAT.mediaType)) for x in d.objects(DATASET, DCAT.distribution)}
    assert media == {
        f"https://www.iana.org/assignments/media-types/{m}" for _s, m in FORMATS.values()
    }
    assert d.value(DATASET, VOID.sparqlEndpoint) == URIRef("http://127.0.0.1:7878/sparql")
    service = d.value(DATASET, DCAT.accessService)
    assert d.value(service, DCAT.endpointURL) == URIRef("http://127.0.0.1:7878/sparql")
    (linkset,) = d.objects(DATASET, VOID.subset)
    assert (linkset, RDF.type, VOID.Linkset) in d
    assert d.value(linkset, VOID.linkPredicate) == OWL.sameAs
    assert d.value(linkset, VOID.subjectsTarget) == DATASET
    assert d.value(linkset, VOID.triples).toPython() == 2  # Camden and Islington
    target = d.value(linkset, VOID.objectsTarget)
    assert "statistical-geography" in str(d.value(target, VOID.uriSpace))


def test_no_linkset_without_enrichment_and_endpoint_is_configurable(seed_store: api.Store) -> None:
    store = str(seed_store.path)
    code, out, _ = run("describe", "--store", store, "--format", "ntriples",
                       "--endpoint", "https://example.org/sparql")  # fmt: skip
    assert code == 0
    g = Graph().parse(data=out, format="nt")
    assert g.value(DATASET, VOID.sparqlEndpoint) == URIRef("https://example.org/sparql")
    assert not set(g.subjects(RDF.type, VOID.Linkset))
    assert g.value(DATASET, VOID.triples) is not None
    code, out, _ = run("export", "--store", store, "--format", "nquads", "--no-description")
    assert code == 0 and "/dataset" not in out and "/graph/report/" in out


# ---------------------------------------------------------------- pyoxigraph's writers


def _store_quads(store: api.Store) -> list[ox.Quad]:
    """The data graphs' quads read straight from the store, the ontology's and the
    description's."""
    out = [ox.Quad(t.subject, t.predicate, t.object, g)
           for g in [*store.data_graphs(), ONTOLOGY_GRAPH] for t in store.triples(g)]  # fmt: skip
    graph = ox.NamedNode(f"{store.iris.base}dataset/description")
    out += [ox.Quad(t.subject, t.predicate, t.object, graph) for t in describe.description(store)]
    return out


def test_nquads_are_what_pyoxigraph_writes_for_the_sorted_quads(seed_store: api.Store) -> None:
    quads = _store_quads(seed_store)
    by_terms = sorted(quads, key=lambda q: (str(q.subject), str(q.predicate), str(q.object),
                                            str(q.graph_name)))  # fmt: skip
    expected = ox.serialize(by_terms, format=ox.RdfFormat.N_QUADS)
    written = api.export("nquads", seed_store)
    assert written == expected
    lines = written.decode().splitlines()
    assert len(lines) == len(set(quads)) > 3000
    assert lines == sorted(lines)  # whole lines sort as the terms do (a space ends each term)
    assert not api.export("nquads", seed_store).startswith(b"@")  # no header


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_each_format_reads_back_to_the_same_quads(
    stores: tuple[api.Store, api.Store], exports: dict[str, Path], fmt: str
) -> None:
    quads = set(_store_quads(stores[0]))
    f = RDF_FORMATS[fmt]
    read = set(ox.parse(path=exports[fmt], format=f.engine))
    if f.datasets:
        assert read == quads
    else:  # the union of the graphs, in the default graph
        assert {q.graph_name for q in read} == {ox.DefaultGraph()}
        assert {q.triple for q in read} == {q.triple for q in quads}


def test_jsonld_values_are_compacted_through_the_context(exports: dict[str, Path]) -> None:
    doc = json.loads(exports["jsonld"].read_text())
    report = next(n for n in doc["@graph"] if n.get("@type") == "okg:Report")
    assert report["@id"].startswith("report:")
    assert isinstance(report["sha256"], str)  # a plain string bare
    dataset = next(n for n in doc["@graph"] if n["@id"] == "id:dataset")
    assert sorted(dataset["@type"]) == ["dcat:Dataset", "void:Dataset"]  # several: a list
    assert {"@value": "Ofsted", "@language": "en"} in dataset["dcat:keyword"]
    # a dateTime under dcterms:issued, whose term is typed xsd:date: expanded, by its IRI
    assert set(dataset["dcterms:issued"]) == {"@value", "@type"}
    assert dataset["dcterms:issued"]["@type"] == "xsd:dateTime"


def _values(node: object) -> list:
    if isinstance(node, dict):
        return [node, *(v for x in node.values() for v in _values(x))]
    if isinstance(node, list):
        return [v for x in node for v in _values(x)]
    return [node]


def test_jsonld_reads_as_plain_json(exports: dict[str, Path]) -> None:
    """Short keys, numbers as numbers, dates as strings, links as compact IRIs (problem 4:
    keys were "okg:grade" and values {"@value": "427", "@type": "xsd:integer"})."""
    doc = json.loads(exports["jsonld"].read_text())
    nodes = doc["@graph"]
    finding = next(n for n in nodes if n.get("@type") == "okg:Finding" and "paragraph" in n)
    assert isinstance(finding["paragraph"], int) and isinstance(finding["charStart"], int)
    assert isinstance(finding["text"], str) and finding["findingKind"].startswith("okg:finding-")
    assert finding["findingOf"].startswith("id:inspection/")
    judgement = next(n for n in nodes if n.get("@type") == "okg:Judgement")
    assert judgement["grade"].startswith("okg:grade-")
    inspection = next(n for n in nodes if n.get("@type") == "okg:Inspection" and "endDate" in n)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", inspection["startDate"])
    report = next(n for n in nodes if n.get("@type") == "okg:Report")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", report["issued"])
    # no value of the data is left in expanded form (the description's VoID and DCAT
    # properties have no terms of ours: they keep their compact IRIs)
    data = [n for n in nodes if n["@id"].startswith(("report:", "id:"))
            and not n["@id"].startswith("id:dataset")]  # fmt: skip
    assert len(data) > 500
    typed = [v for v in _values(data) if isinstance(v, dict) and "@value" in v]
    assert typed == []
    keys = {k for n in data for k in n}
    assert not {k for k in keys if k.startswith("okg:")}  # every okg property has its term
    assert {"grade", "text", "paragraph", "startDate", "endDate", "issued", "label"} <= keys


def test_the_shipped_context_is_what_the_ontology_gives() -> None:
    """Regenerate with: python -m ofsted_kg.publish.jsonld"""
    assert CONTEXT_FILE.read_text() == jsonld_module.context_document()
    ctx = json.loads(CONTEXT_FILE.read_text())["@context"]
    assert ctx["page"] == {"@id": "okg:page", "@type": "xsd:integer"}
    assert ctx["startDate"] == {"@id": "okg:startDate", "@type": "xsd:date"}
    assert ctx["grade"] == {"@id": "okg:grade", "@type": "@id"}
    assert ctx["text"] == {"@id": "okg:text"}


def test_every_okg_property_of_the_data_has_a_term(exports: dict[str, Path]) -> None:
    data = _nt_graph(exports["ntriples"])
    ctx = json.loads(CONTEXT_FILE.read_text())["@context"]
    named = {t["@id"] for t in ctx.values() if isinstance(t, dict)}
    used = {f"okg:{str(p)[len(str(OKG)) :]}" for p in data.predicates()
            if str(p).startswith(str(OKG))}  # fmt: skip
    assert len(used) > 40 and used <= named, used - named


def test_a_value_its_term_cannot_carry_keeps_its_expanded_form() -> None:
    """A value of a typed term's property in another datatype, or an integer not written
    canonically, still expands (pyld) to the very same triple."""
    jsonld = pytest.importorskip("pyld.jsonld", reason="pyld is in the test extra")
    s = ox.NamedNode(f"{ID}report/x/finding/1")
    xsd = "http://www.w3.org/2001/XMLSchema#"
    triples = [
        ox.Triple(s, ox.NamedNode(OKG.page), ox.Literal("7", datatype=ox.NamedNode(xsd + "integer"))),
        ox.Triple(s, ox.NamedNode(OKG.page), ox.Literal("007", datatype=ox.NamedNode(xsd + "integer"))),
        ox.Triple(s, ox.NamedNode(OKG.page), ox.Literal("seven")),
        ox.Triple(s, ox.NamedNode(OKG.grade), ox.Literal("good")),
        ox.Triple(s, ox.NamedNode(OKG.grade), ox.NamedNode(OKG["grade-good"])),
        ox.Triple(s, ox.NamedNode(OKG.startDate), ox.Literal("2012-01-23", language="en")),
        ox.Triple(s, ox.NamedNode(OKG.noPreviousInspection),
                  ox.Literal("true", datatype=ox.NamedNode(xsd + "boolean"))),
    ]  # fmt: skip
    doc = json.loads(serialize("jsonld", ((t, None) for t in triples), str(ID)))
    (node,) = doc["@graph"]
    assert len(node["page"]) == 2 and 7 in node["page"] and "007" in node["page"]
    assert node["okg:page"] == "seven"
    assert node["grade"] == "okg:grade-good" and node["okg:grade"] == "good"
    assert node["okg:startDate"] == {"@value": "2012-01-23", "@language": "en"}
    assert node["noPreviousInspection"] is True
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads"})
    expected = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode()
    assert set(Graph().parse(data=nquads, format="nt")) == set(
        Graph().parse(data=expected, format="nt")
    )


# ---------------------------------------------------------------- format names and aliases


@pytest.mark.parametrize(("alias", "name"), [("ttl", "turtle"), ("nt", "ntriples"),
                                             ("nq", "nquads"), ("jsonld", "jsonld"),
                                             ("json-ld", "jsonld"), ("TTL", "turtle"),
                                             ("N-Quads", "nquads")])  # fmt: skip
def test_format_aliases(seed_store: api.Store, alias: str, name: str) -> None:
    assert rdf_format(alias).name == name
    assert api.describe(seed_store, alias) == api.describe(seed_store, name)
    store = str(seed_store.path)
    code, out, _ = run("describe", "--store", store, "--format", alias)
    assert code == 0
    assert out.encode() == api.describe(seed_store, name)


def test_export_alias_gives_the_same_bytes(exports: dict[str, Path], seed_store) -> None:
    store = str(seed_store.path)
    code, out, _ = run("export", "--store", store, "--format", "nt")
    assert code == 0
    assert out.encode() == api.export("ntriples", seed_store)


@pytest.mark.parametrize("command", ["export", "describe"])
def test_unknown_format_is_a_one_line_error(seed_store: api.Store, command: str) -> None:
    code, out, err = run(command, "--store", str(seed_store.path), "--format", "rdfxml")
    assert code == 1 and out == ""
    assert err.count("\n") == 1
    assert err.startswith("Error: unknown RDF format 'rdfxml' (known: turtle (ttl),")
