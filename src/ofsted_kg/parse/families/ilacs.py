"""ILACS standard and short inspections of local authority children's services, 2018 onwards.

The first page names the authority (a line of its own above "Inspection of children's
social care services" until 2020, then "Inspection of X local authority children's
services"), the inspection dates and the lead inspector, and carries the judgement table
("label<TAB>grade" rows). Summary paragraphs follow, then a "What needs to improve" list,
then one section per judgement area headed with its grade ("The experiences and progress of
children who need help and protection: good") holding numbered paragraphs. Children in care
and care leavers are one judgement until 2023 and two from then; from April 2026 there is no
overall-effectiveness judgement.

A judgement comes only from the table or from a section heading whose area is the table's
or one of the framework's, its grade read on the framework's scale (a heading may wrap over
lines, even inside its grade); a heading's grade that differs from the table's is a note.
A heading outside the vocabulary is noted and the paragraphs under it get no area. The body
ends where Ofsted's back matter begins (parse/sections.py).
"""

from __future__ import annotations

import re
from datetime import date

from ofsted_kg.model import Finding, Inspection, Judgement, Note, Report, Source
from ofsted_kg.parse import concepts, front_page
from ofsted_kg.parse.family import Family
from ofsted_kg.parse.grades import parse_grade
from ofsted_kg.parse.sections import (
    Block,
    back_matter_inside,
    classify,
    is_back_matter,
    is_page_number,
    is_standard_note,
)
from ofsted_kg.read.document import Document, IngestError, Line
from ofsted_kg.read.textutil import (
    SENTENCE_END,
    collapse,
    split_paragraph_number,
    strip_bullet,
)

KEY = "ilacs"
OVERALL = "Overall effectiveness"
# Inspections starting on or after this date have no overall-effectiveness judgement.
NO_OVERALL_FROM = date(2026, 4, 1)

# The title forms, nameless first ("local authority" is no name): until 2020 the authority
# is printed on a line of its own above the title; from then the title names it, as "X local
# authority", "X Council" or a trust delivering the council's services
_TITLES = (
    re.compile(r"^Inspection of (?:local authority )?children's (?:social care )?services$", re.I),
    re.compile(r"^Inspection of (?P<name>.+?) children's (?:social care )?services$", re.I),
    # the trust's name alone: a few words, none of another family's title ("services")
    re.compile(r"^Inspection of (?P<name>(?:(?!services\b)[^,])+? (?:Trust|Children First))$",
               re.I),
)  # fmt: skip
_WHERE = "the ILACS inspection report"
_VISIT_RE = re.compile(r"^(?:Focused|Monitoring) visit (?:to|of)\b", re.I)
_LEAD_RE = re.compile(r"^Lead inspector\b\s*:?\s*(.*)$", re.I)
_ROLE_RE = re.compile(
    r"[,\s]*\b(?:(?:Her|His)\s+Majesty's\s+Inspector|Senior\s+HMI|HMI|Ofsted\s+Inspector)\b.*$",
    re.I,
)
_PUBLISHED_RE = re.compile(r"^(?:Report )?publi(?:shed|cation date)\b", re.I)
_HEADER_CELLS = {"judgement", "judgements", "grade", "judgement grade"}
# The framework's scale (2013: outstanding, good, requires improvement to be good,
# inadequate) as a section heading prints it: "require improvement" after a plural area
# ("The experiences and progress of children in care and care leavers require improvement
# to be good"), any white space between the words. Nothing off the scale is a grade here.
_SCALE_WORDS = r"outstanding|good|inadequate|requires?\s+improvement(?:\s+to\s+be\s+good)?"
# "Area: good", "Area – good", "Area is good", "Area are: inadequate", "Area require
# improvement to be good";
# the area is the shortest that leaves a whole grade phrase at the end, so "…require
# improvement to be good" is never read as area "…require improvement to be", grade "good"
_AREA_HEADING_RE = re.compile(
    rf"^(?P<area>.+?)(?:\s*[:\u2013\u2014]\s*|\s+-\s+|\s+(?:is|are)\s*:?\s*|\s+)"
    rf"(?P<grade>{_SCALE_WORDS})\s*\.?$",
    re.I,
)
# a table row whose cells the layout did not split: "label Requires improvement to be good"
_ROW_GLUED_RE = re.compile(rf"^(.+?)\s+({_SCALE_WORDS})$", re.I)
# a heading wraps onto at most this many printed lines
_HEADING_LINES = 3
_AREA_WORDS_RE = re.compile(r"^(?:The )?(?:experiences and progress of|impact of leaders)\b", re.I)
_NEEDS_RE = re.compile(r"^What needs to (?:improve|be improved)\b", re.I)
_PRIORITY_RE = re.compile(r"^Areas? for priority action\b", re.I)
_GLUED_NUMBER_RE = re.compile(r"^(\d{1,3})\.(?=[A-Z'\"(])")
# Footnote bodies the reader places after the paragraph running at the foot of the page
_FOOTNOTE_RE = re.compile(r"^(?:\d{1,2}\s+)?(?:See\s+|https?://|www\.)", re.I)
_NO_OVERALL_RE = re.compile(
    r"\bno (?:longer (?:an? |any )?)?overall effectiveness (?:judgement|grade)"
    r"|\boverall effectiveness (?:judgement|grade)s? (?:is|are|was|were|has been|have been)"
    r" (?:no longer|removed|not)"
    r"|\bnot (?:make|made|give|given) an overall effectiveness",
    re.I,
)
_KIND_TITLE_RE = re.compile(r"\b(standard|short) inspection\b", re.I)
_KIND_TEXT_RE = re.compile(
    r"\b(?:this|the present|a|the current) (standard|short) inspection\b(?! of [^.]*\bin \d{4})",
    re.I,
)
# a sentence ends before a closing quote or bracket too
_SENTENCE_END = (*SENTENCE_END, ".'", '."', ".)", "')")


