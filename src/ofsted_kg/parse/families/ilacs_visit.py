"""ILACS focused visits and monitoring visits, 2018 onwards: a letter with no grades.

A letter's structure, in every year of the framework:

* Ofsted's letterhead (its address, telephone and web address: a block of short lines that
  may land anywhere on page 1, even inside a paragraph), then the addressee's block, the
  date and "Dear ...";
* the title, "Focused visit to <authority> children's services" (or "Monitoring visit ...");
* Ofsted's standard opening paragraphs: what the letter summarises, when ("on 13 and 14 July
  2021"; a year missing is the letter's), who the inspectors were ("His Majesty's Inspectors
  for this visit were A and B", "The inspectors were A, HMI, and B, HMI", "... carried out by
  A and B, Her Majesty's Inspectors"), what they looked at: never findings;
* sections under headings of a small vocabulary (``_SECTIONS``): headline or main findings
  (also "Overview", "Findings"), "What needs to improve" (a list), "Areas for priority
  action" (a list, the serious weaknesses notified to the Department for Education). A list's
  items are its bullets; a paragraph ending in ":" before them is their lead-in, kept in the
  items' section path. A heading outside the vocabulary is recorded in a data-quality note
  and its text is not stored as findings: it never takes the meaning of the section above;
* the close ("Ofsted will take the findings ...", "We have notified the Department for
  Education ...", "Yours sincerely"): the signatory, who leads the visit, signs with the
  title "His/Her Majesty's Inspector".

The grades of the last inspection that the letter reports ("At the last inspection, in April
2022, the overall effectiveness of services was judged to be outstanding ...") become an
inspection node of their own.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from datetime import date

from ofsted_kg.model import Finding, Inspection, Judgement, Note, Report
from ofsted_kg.parse import front_page
from ofsted_kg.parse.family import Family
from ofsted_kg.parse.grades import GRADE_WORDS, parse_grade
from ofsted_kg.parse.sections import (
    classify,
    is_back_matter,
    is_page_number,
    is_standard_note,
)
from ofsted_kg.read.document import Document, IngestError, Line
from ofsted_kg.read.textutil import (
    SENTENCE_END,
    collapse,
    find_month,
    find_range,
    strip_bullet,
)

KEY = "ilacs_visit"
TITLE_RE = re.compile(r"^(Focused|Monitoring) visit (?:to|of) (.+?)$", re.I)
_HEAD = 40  # lines searched for the title, below Ofsted's letterhead and the address
_SERVICES = r"(?:children's|children and young people's|young people's|children and families')"
_SUMMARY_RE = re.compile(
    # the name stays within its sentence ("St. Helens" keeps its point)
    rf"findings of (?:the|a|an) (?:focused|monitoring) visit to ((?:[^.]|\.(?!\s))+?)"
    rf" {_SERVICES}? ?services",
    re.I,
)
_TITLE_AUTHORITY_RE = re.compile(rf"visit (?:to|of) (.+?) {_SERVICES}? ?services\b", re.I)
# The whole title, which may wrap: found first, before a line that only opens it
_FULL_TITLE_RE = re.compile(
    rf"^(Focused|Monitoring) visit (?:to|of) (.+?) {_SERVICES}? ?services$", re.I
)
# A visit to a trust or company delivering the council's services names no "services":
# "Monitoring visit to Sandwell Children's Trust", "... visit to X on 3 and 4 May 2022"
_TITLE_REST_RE = re.compile(r"visit (?:to|of) (?:the )?(.+?)\s*$", re.I)
_SUMMARY_BARE_RE = re.compile(
    r"findings of (?:the|a|an) (?:focused|monitoring) visit to ((?:[^.]|\.(?!\s))+?)"
    r" (?:on|between|from)\b",
    re.I,
)
# A day and month with no year: "on 13 and 14 July", "between 3 and 5 March"
_NO_YEAR_RE = re.compile(
    r"(\d{1,2})(?:st|nd|rd|th)?(?:\s+([A-Z][a-z]+))?\s*(?:-|–|—|to|and)\s*(\d{1,2})(?:st|nd|rd|th)?"
    r"\s+([A-Z][a-z]+)\b(?!\s+\d{4})|\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Z][a-z]+)\b(?!\s+\d{4})"
)
# Where the opening paragraphs name the team: the names follow the phrase
_TEAM_RE = re.compile(
    r"(?:\binspectors?(?: for this visit)?|\binspection team|\bvisit team)"
    r"\s+(?:were|was|comprised)\s+"
    r"|\b(?:carried out|conducted|undertaken|led)\s+by\s+",
    re.I,
)
# Titles and roles printed beside inspectors' names, never names themselves
_ROLE_RE = re.compile(
    r"\((?:[^)]*)\)|\b(?:both|two|three|four|five|all)\s+(?:of\s+)?(?=(?:Her|His|Ofsted|Senior))"
    r"|\b(?:Her|His)\s+Majesty's\s+(?:Chief\s+)?Inspectors?\b|\bSenior\s+HMI\b|\bHMIs?\b"
    r"|\bOfsted\s+Inspectors?\b|\b(?:Social\s+Care\s+)?Regulatory\s+Inspectors?\b"
    r"|\blead\s+inspector\b|\binspectors?\b|\bdesignate\b",
    re.I,
)
# A person's name: capitalised words (with the particles names carry), a title allowed
_NAME_RE = re.compile(
    r"^(?:(?:Dr|Mr|Mrs|Ms)\.? )?[A-ZÀ-Þ][\w'’.-]*"
    r"(?: (?:[A-ZÀ-Þ][\w'’.-]*|de|van|von|la|le|da|del|di|du))+$"
)
_LAST_RE = re.compile(
    r"At the last (?:standard |short )?inspection[^,]*, in ([A-Z][a-z]+ \d{4}),(.+?)\."
)
_JUDGED_RE = re.compile(
    rf"^\s*(?:and\s+)?(?:the\s+)?(.+?) (?:was|were) judged to be ({GRADE_WORDS})", re.I
)
# The heading vocabulary of the letters: normalised heading -> finding kind
_SECTIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^what needs to (?:improve|be improved)\b"), "what-needs-to-improve"),
    (re.compile(r"^areas? (?:for|of|requiring) priority action\b"), "priority-action"),
    (re.compile(r"^(?:headline|main|key) findings?$|^overview$|^findings$|^summary$"),
     "main-finding"),
)  # fmt: skip
_LISTS = {"what-needs-to-improve", "priority-action"}
_CLOSE_RE = re.compile(
    r"^(?:Ofsted will take the findings|We have notified the Department for Education"
    r"|Yours? (?:sincerely|faithfully)\b)",
    re.I,
)
_SIGN_OFF_RE = re.compile(r"^Yours? (?:sincerely|faithfully)\b", re.I)
_SIGNATORY_TITLE_RE = re.compile(r"(?:Her|His) Majesty's (?:Chief )?Inspector|\bHMI\b", re.I)
# Ofsted's own address block: the web address closes it
_LETTERHEAD_END_RE = re.compile(r"www\.gov\.uk/ofsted|enquiries@ofsted\.gov\.uk", re.I)
_LETTERHEAD_LINE_RE = re.compile(
    r"^(?:\d+\s+)?(?:Ofsted|Piccadilly Gate|Store Street|Manchester(?: M1 2WD)?|M1 2WD|Agora|"
    r"6 Cumberland Place|Park Street|Nottingham(?: NG1 6HJ)?|NG1 6HJ|T 0300 123 \d{4}|"
    r"Textphone .*|Clive House|70 Petty France|London(?: SW1H 9EX)?|SW1H 9EX)$",
    re.I,
)


def detect(doc: Document) -> bool:
    return front_page.find_title(doc.lines, (TITLE_RE,), _HEAD) is not None


def parse(doc: Document) -> Report:
    lines, ends = _body_lines(doc)
    found = front_page.find_title(lines, (_FULL_TITLE_RE,), _HEAD) or front_page.find_title(
        lines, (TITLE_RE,), _HEAD
    )
    if found is None:
        raise IngestError("no visit letter title found")
    title_at, title_line = found.start, found.text
    kind = found.match.group(1).lower()
    published = next(
        (d for line in lines[:title_at] if (d := front_page.first_date(line.text))), None
    )
    closing = next((i for i, ln in enumerate(lines) if i > title_at and _closes(ln)), len(lines))
    first_section = next(
        (i for i in range(found.end + 1, closing) if _section_kind(lines[i]) is not None), closing
    )
    opening = _joined(lines[found.end + 1 : first_section])
    authority, dates = _authority_and_dates(title_line, opening, published, kind)
    inspection = Inspection("ilacs", authority, f"{kind}-visit", start=dates[0], end=dates[1])
    report = Report(doc.sha256, KEY, collapse(title_line), inspection, published=published)
    inspection.focus = _focus(opening)
    report.inspectors = _inspectors(opening, _signatory(lines, closing))
    _earlier(lines, report)
    _findings(lines, ends, first_section, closing, report)
    return report


# ---------------------------------------------------------------- reading the letter


def _body_lines(doc: Document) -> tuple[list[Line], dict[int, int]]:
    """The letter's lines without Ofsted's letterhead, and with a paragraph that a page
    break or the letterhead cut in two joined again; with, for each joined line (by its
    start), where its last piece ends in the document's text."""
    drop: set[int] = set()
    for i, line in enumerate(doc.lines):
        if _LETTERHEAD_END_RE.search(line.text) and len(line.text) < 90:
            drop.add(i)
            j = i - 1
            while j >= 0 and i - j <= 8 and _LETTERHEAD_LINE_RE.match(doc.lines[j].text.strip()):
                drop.add(j)
                j -= 1
    kept = [line for i, line in enumerate(doc.lines) if i not in drop]
    out: list[Line] = []
    ends: dict[int, int] = {}
    for line in kept:
        prev = out[-1] if out else None
        if prev is not None and _continues(prev, line):
            out[-1] = Line(f"{prev.text} {line.text}", prev.page, prev.start)
            ends[prev.start] = line.start + len(line.text)
        else:
            out.append(line)
    return out, ends


