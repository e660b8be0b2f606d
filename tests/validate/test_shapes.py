"""SHACL shapes: every seed report conforms, and every constraint catches its own breakage.

The negative tests are table-driven: each row takes a small, real graph (the triples of one
seed report reachable from its report node and from one chosen node), breaks exactly one
thing about that node, validates, and checks that the only violation is the expected
shape's ``sh:message`` on that node. ``test_every_constraint_has_a_negative_test`` keeps the
table in step with ``shapes/ofsted-kg-shapes.ttl``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDF, RDFS, SH
from rdflib.term import Node

from ofsted_kg.enrich.pipeline import parse_file
from ofsted_kg.model import Note, Report
from ofsted_kg.rdf.emit import emit
from ofsted_kg.rdf.vocab import OKG
from ofsted_kg.resources import example_reports
from ofsted_kg.validate.shacl import (
    ENGINES,
    Validation,
    shapes_graph,
    validate_graph,
    validate_ntriples,
)

OKGSH = Namespace("https://w3id.org/ofsted-kg/shapes#")
# A plain Namespace, not rdflib's XSD: pytest's fixture scan of module globals would make
# that DefinedNamespace warn about an undefined attribute.
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

SEEDS = example_reports()
SEED_IDS = [p.name.split("_")[0] for p in SEEDS]
# an area SEND report, bundled with the tests (tests/fixtures/README.md)
SEND = Path(__file__).parents[1] / "fixtures" / "pdf" / "durham-area-send-2024-09-03.pdf"

# Node-level constraints are keyed by their constraint parameter instead of a path.
OR = SH["or"]
SPARQL = SH.sparql

# ---------------------------------------------------------------- fixtures


def _with_note(report: Report) -> Report:
    """The report with a data-quality note about its first judgement, as the SLAC parser
    writes one when the record of main findings and the body text disagree."""
    j = report.inspection.judgements[0]
    note = Note(
        f"The record of main findings grades '{j.area}' ({j.service}) Adequate; "
        f"the body text grades it {j.grade}.",
        j.source,
        about_area=(j.service, j.area.lower()),
    )
    return dataclasses.replace(report, notes=[note])


def _with_reading_note(report: Report) -> Report:
    """The report with a note about a part that could not be read (no judgement)."""
    note = Note("A section under a heading the parser does not know.", report.findings[0].source)
    return dataclasses.replace(report, notes=[note])


@pytest.fixture(scope="module")
def reports() -> dict[str, Report]:
    return {key: parse_file(path) for key, path in zip(SEED_IDS, SEEDS, strict=True)}


@pytest.fixture(scope="module")
def graphs(reports: dict[str, Report]) -> dict[str, Graph]:
    """Each seed's emitted graph, plus ``note``: seed 000 with a data-quality note,
    ``reading``: seed 003 with a reading note, and ``send``: an area SEND report."""
    out = {key: emit(report) for key, report in reports.items()}
    out["note"] = emit(_with_note(reports["000"]))
    out["reading"] = emit(_with_reading_note(reports["003"]))
    out["send"] = emit(parse_file(SEND))
    return out


# ---------------------------------------------------------------- picking and copying nodes


def _one(g: Graph, cls: URIRef) -> Node:
    nodes = sorted(g.subjects(RDF.type, cls))
    assert nodes, f"no {cls} in the seed graph"
    return nodes[0]


def _report(g: Graph) -> Node:
    return _one(g, OKG.Report)


def _inspection(g: Graph) -> Node:
    return g.value(_report(g), OKG.reportOf)


def _earlier_inspection(g: Graph) -> Node:
    return sorted(g.objects(_report(g), OKG.refersTo))[0]


PICK: dict[str, Callable[[Graph], Node]] = {
    "report": _report,
    "inspection": _inspection,
    "earlier inspection": _earlier_inspection,
    "authority": lambda g: g.value(_inspection(g), OKG.inspectionOf),
    "agency": lambda g: sorted(g.objects(_report(g), OKG.mentions))[0],
    "lead inspector": lambda g: g.value(_inspection(g), OKG.leadInspector),
    "judgement": lambda g: _one(g, OKG.Judgement),
    "finding": lambda g: _one(g, OKG.Finding),
    "recommendation": lambda g: _one(g, OKG.Recommendation),
    "statistic": lambda g: _one(g, OKG.Statistic),
    "note": lambda g: _one(g, OKG.DataQualityNote),
    "relation": lambda g: _one(g, OKG.AgencyRelationship),
    "tagged finding": lambda g: sorted(g.subjects(OKG.themeRule, None))[0],
    "reading note": lambda g: _one(g, OKG.ReadingNote),
    "partnership": lambda g: _one(g, OKG.LocalAreaPartnership),
}


def subgraph(g: Graph, *roots: Node) -> Graph:
    """The triples of ``g`` about ``roots`` and about every node they lead to."""
    out = Graph(namespace_manager=g.namespace_manager)
    todo, seen = list(roots), set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in g.predicate_objects(node):
            out.add((node, p, o))
            if isinstance(o, (URIRef, BNode)) and (o, None, None) in g:
                todo.append(o)
    return out


def base_graph(graphs: dict[str, Graph], seed: str, pick: str) -> tuple[Graph, Node]:
    """A minimal real graph: the report and what it links to, and the picked node's closure."""
    g = graphs[seed]
    node = PICK[pick](g)
    assert node is not None, f"seed {seed} has no {pick}"
    return subgraph(g, _report(g), node), node


