"""Inspection of safeguarding and looked after children services, 2009-2012 (SLAC).

Two services (safeguarding; looked after children), each with graded areas in the body
("Quality of provision" then "Grade 3 (Adequate)"), "Areas for improvement" by timescale,
and a closing "Record of main findings" table that repeats every grade.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ofsted_kg.model import Finding, Inspection, Judgement, Report
from ofsted_kg.parse import concepts, front_page, statistics
from ofsted_kg.parse.family import Family
from ofsted_kg.parse.grades import parse_grade, split_heading_grade
from ofsted_kg.parse.record import TIMESCALES, reconcile
from ofsted_kg.parse.sections import Block, blocks, classify, skip_contents
from ofsted_kg.read.document import Document, IngestError
from ofsted_kg.read.textutil import collapse

KEY = "slac"
# The authority follows the title, on its line or the next
TITLE_RE = re.compile(
    r"^Inspection of safeguarding and looked[- ]after children(?:'s)? services\b[\s:\-–]*", re.I
)
_WHERE = "the safeguarding and looked after children report"
_INSPECTOR_RE = re.compile(r"^Reporting inspector:?\s*(.+?)(?:\s+HMI)?\s*$", re.I)


def _not_a_name(text: str) -> bool:
    """A front-page line below the title that is a label, not the authority's name."""
    return bool(front_page.is_dates_label(text) or _INSPECTOR_RE.match(text))


def detect(doc: Document) -> bool:
    return front_page.find_title(doc.lines, (TITLE_RE,), 15) is not None


def parse(doc: Document) -> Report:
    title = front_page.find_title(doc.lines, (TITLE_RE,), 15)
    if title is None:
        raise IngestError("no safeguarding and looked after children inspection title found")
    inspection = _front_matter(doc, title)
    report = Report(
        sha256=doc.sha256,
        family=KEY,
        title="Inspection of safeguarding and looked after children services",
        inspection=inspection,
    )
    for line in doc.lines[:30]:
        if line.text.lower().startswith("published"):
            report.published = front_page.first_date(line.text)
        m = _INSPECTOR_RE.match(line.text)
        if m:
            report.inspectors.append((collapse(m.group(1)), "lead"))
    _Walker(doc, report).run(skip_contents(doc))
    return report


def _front_matter(doc: Document, title: front_page.Title) -> Inspection:
    rest = title.text[title.match.end() :]
    below = front_page.names_near(doc.lines, title.end + 1, 1, _not_a_name, most=2)
    name = front_page.require(front_page.authority(rest, *below), "local authority", _WHERE)
    dates = front_page.require(front_page.labelled_dates(doc.lines[:30]), "inspection dates",
                               _WHERE)  # fmt: skip
    return Inspection("slac", name, start=dates[0], end=dates[1])


def _service(text: str) -> str | None:
    concept = concepts.concept_key("services", text)
    return text if concept is not None else None


