"""The dataset description as a portal reads it (issue 22, problem 2): the temporal coverage
of the inspections, issued and modified from the store's ingest history, real access and
download URLs, a publisher and a contact point, and DCAT-AP's mandatory properties."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from fixture_pdfs import fixture_pdf
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, VOID, XSD

from ofsted_kg import api
from ofsted_kg.cli import main
from ofsted_kg.publish import describe
from ofsted_kg.publish.export import FORMATS
from ofsted_kg.store import folder

ID = Namespace("https://w3id.org/ofsted-kg/id/")
OKG = Namespace("https://w3id.org/ofsted-kg/ontology#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
DATASET = ID["dataset"]
# An ILACS report: its front page prints the inspection's dates and no publication date
ILACS = "north-lincolnshire-2026-04-30.pdf"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def _graph(data: bytes) -> Graph:
    return Graph().parse(data=data.decode(), format="nt")


def _at(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, seeds: list[Path]) -> api.Store:
    """The seeds and an ILACS report, ingested at two pinned times, then the authorities."""
    path = tmp_path_factory.mktemp("describe") / "store"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1700000000")
        store = api.open_store(path)
        assert api.ingest(seeds, store, jobs=1).ok
        mp.setenv("SOURCE_DATE_EPOCH", "1710000000")
        assert api.ingest([fixture_pdf(ILACS)], store, jobs=1).ok
        mp.setenv("SOURCE_DATE_EPOCH", "1720000000")
        api.enrich_authorities(None, store)
    return store


def test_coverage_is_that_of_the_inspections_not_of_publication(store: api.Store) -> None:
    data = _graph(api.export("ntriples", store, describe=False, ontology=False))
    inspections = set(data.subjects(RDF.type, OKG.Inspection))
    starts = [o.toPython() for i in inspections for o in data.objects(i, OKG.startDate)]
    ends = [o.toPython() for i in inspections for o in data.objects(i, OKG.endDate)]
    published = [o.toPython() for r in data.subjects(RDF.type, OKG.Report)
                 for o in data.objects(r, DCTERMS.issued)]  # fmt: skip
    reports = set(data.subjects(RDF.type, OKG.Report))
    assert len(reports) == 6 and len(published) == 5  # the ILACS report prints no date
    d = _graph(api.describe(store, "ntriples"))
    period = d.value(DATASET, DCTERMS.temporal)
    start, end = d.value(period, DCAT.startDate), d.value(period, DCAT.endDate)
    assert start.datatype == end.datatype == XSD.date
    assert (start.toPython(), end.toPython()) == (min(starts), max(ends))
    assert end.toPython().isoformat() == "2026-03-20"  # the ILACS inspection's last day
    assert max(published) < end.toPython()  # publication dates would have stopped short


def test_issued_and_modified_are_the_ingest_history(store: api.Store) -> None:
    d = _graph(api.describe(store, "ntriples"))
    issued, modified = d.value(DATASET, DCTERMS.issued), d.value(DATASET, DCTERMS.modified)
    assert issued == Literal(_at(1700000000), datatype=XSD.dateTime)  # the first ingest
    assert modified == Literal(_at(1720000000), datatype=XSD.dateTime)  # the authorities load
    # kept in the store's settings, beside its base IRI, and read back by a reader
    settings = json.loads((store.path / folder.SETTINGS).read_text())
    assert settings["history"] == {"first_ingest": _at(1700000000),
                                   "last_ingest": _at(1710000000),
                                   "last_change": _at(1720000000)}  # fmt: skip
    reader = api.open_store(store.path, read_only=True)
    assert api.describe(reader, "ntriples") == api.describe(store, "ntriples")


def test_the_history_is_in_no_graph(store: api.Store) -> None:
    """The times are the store's, not the reports': an export of the data holds none."""
    data = api.export("nquads", store, describe=False)
    for epoch in (1700000000, 1710000000, 1720000000):
        assert _at(epoch)[:10].encode() not in data


def test_the_real_clock_is_recorded_at_ingest(tmp_path: Path, seeds: list[Path],
                                              monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    store = api.open_store(tmp_path / "store")
    assert store.history() == {}
    before = _at(int(datetime.now(timezone.utc).timestamp()))
    assert api.ingest(seeds[:1], store, jobs=1).ok
    after = _at(int(datetime.now(timezone.utc).timestamp()) + 1)
    kept = store.history()
    assert before <= kept["first_ingest"] <= kept["last_ingest"] == kept["last_change"] <= after
    # nothing written, nothing recorded: a second ingest skips the file
    assert api.ingest(seeds[:1], store, jobs=1).skipped
    assert store.history() == kept


def test_a_store_without_history_states_no_dates(tmp_path: Path, seeds: list[Path]) -> None:
    """A store made before the history was kept (its settings hold none)."""
    store = api.open_store(tmp_path / "store")
    assert api.ingest(seeds[:1], store, jobs=1).ok
    settings = json.loads((store.path / folder.SETTINGS).read_text())
    del settings["history"]
    store.flush()
    del store
    folder.write_settings(tmp_path / "store", settings)
    d = _graph(api.describe(api.open_store(tmp_path / "store", read_only=True), "ntriples"))
    assert d.value(DATASET, DCTERMS.issued) is None and d.value(DATASET, DCTERMS.modified) is None
    assert d.value(DATASET, DCTERMS.temporal) is not None
    # the next writer records one, though it writes nothing
    writer = api.open_store(tmp_path / "store")
    assert api.ingest(seeds[:1], writer, jobs=1).skipped
    assert writer.history()["first_ingest"] == _at(1764547200)  # conftest's pinned clock
    d = _graph(api.describe(writer, "ntriples"))
    assert d.value(DATASET, DCTERMS.issued) == Literal(_at(1764547200), datatype=XSD.dateTime)


def test_access_and_download_urls(store: api.Store) -> None:
    code, out, _ = run("describe", "--store", str(store.path), "--format", "nt",
                       "--endpoint", "https://data.example.org/sparql",
                       "--base-url", "https://data.example.org/files")  # fmt: skip
    assert code == 0
    d = Graph().parse(data=out, format="nt")
    assert d.value(DATASET, VOID.sparqlEndpoint) == URIRef("https://data.example.org/sparql")
    dists = set(d.objects(DATASET, DCAT.distribution))
    downloads = {str(d.value(x, DCAT.downloadURL)) for x in dists}
    assert downloads == {f"https://data.example.org/files/ofsted-kg.{suffix}"
                         for suffix, _media in FORMATS.values()}  # fmt: skip
    access = {d.value(x, DCAT.accessURL) for x in dists}
    assert access == {URIRef("https://data.example.org/files")}
    # without --base-url the endpoint is the access URL, through the data service
    d = _graph(api.describe(store, "ntriples", endpoint="https://data.example.org/sparql"))
    service = d.value(DATASET, DCAT.accessService)
    for x in d.objects(DATASET, DCAT.distribution):
        assert d.value(x, DCAT.accessURL) == URIRef("https://data.example.org/sparql")
        assert d.value(x, DCAT.accessService) == service
        assert d.value(x, DCAT.downloadURL) is None


@pytest.mark.parametrize("command", ["describe", "export"])
def test_publisher_and_contact(store: api.Store, command: str) -> None:
    code, out, _ = run(command, "--store", str(store.path), "--format", "nt",
                       "--publisher", "Example Council Data Team",
                       "--contact", "data@example.org")  # fmt: skip
    assert code == 0
    d = Graph().parse(data=out, format="nt")
    assert d.value(d.value(DATASET, DCTERMS.publisher), FOAF.name) == Literal(
        "Example Council Data Team"
    )
    contact = d.value(DATASET, DCAT.contactPoint)
    assert (contact, RDF.type, VCARD.Organization) in d
    assert d.value(contact, VCARD.fn) == Literal("Example Council Data Team")
    assert d.value(contact, VCARD.hasEmail) == URIRef("mailto:data@example.org")
    code, out, _ = run(command, "--store", str(store.path), "--format", "nt",
                       "--contact", "https://example.org/contact")  # fmt: skip
    d = Graph().parse(data=out, format="nt")
    contact = d.value(DATASET, DCAT.contactPoint)
    assert d.value(contact, VCARD.hasURL) == URIRef("https://example.org/contact")
    # the defaults: the project, at its identifier space
    d = _graph(api.describe(store, "ntriples"))
    contact = d.value(DATASET, DCAT.contactPoint)
    assert d.value(contact, VCARD.hasURL) == URIRef(describe.CONTACT)
    assert str(d.value(d.value(DATASET, DCTERMS.publisher), FOAF.name)) == describe.PUBLISHER


@pytest.mark.parametrize(("option", "value", "says"), [
    ("--contact", "nobody", "the contact must be an email address or an http(s) URL"),
    ("--contact", "ftp://example.org/x", "the contact must be an email address"),
    ("--base-url", "files/", "base-url must be an http(s) URL, not 'files/'"),
    ("--endpoint", "localhost:7878", "endpoint must be an http(s) URL"),
    ("--publisher", " ", "the publisher's name is empty"),
])  # fmt: skip
@pytest.mark.parametrize("command", ["describe", "export"])
def test_a_bad_option_is_a_one_line_error(store: api.Store, command: str, option: str,
                                          value: str, says: str) -> None:  # fmt: skip
    code, out, err = run(command, "--store", str(store.path), option, value)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and says in err, err


def test_the_description_meets_the_dcat_ap_mandatory_properties(store: api.Store) -> None:
    for options in ({}, {"base_url": "https://data.example.org/files/",
                         "contact": "mailto:data@example.org", "ontology": False}):  # fmt: skip
        triples = describe.description(store, api.publication(**options))
        assert describe.shape_violations(triples) == [], options


def test_the_shapes_catch_what_dcat_ap_makes_mandatory(store: api.Store) -> None:
    """Each mandatory property taken out of the description is a violation naming it."""
    triples = describe.description(store)
    for prop in (DCAT.accessURL, DCTERMS.title, DCTERMS.description, DCAT.endpointURL,
                 FOAF.name, DCAT.contactPoint):  # fmt: skip
        without = [t for t in triples if t.predicate != ox.NamedNode(str(prop))]
        found = describe.shape_violations(without)
        assert found and any(str(prop) in line for line in found), prop