# ---------------------------------------------------------------- breaking one thing

Mutation = Callable[[Graph, Node], None]
Value = Node | Callable[[Graph, Node], Node]


def _resolve(value: Value, g: Graph, n: Node) -> Node:
    return value(g, n) if callable(value) else value


def drop(p: URIRef) -> Mutation:
    def f(g: Graph, n: Node) -> None:
        assert (n, p, None) in g, f"nothing to drop: {n} has no {p}"
        g.remove((n, p, None))

    return f


def put(p: URIRef, value: Value) -> Mutation:
    """Replace every value of ``p`` with ``value``."""

    def f(g: Graph, n: Node) -> None:
        g.set((n, p, _resolve(value, g, n)))

    return f


def add(p: URIRef, value: Value) -> Mutation:
    """Add one more value of ``p`` (that differs from those present)."""

    def f(g: Graph, n: Node) -> None:
        v = _resolve(value, g, n)
        assert (n, p, v) not in g
        g.add((n, p, v))

    return f


def retype(p: URIRef, datatype: URIRef) -> Mutation:
    """Keep the lexical form of the value of ``p`` but give it another datatype."""

    def f(g: Graph, n: Node) -> None:
        old = g.value(n, p)
        assert isinstance(old, Literal), f"{n} has no literal {p}"
        g.set((n, p, Literal(str(old), datatype=datatype)))

    return f


def node_of(pick: str) -> Callable[[Graph, Node], Node]:
    """Another node of the graph, chosen as the PICK functions choose it."""
    return lambda g, _n: PICK[pick](g)


def _of_an_agency(g: Graph, n: Node) -> None:
    """The inspection made an inspection of a partner agency, named as that agency."""
    agency = PICK["agency"](g)
    g.set((n, OKG.inspectionOf, agency))
    g.set((n, OKG.authorityLabel, g.value(agency, RDFS.label)))


def _day_before_start(g: Graph, n: Node) -> Literal:
    start = date.fromisoformat(str(g.value(n, OKG.startDate)))
    return Literal((start - timedelta(days=1)).isoformat(), datatype=XSD.date)


def _later_end(g: Graph, n: Node) -> Literal:
    end = date.fromisoformat(str(g.value(n, OKG.endDate)))
    return Literal((end + timedelta(days=1)).isoformat(), datatype=XSD.date)


def _swap_span(g: Graph, n: Node) -> None:
    start, end = g.value(n, OKG.charStart), g.value(n, OKG.charEnd)
    assert start.toPython() < end.toPython()
    g.set((n, OKG.charStart, end))
    g.set((n, OKG.charEnd, start))


def _other_inspector(g: Graph, n: Node) -> Node:
    lead = g.value(n, OKG.leadInspector)
    return next(i for i in g.objects(n, OKG.inspector) if i != lead)


def _one_member(g: Graph, n: Node) -> None:
    members = sorted(g.objects(n, ORG.hasMember))
    assert len(members) == 2, members
    g.remove((n, ORG.hasMember, members[1]))