def _continues(prev: Line, line: Line) -> bool:
    """Whether ``line`` is the rest of the paragraph ``prev`` (cut by a page break or the
    letterhead): prev stops mid-sentence and line starts in lower case, not as a list item."""
    text = line.text
    if not text or "\t" in text or "\t" in prev.text or strip_bullet(text)[0]:
        return False
    if prev.text.rstrip().endswith(SENTENCE_END) or len(prev.text) < 60:
        return False
    return text[0].islower() or text[0] in "(,;"


def _closes(line: Line) -> bool:
    """The letter's close, or failing one Ofsted's back matter (the address block aside: the
    letterhead prints it too)."""
    text = line.text.strip()
    return bool(_CLOSE_RE.match(text)) or (is_back_matter(text) and "Piccadilly" not in text)


def _joined(lines: list[Line]) -> str:
    return " ".join(line.text for line in lines)


def _section_kind(line: Line) -> str | None:
    key = _heading_key(line.text)
    for pattern, kind in _SECTIONS:
        if pattern.search(key):
            return kind
    return None


def _heading_key(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split()).rstrip("?:. ")


def _authority_and_dates(
    title: str, opening: str, published: date | None, kind: str
) -> tuple[str, tuple[date, date]]:
    """The authority and the visit's dates, from the opening's "This letter summarises the
    findings of a focused visit to X children's services on ..." (the title names X too)."""
    title, opening = front_page.clean(title), front_page.clean(opening)
    summary = _SUMMARY_RE.search(opening)
    named = (summary, _TITLE_AUTHORITY_RE.search(title))
    bare = (_SUMMARY_BARE_RE.search(opening), _TITLE_REST_RE.search(title))
    name = front_page.authority(*(m.group(1) for m in named if m),
                                fallback=[m.group(1) for m in bare if m])  # fmt: skip
    name = front_page.require(name, "authority", f"the {kind} visit letter")
    after = opening[summary.end() :] if summary else opening
    sentence = re.split(r"\.(?=\s|$)", after, maxsplit=1)[0]
    dates = front_page.read_dates(sentence)
    if dates is None and published is not None:
        dates = _without_year(sentence, published.year)
    dates = front_page.require(dates, "visit dates", f"the {kind} visit letter")
    return name, dates