def detect(doc: Document) -> bool:
    head = [line.text for line in doc.lines[: front_page.front_extent(doc.lines, 15)]]
    if any(_VISIT_RE.match(t) for t in head):
        return False
    found = _title_index(doc)
    return found is not None and any(
        front_page.is_dates_label(t) or _LEAD_RE.match(t) or t.lower().startswith("judgement\t")
        for t in [line.text for line in doc.lines[: max(15, found.end + 12)]]
    )


def parse(doc: Document) -> Report:
    found = _title_index(doc)
    if found is None:
        raise IngestError("no ILACS inspection title found")
    title_end, title = found.end, found.text
    inspection = _front_matter(doc, found)
    report = Report(doc.sha256, KEY, title, inspection)
    for line in doc.lines[: title_end + 12]:
        if report.published is None and _PUBLISHED_RE.match(line.text):
            report.published = front_page.first_date(line.text)
    lead = _lead_inspector(doc, title_end)
    if lead:
        report.inspectors.append((lead, "lead"))
    table_start = _table_start(doc, title_end)
    rows, body_start = _table(doc, table_start)
    if not rows:
        raise IngestError("no judgement table found in the ILACS inspection report")
    for area, grade, source in rows:
        inspection.judgements.append(Judgement(None, area, grade, source, stated_in=("table",)))
    _overall(doc, report)
    _Body(doc, report).run(body_start)
    return report


# ---------------------------------------------------------------- front page


def _title_index(doc: Document) -> front_page.Title | None:
    """The report title, which may wrap onto several lines."""
    return front_page.find_title(doc.lines, _TITLES, head=12)