class _Walker:
    """One pass over the body, keeping the current service, area and list."""

    def __init__(self, doc: Document, report: Report) -> None:
        self.doc, self.report = doc, report
        self.service: str | None = None
        self.section = ""
        self.group: str | None = None
        self.area: str | None = None
        self.pending: Block | None = None  # a heading that may be followed by its grade
        self.judgement: Judgement | None = None  # awaiting its first paragraph number
        self.in_recs = False
        self.timescale: str | None = None
        self.recs_para: int | None = None
        self.body: dict[tuple[str | None, str], Judgement] = {}

    def path(self) -> tuple[str, ...]:
        return tuple(p for p in (self.service, self.group, self.area) if p)

    def run(self, start: int) -> None:
        for i, block in enumerate(blocks(self.doc, start), start):
            if block.kind in ("heading", "row") and block.text.lower().startswith(
                "record of main findings"
            ):
                self._table(i + 1)
                break
            self._block(block)
        self.report.inspection.judgements.extend(self.body.values())

    def _block(self, b: Block) -> None:
        if b.kind == "heading":
            self._heading(b)
        elif b.kind == "bullet":
            if self.in_recs and self.timescale:
                self.report.findings.append(
                    Finding(
                        "recommendation",
                        b.text,
                        b.source(self.path() + ("Areas for improvement",), self.recs_para),
                        service=self.service,
                        timescale=self.timescale,
                    )
                )
        elif b.kind == "paragraph":
            self._paragraph(b)

    def _heading(self, b: Block) -> None:
        text, low = b.text, b.text.lower().rstrip(":")
        glued = split_heading_grade(text)
        grade = parse_grade(text)
        if grade and self.pending is not None:
            self._judge(self.pending, self.pending.text, grade)
            self.pending = None
            return
        if self.pending is not None:  # an ungraded heading followed by a heading: a group
            self.group, self.area = self.pending.text, None
        self.pending = None
        if glued:
            self._judge(b, glued[0], glued[1])
        elif _service(text):
            self.service, self.section, self.group, self.area = text, "service", None, None
            self.in_recs = False
        elif low in ("about this inspection", "service information") or low.startswith(
            "the inspection judgements"
        ):
            self.section, self.area = low, None
        elif low == "areas for improvement":
            self.in_recs, self.timescale, self.recs_para = True, None, None
        elif low in TIMESCALES and self.in_recs:
            self.timescale = TIMESCALES[low]
        elif concepts.concept_key("areas", text) is not None or self.service:
            self.pending = b

    def _judge(self, b: Block, area: str, grade: str) -> None:
        concept = concepts.concept_key("areas", area)
        if concept is None and not self.service:
            return
        if self.group and concept is not None:
            broader = concepts.broader(concept)
            if broader is None:
                self.group = None
        self.area, self.in_recs = area, False
        j = Judgement(self.service, area, grade, b.source(self.path()))
        self.body[(self.service, area.lower())] = j
        self.judgement = j

    def _paragraph(self, b: Block) -> None:
        if self.pending is not None:
            # a heading followed by text, not a grade: a group heading ("Safeguarding outcomes…")
            self.group, self.area = self.pending.text, None
            self.pending = None
        if b.number is None:
            return
        if self.in_recs and self.timescale is None:
            self.recs_para = b.number  # "In order to improve … should:"
            return
        if self.section == "service information":
            self._statistics(b)
            return
        if self.judgement is not None and self.judgement.source.paragraph is None:
            self.judgement.source = replace(self.judgement.source, paragraph=b.number)
        if self.area and self.service:
            self.report.findings.append(
                Finding(
                    "evaluative-paragraph",
                    b.text,
                    b.source(self.path()),
                    service=self.service,
                    area=self.area,
                )
            )

    def _statistics(self, b: Block) -> None:
        source = b.source(("Service information",))
        statistics.read(self.report, b.text, source)

    def _table(self, start: int) -> None:
        """The 'Record of main findings': compare each grade with the body's."""
        service: str | None = None
        candidate: str | None = None
        for i in range(start, len(self.doc.lines)):
            b = classify(self.doc.lines[i], i)
            cells = [c.strip() for c in b.line.text.split("\t")]
            label = cells[0]
            grade = parse_grade(cells[-1]) if len(cells) > 1 else None
            if grade is None:
                if _service(label):
                    candidate = label
                elif concepts.concept_key("areas", label) is None:
                    break  # the table is over
                continue
            # A service heading repeated at a page break is not a new block: a real one
            # is followed by that service's "Overall effectiveness".
            if candidate and (service is None or label.lower() == "overall effectiveness"):
                service = candidate
            candidate = None
            self._table_row(service, label, grade, b)

    def _table_row(self, service: str | None, area: str, grade: str, b: Block) -> None:
        section = ("Record of main findings",) + tuple(p for p in (service, area) if p)
        table = Judgement(service, area, grade, b.source(section), stated_in=("table",))
        reconcile(self.report, self.body, (service, area.lower()), table, f"'{area}' ({service})")


FAMILY = Family(
    KEY,
    "Inspection of safeguarding and looked after children services, 2009-2012",
    detect,
    parse,
    precedence=10,
)