def _without_year(text: str, year: int) -> tuple[date, date] | None:
    """'13 and 14 July' in a letter dated in 2021: the letter's year."""
    m = _NO_YEAR_RE.search(text)
    if not m:
        return None
    if m.group(3):
        first = find_range(f"{m.group(1)} {m.group(2) or m.group(4)} {year} to "
                           f"{m.group(3)} {m.group(4)} {year}")  # fmt: skip
        return first
    return find_range(f"{m.group(5)} {m.group(6)} {year}")


# What the standard opening says the visit looked at, phrase -> focus (first found first)
_FOCUS_SENTENCE_RE = re.compile(
    r"(?:[^.]*\b(?:looked at|focused on|evaluated|considered the|reviewed the)\b[^.]*\.)", re.I
)
_FOCUSES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"front door|contact,? (?:and )?referral|multi-agency safeguarding hub"
                r"|initial response|first response", re.I), "front-door"),
    (re.compile(r"children in need|child protection|help and protection|pre-proceedings",
                re.I), "help-and-protection"),
    (re.compile(r"children in care|looked after|children looked after|young people in care",
                re.I), "children-in-care"),
    (re.compile(r"permanence", re.I), "permanence"),
    (re.compile(r"care leavers|leaving care|care-leaving|care leaving|care-experienced",
                re.I), "care-leavers"),
    (re.compile(r"disabled children|children with disabilities|special educational needs",
                re.I), "disabled-children"),
    (re.compile(r"exploitation|going missing|missing from|outside (?:of )?(?:their|the) "
                r"family home|extra-familial", re.I), "exploitation"),
)  # fmt: skip


