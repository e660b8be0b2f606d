"""ILACS focused visits and monitoring visits, 2018 onwards: a letter with no grades.

'What needs to improve' items, main-findings paragraphs, and the grades of the last
inspection that the letter reports ("At the last inspection, in April 2022, the overall
effectiveness of services was judged to be outstanding ...").
"""

from __future__ import annotations

import re

from ofsted_kg.model import Finding, Inspection, Judgement, Report
from ofsted_kg.parse.authorities import authority_name
from ofsted_kg.parse.family import Family
from ofsted_kg.parse.grades import GRADE_WORDS, parse_grade
from ofsted_kg.parse.sections import classify
from ofsted_kg.read.document import Document, IngestError
from ofsted_kg.read.textutil import collapse, find_date, find_month, find_range

KEY = "ilacs_visit"
TITLE_RE = re.compile(r"^(Focused|Monitoring) visit (?:to|of) (.+?)$", re.I)
_SUMMARY_RE = re.compile(
    r"findings of (?:the|a) (?:focused|monitoring) visit to (.+?) children's services"
    r"(?: on| from)? (.+?\d{4})",
    re.I,
)
_INSPECTORS_RE = re.compile(r"Inspectors? for this visit (?:were|was) (.+?)\.(?:\s|$)", re.I)
_LAST_RE = re.compile(
    r"At the last (?:standard |short )?inspection[^,]*, in ([A-Z][a-z]+ \d{4}),(.+?)\."
)
_JUDGED_RE = re.compile(
    rf"^\s*(?:and\s+)?(?:the\s+)?(.+?) (?:was|were) judged to be ({GRADE_WORDS})", re.I
)
_NEEDS_RE = re.compile(r"^What needs to improve", re.I)
_MAIN_RE = re.compile(r"^(?:Main|Headline) findings$", re.I)
_END_RE = re.compile(r"^(?:Ofsted will take the findings|Yours sincerely)", re.I)


def detect(doc: Document) -> bool:
    return any(TITLE_RE.match(line.text) for line in doc.lines[:40])


def parse(doc: Document) -> Report:
    title_line = next(line.text for line in doc.lines[:40] if TITLE_RE.match(line.text))
    kind = TITLE_RE.match(title_line).group(1).lower()  # type: ignore[union-attr]
    summary = _SUMMARY_RE.search(doc.text)
    if not summary:
        raise IngestError(f"no authority and dates found in the {kind} visit letter")
    dates = find_range(summary.group(2))
    if not dates:
        raise IngestError(f"no visit dates found in the {kind} visit letter")
    authority = authority_name(summary.group(1))
    inspection = Inspection("ilacs", authority, f"{kind}-visit", start=dates[0], end=dates[1])
    report = Report(doc.sha256, KEY, collapse(title_line), inspection)
    report.published = next((d for line in doc.lines[:25] if (d := find_date(line.text))), None)
    names = _INSPECTORS_RE.search(doc.text)
    if names:
        people = re.split(r",\s*|\s+and\s+", names.group(1))
        report.inspectors = [
            (p.strip(), "lead" if i == 0 else "inspector")
            for i, p in enumerate(people)
            if p.strip()
        ]
    _earlier(doc, report)
    _findings(doc, report)
    return report


def _earlier(doc: Document, report: Report) -> None:
    for i, line in enumerate(doc.lines):
        m = _LAST_RE.search(line.text)
        if not m:
            continue
        earlier = Inspection("ilacs", report.authority, month=find_month(m.group(1)))
        source = classify(line, i).source((_heading_above(doc, i),))
        for clause in re.split(r",\s*(?=and\s)|;\s*", m.group(2)):
            j = _JUDGED_RE.match(clause)
            grade = parse_grade(j.group(2)) if j else None
            if j and grade:
                area = j.group(1).strip()
                area = area[0].upper() + area[1:]
                earlier.judgements.append(
                    Judgement(None, area, grade, source, stated_in=("headline",))
                )
        report.earlier.append(earlier)
        return


def _heading_above(doc: Document, index: int) -> str:
    for i in range(index - 1, -1, -1):
        b = classify(doc.lines[i], i)
        if b.kind == "heading":
            return b.text
    return ""


def _findings(doc: Document, report: Report) -> None:
    kind, heading = None, ""
    for i, line in enumerate(doc.lines):
        text = line.text
        if _END_RE.match(text):
            break
        if _NEEDS_RE.match(text):
            kind, heading = "what-needs-to-improve", text
            continue
        if _MAIN_RE.match(text):
            kind, heading = "main-finding", text
            continue
        if kind is None:
            continue
        b = classify(line, i)
        if kind == "what-needs-to-improve" and b.kind != "bullet":
            kind = None  # the list is over
            continue
        report.findings.append(Finding(kind, b.text, b.source((heading,))))


FAMILY = Family(
    KEY, "ILACS focused and monitoring visit letters, 2018 onwards", detect, parse, precedence=30
)
