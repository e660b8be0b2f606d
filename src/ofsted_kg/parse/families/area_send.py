"""Area SEND inspections of a local area partnership, 2023 framework (Ofsted and CQC jointly).

The partnership is the council and the NHS integrated care board(s) (ICB) of the area. The
report's structure is fixed by the framework:

* front page: "Area SEND inspection of <area> Local Area Partnership", "Inspection dates:",
  "Date(s) of previous inspection(s):" (dates, or a statement that there was none), then
  "Inspection outcome": one of the framework's three standard sentences, the timing of the
  next full inspection ("within approximately three years") and, for the third outcome, of a
  monitoring inspection ("within approximately 18 months");
* "Information about the local area partnership": who the partners are (context, never
  findings);
* sections under the framework's headings (``_SECTIONS``): what it is like to be a child or
  young person with SEND in the area (main findings), what the partnership does that is
  effective (strengths), what it needs to do better (main findings too: its weaknesses, not
  asks), "Areas for priority action" and "Areas for improvement" (what the partnership is
  asked to do: a table of responsible body and action, or paragraphs naming who should act);
* back matter from "Local area partnership details" (the partners' names and contacts), or
  failing that from Ofsted's standard back matter, on.

A heading outside the vocabulary is recorded in a reading note and what it heads is not
stored as findings.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import NamedTuple

from ofsted_kg.model import PARTNERSHIP, Finding, Inspection, Note, Report, Source
from ofsted_kg.parse import front_page
from ofsted_kg.parse.family import Family
from ofsted_kg.parse.sections import classify, is_back_matter, is_page_number
from ofsted_kg.read.document import Document, IngestError, Line
from ofsted_kg.read.textutil import SENTENCE_END, collapse

KEY = "area_send"
# "Area SEND inspection of X Local Area Partnership", with the acronym spelled out or not
TITLE_RE = re.compile(
    r"^Area (?:SEND|special educational needs and/or disabilities(?: \(SEND\))?)"
    r" (?:full |monitoring )?(?:re-?)?inspection of (?:the )?(?P<name>.+?)"
    r" Local Area Partnership\b",
    re.I,
)
_PREVIOUS_RE = re.compile(
    r"^Dates? of (?:the )?previous (?:area SEND )?inspections?:?\s*(.*)$", re.I
)
# The framework's three outcomes, in its own words
_OUTCOMES = (
    (re.compile(r"typically lead to positive experiences and outcomes", re.I), "positive"),
    (re.compile(r"lead to inconsistent experiences and outcomes", re.I), "inconsistent"),
    (re.compile(r"widespread and/or systemic failings", re.I), "systemic"),
)
_NEXT_FULL_RE = re.compile(
    r"next full (?:area SEND )?(?:re-?)?inspection will be within approximately"
    r" (\w+) (years?|months?)",
    re.I,
)
_MONITORING_RE = re.compile(
    r"monitoring inspection will be carried out within approximately (\w+) (years?|months?)", re.I
)
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "twelve": 12,
            "eighteen": 18}  # fmt: skip
# The framework's headings (as _heading_key gives them: lower case, no closing "?"), with
# the variants its reports print: "the area partnership" or "the local area partnership",
# "a child or young person with SEND" or "... with special educational needs and/or
# disabilities (SEND)", "in this area" or "in <area>". The partnership's weaknesses ("need
# to do better") are findings like the rest of the evaluation, not asks: the asks are the
# areas for priority action and for improvement that follow.
_PARTNERSHIP = r"the (?:local )?area(?: partnership)?"
_SECTIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(?:the )?inspection outcomes?$"), "outcome"),
    (re.compile(rf"^information about {_PARTNERSHIP}$"), "context"),
    (re.compile(r"^what is it like to be an? (?:child|young person|child or young person)"
                r" (?:with|who has) .+ in .+$"), "main-finding"),
    (re.compile(rf"^what (?:is|are) {_PARTNERSHIP}(?: leaders)? doing that is"
                r" (?:effective|working well)$"), "strength"),
    (re.compile(rf"^what (?:does|do) {_PARTNERSHIP}(?: leaders)? need to do better$"
                rf"|^what {_PARTNERSHIP}(?: leaders)? needs? to do better$"), "main-finding"),
    (re.compile(r"^areas? for priority action$"), "priority-action"),
    (re.compile(r"^areas? for improvement$"), "area-for-improvement"),
    (re.compile(r"^(?:local area partnership details|information about this inspection"
                r"|inspection team)$"), "end"),
)  # fmt: skip
_ASKS = {"priority-action", "area-for-improvement"}
# a heading wraps onto at most this many printed lines
_HEADING_LINES = 3
# A name followed by "Integrated Care Board" or "ICB"; the words before it are read back
_ICB_RE = re.compile(r"\s+(?:area\s+)?(?:Integrated\s+Care\s+Board|ICB)\b")
_NAME_WORD_RE = re.compile(r"^[A-Z][\w'&.-]*,?$")
_CQC = "Care Quality Commission"


def detect(doc: Document) -> bool:
    return front_page.find_title(doc.lines, (TITLE_RE,), 12) is not None


def parse(doc: Document) -> Report:
    lines = doc.lines
    found = front_page.find_title(lines, (TITLE_RE,), 12)
    if found is None:
        raise IngestError("no area SEND inspection title found")
    title = found.text
    where = "the area SEND report"
    authority = front_page.require(front_page.authority(found.name), "local authority", where)
    sections = _sections(lines, found.end + 1)
    front_lines = lines[found.end + 1 : sections[0].first if sections else len(lines)]
    front = [ln.text for ln in front_lines]
    dates = front_page.require(front_page.labelled_dates(front_lines), "inspection dates", where)
    inspection = Inspection("area-send", authority, "full", start=dates[0], end=dates[1])
    report = Report(doc.sha256, KEY, title, inspection)
    _previous(front, report)
    outcome_text = " ".join(_section_text(lines, sections, "outcome"))
    inspection.outcome = next((k for p, k in _OUTCOMES if p.search(outcome_text)), None)
    if inspection.outcome is None:
        raise IngestError("the area SEND report states none of the framework's three outcomes")
    inspection.next_full_within = _duration(_NEXT_FULL_RE.search(outcome_text))
    inspection.monitoring_within = _duration(_MONITORING_RE.search(outcome_text))
    if inspection.next_full_within is None:
        raise IngestError("the area SEND report does not say when the next full inspection is")
    # who the partners are: the context names them; the details table at the back, with
    # people's names and roles beside the boards', only where the context does not
    inspection.partners = icb_names("\n".join(_section_text(lines, sections, "context")))
    inspection.partners = inspection.partners or icb_names("\n".join(_back_matter(lines, sections)))
    if not inspection.partners:
        raise IngestError("no integrated care board named in the area SEND report")
    inspection.co_inspectorates = (_CQC,)
    report.inspectors = _team(lines, sections)
    _findings(lines, sections, report)
    return report


# ---------------------------------------------------------------- structure


def _heading_key(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split()).rstrip("?:. ")


class _Heading(NamedTuple):
    """A heading: its last line (its section starts after it), kind (None for an unknown
    one), text, and first line (a heading may wrap)."""

    at: int
    kind: str | None
    text: str
    first: int


def _sections(lines: list[Line], start: int) -> list[_Heading]:
    """Every heading from ``start``. A heading printed twice in a row (a table's header
    repeating it) counts once."""
    out: list[_Heading] = []
    skip_to = start
    for i in range(start, len(lines)):
        if i < skip_to:
            continue  # the rest of a heading wrapped over lines
        text, first = lines[i].text, i
        if is_page_number(text):
            continue
        kind, last = _known_heading(lines, i)
        if kind is not None and last > i:
            text = collapse(" ".join(ln.text for ln in lines[i : last + 1]))
            skip_to, i = last + 1, last  # its section starts after the heading's last line
        if kind is None and is_back_matter(text):
            kind = "end"  # Ofsted's back matter, where a report has no details table
        if kind is None:
            if classify(lines[i], i).kind != "heading" or text.rstrip().endswith(":"):
                continue  # a paragraph, or a list's lead-in
            if not out or out[-1][1] in (*_ASKS, "context", "outcome"):
                # front matter; a cell of the asks' table, which only a known heading ends;
                # or a line of the context, which is never stored as findings
                continue
        if out and out[-1].text == text and out[-1].at == first - 1:
            continue
        out.append(_Heading(i, kind, text, first))
        if kind == "end":
            break
    return out


def _known_heading(lines: list[Line], i: int) -> tuple[str | None, int]:
    """The kind of the framework's heading starting at line ``i`` and its last line: a long
    heading ("What is it like to be a child or young person with special educational needs
    and/or disabilities (SEND) in this area?") may wrap over up to three lines, and the
    longest reading wins ("... in this" / "area?"). A line continues a heading only where
    the heading is not yet a whole question and the line reads as its rest: starting in
    lower case or a bracket, or a few words (a place's name)."""
    found: tuple[str | None, int] = (None, i)
    parts: list[str] = []
    for k in range(i, min(i + _HEADING_LINES, len(lines))):
        text = lines[k].text.strip()
        if not text or "\t" in text or classify(lines[k], k).kind == "bullet":
            break
        if k > i and not _continues_heading(parts[-1], text):
            break
        parts.append(text)
        key = _heading_key(" ".join(parts))
        kind = next((kd for p, kd in _SECTIONS if p.search(key)), None)
        if kind is not None:
            found = (kind, k)
    return found


def _continues_heading(before: str, text: str) -> bool:
    if before.rstrip().endswith(SENTENCE_END) or len(text.split()) > 20:
        return False
    return text[0].islower() or text[0] == "(" or len(text.split()) <= 4


def _is_table_cell(text: str) -> bool:
    """A responsible body's name in the asks' table ("Suffolk County", "Council, NHS ..."),
    or the table's header ("Responsible body")."""
    return bool(re.search(r"\b(?:Council|ICB|NHS|Integrated|Responsible body)\b", text))


def _section_text(lines: list[Line], sections: list, kind: str) -> list[str]:
    for n, (i, k, *_rest) in enumerate(sections):
        if k == kind:
            end = sections[n + 1].first if n + 1 < len(sections) else len(lines)
            return [ln.text for ln in lines[i + 1 : end]]
    return []


def _back_matter(lines: list[Line], sections: list) -> list[str]:
    ends = [h.first for h in sections if h.kind == "end"]
    return [ln.text for ln in lines[ends[0] : ends[0] + 30]] if ends else []


# "Sue Eastwood, Ofsted Lead inspector", "David Mills, Ofsted HMI lead inspector", "Chris
# Pollitt, Ofsted HMI, Lead Inspector", "Liz Fox, CQC inspector": a name, its inspectorate
# and its role, the table's cells run together
_MEMBER_RE = re.compile(
    r"(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)?([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)+),\s+(Ofsted|CQC)\b"
    r"((?:,?\s+(?:HMI|[Ll]ead\s+[Ii]nspector|[Ii]nspector))*)"
)


def _team(lines: list[Line], sections: list) -> list[tuple[str, str]]:
    """The inspection team at the back: Ofsted's (first) lead inspector leads; everyone
    else, CQC's inspectors included, is an inspector."""
    start = next((h.first for h in sections if h.kind == "end"), len(lines))
    team = [i for i in range(start, len(lines)) if _heading_key(lines[i].text) == "inspection team"]
    if not team:
        return []
    text = " ".join(ln.text for ln in lines[team[0] + 1 : team[0] + 12])
    people: list[tuple[str, str]] = []
    text = re.sub(r"^Ofsted\s+Care Quality Commission\s+", "", text.replace("\t", " "))  # header
    for m in _MEMBER_RE.finditer(text):
        name, body, role = re.sub(r"\s+HMI$", "", m.group(1)), m.group(2), m.group(3).lower()
        # one lead: the first of Ofsted's named so (a team may print a second, shadowing)
        lead = body == "Ofsted" and "lead" in role and all(r != "lead" for _, r in people)
        if all(name != n for n, _ in people):
            people.append((name, "lead" if lead else "inspector"))
    return sorted(people, key=lambda p: p[1] != "lead")  # the lead first, as printed else


def _duration(m: re.Match[str] | None) -> str | None:
    if not m:
        return None
    word, unit = m.group(1).lower(), m.group(2).lower()
    number = int(word) if word.isdigit() else _NUMBERS.get(word)
    if number is None:
        return None
    return f"P{number}{'Y' if unit.startswith('year') else 'M'}"


def _previous(front: list[str], report: Report) -> None:
    for text in front:
        m = _PREVIOUS_RE.match(text)
        if not m:
            continue
        dates = front_page.read_dates(m.group(1))
        if dates is None:
            # "Date of previous inspection: none", "Not applicable": stated as none
            report.inspection.no_previous = True
            return
        framework = "area-send" if dates[0] >= date(2023, 1, 1) else "area-send-2016"
        report.earlier.append(
            Inspection(framework, report.authority, "full", start=dates[0], end=dates[1])
        )
        return
    if any(re.search(r"\bfirst (?:area SEND )?inspection\b", t, re.I) for t in front):
        report.inspection.no_previous = True


def icb_names(text: str) -> tuple[str, ...]:
    """The integrated care boards a text names, as "NHS <area> Integrated Care Board": the
    capitalised words (with "and" and commas between) before "Integrated Care Board" or
    "ICB", back to "NHS", "the" or a word that is no part of a name."""
    text = " ".join(text.replace("\t", " | ").split())  # a table's cells stay apart
    found: list[str] = []
    for m in _ICB_RE.finditer(text):
        words = text[: m.start()].split(" ")
        name: list[str] = []
        stop = ""
        while words:
            word = words.pop()
            stop = word
            if word == "NHS":
                break
            if word in ("and", "&") and name and words and _NAME_WORD_RE.match(words[-1]):
                name.insert(0, "and")
                continue
            if _NAME_WORD_RE.match(word) and word not in ("Council", "Council,", "The", "And"):
                name.insert(0, word)
                continue
            break
        while name and name[0] == "and":
            name.pop(0)
        if not name or name[-1].endswith(",") or stop.startswith("("):
            continue  # nothing named, or an acronym in brackets ("(NHS ST&W ICB)")
        canonical = f"NHS {' '.join(name)} Integrated Care Board"
        if canonical not in found:
            found.append(canonical)
    # an acronym ("NHS ST&W ICB") stands for a board the text names in full
    full = [n for n in found if any(c.islower() for c in n[4 : -len(" Integrated Care Board")])]
    return tuple(n for n in found if n in full or not full)


# ---------------------------------------------------------------- findings


def _findings(lines: list[Line], sections: list, report: Report) -> None:
    for n, (i, kind, heading, _first) in enumerate(sections):
        end = sections[n + 1].first if n + 1 < len(sections) else len(lines)
        if kind is None:
            report.notes.append(Note(
                f"a heading this parser does not know ({heading!r}): what it heads is not "
                "stored as findings", classify(lines[i], i).source((heading,)),
            ))  # fmt: skip
            continue
        if kind in ("outcome", "context", "end"):
            continue
        if kind in _ASKS:
            _asks(lines, i + 1, end, kind, heading, report)
            continue
        for j in range(i + 1, end):
            b = classify(lines[j], j)
            if b.kind == "row" or not b.text.strip() or is_page_number(b.text):
                continue
            report.findings.append(Finding(kind, b.text, b.source((heading,))))


def _asks(lines: list[Line], start: int, end: int, kind: str, heading: str,
          report: Report) -> None:  # fmt: skip
    """Areas for priority action or for improvement: where the report prints a table, the
    responsible body's cell (short lines naming the council or an ICB) says who must act and
    everything up to the next such cell is one ask; otherwise each paragraph is one, with the
    bullets its lead-in introduces, and says itself who should act."""
    body: list[str] = []
    current: Finding | None = None
    tabled = False
    for j in range(start, end):
        line = lines[j]
        text = line.text.strip()
        if not text or _heading_key(text) == _heading_key(heading) or is_page_number(text):
            continue
        if "Responsible body" in text:  # the table's header: cells follow
            tabled = True
            continue
        b = classify(line, j)
        if b.kind != "bullet" and _is_body_cell(text, tabled):
            body.append(text)
            current = None
            tabled = True
            continue
        if current is not None and (tabled or b.kind == "bullet" or _leads_in(current.text)):
            joined = f"{current.text} {b.text}"
            report.findings[-1] = current = Finding(
                kind, joined, _extend(current.source, b.source((heading,))),
                addressees=current.addressees,
            )  # fmt: skip
            continue
        who = _responsible(" ".join(body), report) if body else _asked(b.text, report)
        body = []
        current = Finding(kind, b.text, b.source((heading,)), addressees=who)
        report.findings.append(current)


def _is_body_cell(text: str, tabled: bool) -> bool:
    """A line of the responsible body's cell: short, no sentence, and in a table already or
    naming a council or an ICB."""
    if len(text) >= 60 or text.endswith(SENTENCE_END):
        return False
    return tabled or _is_table_cell(text)


def _leads_in(text: str) -> bool:
    return text.rstrip().endswith(":")


def _extend(first: Source, more: Source) -> Source:
    """A span from ``first``'s start to ``more``'s end (an ask and the lines that complete it)."""
    return replace(first, end=more.end)


def _responsible(cell: str, report: Report) -> tuple[str, ...]:
    """Who a responsible body's cell names: the council and/or its ICBs."""
    who: list[str] = []
    if re.search(r"\b(?:Council|local authority)\b", cell, re.I):
        who.append(report.authority)
    named = icb_names(cell)
    who += [icb for icb in report.inspection.partners if icb in named] or (
        list(report.inspection.partners) if re.search(r"\bICBs?\b", cell) else []
    )
    return tuple(who) or (PARTNERSHIP,)


def _asked(text: str, report: Report) -> tuple[str, ...]:
    """Who an ask in a paragraph is addressed to, from its subject (the words before
    "should", "must" or "need(s) to"): the ICB or health leaders; the council or local
    authority; otherwise the partnership as a whole."""
    subject = re.split(r"\s(?:should|must|needs? to|is to|are to)\s", text, maxsplit=1)[0][:160]
    if re.search(r"\b(?:ICBs?|NHS|health leaders|integrated care boards?)\b", subject, re.I):
        return report.inspection.partners
    if re.search(r"\b(?:local authority|council)\b", subject, re.I) and not re.search(
        r"\bpartnership\b", subject, re.I
    ):
        return (report.authority,)
    return (PARTNERSHIP,)


FAMILY = Family(
    KEY,
    "Area SEND inspections of local area partnerships (Ofsted and CQC), 2023 framework",
    detect,
    parse,
    precedence=25,
)