def _focus(opening: str) -> tuple[str, ...]:
    """The focuses of the first sentence of the opening that says what inspectors looked at."""
    for m in _FOCUS_SENTENCE_RE.finditer(opening):
        sentence = m.group(0)
        if re.search(r"summarises the findings", sentence, re.I):
            continue
        found = [key for pattern, key in _FOCUSES if pattern.search(sentence)]
        if found:
            return tuple(found)
    return ()


def _signatory(lines: list[Line], closing: int) -> str | None:
    """The name under "Yours sincerely": the lead inspector."""
    for i in range(closing, len(lines)):
        if _SIGN_OFF_RE.match(lines[i].text):
            for line in lines[i + 1 : i + 4]:
                name = line.text.strip().rstrip(",.")
                if _SIGNATORY_TITLE_RE.search(name):
                    break
                if _NAME_RE.match(name):
                    return name
            return None
    return None


def _person_key(name: str) -> str:
    """A name compared without accents, case and punctuation ("Máire" is "Maire")."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z ]+", " ", text.lower()).split())


def _inspectors(opening: str, signatory: str | None) -> list[tuple[str, str]]:
    """Every inspector the opening names, the signatory first as the lead; the signatory's
    spelling wins where the two spell one person differently."""
    names: list[str] = []
    for m in _TEAM_RE.finditer(opening):
        listed = re.split(r"\.(?=\s|$)", opening[m.end() :], maxsplit=1)[0]
        for piece in re.split(r",\s*(?:and\s+)?|\s+and\s+|;\s*", _ROLE_RE.sub(" ", listed)):
            piece = " ".join(piece.replace("’", "'").split()).strip(" ,.")
            if _NAME_RE.match(piece) and piece not in names:
                names.append(piece)
        if names:
            break
    people: list[tuple[str, str]] = []
    if signatory:
        people.append((signatory, "lead"))
    seen = {_person_key(signatory)} if signatory else set()
    for name in names:
        if _person_key(name) not in seen:
            seen.add(_person_key(name))
            people.append((name, "inspector" if signatory or people else "lead"))
    return people


def _earlier(lines: list[Line], report: Report) -> None:
    for i, line in enumerate(lines):
        m = _LAST_RE.search(line.text)
        if not m:
            continue
        earlier = Inspection("ilacs", report.authority, month=find_month(m.group(1)))
        source = classify(line, i).source((_heading_above(lines, i),))
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


def _heading_above(lines: list[Line], index: int) -> str:
    for i in range(index - 1, -1, -1):
        b = classify(lines[i], i)
        if b.kind == "heading":
            return b.text
    return ""


def _findings(
    lines: list[Line], ends: dict[int, int], start: int, end: int, report: Report
) -> None:
    kind: str | None = None
    heading, lead_in = "", ""
    skip_to = start
    for i in range(start, end):
        if i < skip_to:
            continue  # the rest of a heading wrapped over lines
        line = lines[i]
        if is_standard_note(line.text) or is_page_number(line.text):
            continue  # Ofsted's footnote to the list (set after the paragraph it interrupts)
        known, last = _wrapped_heading(lines, i, end)
        b = classify(line, i)
        if known is not None:
            kind, lead_in = known, ""
            heading = collapse(" ".join(ln.text for ln in lines[i : last + 1])).rstrip(":")
            skip_to = last + 1
            continue
        if kind in _LISTS and b.kind != "bullet" and _bullet_follows(lines, i, end):
            lead_in = b.text  # "The local authority needs to take swift action to": its items
            continue
        if b.kind == "heading":
            kind, heading = None, b.text
            report.notes.append(Note(
                f"a heading this parser does not know ({b.text!r}): what it heads is not "
                "stored as findings", b.source((b.text,)),
            ))  # fmt: skip
            continue
        if kind is None:
            continue
        if kind in _LISTS and b.kind != "bullet":
            if b.text.rstrip().endswith(":") or _bullet_follows(lines, i, end):
                lead_in = b.text  # the items that follow complete it
                continue
        section = (heading, lead_in) if lead_in and kind in _LISTS else (heading,)
        source = b.source(section)
        if line.start in ends:  # joined across a page break: its span ends on the later page
            source = replace(source, end=ends[line.start])
        report.findings.append(Finding(kind, b.text, source))


def _wrapped_heading(lines: list[Line], i: int, end: int) -> tuple[str | None, int]:
    """The kind of a heading of the vocabulary starting at line ``i`` and its last line. A
    heading may wrap ("What needs to improve in this area of social" / "work practice",
    "Areas for priority" / "action"): a line in lower case (or a bracket) continues it, and
    so do a few words where the heading so far is none of the vocabulary."""
    kind, last = _section_kind(lines[i]), i
    text = lines[i].text.strip()
    for k in range(i + 1, min(i + 3, end)):
        more = lines[k].text.strip()
        if not more or "\t" in more or strip_bullet(more)[0] or text.endswith(SENTENCE_END):
            break
        lower = more[0].islower() or more[0] == "("
        if not (lower and len(more.split()) <= 14) and not (
            kind is None and len(more.split()) <= 4
        ):
            break
        text = f"{text} {more}"
        found = _section_kind(Line(text, lines[i].page, lines[i].start))
        if found is None:
            break
        kind, last = found, k
    return kind, last


def _bullet_follows(lines: list[Line], i: int, end: int) -> bool:
    return i + 1 < end and classify(lines[i + 1], i + 1).kind == "bullet"


FAMILY = Family(
    KEY, "ILACS focused and monitoring visit letters, 2018 onwards", detect, parse, precedence=30
)