def _front_matter(doc: Document, title: front_page.Title) -> Inspection:
    lines = doc.lines
    above = front_page.names_near(lines, title.start - 1, -1)
    below = front_page.names_near(lines, title.end + 1, 1, _not_a_name, most=2)
    # the title's name; else the lines above it (perhaps a name wrapped); else below it;
    # else a line of its own further down the front page (a name the reader placed later)
    later = [ln.text for ln in lines[title.end + 1 : title.end + 12] if not _not_a_name(ln.text)]
    name = front_page.authority(title.name, *above, *below, fallback=later)
    name = front_page.require(name, "local authority", _WHERE)
    dates = front_page.labelled_dates(lines[: title.end + 15])
    start, end = front_page.require(dates, "inspection dates", _WHERE)
    kind = _kind(doc, title.start) or _kind_by_span(start, end)
    return Inspection("ilacs", name, kind, start=start, end=end)


def _not_a_name(text: str) -> bool:
    """A front-page line that is something else: a label, or no short fragment."""
    return bool(front_page.is_dates_label(text) or _LEAD_RE.match(text)) or not _is_fragment(text)


def _kind(doc: Document, title_idx: int) -> str | None:
    """'standard' or 'short' where the report says which it was."""
    for line in doc.lines[: title_idx + 3]:
        m = _KIND_TITLE_RE.search(line.text)
        if m:
            return m.group(1).lower()
    m = _KIND_TEXT_RE.search(doc.text)
    return m.group(1).lower() if m else None


def _kind_by_span(start: date, end: date) -> str:
    """Most reports do not say: the framework puts inspectors on site for one week in a
    short inspection and two in a standard one, so the printed dates tell them apart."""
    return "short" if (end - start).days <= 7 else "standard"


def _lead_inspector(doc: Document, title_end: int) -> str | None:
    for i in range(title_end, min(title_end + 10, len(doc.lines))):
        m = _LEAD_RE.match(doc.lines[i].text)
        if not m:
            continue
        name = collapse(m.group(1).replace("\t", " "))
        if not name and i + 1 < len(doc.lines):
            name = collapse(doc.lines[i + 1].text.replace("\t", " "))
        name = _ROLE_RE.sub("", name).strip(" ,")
        return name or None
    return None


# ---------------------------------------------------------------- judgement table


def _table_start(doc: Document, title_end: int) -> int:
    """The line after the table header, or after the lead inspector when there is none."""
    after = title_end + 1
    for i in range(title_end, min(title_end + 12, len(doc.lines))):
        text = doc.lines[i].text
        cells = [c.strip().lower() for c in text.split("\t") if c.strip()]
        if cells and all(c in _HEADER_CELLS for c in cells):
            return i + 1
        if (
            front_page.is_dates_label(text)
            or _LEAD_RE.match(text)
            or _ROLE_RE.fullmatch(text.strip())
        ):
            after = i + 1
    return after


def _row_grade(text: str) -> tuple[str, str] | None:
    """(label, grade) of a table row: 'label<TAB>grade' or, failing a tab, 'label Good'."""
    cells = [collapse(c) for c in text.split("\t") if c.strip()]
    if len(cells) >= 2:
        grade = scale_grade(cells[-1])
        if grade:
            return " ".join(cells[:-1]), grade
        return None
    m = _ROW_GLUED_RE.match(collapse(text))
    if m and _is_area_label(m.group(1)):
        grade = scale_grade(m.group(2))
        if grade:
            return m.group(1), grade
    return None


def scale_grade(text: str) -> str | None:
    """The grade a cell or heading prints, on the framework's scale only (so never
    "Adequate", a grade of the 2009 scale): "require improvement" read as the scale's
    "Requires improvement to be good"."""
    words = re.sub(r"^require\b", "requires", collapse(text), flags=re.I)
    grade = parse_grade(words)
    scale = concepts.grade_scale(KEY) or "scale-2013"
    return grade if grade and concepts.concept_key(scale, grade) is not None else None


def _is_area_label(label: str) -> bool:
    return (
        concepts.concept_key("areas", label) is not None
        or bool(_AREA_WORDS_RE.match(label))
        or label.lower().startswith("overall effectiveness")
    )


def _is_fragment(text: str) -> bool:
    """A piece of a wrapped table label: short, no sentence punctuation."""
    t = text.strip()
    return 0 < len(t) <= 120 and len(t.split()) <= 14 and not t.endswith(_SENTENCE_END)


