"""Report -> RDF. The only code that writes ontology terms; it never reads report text."""

from __future__ import annotations

from datetime import date

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, XSD

from . import vocab
from .ingest.textutil import slug
from .model import Finding, Inspection, Judgement, Report, Source
from .vocab import OKG

_SERVICE_ALL = "all"


class Iris:
    """Deterministic IRIs under a configurable base."""

    def __init__(self, base: str = vocab.DEFAULT_BASE) -> None:
        self.base = base if base.endswith(("/", "#")) else base + "/"

    def report(self, sha256: str) -> URIRef:
        return URIRef(f"{self.base}report/{sha256}")

    def authority(self, name: str) -> URIRef:
        return URIRef(f"{self.base}authority/{slug(name)}")

    def agency(self, name: str) -> URIRef:
        return URIRef(f"{self.base}agency/{slug(name)}")

    def inspector(self, name: str) -> URIRef:
        return URIRef(f"{self.base}inspector/{slug(name)}")

    def inspection(self, insp: Inspection) -> URIRef:
        when = insp.start.isoformat() if insp.start else insp.month or "undated"
        return URIRef(
            f"{self.base}inspection/{slug(insp.authority)}/{insp.framework}/{insp.kind}/{when}"
        )

    def judgement(self, insp: Inspection, service: str | None, area: str) -> URIRef:
        return URIRef(
            f"{self.inspection(insp)}/judgement/{slug(service or _SERVICE_ALL)}/{slug(area)}"
        )

    def graph(self, sha256: str) -> URIRef:
        return URIRef(f"{self.base}graph/{sha256}")


def emit(report: Report, base: str = vocab.DEFAULT_BASE) -> Graph:
    """All triples of one report (its named graph's content)."""
    return _Emitter(report, Iris(base)).run()


