"""Report -> RDF. The only code that writes ontology terms; it never reads report text.

Triples are built as pyoxigraph terms (fast, and what the store and the validator take);
``emit`` gives an rdflib Graph for callers that want one.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib import namespace as ns

from . import vocab
from .ingest.textutil import slug
from .model import Finding, Inspection, Judgement, Report, Source

Term = ox.NamedNode | ox.Literal


@lru_cache(maxsize=4096)
def _n(iri: str) -> ox.NamedNode:
    """The pyoxigraph node of an IRI (ontology terms recur: build each once)."""
    return ox.NamedNode(iri)


class _Terms:
    """A namespace whose attributes are pyoxigraph nodes, each built on first use."""

    def __init__(self, namespace: str) -> None:
        self._base = str(namespace)

    def __getattr__(self, name: str) -> ox.NamedNode:
        node = _n(self._base + name)
        setattr(self, name, node)
        return node

    def __getitem__(self, name: str) -> ox.NamedNode:
        return _n(self._base + name)


OKG, RDF, RDFS, SKOS = _Terms(vocab.OKG), _Terms(ns.RDF), _Terms(ns.RDFS), _Terms(ns.SKOS)
PROV, DCTERMS, FOAF, XSD = _Terms(ns.PROV), _Terms(ns.DCTERMS), _Terms(ns.FOAF), _Terms(ns.XSD)


def _lit(value: str) -> ox.Literal:
    return ox.Literal(value)


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=XSD.integer)


_SERVICE_ALL = "all"


class Iris:
    """Deterministic IRIs under a configurable base."""

    def __init__(self, base: str = vocab.DEFAULT_BASE) -> None:
        self.base = base if base.endswith(("/", "#")) else base + "/"

    def report(self, sha256: str) -> ox.NamedNode:
        return _n(f"{self.base}report/{sha256}")

    def authority(self, name: str) -> ox.NamedNode:
        return _n(f"{self.base}authority/{slug(name)}")

    def agency(self, name: str) -> ox.NamedNode:
        return _n(f"{self.base}agency/{slug(name)}")

    def inspector(self, name: str) -> ox.NamedNode:
        return _n(f"{self.base}inspector/{slug(name)}")

    def inspection(self, insp: Inspection) -> ox.NamedNode:
        when = insp.start.isoformat() if insp.start else insp.month or "undated"
        path = f"{slug(insp.authority)}/{insp.framework}/{insp.kind}/{when}"
        return _n(f"{self.base}inspection/{path}")

    def judgement(self, insp: Inspection, service: str | None, area: str) -> ox.NamedNode:
        insp_iri = self.inspection(insp).value
        return _n(f"{insp_iri}/judgement/{slug(service or _SERVICE_ALL)}/{slug(area)}")

    def graph(self, sha256: str) -> ox.NamedNode:
        """The named graph holding one report's triples."""
        return _n(f"{self.base}graph/report/{sha256}")

    def enrichment_graph(self, name: str) -> ox.NamedNode:
        """A named graph of data from outside the reports, e.g. authority codes."""
        return _n(f"{self.base}graph/{name}")


def emit_triples(report: Report, base: str = vocab.DEFAULT_BASE) -> list[ox.Triple]:
    """All triples of one report (its named graph's content)."""
    return _Emitter(report, Iris(base)).run()


def emit_ntriples(report: Report, base: str = vocab.DEFAULT_BASE) -> bytes:
    return ox.serialize(emit_triples(report, base), format=ox.RdfFormat.N_TRIPLES) or b""


def emit(report: Report, base: str = vocab.DEFAULT_BASE) -> Graph:
    """The report's triples as an rdflib Graph, with the project's prefixes bound."""
    g = Graph()
    for prefix, namespace in vocab.PREFIXES.items():
        g.bind(prefix, namespace)
    g.bind("id", Iris(base).base)
    return g.parse(data=emit_ntriples(report, base).decode(), format="nt")


