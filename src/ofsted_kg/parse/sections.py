"""Walking a Document: headings, numbered paragraphs, bullets and section paths."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ofsted_kg.model import Source
from ofsted_kg.read.document import Document, Line
from ofsted_kg.read.textutil import PAGE_NUMBER_RE, split_paragraph_number, strip_bullet

# Ofsted's back matter, the same in every family since 2018: its standard paragraph about
# itself, the offer of other formats, the licence, where the report is published, the
# newsletter, the address block and the copyright line. The first of them that begins a
# line ends the body of a report.
_BACK_MATTER = (
    r"The Office for Standards in Education, Children'?s Services and Skills\b"
    r"|Ofsted has (?:a |an )?new\b"
    r"|If you would like a copy of this document\b"
    r"|You may reuse this information\b"
    r"|This (?:report|publication|letter) is available at\b"
    r"|Interested in our work\?"
    r"|(?:©|\(c\))\s*Crown copyright\b"
)
# and the headings of the annexes some reports print after the body: what the grades mean
# (the grade descriptors), how the inspection was done, a glossary
_ANNEX_HEADINGS = (
    r"(?:Annex|Appendix)(?:\s+[A-Z0-9]{1,3})?\b.{0,80}"
    r"|What the inspection judgements mean\b.{0,60}"
    r"|(?:Ofsted'?s? )?grade descriptors?\b.{0,60}"
    r"|Information about this inspection|Glossary(?: of terms)?"
)
_BACK_MATTER_RE = re.compile(
    rf"^(?:{_BACK_MATTER}|Piccadilly Gate$|(?:{_ANNEX_HEADINGS})\s*:?$)", re.I
)
# the same, run into the text before it (a paragraph the layout joined to the back matter)
_BACK_MATTER_INSIDE_RE = re.compile(rf"(?<=[.!?'\")]) (?:{_BACK_MATTER})", re.I)
# Ofsted's standard footnote to a "what needs to improve" list since 2023 (the reader sets it
# after the paragraph running at the foot of its page): never a finding
_STANDARD_NOTE_RE = re.compile(
    r"^(?:\d{1,2}\s*)?(?:The areas for improvement have been cross-referenced"
    r"|This statutory guidance sets out)",
    re.I,
)
# A heading never ends as a sentence or a clause does
_NOT_A_HEADING_END = (".", ";", "!", ",")
_TOC_ENTRY = re.compile(r"\t\s*\d+$")


@dataclass(frozen=True)
class Block:
    """A line classified: heading, paragraph (with its printed number), bullet or table row."""

    kind: str  # heading | paragraph | bullet | row
    text: str
    line: Line
    number: int | None = None
    index: int = 0

    def source(self, section: tuple[str, ...] = (), paragraph: int | None = None) -> Source:
        start = self.line.start + (len(self.line.text) - len(self.text))
        return Source(
            page=self.line.page,
            paragraph=self.number if paragraph is None else paragraph,
            section=section,
            start=start,
            end=start + len(self.text),
        )


def classify(line: Line, index: int = 0) -> Block:
    text = line.text
    if "\t" in text:
        return Block("row", text, line, index=index)
    is_bullet, body = strip_bullet(text)
    if is_bullet:
        return Block("bullet", body, line, index=index)
    number, body = split_paragraph_number(text)
    if number is not None:
        return Block("paragraph", body, line, number, index=index)
    if looks_like_heading(text):
        return Block("heading", text.rstrip(":").strip(), line, index=index)
    return Block("paragraph", text, line, index=index)


def is_page_number(text: str) -> bool:
    """A line that is only a page number (a text conversion keeps them): never text, never
    a heading."""
    return bool(PAGE_NUMBER_RE.match(text.replace("\t", " ").strip()))


def is_back_matter(text: str) -> bool:
    """Does the line begin Ofsted's back matter (where the report's body has ended)?"""
    return bool(_BACK_MATTER_RE.match(text.strip().replace("’", "'")))


def is_standard_note(text: str) -> bool:
    """Is the line Ofsted's standard footnote to the list of what needs to improve?"""
    return bool(_STANDARD_NOTE_RE.match(text.strip()))


def back_matter_inside(text: str) -> int | None:
    """Where Ofsted's back matter begins inside a line that runs a paragraph into it."""
    m = _BACK_MATTER_INSIDE_RE.search(text.replace("’", "'"))
    return m.start() if m else None


def looks_like_heading(text: str) -> bool:
    """Short, starts with a capital, no sentence punctuation at the end."""
    stripped = text.strip()
    return (
        0 < len(stripped) <= 140
        and (stripped[0].isupper() or stripped[0].isdigit())
        and not stripped.endswith(_NOT_A_HEADING_END)
        and len(stripped.split()) <= 18
    )


def blocks(doc: Document, start: int = 0) -> Iterator[Block]:
    for i in range(start, len(doc.lines)):
        yield classify(doc.lines[i], i)


def skip_contents(doc: Document) -> int:
    """Index of the first line after the table of contents (entries end in a page number)."""
    last_toc = -1
    for i, line in enumerate(doc.lines[:200]):
        if _TOC_ENTRY.search(line.text):
            last_toc = i
    return last_toc + 1
