"""Single inspection framework (SIF), 2013-2018: inspections and re-inspections of services
for children in need of help and protection, children looked after and care leavers, usually
combined with the review of the local safeguarding children board (LSCB).

Layout, in both eras of the framework (2014 reports open with "The overall judgement is
...", later ones with "Children's services in X are ..."):

* page 1: the headline (overall effectiveness), then the judgement table "1. Children who
  need help and protection <grade>", "2.1 Adoption performance <grade>", ...; 2014 reports
  add "The effectiveness of the Local Safeguarding Children Board (LSCB) is <grade>";
* a summary ("Executive summary" / "Summary of findings"), strengths, "Priority and
  immediate action", "Areas for improvement" or "Recommendations" (numbered, no timescale);
* one section per judgement, opened by a statement of its grade ("The experiences and
  progress of children who need help and protection<tab>Good", "The graded judgement for
  adoption performance is that it is outstanding"), with a "Summary" and numbered
  "Inspection findings";
* the LSCB section: its grade, summary, recommendations and findings.

A stand-alone review of an LSCB ("Surrey Safeguarding Children Board / Review of the
effectiveness of the Local Safeguarding Children Board") is read by the same walker: its
inspection is then the review itself.

The headings, by layout (2014 "Section 1/2"; early 2015; mid 2015-2018), and what their
paragraphs are (``_VOCABULARY`` holds the variants):

* summary: "Summary of key findings"; "Summary of findings"; "Executive summary" ->
  main findings (of the board when in its part);
* "The local authority has the following strengths"; "The local authority's strengths" ->
  strengths;
* "What does the local authority need to improve?" > "Priority and immediate action",
  "Areas for improvement"; "Recommendations" -> recommendations (priority: due immediately);
  a list may group its items under the judgements they are about ("Help and protection",
  "Adoption"): the groups are its own sub-headings;
* "Progress since the last inspection", "Summary for children and young people" -> main
  findings of the authority;
* "Information about this local authority area", or "Previous Ofsted inspections",
  "Children living in this area" and the like under "The local authority" (re-inspections)
  -> no findings: the area figures;
* a judgement's grade statement (or its title over a grade box), its "Summary" and
  "Inspection findings" -> main findings, then evaluative paragraphs, about that judgement;
* the board: "Section 2: The effectiveness of the LSCB"; "The Local Safeguarding Children
  Board (LSCB)", with its summary, "What does the LSCB need to improve?", "Areas for
  improvement" / "Recommendations", "Key strengths and weaknesses of the LSCB" /
  "Inspection judgement about the LSCB" / "Inspection findings - the LSCB" -> the review's
  findings, about its judgement, recommendations addressed to the board;
* apparatus: "Contents", "Information about this inspection", "The inspection team", "What
  the inspection judgements mean" -> no findings.

A heading outside the vocabulary is noted on the report (a data-quality note) and what it
heads is not stored as findings until a heading the vocabulary knows: its paragraphs never
inherit the kind or area of the part before it (the ontology has no kind for unclassified
text). Lead-ins ("... is not yet good because"), the headline sentence, grade cells and a
line that continues an unfinished sentence are not headings. Inside the area information
and the apparatus, sub-headings are the part's own and are not reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ofsted_kg.model import Finding, Inspection, Judgement, Note, Report, Source
from ofsted_kg.parse import front_page, statistics
from ofsted_kg.parse.family import Family
from ofsted_kg.parse.grades import SCALE_2013_WORDS, parse_grade
from ofsted_kg.parse.sections import Block, classify
from ofsted_kg.read.document import Document, IngestError, Line
from ofsted_kg.read.textutil import collapse

KEY = "sif"
_SIF_TITLE_RE = re.compile(
    r"^(Re-?\s?inspection|Inspection) of services for children in need of help and protection,"
    r"\s*children looked after and care leavers",
    re.I,
)
_LSCB_TITLE_RE = re.compile(
    r"^(?:Review|Inspection) of the effectiveness of the local safeguarding children(?:'s)? board",
    re.I,
)
_SIF_TITLE = (
    "Inspection of services for children in need of help and protection, "
    "children looked after and care leavers"
)
_LSCB_TITLE = "Review of the effectiveness of the Local Safeguarding Children Board"
_LSCB_AREA = "The effectiveness of the Local Safeguarding Children Board"
_OVERALL_AREA = "Overall effectiveness"
_HEAD = 25  # lines searched for the title

_GRADE = SCALE_2013_WORDS
# "<subject> is that it is outstanding", "<subject>\tGood", "<subject> requires improvement"
_PREDICATE_RE = re.compile(
    rf"(?:\t\s*|\s+(?:(?:is|are)(?:\s+that\s+(?:it|they)(?:\s+(?:is|are))?)?"
    rf"(?:\s+judged(?:\s+to\s+be)?)?\s+)?)({_GRADE})\s*\.?\s*$",
    re.I,
)
_ROW_RE = re.compile(r"^(\d(?:\.\d)?)\.?\s+(\S.*)$")
_HEADLINE_RE = re.compile(
    r"^(?:Children's services (?:in|on|for) (?P<la>.+?)\s+(?:are|is|requires?)\b"
    r"|The overall judgement is\b)",
    re.I,
)
_FIRST_GRADE_RE = re.compile(rf"\b({_GRADE})\b", re.I)
_PUBLISHED_RE = re.compile(r"^(?:Report )?published:?", re.I)
_LEAD_RE = re.compile(r"^Lead inspector:?\s*(.+)$", re.I)
_HMI_RE = re.compile(r"[\s,]*\(?\b(?:Senior\s+)?(?:HMI|Her Majesty's Inspector)\)?\s*$", re.I)

# Subjects of grade statements, reduced to a key shared by the table and the body.
_SUBJECT_PREFIXES = re.compile(
    r"^(?:the\s+)?(?:graded\s+judge?ments?\s+(?:for|about|of)\s+(?:the\s+)?)?"
    r"(?:effectiveness\s+of\s+(?:the\s+)?)?(?:experiences?\s+and\s+progress\s+of\s+)?",
    re.I,
)
_LSCB_KEYS = {"local safeguarding children board", "local safeguarding children", "lscb"}
# The board's part: "Section 2: The effectiveness of the Local Safeguarding Children Board",
# "The Local Safeguarding Children Board (LSCB)", "Review of the effectiveness of the LSCB"
_BOARD = r"(?:the\s+)?(?:local\s+safeguarding\s+children(?:'s)?\s+board|lscb|board)"
_LSCB_HEADING_RE = re.compile(
    r"^(?:section\s+2\s*[:.\-\u2013\u2014]?\s*)?(?:review\s+of\s+)?(?:the\s+)?"
    r"(?:effectiveness\s+of\s+the\s+)?(?:local\s+safeguarding\s+children(?:'s)?\s+board"
    r"(?:\s*\(lscb\))?|lscb)$",
    re.I,
)


@dataclass(frozen=True)
class _Part:
    """What a heading of the SIF vocabulary opens.

    ``kind`` is the finding kind of the paragraphs under it (None: a part that holds no
    findings). ``scope`` says whose part it is: "authority" leaves the board's part, "board"
    enters it, "report" is about the authority (or the board) as a whole and clears the
    judgement area, "area" keeps the area or board part it sits in. ``closed`` parts (the
    area information, contents, the inspection team, the grade descriptors) hold no findings
    and their sub-headings are their own, so an unfamiliar one there is not reported.
    """

    role: str
    kind: str | None
    scope: str
    timescale: str | None = None
    closed: bool = False


_MAIN = _Part("main", "main-finding", "report")
_CHILDREN = _Part("main", "main-finding", "authority")
_REC = _Part("rec", "recommendation", "report", "none")
_PRIORITY = _Part("rec", "recommendation", "report", "immediately")
_STRENGTH = _Part("strength", "strength", "report")
_SUMMARY = _Part("area-summary", "main-finding", "area")
_EVAL = _Part("eval", "evaluative-paragraph", "area")
_INFO = _Part("info", None, "report", closed=True)
_CLOSED = _Part("closed", None, "report", closed=True)
_CONTAINER = _Part("container", None, "authority")


def _scoped(part: _Part, scope: str) -> _Part:
    return replace(part, scope=scope)


_THE_LA = r"(?:the|this)\s+local\s+authority"
_STRENGTHS = r"(?:has the following |key )?strengths"
_IMPROVE = r"needs? to (?:do to )?improve\??"
# The SIF report's headings, 2013-2018, with their variants (lower case, white space single,
# a trailing colon dropped). Order matters where one pattern is a prefix of another.
_VOCABULARY: tuple[tuple[re.Pattern[str], _Part], ...] = tuple(
    (re.compile(pattern + "$", re.I), part)
    for pattern, part in (
        # the 2014 layout: "Section 1: the local authority", its summary and lists
        (r"section\s+1\s*[:.\-\u2013\u2014]?\s*the local authority\s*[-\u2013\u2014:]?\s*"
         r"summary of (?:the )?(?:key )?findings", _scoped(_MAIN, "authority")),
        (r"section\s+1\s*[:.\-\u2013\u2014]?\s*the local authority", _CONTAINER),
        (r"summary of (?:the )?(?:key )?findings", _MAIN),
        (r"(?:executive )?summary of (?:the )?inspection findings", _MAIN),
        (r"executive summary", _MAIN),
        (r"progress since the (?:last|previous) inspection", _MAIN),
        (rf"{_THE_LA}(?:'s)? {_STRENGTHS}", _scoped(_STRENGTH, "authority")),
        (rf"{_BOARD}(?:'s)? {_STRENGTHS}", _scoped(_STRENGTH, "board")),
        (r"(?:key |main )?strengths", _STRENGTH),
        (rf"what does the local authority {_IMPROVE}", _scoped(_REC, "authority")),
        (rf"what does {_BOARD} {_IMPROVE}", _scoped(_REC, "board")),
        (r"priority and immediate actions?", _PRIORITY),
        (r"areas? for (?:priority and )?immediate action", _PRIORITY),
        (r"areas? for improvement", _REC),
        (r"recommendations?", _REC),
        # the 2015-2018 layout's "Summary for children and young people": the authority's
        (r"summary for children,?(?: and)? young people(?: and (?:their )?(?:families|carers))?",
         _CHILDREN),
        # a judgement's own section
        (r"summary", _SUMMARY),
        (rf"inspection findings\s*(?:[-\u2013\u2014:]\s*)?{_BOARD}", _scoped(_EVAL, "board")),
        (r"inspection findings\b.*", _EVAL),
        (r"(?:key |main |detailed )?findings", _EVAL),
        (rf"key strengths and (?:areas for improvement|weaknesses) of {_BOARD}",
         _scoped(_EVAL, "board")),
        (rf"inspection judge?ments? about {_BOARD}", _scoped(_EVAL, "board")),
        (r"inspection judge?ments? about the local authority", _CONTAINER),
        # parts that hold no findings: the area information (its figures are read) ...
        (r"information about (?:this|the) (?:local authority )?area", _INFO),
        # "The local authority" heads the area information in the 2016-2018 re-inspections
        # but the whole of section 1 in early-2015 reports: a container either way, its
        # sub-headings say which
        (r"the local authority", _CONTAINER),
        (r"children living in this area|child protection in this area"
         r"|children looked after in this area|(?:previous|other) ofsted inspections?"
         r"|local leadership|other information about this area"
         r"|the casework model used (?:in|by) this (?:area|local authority)", _INFO),
        # ... and the report's apparatus
        (r"contents", _CLOSED),
        (r"information about (?:this|the) (?:lscb )?(?:inspection|review)", _CLOSED),
        (r"the inspection team", _CLOSED),
        (r"what the (?:lscb )?inspection judge?ments mean\b.*", _CLOSED),
    )
)  # fmt: skip
# A cell of a judgement box: a grade, or a piece of one where the words wrap
_GRADE_CELL_RE = re.compile(
    rf"^(?:{_GRADE}|requires?|improvement|(?:requires?\s+)?improvement\s+to\s+be(?:\s+good)?"
    r"|to\s+be\s+good|not|judged)\.?$",
    re.I,
)
# The heads of the table that states a judgement's grade ("Key judgement | Judgement grade")
_TABLE_HEAD_RE = re.compile(
    r"^(?:key\s+judge?ments?|judge?ments?\s+grade)(?:\s+judge?ment\s+grade)?$"
)
_SENTENCE_END_RE = re.compile(r"[.!?:;]['\"\u2019\u201d)\]]*\s*$")
# Lists whose items may be grouped under the judgements they are about
_LISTS = ("main", "strength", "rec")
# The judgements as a list's groups name them, in full or short
_AREA_GROUP_RE = re.compile(
    r"^(?:the\s+)?(?:experiences?\s+and\s+progress\s+of\s+)?(?:"
    r"(?:children\s+(?:and\s+young\s+people\s+)?(?:who\s+need|in\s+need\s+of)\s+)?"
    r"help(?:,)?\s+(?:and|&)\s+protection|early\s+help"
    r"|children\s+(?:and\s+young\s+people\s+)?looked\s+after(?:\s+and\s+achieving\s+permanence)?"
    r"|looked\s+after\s+children|children\s+in\s+care|(?:achieving\s+)?permanence"
    r"|adoption(?:\s+performance)?|care\s+leavers|(?:young\s+people\s+)?leaving\s+care"
    r"|leadership(?:,\s*|\s+and\s+)management(?:,?\s+and\s+governance)?"
    r"|leadership\s+and\s+governance|management\s+and\s+governance)$",
    re.I,
)
_PAGE_NUMBER_RE = re.compile(r"^(?:page\s+)?\d{1,3}(?:\s+of\s+\d{1,3})?$")
_RUNNING_PAGES = 3  # a header or footer the reader left is on many pages; a heading on one
_HEADING_WORDS = 12  # the longest heading of the vocabulary has 9 words
# A heading-like line that opens a list rather than a part: "... is not yet good because",
# "The LSCB requires improvement because:" (the sentence goes on in the items below it)
_LEAD_IN_END_RE = re.compile(
    r"(?::|\b(?:because|that|to|by|of|and|or|the|in|for|with|should|must|including|are|is|"
    r"has|have|been|as|where|which|when|following))$",
    re.I,
)


def _part_heading(text: str) -> bool:
    """A heading-like line that names a part of the report, not a sentence of one: not a
    lead-in ("... because:"), not the headline sentence ("Children's services in X are
    good", part of the summary it opens), not a short sentence closed inside quotes or
    brackets, and no longer than the vocabulary's headings run (grade statements aside)."""
    text = text.strip()
    if _LEAD_IN_END_RE.search(text) or _HEADLINE_RE.match(text):
        return False
    if text.rstrip("'\"\u2019\u201d)]").endswith((".", ";", "!", ",", "?")):
        return False
    return len(text.split()) <= _HEADING_WORDS


def _low(text: str) -> str:
    """A line as the vocabulary is matched: lower case, one space, plain apostrophes."""
    return " ".join(text.replace("\u2019", "'").lower().split()).rstrip(":").strip()


def _running_lines(doc: Document) -> frozenset[str]:
    """Heading-like lines at the top or foot of at least three pages and not in the
    vocabulary: what the reader left of a page header or footer (a council's name, the
    report's short title), never a heading of the body."""
    lines = doc.lines
    pages: dict[str, set[int | None]] = {}
    for i, line in enumerate(lines):
        # only where a header or footer is: the first or the last line of its page
        edge = (i == 0 or lines[i - 1].page != line.page) or (
            i + 1 == len(lines) or lines[i + 1].page != line.page
        )
        if edge and line.page is not None and classify(line, i).kind == "heading":
            pages.setdefault(_low(line.text), set()).add(line.page)
    return frozenset(
        low for low, seen in pages.items() if len(seen) >= _RUNNING_PAGES and not _vocabulary(low)
    )


def _vocabulary(low: str) -> _Part | None:
    for pattern, part in _VOCABULARY:
        if pattern.match(low):
            return part
    return None


def detect(doc: Document) -> bool:
    return _title_index(doc) is not None


def _title_index(doc: Document) -> front_page.Title | None:
    """The title (it may wrap); a stand-alone LSCB review names the review at the top."""
    return front_page.find_title(doc.lines, (_SIF_TITLE_RE,), _HEAD) or front_page.find_title(
        doc.lines, (_LSCB_TITLE_RE,), 4
    )


def parse(doc: Document) -> Report:
    found = _title_index(doc)
    if found is None:
        raise IngestError("no single-inspection-framework title found")
    title_idx = found.start
    sif = found.match if found.match.re is _SIF_TITLE_RE else None
    front = _front_page_end(doc, found.end)
    published = None
    for line in doc.lines[:front]:
        if published is None and _PUBLISHED_RE.match(line.text):
            published = front_page.first_date(line.text)
    where = "the SIF report"
    dates = front_page.require(front_page.labelled_dates(doc.lines[:front]), "inspection dates",
                               where)  # fmt: skip
    authority = front_page.require(_authority(doc, title_idx, front), "local authority", where)
    board = f"{authority} Safeguarding Children Board"
    lscb = Inspection("lscb", authority, "full", start=dates[0], end=dates[1])
    if sif:
        kind = "reinspection" if sif.group(1).lower().startswith("re") else "full"
        inspection = Inspection("sif", authority, kind, start=dates[0], end=dates[1])
        title = ("Re-i" if kind == "reinspection" else "I") + _SIF_TITLE[1:]
    else:
        inspection, title = lscb, _LSCB_TITLE
    report = Report(doc.sha256, KEY, title, inspection, published=published)
    lead = _lead_inspector(doc)
    if lead:
        report.inspectors.append((lead, "lead"))
    walker = _Walker(doc, report, lscb, board, standalone=not sif)
    walker.front_page(title_idx, front)
    walker.run(front)
    walker.finish()
    if sif and not inspection.judgements and not inspection.not_judged:
        raise IngestError("no graded judgements found in the SIF report")
    return report


def _front_page_end(doc: Document, title_idx: int) -> int:
    """Index of the first line after the front page (its judgements and headline)."""
    page = doc.lines[title_idx].page
    for i in range(title_idx + 1, min(len(doc.lines), title_idx + 60)):
        line = doc.lines[i]
        if page is not None and line.page is not None and line.page != page:
            return i
        if line.text.strip().lower() in ("contents", "executive summary"):
            return i
    return min(len(doc.lines), title_idx + 20)


def _authority(doc: Document, title_idx: int, front: int) -> str | None:
    """The name above the title (a board's name for a stand-alone review; the name may
    wrap onto two lines), else the headline's "Children's services in X are ..."."""
    above = front_page.names_near(doc.lines, title_idx - 1, -1, lambda t: len(t) > 80, most=2)
    headline = None
    for line in doc.lines[:front]:
        m = _HEADLINE_RE.match(line.text.strip())
        if m and m.group("la"):
            headline = m.group("la")
            break
    return front_page.authority(*above, headline)


def _lead_inspector(doc: Document) -> str | None:
    for line in doc.lines:
        m = _LEAD_RE.match(line.text.strip())
        if m:
            name = collapse(m.group(1).replace("\t", " "))
            for _ in range(2):
                name = _HMI_RE.sub("", name).strip(" ,")
            return name or None
    return None


def _subject_key(subject: str) -> str:
    text = " ".join(subject.replace("\u2019", "'").split()).strip(" :.")
    text = re.sub(r"\s*\(lscb\)$", "", text, flags=re.I)
    text = _SUBJECT_PREFIXES.sub("", text)
    return text.lower().replace("'s board", " board")


def _grade_of(text: str) -> str | None:
    words = " ".join(text.lower().split())
    words = re.sub(r"^require\b", "requires", words)
    if words == "not judged":
        return "not judged"
    return parse_grade(words)


def _statement(text: str) -> tuple[str, str] | None:
    """'<subject> is that it is good' -> (subject, canonical grade or 'not judged')."""
    text = text.strip()
    if len(text) > 200:
        return None
    m = _PREDICATE_RE.search(text)
    if not m:
        return None
    grade = _grade_of(m.group(1))
    subject = text[: m.start()].strip()
    if not grade or not subject or subject.endswith(":"):
        return None  # "Overall effectiveness: Inadequate." lists an earlier inspection
    return subject, grade


def _line_source(line: Line, section: tuple[str, ...]) -> Source:
    return Source(line.page, None, section, line.start, line.start + len(line.text))


class _Walker:
    """Front page, then one pass over the body keeping the part, the area and the list."""

    def __init__(
        self, doc: Document, report: Report, lscb: Inspection, board: str, standalone: bool
    ) -> None:
        self.doc, self.report, self.lscb, self.board = doc, report, lscb, board
        self.standalone = standalone
        self.running = _running_lines(doc)  # page headers and footers left by the reader
        self.figures = statistics.Reader(report)  # the area information's figures
        self.judgements: dict[str, Judgement] = {}  # subject key -> judgement (the authority)
        self.keys: dict[str, str] = {}  # subject key -> area label
        self.lscb_judgement: Judgement | None = None
        self.in_lscb = standalone
        self.area: str | None = None
        self.mode: str | None = None  # main | strength | rec | area | area-summary | eval
        self.heading = ""
        self.timescale: str | None = None  # of the recommendations under the heading
        self.closed = False  # in a part that holds no findings (area information, back matter)
        self.cell, self.cell_index = "", -2  # the words of a grade box read so far, its line
        self.group: str | None = None  # the judgement a list's items are grouped under
        self.last: Finding | None = None
        self.last_line: Line | None = None

    # ---------------------------------------------------------------- front page
    def front_page(self, title_idx: int, end: int) -> None:
        lines = self.doc.lines
        section = (self.report.title,)
        i = title_idx + 1
        while i < end:
            line = lines[i]
            text = line.text.strip()
            head = _HEADLINE_RE.match(text)
            if head and not self.standalone:
                grade = _first_grade(_after_subject(text, head))
                if grade:
                    self._judge(_OVERALL_AREA, grade, "headline", _line_source(line, section))
                i += 1
                continue
            row = _ROW_RE.match(text)
            if row and not self.standalone:
                _number, rest = row.groups()
                cells = [c.strip() for c in rest.split("\t") if c.strip()]
                label, grade = cells[0], _grade_of(cells[-1]) if len(cells) > 1 else None
                if grade is None:
                    st = _statement(rest)
                    if st:
                        label, grade = st
                if grade is None and i + 1 < end:
                    grade = _grade_of(lines[i + 1].text.strip())
                    if grade:
                        i += 1
                if grade:
                    label = collapse(label)
                    self._judge(label, grade, "table", _line_source(line, section))
                i += 1
                continue
            st = _statement(text)
            if st and _subject_key(st[0]) in _LSCB_KEYS:
                label = collapse(re.sub(r"\s*\(LSCB\)\s*$", "", st[0]))
                self._judge_lscb(label, st[1], "headline", _line_source(line, section))
            i += 1

    # ---------------------------------------------------------------- judgements
    def _judge(self, label: str, grade: str, where: str, source: Source) -> None:
        key = _subject_key(label)
        if key in _LSCB_KEYS:
            self._judge_lscb(label, grade, where, source)
            return
        insp = self.report.inspection
        if grade == "not judged":
            if key not in self.keys:
                self.keys[key] = label
                insp.not_judged.append(label)
            return
        known = self.judgements.get(key)
        if known is None:
            if where == "body" and key not in self.keys and key != _subject_key(_OVERALL_AREA):
                return  # only judgements the front page names are taken from the body
            j = Judgement(None, label, grade, source, stated_in=(where,))
            self.judgements[key] = j
            self.keys[key] = label
            insp.judgements.append(j)
            return
        self._restate(known, grade, where, source, (None, known.area))

    def _judge_lscb(self, label: str, grade: str, where: str, source: Source) -> None:
        known = self.lscb_judgement
        if known is None:
            if grade == "not judged":
                return
            label = collapse(re.sub(r"\s*\(LSCB\)\s*$", "", label, flags=re.I))
            if _subject_key(label) != "local safeguarding children board":
                label = _LSCB_AREA  # "The effectiveness of the LSCB", a misprint
            j = Judgement(None, label, grade, source, stated_in=(where,), subject_agency=self.board)
            self.lscb_judgement = j
            self.lscb.judgements.append(j)
            if not self.standalone:
                self.report.reviews.append(self.lscb)
            return
        self._restate(known, grade, where, source, None)

    def _restate(
        self,
        known: Judgement,
        grade: str,
        where: str,
        source: Source,
        about: tuple[str | None, str] | None,
    ) -> None:
        if grade == "not judged":
            grade_text = "not judged"
        else:
            grade_text = grade
        if where not in known.stated_in:
            known.stated_in = (*known.stated_in, where)
        if grade_text != known.grade:
            self.report.notes.append(
                Note(
                    f"The {where} grades '{known.area}' {grade_text}; "
                    f"the {known.stated_in[0]} grades it {known.grade}.",
                    source,
                    about_area=about,
                )
            )

    # ---------------------------------------------------------------- body
    def run(self, start: int) -> None:
        for i in range(start, len(self.doc.lines)):
            self._line(i, self.doc.lines[i])

    def _line(self, i: int, line: Line) -> None:
        text = line.text.strip()
        b = classify(line, i)
        if b.kind == "row" and re.search(r"\t\s*\d+\s*$", text):
            return  # a contents entry
        low = _low(text)
        if b.kind in ("heading", "row") or (b.kind == "paragraph" and b.number is None):
            if self._section_heading(line, text, low):
                return
            if _TABLE_HEAD_RE.match(low):
                return  # "Key judgement | Judgement grade" above a section's grade
            if _GRADE_CELL_RE.match(low):
                self._grade_cell(i, line, low)
                return
            if _PAGE_NUMBER_RE.match(low) or (b.kind == "heading" and low in self.running):
                return  # a page number, a running header or footer: not the report's text
            if b.kind == "heading" and self._unfinished():
                self._extend(b, line)  # a heading never cuts a sentence: the text runs on
                return
            if b.kind == "heading" and _part_heading(text):
                self._unknown(b)
                return
        if self.mode is None:
            if self.heading == "info" and b.kind in ("bullet", "paragraph"):
                self._statistics(b.text, b.source(("Information about this local authority area",)))
            return
        self._finding(b, line)

    def _unfinished(self) -> bool:
        """The finding read last stops mid-sentence (a page break or a stray line break)."""
        return (
            self.mode is not None
            and self.last is not None
            and not _SENTENCE_END_RE.search(self.last.text)
        )

    def _grade_cell(self, i: int, line: Line, low: str) -> None:
        """A grade printed in a box beside or below its section's title ("Good", or
        "Requires" / "improvement" on lines of their own): the section's grade statement when
        it follows the title, else a table cell; never a heading of its own."""
        words = f"{self.cell} {low}" if self.cell_index == i - 1 else low
        self.cell, self.cell_index = words, i
        grade = _grade_of(words)
        if grade and self.mode == "area" and self.area and self.last is None:
            self._judge(self.area, grade, "body", _line_source(line, (self.area,)))

    def _unknown(self, b: Block) -> None:
        """A heading outside the vocabulary: noted, and what it heads is stored as printed, as
        unclassified findings with no area (never given the kind of the part before it),
        until a heading the parser knows."""
        if self.closed:
            return  # a sub-heading of the area information or the back matter: its own
        self.mode, self.heading, self.last, self.group = "unknown", b.text, None, None
        self.report.notes.append(
            Note(
                f"a heading this parser does not know ({b.text!r}): what it heads is stored "
                "as unclassified findings",
                b.source(self._path()),
            )
        )

    def _section_heading(self, line: Line, text: str, low: str) -> bool:
        """Switch part on a heading or a grade statement; True when the line is one."""
        st = _statement(text)
        if (
            st
            and text.endswith(".")
            and self.mode in ("main", "area-summary")
            and not re.match(r"the graded judge?ment", text, re.I)
        ):
            st = None  # "Adoption performance is good." closing a summary paragraph
        if st:
            key = _subject_key(st[0])
            if key in _LSCB_KEYS:
                self._enter_lscb()
                self._judge_lscb(st[0], st[1], "body", _line_source(line, self._lscb_path()))
                return True
            if key in self.keys or (key == _subject_key(_OVERALL_AREA)):
                label = self.keys.get(key, _OVERALL_AREA)
                self._judge(label, st[1], "body", _line_source(line, (label,)))
                self._enter_area(label)
                return True
        head = _HEADLINE_RE.match(text)
        if head and not self.standalone and not self.in_lscb:
            grade = _first_grade(_after_subject(text, head))
            if grade:
                self._judge(_OVERALL_AREA, grade, "body", _line_source(line, (self.heading,)))
            return False  # the sentence is also a finding of the summary it opens
        if len(text) > 140 or text.endswith((".", ";", ",")):
            return False
        if _LSCB_HEADING_RE.match(low):
            if self.closed and low in ("the lscb", "lscb"):
                return True  # "What the inspection judgements mean" > "The LSCB": descriptors
            self._enter_lscb()
            return True
        key = _subject_key(low)
        if self.mode in _LISTS and (key in self.keys or _AREA_GROUP_RE.match(low)):
            # a list grouped by judgement ("Help and protection", "Adoption" above their
            # recommendations): the list goes on under the group
            self.group, self.last = text.rstrip(":").strip(), None
            return True
        if key in self.keys and key not in _LSCB_KEYS:
            # a judgement's section titled without its grade ("Leadership, management and
            # governance" above a "Key judgement | Judgement grade" table)
            self._enter_area(self.keys[key])
            return True
        part = _vocabulary(low)
        if part is None:
            return False
        if part.role in ("area-summary", "eval") and not (self.area or self.in_lscb):
            if part.role == "eval" and part.scope != "board":
                return False  # "Inspection findings" outside a judgement's section: unknown
            if part.role == "area-summary":
                part = _MAIN  # a summary outside any judgement's section: the report's
        if part.scope == "board":
            self._enter_lscb()
        elif part.scope == "authority":
            self.in_lscb = self.standalone
            self.area = None
        elif part.scope == "report" and not self.in_lscb:
            self.area = None
        self.closed = part.closed
        self.last, self.group = None, None
        if part.role == "info":
            self.mode, self.heading = None, "info"
        elif part.kind is None:
            self.mode, self.heading = None, text.rstrip(":").strip()
        else:
            self.mode, self.heading = part.role, text.rstrip(":").strip()
            self.timescale = part.timescale
        return True

    def finish(self) -> None:
        """The board review's findings are about its judgement; without one they cannot be
        told apart from the authority's, and the report is refused rather than stored so."""
        board = [f for f in self.report.findings if f.review is self.lscb]
        if not board:
            return
        if self.lscb_judgement is None:
            raise IngestError(
                "the report has a review of the LSCB but its judgement was not recognised"
            )
        for f in board:
            if f.kind != "unclassified":
                f.area = self.lscb_judgement.area

    def _enter_area(self, label: str) -> None:
        self.in_lscb = self.standalone
        self.area, self.mode, self.heading, self.last = label, "area", label, None
        self.closed, self.group = False, None

    def _enter_lscb(self) -> None:
        if not self.in_lscb or self.area is not None:
            self.mode, self.last = None, None
        self.in_lscb, self.area, self.closed, self.group = True, None, False, None

    def _lscb_path(self) -> tuple[str, ...]:
        label = self.lscb_judgement.area if self.lscb_judgement else _LSCB_AREA
        return () if self.standalone else (label,)

    def _path(self) -> tuple[str, ...]:
        group = (self.group,) if self.group else ()
        if self.in_lscb:
            return self._lscb_path() + ((self.heading,) if self.heading else ()) + group
        if self.area:
            return (self.area, self.heading) if self.heading != self.area else (self.area,)
        return ((self.heading,) if self.heading else ()) + group

    def _finding(self, b: Block, line: Line) -> None:
        mode = self.mode
        text = b.text.strip()
        if not text:
            return
        continuation = (
            self.last is not None
            and self.last_line is not None
            and b.kind == "paragraph"
            and b.number is None
            and (
                text[0].islower()
                or (line.page != self.last_line.page and self.last.source.paragraph is not None)
            )
        )
        numbered = self.last is not None and self.last.source.paragraph is not None
        if continuation or (b.kind == "bullet" and mode in ("eval", "area") and numbered):
            self._extend(b, line)
            return
        if b.kind == "heading" or b.kind == "row":
            return  # a sub-heading ("Quality of practice", "Adoption") inside a list
        if text.endswith(":") and b.number is None:
            return  # a lead-in ("The LSCB requires improvement because:")
        if mode in ("rec", "eval") and b.kind == "paragraph" and b.number is None:
            return
        if mode == "area":  # after a grade statement: a summary, or numbered findings at once
            mode = "area-summary" if b.number is None and b.kind == "paragraph" else "eval"
        elif mode == "area-summary" and b.number is not None and self.area:
            mode = self.mode = "eval"  # numbered findings after the summary, no heading between
        kind = {
            "main": "main-finding",
            "area-summary": "main-finding",
            "strength": "strength",
            "rec": "recommendation",
            "eval": "evaluative-paragraph",
            "unknown": "unclassified",
        }[mode]
        # a finding supports a judgement of the authority: not the board's, not an area the
        # inspection left ungraded (its section path still shows where it was read); what
        # an unknown heading heads is evidence for nothing the parser can name
        graded = self.area is not None and _subject_key(self.area) in self.judgements
        graded = graded and mode != "unknown"
        area = self.area if graded and not self.in_lscb else None
        finding = Finding(kind, text, b.source(self._path()), area=area)
        if self.in_lscb:
            # the board review's findings belong to the review, are evidence for its judgement
            # (its area is given by finish(): the grade may be stated after them) and its
            # recommendations ask the board to act, not the council
            finding.review = self.lscb
            if kind == "recommendation":
                finding.addressees = (self.board,)
        if kind == "recommendation":
            # "Priority and immediate action": at once; the other lists print no timescale
            finding.timescale = self.timescale or "none"
        self.report.findings.append(finding)
        self.last, self.last_line = finding, line

    def _extend(self, b: Block, line: Line) -> None:
        assert self.last is not None
        src = b.source(self.last.source.section)
        self.last.text = f"{self.last.text} {b.text.strip()}"
        self.last.source = replace(self.last.source, end=src.end)
        self.last_line = line

    def _statistics(self, text: str, source: Source) -> None:
        self.figures.read(text, source)


def _after_subject(text: str, head: re.Match[str]) -> str:
    """The words of a headline after its subject: 'are good', 'is that ... inadequate'."""
    return text[head.end("la") :] if head.group("la") else text[head.end() :]


def _first_grade(text: str) -> str | None:
    for m in _FIRST_GRADE_RE.finditer(text):
        grade = _grade_of(m.group(1))
        if grade:
            return grade
    return None


FAMILY = Family(
    KEY,
    "Single inspection framework inspections, re-inspections and LSCB reviews, 2013-2018",
    detect,
    parse,
    precedence=50,
)