def _upper_case(g: Graph, n: Node) -> Literal:
    return Literal(str(g.value(n, OKG.sha256)).upper())


def _shifted(p: URIRef, by: int) -> Callable[[Graph, Node], Literal]:
    return lambda g, n: Literal(g.value(n, p).toPython() + by, datatype=XSD.integer)


def _string(text: str) -> Literal:
    return Literal(text, datatype=XSD.string)


def _int(n: int) -> Literal:
    return Literal(n, datatype=XSD.integer)


# ---------------------------------------------------------------- the table


@dataclass(frozen=True)
class Case:
    shape: str  # local name in okgsh:
    constraint: URIRef  # the property shape's sh:path, or OR / SPARQL for node-level ones
    seed: str  # key of the graphs fixture
    pick: str  # key of PICK: the node that is broken (and must be the focus node)
    mutate: Mutation
    value: Node | None = None  # substituted for {?value} in a SPARQL constraint's message
    sparql: str = ""  # words of its message that pick a SPARQL constraint among the shape's


def row(name: str, *args, **kwargs):
    case = Case(*args, **kwargs)
    return pytest.param(case, id=f"{case.shape.removesuffix('Shape')}-{name}")


CASES = [
    # ---- report
    row("sha256-missing", "ReportShape", OKG.sha256, "003", "report", drop(OKG.sha256)),
    row("sha256-upper-case", "ReportShape", OKG.sha256, "003", "report",
        put(OKG.sha256, _upper_case)),
    row("sha256-too-short", "ReportShape", OKG.sha256, "002", "report",
        put(OKG.sha256, Literal("c12dc5d0776689a7"))),
    row("title-missing", "ReportShape", DCTERMS.title, "003", "report", drop(DCTERMS.title)),
    row("title-twice", "ReportShape", DCTERMS.title, "002", "report",
        add(DCTERMS.title, Literal("Focused visit to Camden children's services"))),
    row("issued-as-string", "ReportShape", DCTERMS.issued, "003", "report",
        retype(DCTERMS.issued, XSD.string)),
    row("reportOf-missing", "ReportShape", OKG.reportOf, "003", "report", drop(OKG.reportOf)),
    row("reportOf-authority", "ReportShape", OKG.reportOf, "003", "report",
        put(OKG.reportOf, node_of("authority"))),
    row("refersTo-authority", "ReportShape", OKG.refersTo, "003", "report",
        put(OKG.refersTo, node_of("authority"))),
    row("mentions-authority", "ReportShape", OKG.mentions, "003", "report",
        put(OKG.mentions, node_of("authority"))),
    # ---- inspection
    row("inspectionOf-missing", "InspectionShape", OKG.inspectionOf, "003", "inspection",
        drop(OKG.inspectionOf)),
    row("inspectionOf-agency", "InspectionShape", OKG.inspectionOf, "003", "inspection",
        _of_an_agency),
    row("authorityLabel-missing", "InspectionShape", OKG.authorityLabel, "003", "inspection",
        drop(OKG.authorityLabel)),
    row("authorityLabel-another-name", "InspectionShape", SPARQL, "003", "inspection",
        put(OKG.authorityLabel, Literal("Islington")), sparql="authority name"),
    row("framework-missing", "InspectionShape", OKG.framework, "002", "inspection",
        drop(OKG.framework)),
    row("framework-twice", "InspectionShape", OKG.framework, "003", "inspection",
        add(OKG.framework, OKG["framework-slac"])),
    row("inspectionKind-a-framework", "InspectionShape", OKG.inspectionKind, "003",
        "inspection", put(OKG.inspectionKind, OKG["framework-cra"])),
    row("inspectionKind-missing", "InspectionShape", OKG.inspectionKind, "002",
        "earlier inspection", drop(OKG.inspectionKind)),
    row("startDate-after-endDate", "InspectionShape", OKG.startDate, "003", "inspection",
        put(OKG.endDate, _day_before_start)),
    row("startDate-as-string", "InspectionShape", OKG.startDate, "002", "inspection",
        retype(OKG.startDate, XSD.string)),
    row("endDate-twice", "InspectionShape", OKG.endDate, "003", "inspection",
        add(OKG.endDate, _later_end)),
    row("endDate-dateTime", "InspectionShape", OKG.endDate, "003", "inspection",
        put(OKG.endDate, Literal("2010-11-10T17:00:00", datatype=XSD.dateTime))),
    row("month-as-string", "InspectionShape", OKG.month, "003", "earlier inspection",
        retype(OKG.month, XSD.string)),
    row("month-twice", "InspectionShape", OKG.month, "002", "earlier inspection",
        add(OKG.month, Literal("2022-05", datatype=XSD.gYearMonth))),
    row("areaNotJudged-grade", "InspectionShape", OKG.areaNotJudged, "002", "inspection",
        add(OKG.areaNotJudged, OKG["grade-2013-good"])),
    row("inspector-authority", "InspectionShape", OKG.inspector, "003", "inspection",
        add(OKG.inspector, node_of("authority"))),
    row("leadInspector-twice", "InspectionShape", OKG.leadInspector, "002", "inspection",
        add(OKG.leadInspector, _other_inspector)),
    row("no-start-date-or-month", "InspectionShape", OR, "003", "earlier inspection",
        drop(OKG.month)),
    row("visitFocus-a-kind", "InspectionShape", OKG.visitFocus, "002", "inspection",
        put(OKG.visitFocus, OKG["finding-strength"])),
    # ---- area SEND inspection, local area partnership
    row("outcome-a-framework", "InspectionShape", OKG.outcome, "send", "inspection",
        put(OKG.outcome, OKG["framework-cra"])),
    row("partnership-twice", "InspectionShape", OKG.partnership, "send", "inspection",
        add(OKG.partnership, node_of("authority"))),
    row("nextFullInspectionWithin-as-string", "InspectionShape", OKG.nextFullInspectionWithin,
        "send", "inspection", retype(OKG.nextFullInspectionWithin, XSD.string)),
    row("monitoringInspectionWithin-as-string", "InspectionShape",
        OKG.monitoringInspectionWithin, "send", "inspection",
        add(OKG.monitoringInspectionWithin, _string("P18M"))),
    row("noPreviousInspection-a-word", "InspectionShape", OKG.noPreviousInspection, "send",
        "inspection", add(OKG.noPreviousInspection, Literal("yes"))),
    row("send-without-next-inspection", "InspectionShape", SPARQL, "send", "inspection",
        drop(OKG.nextFullInspectionWithin), sparql="area SEND"),
    row("label-missing", "LocalAreaPartnershipShape", RDFS.label, "send", "partnership",
        drop(RDFS.label)),
    row("one-member", "LocalAreaPartnershipShape", ORG.hasMember, "send", "partnership",
        _one_member),
    # ---- reading note
    row("text-missing", "ReadingNoteShape", OKG.text, "reading", "reading note",
        drop(OKG.text)),
    row("wasDerivedFrom-missing", "ReadingNoteShape", PROV.wasDerivedFrom, "reading",
        "reading note", drop(PROV.wasDerivedFrom)),
    # ---- authority, partner agency, inspector
    row("label-missing", "AuthorityShape", RDFS.label, "003", "authority", drop(RDFS.label)),
    row("label-twice", "AuthorityShape", RDFS.label, "002", "authority",
        add(RDFS.label, Literal("London Borough of Camden"))),
    row("gssCode-not-a-code", "AuthorityShape", OKG.gssCode, "003", "authority",
        add(OKG.gssCode, Literal("Camden"))),
    row("laCode-two-digits", "AuthorityShape", OKG.laCode, "003", "authority",
        add(OKG.laCode, Literal("20"))),
    row("ofstedUrn-letters", "AuthorityShape", OKG.ofstedUrn, "002", "authority",
        add(OKG.ofstedUrn, Literal("URN80491"))),
    row("region-empty", "AuthorityShape", OKG.region, "003", "authority",
        add(OKG.region, Literal(""))),
    row("regionCode-short", "AuthorityShape", OKG.regionCode, "002", "authority",
        add(OKG.regionCode, Literal("E1200007"))),
    row("authorityType-integer", "AuthorityShape", OKG.authorityType, "003", "authority",
        add(OKG.authorityType, Literal(3))),
    row("statisticalNeighbour-inspector", "AuthorityShape", OKG.statisticalNeighbour, "003",
        "authority", add(OKG.statisticalNeighbour, node_of("lead inspector"))),
    # ---- agency relationship
    row("relationKind-missing", "AgencyRelationshipShape", OKG.relationKind, "000", "relation",
        drop(OKG.relationKind)),
    row("agency-authority", "AgencyRelationshipShape", OKG.agency, "000", "relation",
        put(OKG.agency, node_of("authority"))),
    row("authority-twice", "AgencyRelationshipShape", OKG.authority, "000", "relation",
        add(OKG.authority, node_of("lead inspector"))),
    row("count-zero", "AgencyRelationshipShape", OKG["count"], "000", "relation",
        put(OKG["count"], Literal(0))),
    row("wasDerivedFrom-missing", "AgencyRelationshipShape", PROV.wasDerivedFrom, "000",
        "relation", drop(PROV.wasDerivedFrom)),
    row("paragraph-zero", "AgencyRelationshipShape", OKG.paragraph, "000", "relation",
        add(OKG.paragraph, Literal(0))),
    row("page-string", "AgencyRelationshipShape", OKG.page, "000", "relation",
        add(OKG.page, Literal("7"))),
    row("label-missing", "PartnerAgencyShape", RDFS.label, "003", "agency",
        drop(RDFS.label)),
    row("label-twice", "PartnerAgencyShape", RDFS.label, "003", "agency",
        add(RDFS.label, Literal("Camden LSCB"))),
    row("name-missing", "InspectorShape", FOAF.name, "003", "lead inspector",
        drop(FOAF.name)),
    row("name-language-tagged", "InspectorShape", FOAF.name, "002", "lead inspector",
        put(FOAF.name, Literal("Naintara Khosla", lang="en"))),
    # ---- provenance, on each class it targets
    row("judgement-not-derived", "ProvenanceShape", PROV.wasDerivedFrom, "002",
        "judgement", drop(PROV.wasDerivedFrom)),
    row("finding-not-derived", "ProvenanceShape", PROV.wasDerivedFrom, "003", "finding",
        drop(PROV.wasDerivedFrom)),
    row("statistic-not-derived", "ProvenanceShape", PROV.wasDerivedFrom, "000",
        "statistic", drop(PROV.wasDerivedFrom)),
    row("note-not-derived", "ProvenanceShape", PROV.wasDerivedFrom, "note", "note",
        drop(PROV.wasDerivedFrom)),
    row("recommendation-not-derived", "ProvenanceShape", PROV.wasDerivedFrom, "000",
        "recommendation", drop(PROV.wasDerivedFrom)),
    row("derived-from-inspection", "ProvenanceShape", PROV.wasDerivedFrom, "003", "finding",
        put(PROV.wasDerivedFrom, node_of("inspection"))),
    row("page-zero", "ProvenanceShape", OKG.page, "003", "finding", add(OKG.page, _int(0))),
    row("page-as-string", "ProvenanceShape", OKG.page, "002", "judgement",
        add(OKG.page, _string("2"))),
    row("paragraph-zero", "ProvenanceShape", OKG.paragraph, "000", "statistic",
        put(OKG.paragraph, _int(0))),
    row("paragraph-as-string", "ProvenanceShape", OKG.paragraph, "000", "recommendation",
        retype(OKG.paragraph, XSD.string)),
    row("sectionPath-twice", "ProvenanceShape", OKG.sectionPath, "003", "finding",
        add(OKG.sectionPath, Literal("Areas for development"))),
    row("charStart-after-charEnd", "ProvenanceShape", OKG.charStart, "003", "finding",
        _swap_span),
    row("charStart-negative", "ProvenanceShape", OKG.charStart, "002", "judgement",
        put(OKG.charStart, _int(-1))),
    row("charEnd-twice", "ProvenanceShape", OKG.charEnd, "002", "judgement",
        add(OKG.charEnd, _shifted(OKG.charEnd, 10))),
    row("charEnd-decimal", "ProvenanceShape", OKG.charEnd, "003", "finding",
        retype(OKG.charEnd, XSD.decimal)),
    # ---- judgement
    row("grade-missing", "JudgementShape", OKG.grade, "002", "judgement", drop(OKG.grade)),
    row("grade-twice", "JudgementShape", OKG.grade, "002", "judgement",
        add(OKG.grade, OKG["grade-2013-inadequate"])),
    row("judgementOf-missing", "JudgementShape", OKG.judgementOf, "002", "judgement",
        drop(OKG.judgementOf)),
    row("judgementOf-report", "JudgementShape", OKG.judgementOf, "002", "judgement",
        put(OKG.judgementOf, node_of("report"))),
    row("judgementSubject-missing", "JudgementShape", OKG.judgementSubject, "002",
        "judgement", drop(OKG.judgementSubject)),
    row("judgementSubject-inspector", "JudgementShape", OKG.judgementSubject, "002",
        "judgement", put(OKG.judgementSubject, node_of("lead inspector"))),
    row("areaLabel-missing", "JudgementShape", OKG.areaLabel, "002", "judgement",
        drop(OKG.areaLabel)),
    row("areaLabel-empty", "JudgementShape", OKG.areaLabel, "002", "judgement",
        put(OKG.areaLabel, Literal(""))),
    row("area-a-service", "JudgementShape", OKG.area, "002", "judgement",
        put(OKG.area, OKG["service-childrens"])),
    row("area-twice", "JudgementShape", OKG.area, "000", "judgement",
        add(OKG.area, OKG["area-quality-of-provision"])),
    row("gradeLabel-missing", "JudgementShape", OKG.gradeLabel, "002", "judgement",
        drop(OKG.gradeLabel)),
    row("gradeLabel-twice", "JudgementShape", OKG.gradeLabel, "000", "judgement",
        add(OKG.gradeLabel, Literal("Requires improvement"))),
    row("service-an-area", "JudgementShape", OKG.service, "002", "judgement",
        add(OKG.service, OKG["area-overall-effectiveness"])),
    row("service-twice", "JudgementShape", OKG.service, "000", "judgement",
        add(OKG.service, OKG["service-cra"])),
    row("statedIn-missing", "JudgementShape", OKG.statedIn, "002", "judgement",
        drop(OKG.statedIn)),
    row("statedIn-elsewhere", "JudgementShape", OKG.statedIn, "002", "judgement",
        add(OKG.statedIn, Literal("summary"))),
    row("2009-grade-in-ilacs", "JudgementShape", SPARQL, "002", "judgement",
        put(OKG.grade, OKG["grade-2009-adequate"]), value=OKG["grade-2009-adequate"]),
    row("2013-grade-in-slac", "JudgementShape", SPARQL, "000", "judgement",
        put(OKG.grade, OKG["grade-2013-requires-improvement"]),
        value=OKG["grade-2013-requires-improvement"]),
    # ---- finding
    row("text-missing", "FindingShape", OKG.text, "003", "finding", drop(OKG.text)),
    row("text-empty", "FindingShape", OKG.text, "002", "finding", put(OKG.text, Literal(""))),
    row("findingKind-missing", "FindingShape", OKG.findingKind, "003", "finding",
        drop(OKG.findingKind)),
    row("findingKind-a-timescale", "FindingShape", OKG.findingKind, "003", "finding",
        put(OKG.findingKind, OKG["timescale-none"])),
    row("findingOf-missing", "FindingShape", OKG.findingOf, "003", "finding",
        drop(OKG.findingOf)),
    row("findingOf-twice", "FindingShape", OKG.findingOf, "003", "finding",
        add(OKG.findingOf, node_of("earlier inspection"))),
    row("aboutJudgement-inspection", "FindingShape", OKG.aboutJudgement, "003", "finding",
        add(OKG.aboutJudgement, node_of("inspection"))),
    row("recommendation-text-missing", "FindingShape", OKG.text, "000", "recommendation",
        drop(OKG.text)),
    row("theme-a-kind", "FindingShape", OKG.theme, "003", "tagged finding",
        add(OKG.theme, OKG["finding-strength"])),
    row("themeRule-a-theme", "FindingShape", OKG.themeRule, "003", "tagged finding",
        add(OKG.themeRule, OKG["theme-lado"])),
    row("rule-without-its-theme", "FindingShape", SPARQL, "003", "tagged finding",
        drop(OKG.theme)),
    # ---- recommendation
    row("timescale-missing", "RecommendationShape", OKG.timescale, "000", "recommendation",
        drop(OKG.timescale)),
    row("timescale-a-kind", "RecommendationShape", OKG.timescale, "000", "recommendation",
        put(OKG.timescale, OKG["kind-full"])),
    row("addressee-missing", "RecommendationShape", OKG.addressee, "000", "recommendation",
        drop(OKG.addressee)),
    row("addressee-inspector", "RecommendationShape", OKG.addressee, "000",
        "recommendation", put(OKG.addressee, node_of("lead inspector"))),
    row("findingKind-strength", "RecommendationShape", OKG.findingKind, "000",
        "recommendation", put(OKG.findingKind, OKG["finding-strength"])),
    # ---- statistic
    row("measure-missing", "StatisticShape", OKG.measure, "000", "statistic",
        drop(OKG.measure)),
    row("measure-a-service", "StatisticShape", OKG.measure, "000", "statistic",
        put(OKG.measure, OKG["service-lac"])),
    # a statistic needs a count (okg:value) or a percentage or rate (okg:decimalValue)
    row("value-missing", "StatisticShape", OR, "000", "statistic", drop(OKG.value)),
    row("value-as-string", "StatisticShape", OKG.value, "000", "statistic",
        retype(OKG.value, XSD.string)),
    row("value-negative", "StatisticShape", OKG.value, "000", "statistic",
        put(OKG.value, _int(-3))),
    row("value-decimal", "StatisticShape", OKG.value, "000", "statistic",
        put(OKG.value, Literal("12.5", datatype=XSD.decimal))),
    row("decimalValue-negative", "StatisticShape", OKG.decimalValue, "000", "statistic",
        add(OKG.decimalValue, Literal("-1.5", datatype=XSD.decimal))),
    row("decimalValue-as-string", "StatisticShape", OKG.decimalValue, "000", "statistic",
        add(OKG.decimalValue, Literal("12.5"))),
    row("statisticOf-missing", "StatisticShape", OKG.statisticOf, "000", "statistic",
        drop(OKG.statisticOf)),
    row("statisticOf-authority", "StatisticShape", OKG.statisticOf, "000", "statistic",
        put(OKG.statisticOf, node_of("authority"))),
    # ---- data-quality note
    row("text-missing", "DataQualityNoteShape", OKG.text, "note", "note", drop(OKG.text)),
    row("text-twice", "DataQualityNoteShape", OKG.text, "note", "note",
        add(OKG.text, Literal("The grades differ."))),
    row("noteAbout-missing", "DataQualityNoteShape", OKG.noteAbout, "note", "note",
        drop(OKG.noteAbout)),
    row("noteAbout-inspection", "DataQualityNoteShape", OKG.noteAbout, "note", "note",
        put(OKG.noteAbout, node_of("inspection"))),
]  # fmt: skip