class _Emitter:
    def __init__(self, report: Report, iris: Iris) -> None:
        self.r, self.iris, self.g = report, iris, Graph()
        self.report_iri = iris.report(report.sha256)
        for prefix, ns in vocab.PREFIXES.items():
            self.g.bind(prefix, ns)
        self.g.bind("id", iris.base)

    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal | None) -> None:
        if o is not None:
            self.g.add((s, p, o))

    def run(self) -> Graph:
        r, g = self.r, self.g
        add, me = self.add, self.report_iri
        add(me, RDF.type, OKG.Report)
        add(me, OKG.sha256, Literal(r.sha256))
        add(me, OKG.family, Literal(r.family))
        add(me, DCTERMS.title, Literal(r.title))
        add(me, DCTERMS.issued, _date(r.published))
        insp = self.inspection(r.inspection)
        add(me, OKG.reportOf, insp)
        for review in r.reviews:
            add(me, OKG.reportOf, self.inspection(review))
        for i, (name, role) in enumerate(r.inspectors):
            person = self.iris.inspector(name)
            add(person, RDF.type, OKG.Inspector)
            add(person, FOAF.name, Literal(name))
            add(person, RDFS.label, Literal(name))
            add(insp, OKG.leadInspector if role == "lead" else OKG.inspector, person)
            if role == "lead" and i == 0:
                add(me, DCTERMS.creator, person)
        for earlier in r.earlier:
            add(me, OKG.refersTo, self.inspection(earlier))
        for agency in r.agencies:
            a = self.agency(agency.name, agency.kind)
            add(me, OKG.mentions, a)
            for spelling in sorted(agency.spellings - {agency.name}):
                add(a, SKOS.altLabel, Literal(spelling))
        self.findings(insp)
        for n, stat in enumerate(r.statistics, 1):
            s = URIRef(f"{me}/statistic/{n}")
            add(s, RDF.type, OKG.Statistic)
            add(s, OKG.measure, vocab.term(vocab.MEASURES[stat.measure]))
            add(s, OKG.value, Literal(stat.value, datatype=XSD.integer))
            add(s, OKG.text, Literal(stat.label))
            add(s, OKG.statisticOf, insp)
            self.provenance(s, stat.source)
        for n, note in enumerate(r.notes, 1):
            s = URIRef(f"{me}/note/{n}")
            add(s, RDF.type, OKG.DataQualityNote)
            add(s, OKG.text, Literal(note.text))
            if note.about_area:
                add(s, OKG.noteAbout, self.iris.judgement(r.inspection, *note.about_area))
            self.provenance(s, note.source)
        return g

    def inspection(self, insp: Inspection) -> URIRef:
        add, iri = self.add, self.iris.inspection(insp)
        authority = self.authority(insp.authority)
        add(iri, RDF.type, OKG.Inspection)
        add(iri, OKG.inspectionOf, authority)
        add(iri, OKG.framework, vocab.term(vocab.FRAMEWORKS[insp.framework]))
        add(iri, OKG.inspectionKind, vocab.term(vocab.INSPECTION_KINDS[insp.kind]))
        add(iri, OKG.startDate, _date(insp.start))
        add(iri, OKG.endDate, _date(insp.end))
        if insp.month:
            add(iri, OKG.month, Literal(insp.month, datatype=XSD.gYearMonth))
        for j in insp.judgements:
            self.judgement(insp, iri, authority, j)
        for area in insp.not_judged:
            add(iri, OKG.areaNotJudged, vocab.concept_for_label("areas", area))
        return iri

    def authority(self, name: str) -> URIRef:
        iri = self.iris.authority(name)
        self.add(iri, RDF.type, OKG.Authority)
        self.add(iri, RDFS.label, Literal(name))
        self.add(iri, SKOS.prefLabel, Literal(name))
        return iri

    def agency(self, name: str, kind: str) -> URIRef:
        iri = self.iris.agency(name)
        self.add(iri, RDF.type, vocab.term(vocab.AGENCY_KINDS[kind]))
        self.add(iri, RDFS.label, Literal(name))
        self.add(iri, SKOS.prefLabel, Literal(name))
        return iri

    def judgement(
        self, insp: Inspection, insp_iri: URIRef, authority: URIRef, j: Judgement
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
        add(iri, OKG.area, vocab.concept_for_label("areas", j.area))
        add(iri, OKG.areaLabel, Literal(j.area))
        scale = vocab.grade_scale(insp.framework) or "scale-2013"
        other = "scale-2009" if scale == "scale-2013" else "scale-2013"
        grade = vocab.concept_for_label(scale, j.grade) or vocab.concept_for_label(other, j.grade)
        add(iri, OKG.grade, grade)
        add(iri, OKG.gradeLabel, Literal(j.grade))
        for where in j.stated_in:
            add(iri, OKG.statedIn, Literal(where))
        self.provenance(iri, j.source)

    def service(self, iri: URIRef, label: str | None) -> None:
        if label:
            self.add(iri, OKG.service, vocab.concept_for_label("services", label))
            self.add(iri, OKG.serviceLabel, Literal(label))

    def findings(self, insp: URIRef) -> None:
        for n, f in enumerate(self.r.findings, 1):
            self.finding(URIRef(f"{self.report_iri}/finding/{n}"), f, insp)

    def finding(self, iri: URIRef, f: Finding, insp: URIRef) -> None:
        add = self.add
        add(iri, RDF.type, OKG.Recommendation if f.kind == "recommendation" else OKG.Finding)
        add(iri, OKG.findingKind, vocab.term(vocab.FINDING_KINDS[f.kind]))
        add(iri, OKG.text, Literal(f.text))
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
        self.provenance(iri, f.source)

    def provenance(self, iri: URIRef, src: Source) -> None:
        add = self.add
        add(iri, PROV.wasDerivedFrom, self.report_iri)
        if src.page is not None:
            add(iri, OKG.page, Literal(src.page, datatype=XSD.integer))
        if src.paragraph is not None:
            add(iri, OKG.paragraph, Literal(src.paragraph, datatype=XSD.integer))
        if src.section:
            add(iri, OKG.sectionPath, Literal(" > ".join(src.section)))
        if src.start is not None and src.end is not None:
            add(iri, OKG.charStart, Literal(src.start, datatype=XSD.integer))
            add(iri, OKG.charEnd, Literal(src.end, datatype=XSD.integer))


def _date(d: date | None) -> Literal | None:
    return Literal(d.isoformat(), datatype=XSD.date) if d else None
