"""Report -> RDF. The only code that writes ontology terms; it never reads report text.

Triples are written straight to N-Triples lines (what the store and the validator take;
``rdf/ntriples.py``), which is several times faster than building pyoxigraph terms and
serialising them (benchmarks/README.md). The lines are byte for byte what Oxigraph's
serialiser writes (tests/rdf/test_emit.py). ``emit`` gives an rdflib Graph for
callers that want one.
"""

from __future__ import annotations

from datetime import date

from rdflib import Graph, URIRef

from ofsted_kg.model import PARTNERSHIP, Finding, Inspection, Judgement, Report, Source
from ofsted_kg.parse.authorities import register
from ofsted_kg.rdf import vocab
from ofsted_kg.rdf.iris import Iris, slug
from ofsted_kg.rdf.ntriples import (
    DCTERMS,
    FOAF,
    OKG,
    ORG,
    PROV,
    RDF,
    RDFS,
    SKOS,
    XSD,
    literal,
    node_term,
)
from ofsted_kg.rdf.ntriples import (
    integer as _int,
)
from ofsted_kg.rdf.ntriples import (
    iri as _iri,
)

# Finding kinds that ask someone to act, besides recommendations (which also carry a timescale)
ASKS_TO_ACT = frozenset({"what-needs-to-improve", "priority-action", "area-for-improvement",
                         "area-for-development"})  # fmt: skip


def emit_ntriples(report: Report, base: str = vocab.DEFAULT_BASE) -> bytes:
    """All triples of one report (its named graph's content), as N-Triples."""
    return "".join(_Emitter(report, Iris(base)).run()).encode()


def emit(report: Report, base: str = vocab.DEFAULT_BASE) -> Graph:
    """The report's triples as an rdflib Graph, with the project's prefixes bound."""
    g = Graph()
    for prefix, namespace in vocab.PREFIXES.items():
        g.bind(prefix, namespace)
    g.bind("id", Iris(base).base)
    return g.parse(data=emit_ntriples(report, base).decode(), format="nt")


