"""Annual unannounced inspection of contact, referral and assessment, 2009-2012: a letter.

No grades: strengths, areas meeting statutory requirements, areas for development and for
priority action, and a reference to the previous unannounced inspection.
"""

from __future__ import annotations

import re

from ofsted_kg.model import Finding, Inspection, Report
from ofsted_kg.parse import front_page
from ofsted_kg.parse.family import Family
from ofsted_kg.parse.sections import classify
from ofsted_kg.read.document import Document
from ofsted_kg.read.textutil import collapse, find_month

KEY = "cra_letter"
TITLE_RE = re.compile(
    r"unannounced inspection of (?:local authority )?contact,? referral and assessment", re.I
)
# The letter's heading, which may wrap, and the authority it names at its end
_HEADING_RE = re.compile(
    r"^(?:Annual )?unannounced inspection of (?:local authority )?contact,? referral and"
    r" assessment arrangements (?:within|in|at) (?:the )?(?P<name>.+?)(?:'s)? children's"
    r" services$",
    re.I,
)
# Where the letter names the authority otherwise: "arrangements within X children's
# services", "within local authority children's services in X which ..."
_AUTHORITY_RES = (
    re.compile(r"arrangements (?:within|in|at) (?:the )?(.+?)(?:'s)? children's services", re.I),
    re.compile(r"children's services (?:in|of) (?:the )?(.+?) (?:which|that|was|were)\b", re.I),
)
# The letter's dates follow these words, in its first sentences
_CONDUCTED_RE = re.compile(r"(?:conducted|carried out|took place) (?:on|between|from) ", re.I)
_PREVIOUS_RE = re.compile(r"previous (?:unannounced )?inspection[^.]*? in ([A-Z][a-z]+ \d{4})")
_INSPECTOR_RE = re.compile(r"^(.+?)\s+Her Majesty's Inspector", re.I)
_SECTIONS = [
    (re.compile(r"^strengths$", re.I), "strength"),
    (re.compile(r"^the service meets the requirements", re.I), "requirement-met"),
    (re.compile(r"^areas? for development$", re.I), "area-for-development"),
    (re.compile(r"^areas? for priority action$", re.I), "priority-action"),
]
_END = re.compile(
    r"^(?:The areas? for (?:development|priority action) identified above|Yours sincerely)", re.I
)
TITLE = "Annual unannounced inspection of contact, referral and assessment arrangements"


def detect(doc: Document) -> bool:
    return any(TITLE_RE.search(line.text) for line in doc.lines[:25])


def parse(doc: Document) -> Report:
    text = doc.text
    where = "the unannounced-inspection letter"
    heading = front_page.find_title(doc.lines, (_HEADING_RE,), 25)
    title_line = next(line.text for line in doc.lines if TITLE_RE.search(line.text))
    named = [m.group(1) for p in _AUTHORITY_RES for t in (title_line, text) if (m := p.search(t))]
    name = front_page.authority(heading.name if heading else None, *named)
    name = front_page.require(name, "local authority", where)
    conducted = _CONDUCTED_RE.search(text)
    dates = (
        front_page.read_dates(text[conducted.end() : conducted.end() + 120]) if conducted else None
    )
    dates = front_page.require(dates, "inspection dates", where)
    inspection = Inspection("cra", name, "unannounced", start=dates[0], end=dates[1])
    report = Report(doc.sha256, KEY, TITLE, inspection)
    report.published = next(
        (d for line in doc.lines[:12] if (d := front_page.first_date(line.text))), None
    )
    for line in doc.lines:
        im = _INSPECTOR_RE.match(line.text)
        if im:
            report.inspectors.append((collapse(im.group(1)), "lead"))
    previous = _PREVIOUS_RE.search(text)
    if previous:
        report.earlier.append(
            Inspection(
                "cra", inspection.authority, "unannounced", month=find_month(previous.group(1))
            )
        )
    _findings(doc, report)
    return report


def _findings(doc: Document, report: Report) -> None:
    kind = None
    heading = ""
    for i, line in enumerate(doc.lines):
        if _END.match(line.text):
            kind = None
            continue
        section = next((k for pattern, k in _SECTIONS if pattern.match(line.text)), None)
        if section:
            kind, heading = section, line.text
            continue
        if kind:
            b = classify(line, i)
            report.findings.append(
                Finding(
                    kind, b.text, b.source((heading,)), service="Contact, referral and assessment"
                )
            )


FAMILY = Family(
    KEY,
    "Annual unannounced inspection of contact, referral and assessment (letter), 2009-2012",
    detect,
    parse,
    precedence=20,
)