def _table(doc: Document, start: int) -> tuple[list[tuple[str, str, Source]], int]:
    """Rows of the judgement table and the index of the first line after it."""
    rows: list[tuple[str, str, Source]] = []
    pending: list[Line] = []  # lines of a label still waiting for its grade
    i = start
    while i < min(len(doc.lines), start + 40):
        line = doc.lines[i]
        text = line.text.strip()
        cells = [c.strip().lower() for c in text.split("\t") if c.strip()]
        if cells and all(c in _HEADER_CELLS for c in cells):
            i += 1
            continue
        if _NEEDS_RE.match(text) or _PRIORITY_RE.match(text) or is_back_matter(text):
            break
        _refuse_off_scale(text)
        row = _row_grade(text)
        grade_only = scale_grade(text) if "\t" not in text else None
        if row:
            label = collapse(" ".join([*(p.text for p in pending), row[0]]))
            rows.append((label, row[1], _row_source(pending or [line], line)))
            pending = []
        elif grade_only and pending:
            label = collapse(" ".join(p.text for p in pending))
            rows.append((label, grade_only, _row_source(pending, line)))
            pending = []
        elif text.lower() == "to be good" and rows and not pending:
            pass  # "Requires improvement" / "to be good" wrapped in the grade cell
        elif _is_fragment(text) and (pending or rows or _is_area_label(text)):
            if text[:1].islower() and rows and not pending:  # the end of a wrapped label
                label, grade, source = rows[-1]
                rows[-1] = (collapse(f"{label} {text}"), grade, _row_source([], line, source))
            else:
                pending.append(line)
        else:
            break
        i += 1
    return rows, i


def _refuse_off_scale(text: str) -> None:
    """A row graded off the framework's scale cannot be read faithfully: refused."""
    cells = [collapse(c) for c in text.split("\t") if c.strip()]
    if len(cells) >= 2 and parse_grade(cells[-1]) and not scale_grade(cells[-1]):
        raise IngestError(
            f"the judgement table grades '{' '.join(cells[:-1])}' {cells[-1]}, "
            "a grade off the ILACS scale"
        )


def _row_source(first: list[Line], last: Line, previous: Source | None = None) -> Source:
    """The span of a table row, from its label's first line through its grade."""
    start = previous.start if previous else first[0].start
    page = previous.page if previous else first[0].page
    return Source(page, None, ("Judgements",), start, last.start + len(last.text))


def _overall(doc: Document, report: Report) -> None:
    """No overall-effectiveness row: recorded as not judged in the new format, else noted."""
    insp = report.inspection
    if any(j.area.lower().startswith("overall effectiveness") for j in insp.judgements):
        return
    new_format = (insp.start is not None and insp.start >= NO_OVERALL_FROM) or bool(
        _NO_OVERALL_RE.search(doc.text)
    )
    if new_format:
        insp.not_judged = [OVERALL]
        return
    first = insp.judgements[0].source
    report.notes.append(
        Note(
            "The judgement table has no overall-effectiveness row, although the report "
            "predates the April 2026 framework that removed it.",
            first,
        )
    )


# ---------------------------------------------------------------- body


def _grade_cell_as_heading(text: str) -> str:
    """A heading whose grade the layout set apart as a cell ("area<TAB>good"), as printed
    with a colon; any other line as it is."""
    cells = [c.strip() for c in text.split("\t") if c.strip()]
    if len(cells) == 2 and scale_grade(cells[1]):
        return f"{cells[0]}: {cells[1]}"
    return text


def _norm(label: str) -> str:
    key = collapse(label.lower().replace("&", "and").replace("’", "'"))
    return key.removeprefix("the ").rstrip(" :.")


def _words(label: str) -> set[str]:
    return set(re.findall(r"[a-z]+", label.lower()))