# ---------------------------------------------------------------- reading the shapes


@cache
def _constraints() -> dict[tuple[str, URIRef] | tuple[str, URIRef, str], str]:
    """(node shape, path or node-level constraint) -> its sh:message, for every constraint;
    a SPARQL-based one is keyed by its message too, as a shape may have several."""
    sg = shapes_graph()
    out: dict[tuple[str, URIRef], str] = {}
    for shape in sg.subjects(RDF.type, SH.NodeShape):
        name = str(shape).removeprefix(str(OKGSH))
        for prop in sg.objects(shape, SH.property):
            out[(name, sg.value(prop, SH.path))] = str(sg.value(prop, SH.message))
        if (shape, OR, None) in sg:
            out[(name, OR)] = str(sg.value(shape, SH.message))
        for sparql in sg.objects(shape, SPARQL):
            message = str(sg.value(sparql, SH.message))
            out[(name, SPARQL, message)] = message
    return out


def _key(case: Case) -> tuple:
    """The constraint a case breaks, as ``_constraints`` keys it."""
    if case.constraint != SPARQL:
        return (case.shape, case.constraint)
    keys = [k for k in _constraints() if k[:2] == (case.shape, SPARQL) and case.sparql in k[2]]
    assert len(keys) == 1, f"{case.shape}: pick one of its SPARQL constraints by {case.sparql!r}"
    return keys[0]


