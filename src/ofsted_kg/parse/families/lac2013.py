"""Inspection of looked after children services, 2012-2013.

The last inspections on the 2009 four-point scale (Outstanding / Good / Adequate /
Inadequate), of the looked after children service alone. Layout:

* front page: title, authority, "Inspection dates: 8 - 12 July 2013", "Reporting inspector
  Name HMI", "Published: ...";
* graded headings followed by their grade line ("Overall effectiveness of services for
  looked after children and young people" / "Grade 4 (inadequate)"), then numbered
  evaluative paragraphs;
* "Areas for improvement": a numbered lead-in, then bullets under "Immediately:",
  "Within three months:" and "Within six months:";
* a closing "Record of main findings" table under the service heading "Services for looked
  after children" that repeats every grade in shorter words ("Overall effectiveness").

Judgements take the record's wording when the record has them (the body's heading is a
longer form of the same label), with ``stated_in`` showing both places.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ofsted_kg.model import Finding, Inspection, Judgement, Report
from ofsted_kg.parse import concepts, front_page, statistics
from ofsted_kg.parse.family import Family
from ofsted_kg.parse.grades import parse_grade, split_heading_grade
from ofsted_kg.parse.record import TIMESCALES, reconcile
from ofsted_kg.parse.sections import Block, classify, skip_contents
from ofsted_kg.read.document import Document, IngestError
from ofsted_kg.read.textutil import collapse

KEY = "lac2013"
# The authority follows the title, on its line or the next
TITLE_RE = re.compile(r"^Inspection of looked[- ]after children(?:'s)? services\b[\s:\-–]*", re.I)
_TITLE = "Inspection of looked after children services"
_INSPECTOR_RE = re.compile(
    r"^(?:Reporting|Lead) inspector:?\s*(.+?)(?:,?\s+\(?(?:Senior\s+)?HMI\)?)?\s*$", re.I
)
_RECORD_RE = re.compile(r"^Record of main findings\b", re.I)
_AREAS_FOR_IMPROVEMENT = re.compile(r"^areas for improvement$", re.I)
_UNGRADED_SECTIONS = re.compile(
    r"^(?:about this inspection|the inspection judgements and what they mean"
    r"|service information|contents)$",
    re.I,
)


_WHERE = "the looked after children report"


def _not_a_name(text: str) -> bool:
    """A front-page line below the title that is a label, not the authority's name."""
    return bool(front_page.is_dates_label(text) or _INSPECTOR_RE.match(text))


def detect(doc: Document) -> bool:
    return front_page.find_title(doc.lines, (TITLE_RE,), 10) is not None


def parse(doc: Document) -> Report:
    title = front_page.find_title(doc.lines, (TITLE_RE,), 10)
    if title is None:
        raise IngestError("no looked after children inspection title found")
    title_idx = title.start
    front = doc.lines[: title.end + 15]
    rest = title.text[title.match.end() :]
    below = front_page.names_near(doc.lines, title.end + 1, 1, _not_a_name, most=2)
    name = front_page.require(front_page.authority(rest, *below), "local authority", _WHERE)
    dates = front_page.require(front_page.labelled_dates(front), "inspection dates", _WHERE)
    inspection = Inspection("lac2013", name, start=dates[0], end=dates[1])
    report = Report(doc.sha256, KEY, _TITLE, inspection)
    for line in front:
        text = line.text.strip()
        if text.lower().startswith("published") and report.published is None:
            report.published = front_page.first_date(text)
        m = _INSPECTOR_RE.match(text)
        if m and not report.inspectors:
            report.inspectors.append((collapse(m.group(1)), "lead"))
    record_idx = next(
        (i for i in range(len(doc.lines) - 1, -1, -1) if _RECORD_RE.match(doc.lines[i].text)),
        None,
    )
    walker = _Walker(doc, report, _record(doc, record_idx))
    walker.run(max(skip_contents(doc), title_idx + 1), record_idx)
    if not inspection.judgements:
        raise IngestError("no graded judgements found in the looked after children report")
    return report


def _record(doc: Document, start: int | None) -> tuple[str | None, list[tuple[str, str, Block]]]:
    """The record of main findings: its service heading and (area, grade, row) in order."""
    if start is None:
        return None, []
    service: str | None = None
    rows: list[tuple[str, str, Block]] = []
    for i in range(start + 1, len(doc.lines)):
        b = classify(doc.lines[i], i)
        cells = [c.strip() for c in b.line.text.split("\t") if c.strip()]
        grade = parse_grade(cells[-1]) if len(cells) > 1 else None
        if grade is None:
            label = cells[0] if cells else ""
            if not rows and concepts.concept_key("services", label) is not None:
                service = label
                continue
            if rows or not label:
                break  # the table is over
            continue
        rows.append((collapse(cells[0]), grade, b))
    return service, rows