class _Emitter:
    def __init__(self, report: Report, iris: Iris) -> None:
        self.r, self.iris = report, iris
        self.triples: list[ox.Triple] = []
        self.report_iri = iris.report(report.sha256)

    def add(self, s: Term, p: ox.NamedNode, o: Term | URIRef | None) -> None:
        if o is None:
            return
        if isinstance(o, URIRef):  # a concept looked up in the ontology
            o = _n(str(o))
        self.triples.append(ox.Triple(s, p, o))

    def run(self) -> list[ox.Triple]:
        r = self.r
        add, me = self.add, self.report_iri
        add(me, RDF.type, OKG.Report)
        add(me, OKG.sha256, _lit(r.sha256))
        add(me, OKG.family, _lit(r.family))
        add(me, DCTERMS.title, _lit(r.title))
        add(me, DCTERMS.issued, _date(r.published))
        insp = self.inspection(r.inspection)
        add(me, OKG.reportOf, insp)
        for review in r.reviews:
            add(me, OKG.reportOf, self.inspection(review))
        for i, (name, role) in enumerate(r.inspectors):
            person = self.iris.inspector(name)
            add(person, RDF.type, OKG.Inspector)
            add(person, FOAF.name, _lit(name))
            add(person, RDFS.label, _lit(name))
            add(insp, OKG.leadInspector if role == "lead" else OKG.inspector, person)
            if role == "lead" and i == 0:
                add(me, DCTERMS.creator, person)
        for earlier in r.earlier:
            add(me, OKG.refersTo, self.inspection(earlier))
        for agency in r.agencies:
            a = self.agency(agency.name, agency.kind)
            add(me, OKG.mentions, a)
            for spelling in sorted(agency.spellings - {agency.name}):
                add(a, SKOS.altLabel, _lit(spelling))
        self.findings(insp)
        self.relations()
        for n, stat in enumerate(r.statistics, 1):
            s = _n(f"{me.value}/statistic/{n}")
            add(s, RDF.type, OKG.Statistic)
            add(s, OKG.measure, vocab.term(vocab.MEASURES[stat.measure]))
            add(s, OKG.value, _int(stat.value))
            add(s, OKG.text, _lit(stat.label))
            add(s, OKG.statisticOf, insp)
            self.provenance(s, stat.source)
        for n, note in enumerate(r.notes, 1):
            s = _n(f"{me.value}/note/{n}")
            add(s, RDF.type, OKG.DataQualityNote)
            add(s, OKG.text, _lit(note.text))
            if note.about_area:
                add(s, OKG.noteAbout, self.iris.judgement(r.inspection, *note.about_area))
            self.provenance(s, note.source)
        return self.triples

    def relations(self) -> None:
        """One node per (kind, agency): how often, on which pages and in which paragraphs."""
        grouped: dict[tuple[str, str], list[Source]] = {}
        for rel in self.r.relations:
            grouped.setdefault((rel.kind, rel.agency), []).append(rel.source)
        authority = self.iris.authority(self.r.authority)
        kinds = {a.name: a.kind for a in self.r.agencies}
        for (kind, name), sources in sorted(grouped.items()):
            agency = self.agency(name, kinds[name])
            node = _n(f"{self.report_iri.value}/relation/{kind}/{slug(name)}")
            self.add(node, RDF.type, OKG.AgencyRelationship)
            self.add(node, OKG.relationKind, OKG[f"relation-{kind}"])
            self.add(node, OKG.agency, agency)
            self.add(node, OKG.authority, authority)
            self.add(node, OKG.count, _int(len(sources)))
            self.add(node, PROV.wasDerivedFrom, self.report_iri)
            for page in sorted({s.page for s in sources if s.page is not None}):
                self.add(node, OKG.page, _int(page))
            for para in sorted({s.paragraph for s in sources if s.paragraph is not None}):
                self.add(node, OKG.paragraph, _int(para))
            self.add(agency, OKG[vocab.RELATION_KINDS[kind]], authority)

    def inspection(self, insp: Inspection) -> ox.NamedNode:
        add, iri = self.add, self.iris.inspection(insp)
        authority = self.authority(insp.authority)
        add(iri, RDF.type, OKG.Inspection)
        add(iri, OKG.inspectionOf, authority)
        add(iri, OKG.authorityLabel, _lit(insp.authority))
        add(iri, OKG.framework, vocab.term(vocab.FRAMEWORKS[insp.framework]))
        add(iri, OKG.inspectionKind, vocab.term(vocab.INSPECTION_KINDS[insp.kind]))
        add(iri, OKG.startDate, _date(insp.start))
        add(iri, OKG.endDate, _date(insp.end))
        if insp.month:
            add(iri, OKG.month, ox.Literal(insp.month, datatype=XSD.gYearMonth))
        for j in insp.judgements:
            self.judgement(insp, iri, authority, j)
        for area in insp.not_judged:
            add(iri, OKG.areaNotJudged, vocab.concept_for_label("areas", area, insp.framework))
        return iri

    def authority(self, name: str) -> ox.NamedNode:
        iri = self.iris.authority(name)
        self.add(iri, RDF.type, OKG.Authority)
        self.add(iri, RDFS.label, _lit(name))
        self.add(iri, SKOS.prefLabel, _lit(name))
        return iri

    def agency(self, name: str, kind: str) -> ox.NamedNode:
        iri = self.iris.agency(name)
        self.add(iri, RDF.type, vocab.term(vocab.AGENCY_KINDS[kind]))
        self.add(iri, RDFS.label, _lit(name))
        self.add(iri, SKOS.prefLabel, _lit(name))
        return iri

    def judgement(
        self, insp: Inspection, insp_iri: ox.NamedNode, authority: ox.NamedNode, j: Judgement
    ) -> None:
        add, iri = self.add, self.iris.judgement(insp, j.service, j.area)
        add(iri, RDF.type, OKG.Judgement)
        add(iri, OKG.judgementOf, insp_iri)
        subject = (
            self.agency(j.subject_agency, "local safeguarding children board")
            if j.subject_agency
            else authority
        )
        add(iri, OKG.judgementSubject, subject)
        self.service(iri, j.service)
        add(iri, OKG.area, vocab.concept_for_label("areas", j.area, insp.framework))
        add(iri, OKG.areaLabel, _lit(j.area))
        scale = vocab.grade_scale(insp.framework) or "scale-2013"
        other = "scale-2009" if scale == "scale-2013" else "scale-2013"
        grade = vocab.concept_for_label(scale, j.grade) or vocab.concept_for_label(other, j.grade)
        add(iri, OKG.grade, grade)
        add(iri, OKG.gradeLabel, _lit(j.grade))
        for where in j.stated_in:
            add(iri, OKG.statedIn, _lit(where))
        self.provenance(iri, j.source)

    def service(self, iri: ox.NamedNode, label: str | None) -> None:
        if label:
            self.add(iri, OKG.service, vocab.concept_for_label("services", label))
            self.add(iri, OKG.serviceLabel, _lit(label))

    def findings(self, insp: ox.NamedNode) -> None:
        for n, f in enumerate(self.r.findings, 1):
            self.finding(_n(f"{self.report_iri.value}/finding/{n}"), f, insp)

    def finding(self, iri: ox.NamedNode, f: Finding, insp: ox.NamedNode) -> None:
        add = self.add
        add(iri, RDF.type, OKG.Finding)
        if f.kind == "recommendation":
            add(iri, RDF.type, OKG.Recommendation)
        add(iri, OKG.findingKind, vocab.term(vocab.FINDING_KINDS[f.kind]))
        add(iri, OKG.text, _lit(f.text))
        add(iri, OKG.findingOf, insp)
        self.service(iri, f.service)
        if f.kind == "recommendation":
            add(iri, OKG.timescale, vocab.term(vocab.TIMESCALES[f.timescale or "none"]))
            if f.addressees:
                for name in f.addressees:
                    add(iri, OKG.addressee, self.iris.agency(name))
            else:
                add(iri, OKG.addressee, self.iris.authority(self.r.authority))
        if f.area:
            add(iri, OKG.aboutJudgement, self.iris.judgement(self.r.inspection, f.service, f.area))
        for theme, rule in f.themes:
            add(iri, OKG.theme, OKG[f"theme-{theme}"])
            add(iri, OKG.themeRule, OKG[f"rule-{rule}"])
        self.provenance(iri, f.source)

    def provenance(self, iri: ox.NamedNode, src: Source) -> None:
        add = self.add
        add(iri, PROV.wasDerivedFrom, self.report_iri)
        if src.page is not None:
            add(iri, OKG.page, _int(src.page))
        if src.paragraph is not None:
            add(iri, OKG.paragraph, _int(src.paragraph))
        if src.section:
            add(iri, OKG.sectionPath, _lit(" > ".join(src.section)))
        if src.start is not None and src.end is not None:
            add(iri, OKG.charStart, _int(src.start))
            add(iri, OKG.charEnd, _int(src.end))


def _date(d: date | None) -> ox.Literal | None:
    return ox.Literal(d.isoformat(), datatype=XSD.date) if d else None