def _results(v: Validation) -> set[tuple[str, str]]:
    return {(r.focus, r.message) for r in v.results}


def _validate(g: Graph, engine: str) -> Validation:
    """pyshacl (the reference) or the project's fast engine: both must give the same results."""
    if engine == "pyshacl":
        return validate_graph(g)
    return validate_ntriples(g.serialize(format="nt").encode(), engine)


def _render(template: str, value: Node | None) -> str:
    if value is None:
        return template
    return template.replace("{?value}", str(value)).replace("{$value}", str(value))


# ---------------------------------------------------------------- tests


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("seed", SEED_IDS)
def test_seed_report_conforms(graphs: dict[str, Graph], seed: str, engine: str) -> None:
    v = _validate(graphs[seed], engine)
    assert v.conforms, v.text


def test_report_with_note_conforms(graphs: dict[str, Graph]) -> None:
    g, note = base_graph(graphs, "note", "note")
    assert (note, OKG.noteAbout, None) in g
    v = validate_graph(g)
    assert v.conforms, v.text


BASES = sorted({(c.values[0].seed, c.values[0].pick) for c in CASES})


@pytest.mark.parametrize(("seed", "pick"), BASES, ids=[f"{s}-{p}" for s, p in BASES])
def test_unbroken_base_graph_conforms(graphs: dict[str, Graph], seed: str, pick: str) -> None:
    """Each negative test starts from a conforming graph, so the break alone makes it fail."""
    g, _node = base_graph(graphs, seed, pick)
    v = validate_graph(g)
    assert v.conforms, v.text