class _Emitter:
    """Writes a report's triples as N-Triples lines; terms are N-Triples strings."""

    def __init__(self, report: Report, iris: Iris) -> None:
        self.r, self.iris = report, iris
        self.lines: list[str] = []
        self.report_value = iris.report(report.sha256).value
        self.report_iri = _iri(self.report_value)

    def add(self, s: str, p: str, o: str | URIRef | None) -> None:
        if o is None:
            return
        if type(o) is URIRef:  # a concept looked up in the ontology (isinstance is slower)
            o = _iri(str(o))
        self.lines.append(f"{s} {p} {o} .\n")

    def run(self) -> list[str]:
        r = self.r
        add, me = self.add, self.report_iri
        add(me, RDF.type, OKG.Report)
        add(me, OKG.sha256, literal(r.sha256))
        add(me, OKG.family, literal(r.family))
        add(me, DCTERMS.title, literal(r.title))
        add(me, DCTERMS.issued, _date(r.published))
        insp = self.inspection(r.inspection)
        add(me, OKG.reportOf, insp)
        for review in r.reviews:
            add(me, OKG.reportOf, self.inspection(review))
        for i, (name, role) in enumerate(r.inspectors):
            person = node_term(self.iris.inspector(name))
            add(person, RDF.type, OKG.Inspector)
            add(person, FOAF.name, literal(name))
            add(person, RDFS.label, literal(name))
            add(insp, OKG.leadInspector if role == "lead" else OKG.inspector, person)
            if role == "lead" and i == 0:
                add(me, DCTERMS.creator, person)
        for earlier in r.earlier:
            add(me, OKG.refersTo, self.inspection(earlier))
        for agency in r.agencies:
            a = self.agency(agency.name, agency.kind)
            add(me, OKG.mentions, a)
            for spelling in sorted(agency.spellings - {agency.name}):
                add(a, SKOS.altLabel, literal(spelling))
        self.findings(insp)
        self.relations()
        for n, stat in enumerate(r.statistics, 1):
            s = _iri(f"{self.report_value}/statistic/{n}")
            add(s, RDF.type, OKG.Statistic)
            add(s, OKG.measure, vocab.term(vocab.MEASURES[stat.measure]))
            if isinstance(stat.value, int):
                add(s, OKG.value, _int(stat.value))
            else:  # a percentage or a rate: its own property, so okg:value stays an integer
                add(s, OKG.decimalValue, literal(str(stat.value), XSD.decimal))
            add(s, OKG.text, literal(stat.label))
            add(s, OKG.statisticOf, insp)
            self.provenance(s, stat.source)
        for n, note in enumerate(r.notes, 1):
            s = _iri(f"{self.report_value}/note/{n}")
            # a note about a judgement is a data-quality note; one about the report's
            # structure (text the parser could not read faithfully, and did not store) is not
            add(s, RDF.type, OKG.DataQualityNote if note.about_area else OKG.ReadingNote)
            add(s, OKG.text, literal(note.text))
            if note.about_area:
                add(
                    s, OKG.noteAbout, node_term(self.iris.judgement(r.inspection, *note.about_area))
                )
            self.provenance(s, note.source)
        return self.lines

    def relations(self) -> None:
        """One node per (kind, agency): how often, on which pages and in which paragraphs."""
        grouped: dict[tuple[str, str], list[Source]] = {}
        for rel in self.r.relations:
            grouped.setdefault((rel.kind, rel.agency), []).append(rel.source)
        authority = node_term(self.iris.authority(self.r.authority))
        kinds = {a.name: a.kind for a in self.r.agencies}
        for (kind, name), sources in sorted(grouped.items()):
            agency = self.agency(name, kinds[name])
            node = _iri(f"{self.report_value}/relation/{kind}/{slug(name)}")
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

    def inspection(self, insp: Inspection) -> str:
        add, node = self.add, node_term(self.iris.inspection(insp))
        authority = self.authority(insp.authority)
        add(node, RDF.type, OKG.Inspection)
        add(node, OKG.inspectionOf, authority)
        add(node, OKG.authorityLabel, literal(insp.authority))
        add(node, OKG.framework, vocab.term(vocab.FRAMEWORKS[insp.framework]))
        add(node, OKG.inspectionKind, vocab.term(vocab.INSPECTION_KINDS[insp.kind]))
        add(node, OKG.startDate, _date(insp.start))
        add(node, OKG.endDate, _date(insp.end))
        if insp.month:
            add(node, OKG.month, literal(insp.month, XSD.gYearMonth))
        self.area_send(insp, node, authority)
        for j in insp.judgements:
            self.judgement(insp, node, authority, j)
        for area in insp.not_judged:
            add(node, OKG.areaNotJudged, vocab.concept_for_label("areas", area, insp.framework))
        return node

    def area_send(self, insp: Inspection, node: str, authority: str) -> None:
        """What only area SEND inspections state: outcome, timings, the partnership."""
        add = self.add
        for focus in insp.focus:
            add(node, OKG.visitFocus, vocab.term(vocab.VISIT_FOCUSES[focus]))
        if insp.outcome:
            add(node, OKG.outcome, vocab.term(vocab.OUTCOMES[insp.outcome]))
        if insp.next_full_within:
            add(node, OKG.nextFullInspectionWithin, literal(insp.next_full_within, XSD.duration))
        if insp.monitoring_within:
            add(node, OKG.monitoringInspectionWithin,
                literal(insp.monitoring_within, XSD.duration))  # fmt: skip
        if insp.no_previous:
            add(node, OKG.noPreviousInspection, literal("true", XSD.boolean))
        if insp.partners:
            partnership = self.partnership(insp.authority, authority, insp.partners)
            add(node, OKG.partnership, partnership)
        for name in insp.co_inspectorates:
            add(node, OKG.coInspectorate, self.agency(name, "regulator"))

    def partnership(self, name: str, authority: str, partners: tuple[str, ...]) -> str:
        node = node_term(self.iris.partnership(name))
        self.add(node, RDF.type, OKG.LocalAreaPartnership)
        self.add(node, RDFS.label, literal(f"{name} local area partnership"))
        self.add(node, ORG.hasMember, authority)
        for icb in partners:
            self.add(node, ORG.hasMember, self.agency(icb, "integrated care board"))
        return node

    def authority(self, name: str) -> str:
        node = node_term(self.iris.authority(name))
        self.add(node, RDF.type, OKG.Authority)
        self.add(node, RDFS.label, literal(name))
        self.add(node, SKOS.prefLabel, literal(name))
        entry = register().get(name)  # its identity, from the register, in every report graph
        if entry is not None:
            self.add(node, OKG.gssCode, literal(entry.gss_code))
            if entry.ofsted_urn:
                self.add(node, OKG.ofstedUrn, literal(entry.ofsted_urn))
        return node

    def agency(self, name: str, kind: str) -> str:
        node = node_term(self.iris.agency(name))
        self.add(node, RDF.type, vocab.term(vocab.AGENCY_KINDS[kind]))
        self.add(node, RDFS.label, literal(name))
        self.add(node, SKOS.prefLabel, literal(name))
        return node

    def judgement(self, insp: Inspection, insp_iri: str, authority: str, j: Judgement) -> None:
        add, iri = self.add, node_term(self.iris.judgement(insp, j.service, j.area))
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
        add(iri, OKG.areaLabel, literal(j.area))
        scale = vocab.grade_scale(insp.framework) or "scale-2013"
        other = "scale-2009" if scale == "scale-2013" else "scale-2013"
        grade = vocab.concept_for_label(scale, j.grade) or vocab.concept_for_label(other, j.grade)
        add(iri, OKG.grade, grade)
        add(iri, OKG.gradeLabel, literal(j.grade))
        for where in j.stated_in:
            add(iri, OKG.statedIn, literal(where))
        self.provenance(iri, j.source)

    def service(self, iri: str, label: str | None) -> None:
        if label:
            self.add(iri, OKG.service, vocab.concept_for_label("services", label))
            self.add(iri, OKG.serviceLabel, literal(label))

    def findings(self, insp: str) -> None:
        for n, f in enumerate(self.r.findings, 1):
            self.finding(_iri(f"{self.report_value}/finding/{n}"), f, insp)

    def finding(self, iri: str, f: Finding, insp: str) -> None:
        add = self.add
        add(iri, RDF.type, OKG.Finding)
        if f.kind == "recommendation":
            add(iri, RDF.type, OKG.Recommendation)
        add(iri, OKG.findingKind, vocab.term(vocab.FINDING_KINDS[f.kind]))
        add(iri, OKG.text, literal(f.text))
        if f.review is not None:  # a finding of a review the report carries (an LSCB's)
            insp = node_term(self.iris.inspection(f.review))
        add(iri, OKG.findingOf, insp)
        self.service(iri, f.service)
        if f.kind == "recommendation":
            add(iri, OKG.timescale, vocab.term(vocab.TIMESCALES[f.timescale or "none"]))
            if f.addressees:
                for name in f.addressees:
                    add(iri, OKG.addressee, node_term(self.iris.agency(name)))
            else:
                add(iri, OKG.addressee, node_term(self.iris.authority(self.r.authority)))
        elif f.addressees:  # a finding that asks someone to act (area SEND reports)
            for name in f.addressees:
                add(iri, OKG.addressee, self.addressee(name))
        elif f.kind in ASKS_TO_ACT:
            # the report asks the council to act where the text names no one (area SEND
            # parsing names the partnership or its members itself)
            add(iri, OKG.addressee, node_term(self.iris.authority(self.r.authority)))
        if f.area:
            about = self.iris.judgement(f.review or self.r.inspection, f.service, f.area)
            add(iri, OKG.aboutJudgement, node_term(about))
        for theme, rule in f.themes:
            add(iri, OKG.theme, OKG[f"theme-{theme}"])
            add(iri, OKG.themeRule, OKG[f"rule-{rule}"])
        self.provenance(iri, f.source)

    def addressee(self, name: str) -> str:
        if name == PARTNERSHIP:
            return node_term(self.iris.partnership(self.r.authority))
        if name == self.r.authority:
            return node_term(self.iris.authority(name))
        return node_term(self.iris.agency(name))

    def provenance(self, iri: str, src: Source) -> None:
        add = self.add
        add(iri, PROV.wasDerivedFrom, self.report_iri)
        if src.page is not None:
            add(iri, OKG.page, _int(src.page))
        if src.paragraph is not None:
            add(iri, OKG.paragraph, _int(src.paragraph))
        if src.section:
            add(iri, OKG.sectionPath, literal(" > ".join(src.section)))
        if src.start is not None and src.end is not None:
            add(iri, OKG.charStart, _int(src.start))
            add(iri, OKG.charEnd, _int(src.end))


def _date(d: date | None) -> str | None:
    return literal(d.isoformat(), XSD.date) if d else None