def _same_area(body: str, record: str) -> bool:
    a, b = body.lower().rstrip(" :?"), record.lower().rstrip(" :?")
    return a == b or a.startswith(b + " ")


class _Walker:
    def __init__(
        self,
        doc: Document,
        report: Report,
        record: tuple[str | None, list[tuple[str, str, Block]]],
    ) -> None:
        self.doc, self.report = doc, report
        self.service, self.record = record
        self.judgements: dict[str, Judgement] = {}
        self.pending: Block | None = None  # a heading that may be followed by its grade
        self.area: str | None = None
        self.in_recs = False
        self.timescale: str | None = None
        self.recs_para: int | None = None
        self.section = ""

    def run(self, start: int, stop: int | None) -> None:
        end = len(self.doc.lines) if stop is None else stop
        for i in range(start, end):
            self._block(classify(self.doc.lines[i], i))
        self._table()
        insp = self.report.inspection
        order = [self._label(area) for area, _, _ in self.record]
        insp.judgements.extend(
            sorted(
                self.judgements.values(),
                key=lambda j: order.index(j.area) if j.area in order else len(order),
            )
        )

    def _label(self, body_label: str) -> str:
        """The record's wording of a body heading, or the heading itself."""
        for area, _, _ in self.record:
            if _same_area(body_label, area):
                return area
        return body_label

    def _path(self, *more: str) -> tuple[str, ...]:
        return tuple(p for p in (self.area, *more) if p)

    def _block(self, b: Block) -> None:
        text = b.text.strip()
        low = text.lower().rstrip(":")
        grade = (
            parse_grade(text) if b.kind in ("heading", "paragraph") and b.number is None else None
        )
        if grade and self.pending is not None:
            self._judge(self.pending, self.pending.text, grade)
            self.pending = None
            return
        self.pending = None
        if b.kind == "heading":
            glued = split_heading_grade(text)
            if glued:
                self._judge(b, *glued)
            elif _UNGRADED_SECTIONS.match(low):
                self.section, self.area, self.in_recs = low, None, False
            elif _AREAS_FOR_IMPROVEMENT.match(low):
                self.in_recs, self.timescale, self.recs_para = True, None, None
            elif self.in_recs and low in TIMESCALES:
                self.timescale = TIMESCALES[low]
            else:
                self.pending = b
            return
        if b.kind == "bullet":
            if self.in_recs and self.timescale:
                section = self._path("Areas for improvement")
                self.report.findings.append(
                    Finding(
                        "recommendation",
                        text,
                        b.source(section, self.recs_para),
                        service=self.service,
                        timescale=self.timescale,
                    )
                )
            return
        if b.kind != "paragraph" or b.number is None:
            return
        if self.in_recs and self.timescale is None:
            self.recs_para = b.number  # "In order to improve ... the local authority should"
            return
        if self.section == "service information":
            self._statistics(b)
            return
        if self.area and not self.in_recs:
            j = self.judgements.get(self.area)
            if j is not None and j.source.paragraph is None:
                j.source = replace(j.source, paragraph=b.number)
            self.report.findings.append(
                Finding(
                    "evaluative-paragraph",
                    text,
                    b.source(self._path()),
                    service=self.service,
                    area=self.area,
                )
            )

    def _judge(self, b: Block, printed: str, grade: str) -> None:
        label = self._label(collapse(printed))
        self.area, self.section, self.in_recs = label, "judgement", False
        if label in self.judgements:
            return
        self.judgements[label] = Judgement(self.service, label, grade, b.source((label,)))

    def _table(self) -> None:
        for area, grade, b in self.record:
            section = ("Record of main findings", area)
            table = Judgement(self.service, area, grade, b.source(section), stated_in=("table",))
            reconcile(self.report, self.judgements, area, table, f"'{area}'")

    def _statistics(self, b: Block) -> None:
        source = b.source(("Service information",))
        statistics.read(self.report, b.text, source)


FAMILY = Family(
    KEY, "Inspection of looked after children services, 2012-2013", detect, parse, precedence=60
)