def test_every_constraint_has_a_negative_test() -> None:
    constraints = _constraints()
    assert all(msg and msg != "None" for msg in constraints.values()), constraints
    tested = {_key(c.values[0]) for c in CASES}
    assert set(constraints) - tested == set()
    assert tested - set(constraints) == set()


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("case", CASES)
def test_broken_graph_violates_exactly_that_constraint(
    graphs: dict[str, Graph], case: Case, engine: str
) -> None:
    expected = _render(_constraints()[_key(case)], case.value)
    g, node = base_graph(graphs, case.seed, case.pick)
    before = set(g)
    case.mutate(g, node)
    assert set(g) != before, "the mutation changed nothing"

    v = _validate(g, engine)

    assert not v.conforms
    assert _results(v) == {(str(node), expected)}, v.text
    if case.constraint not in (OR, SPARQL):
        assert {r.path for r in v.results} == {str(case.constraint)}, v.text


@pytest.mark.parametrize("engine", ENGINES)
def test_node_and_property_violations_of_one_node(graphs: dict[str, Graph], engine: str) -> None:
    """A node that breaks a node-level constraint (no path) and a property constraint is
    reported for both: results sort with and without a path side by side."""
    g, node = base_graph(graphs, "003", "tagged finding")
    g.remove((node, OKG.theme, None))  # its theme rule now gives a theme it lacks
    g.remove((node, OKG.text, None))
    constraints = _constraints()
    expected = {
        (str(node), next(m for k, m in constraints.items() if k[:2] == ("FindingShape", SPARQL))),
        (str(node), constraints[("FindingShape", OKG.text)]),
    }
    assert _results(_validate(g, engine)) == expected


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    "value",
    [Literal("a"), Literal("2020-01-01", datatype=XSD.date), OKG.Report, BNode()],
    ids=["string", "date", "iri", "blank"],
)
def test_a_value_that_cannot_be_compared_violates_min_inclusive(
    graphs: dict[str, Graph], engine: str, value: Node
) -> None:
    """A page number that is not a number breaks its datatype and its minimum (pyshacl
    counts a value it cannot compare as below the minimum)."""
    g, node = base_graph(graphs, "003", "finding")
    g.set((node, OKG.page, value))
    message = _constraints()[("ProvenanceShape", OKG.page)]
    v = _validate(g, engine)
    components = {r.component.rsplit("#", 1)[-1] for r in v.results}
    assert _results(v) == {(str(node), message)}
    assert components == {"DatatypeConstraintComponent", "MinInclusiveConstraintComponent"}