class _Body:
    """One pass over everything after the judgement table."""

    def __init__(self, doc: Document, report: Report) -> None:
        self.doc, self.report = doc, report
        self.kind: str | None = "main-finding"
        self.section: tuple[str, ...] = ("Headline findings",)
        self.area: str | None = None
        self.number: int | None = None
        self.last: Finding | None = None
        self.table = {_norm(j.area): j for j in report.inspection.judgements}
        self.claimed: set[int] = set()
        self.ended = False  # the back matter has begun
        self.unplaced = False  # text under no known heading is being skipped (and noted)

    def run(self, start: int) -> None:
        i = start
        while i < len(self.doc.lines):
            line = self.doc.lines[i]
            if self.ended or is_back_matter(line.text):
                break  # the back matter: Ofsted's standard paragraphs, never findings
            used = self._area_heading(i)
            if not used:
                self._line(line, i)
            i += used or 1

    def _line(self, line: Line, index: int) -> None:
        text = line.text.strip()
        if not text:
            return
        if _FOOTNOTE_RE.match(text) or is_standard_note(text) or is_page_number(text):
            return
        if collapse(text).lower() == self.report.title.lower():
            return  # the title repeated as a running header (a text conversion keeps them)
        if _NEEDS_RE.match(text):
            self._start_list("what-needs-to-improve", text)
            return
        if _PRIORITY_RE.match(text):
            self._start_list("priority-action", text)
            return
        block = self._classify(line, index)
        if self.kind in ("what-needs-to-improve", "priority-action"):
            if block.kind == "bullet":
                self._add(block, paragraph=None)
            elif text.endswith(":") and self._bullet_next(index):
                # "The local authority should improve:": the items' lead-in, in their path
                self.section, self.last = (self.section[0], text), None
            elif self._continues(block) and (block.kind != "heading" or block.text[0] == "("):
                self._extend(block)  # an item's wrapped end, e.g. "(outcome 1, …)"
            else:  # the list is over, and no heading the parser knows follows it
                self.kind, self.section = None, ()
                self._unplaced(block)
            return
        if self.kind is None:
            self._unplaced(block)
            return
        if self.kind == "main-finding":
            if block.kind == "heading" and not self._continues(block):
                # the framework's summary has no sub-headings: the paragraphs keep their
                # place (the summary, before the list), the heading is noted
                self.section = (block.text,)
                self.report.notes.append(
                    Note(
                        f"Unknown heading '{block.text}' in the summary.",
                        block.source((block.text,)),
                    )
                )
                return
            if self.last is not None and self._continues(block):
                self._extend(block)
            else:
                self._add(block, paragraph=block.number)
            return
        if self.kind == "evaluative-paragraph":
            if block.kind == "heading" and block.text[:1].isupper() and not self._continues(block):
                self._ungraded_heading(block)
            elif block.number is not None and self._stray_number(block):
                self._extend(block)
            elif block.number is not None:
                self.number = block.number
                self._add(block, paragraph=block.number)
            elif self.last is not None and (block.kind == "bullet" or self._continues(block)):
                self._extend(block)  # a list inside the paragraph, or its end after a page break
            else:  # a second paragraph of the numbered paragraph, or after a page break
                self._add(block, paragraph=self.number)

    def _bullet_next(self, index: int) -> bool:
        nxt = index + 1
        return nxt < len(self.doc.lines) and strip_bullet(self.doc.lines[nxt].text)[0]

    def _ungraded_heading(self, block: Block) -> None:
        """A heading with no grade among the numbered paragraphs: a judgement area of the
        table heads its section; any other is unknown, noted, and the paragraphs under it
        are given no area (never the area of the section above)."""
        judgement = self._match(block.text)
        self.last, self.section = None, (block.text,)
        if judgement is not None:
            self.area, self.section = judgement.area, (judgement.area,)
            return
        self.area = None
        self.report.notes.append(
            Note(
                f"Unknown section heading '{block.text}': its paragraphs are given no area.",
                block.source((block.text,)),
            )
        )

    def _unplaced(self, block: Block) -> None:
        """Text after a list that no heading of the vocabulary introduces: not a finding of
        any kind the parser can tell, so not stored; noted once for each such run."""
        if self.unplaced:
            return  # noted already
        self.unplaced, self.last = True, None
        self.report.notes.append(
            Note(
                f"Text under no heading the parser knows ('{block.text[:80]}'): not stored "
                "as findings.",
                block.source(),
            )
        )

    def _classify(self, line: Line, index: int) -> Block:
        m = _GLUED_NUMBER_RE.match(line.text)
        if m:  # "10.Senior leaders…": the number glued to the text
            body = line.text[m.end() :].lstrip()
            return Block("paragraph", body, line, int(m.group(1)), index=index)
        return classify(line, index)

    def _stray_number(self, block: Block) -> bool:
        """'…allocated personal advisers before turning' / '18. However, …': a number that
        begins a printed line inside a sentence, not a paragraph number."""
        if self.last is None or self.number is None or block.number == self.number + 1:
            return False
        return not self.last.text.rstrip().endswith(_SENTENCE_END)

    def _continues(self, block: Block) -> bool:
        """A line that continues the previous finding: a paragraph cut at a page break."""
        if self.last is None or block.number is not None or block.kind == "bullet":
            return False
        return bool(block.text[:1].islower()) or not self.last.text.rstrip().endswith(_SENTENCE_END)

    def _start_list(self, kind: str, heading: str) -> None:
        self.kind, self.section, self.unplaced = kind, (heading.rstrip(":").strip(),), False
        self.area, self.last = None, None

    def _add(self, block: Block, paragraph: int | None) -> None:
        finding = Finding(
            self.kind or "main-finding",
            block.text,
            block.source(self.section, paragraph),
            area=self.area if self.kind == "evaluative-paragraph" else None,
        )
        self.report.findings.append(finding)
        self.last = finding
        self._cut_back_matter()

    def _cut_back_matter(self) -> None:
        """A paragraph the layout ran into Ofsted's back matter ends where it begins, and
        so does the body."""
        assert self.last is not None
        at = back_matter_inside(self.last.text)
        if at is None:
            return
        old, cut = self.last.source, len(self.last.text) - at  # the tail, from its last line
        self.last.text = self.last.text[:at]
        self.last.source = Source(old.page, old.paragraph, old.section, old.start, old.end - cut)
        self.ended = True

    def _extend(self, block: Block) -> None:
        """Join a page-broken paragraph into the previous finding, widening its span."""
        assert self.last is not None
        text = block.line.text.strip() if block.number is not None else block.text
        self.last.text = f"{self.last.text} {text}"
        old = self.last.source
        end = block.line.start + len(block.line.text)
        self.last.source = Source(old.page, old.paragraph, old.section, old.start, end)
        self._cut_back_matter()

    # -- area headings

    def _area_heading(self, index: int) -> int:
        """The number of printed lines (from ``index``) of a graded section heading, 0 when
        there is none. A heading may wrap anywhere, even inside its grade ("…help and
        protection" / "require improvement to be good"), so the longest run of heading-like
        lines that reads as "area: grade" is taken. Only a heading whose area is in the
        judgement table, or is a judgement area of the framework's vocabulary, names a
        judgement; any other graded heading is an unknown section, noted."""
        found = None
        parts: list[str] = []
        for k in range(index, min(index + _HEADING_LINES, len(self.doc.lines))):
            text = _grade_cell_as_heading(self.doc.lines[k].text.strip())
            if not self._heading_part(text, first=k == index):
                break
            parts.append(text)
            m = _AREA_HEADING_RE.match(collapse(" ".join(parts)))
            if m and self._heading_ends(collapse(" ".join(parts)), k):
                found = (k - index + 1, m)
        if found is None:
            return 0
        used, m = found
        printed = m.group("area").strip(" :")
        grade = scale_grade(m.group("grade"))
        if not grade:
            return 0
        judgement = self._match(printed)
        known = concepts.concept_key("areas", printed, KEY)
        if judgement is None and known is None and not _is_area_label(printed):
            return 0  # not a heading of the vocabulary: read as text
        line = self.doc.lines[index]
        end_line = self.doc.lines[index + used - 1]
        text = collapse(" ".join(parts[:used]))
        block = Block("heading", text, line, index=index)
        source = Source(
            line.page, None, (printed,), line.start, end_line.start + len(end_line.text)
        )
        self.kind, self.last, self.section = "evaluative-paragraph", None, (printed,)
        self.unplaced = False
        if judgement is not None:
            self._confirm(judgement, grade, block)
            self.area = judgement.area
        elif known is not None and not self._judged(known):
            # a judgement area of the framework whose table row was not read: the heading
            # states it, and the note says the table did not
            judgement = Judgement(None, printed, grade, source, stated_in=("body",))
            self.report.inspection.judgements.append(judgement)
            self.claimed.add(id(judgement))
            self.area = judgement.area
            self.report.notes.append(
                Note(
                    f"The section heading grades '{printed}' {grade}; the judgement table "
                    "has no row for it.",
                    source,
                    about_area=(None, printed),
                )
            )
        else:  # an unknown (or repeated) graded heading: its paragraphs have no area
            self.area = None
            self.report.notes.append(
                Note(
                    f"Unknown section heading '{text}': no judgement of the table or the "
                    "framework; its paragraphs are given no area.",
                    source,
                )
            )
        return used

    @staticmethod
    def _heading_part(text: str, first: bool) -> bool:
        """A printed line that may be (part of) a graded heading: no tab, no paragraph
        number or bullet, and short unless it is the heading's first line."""
        if not text or "\t" in text or len(text) > 250 or _GLUED_NUMBER_RE.match(text):
            return False
        if split_paragraph_number(text)[0] is not None or strip_bullet(text)[0]:
            return False
        return first or (len(text) <= 160 and len(text.split()) <= 22)

    def _heading_ends(self, text: str, last: int) -> bool:
        """A heading printed with a full stop is told from a sentence by the numbered
        paragraph that follows it."""
        return not text.endswith(".") or self._numbered_next(last)

    def _judged(self, concept: str) -> bool:
        return any(
            concepts.concept_key("areas", j.area, KEY) == concept
            for j in self.report.inspection.judgements
        )

    def _numbered_next(self, index: int) -> bool:
        for line in self.doc.lines[index + 1 : index + 3]:
            if line.text.strip():
                text = line.text.strip()
                return bool(_GLUED_NUMBER_RE.match(text)) or (
                    split_paragraph_number(text)[0] is not None
                )
        return False

    def _match(self, printed: str) -> Judgement | None:
        """The table judgement a body heading is about: same words, same concept, or closest."""
        candidates = [j for j in self.table.values() if id(j) not in self.claimed]
        key = _norm(printed)
        for j in candidates:
            if _norm(j.area) == key:
                return j
        concept = concepts.concept_key("areas", printed)
        if concept is not None:
            for j in candidates:
                if concepts.concept_key("areas", j.area) == concept:
                    return j
        words = _words(printed)
        best, score = None, 0.0
        for j in candidates:
            other = _words(j.area)
            s = len(words & other) / len(words | other) if words | other else 0.0
            if s > score:
                best, score = j, s
        return best if score >= 0.8 else None

    def _confirm(self, judgement: Judgement, grade: str, block: Block) -> None:
        self.claimed.add(id(judgement))
        if "body" not in judgement.stated_in:
            judgement.stated_in = (*judgement.stated_in, "body")
        if judgement.grade != grade:
            self.report.notes.append(
                Note(
                    f"The judgement table grades '{judgement.area}' {judgement.grade}; "
                    f"the heading of its section grades it {grade}.",
                    block.source((judgement.area,)),
                    about_area=(None, judgement.area),
                )
            )


FAMILY = Family(
    KEY, "ILACS standard and short inspections, 2018 onwards", detect, parse, precedence=40
)
