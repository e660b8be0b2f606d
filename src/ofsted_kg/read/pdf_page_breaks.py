"""Numbered paragraphs cut at a page break, rejoined once the whole document is laid out.

A paragraph that ends its page at a full stop gives the layout nothing to join on: the next
page's first line may start a new, unnumbered paragraph. Where paragraphs are numbered the
numbering settles it. Paragraph n is the last logical line of its page; the next page opens
with text in the same type that carries no number, is no bullet and does not look like a
heading; and the next numbered line after it is n + 1, with only text in the same type (or
bullets) between. Then the opening text is the rest of paragraph n. The back matter after
the last paragraph is never joined (no n + 1 follows it), nor is a numbered list that is
interrupted by a heading or a table.

A list of bullet items is read the same way: an item that ends its page, then opening text
of the next page in the same type that is no lead-in (it does not end in ":"), then another
bullet item: the text is the rest of the item.
"""

from __future__ import annotations

from dataclasses import dataclass

from ofsted_kg.read.pdf_line import PrintedLine
from ofsted_kg.read.textutil import PARA_RE, SENTENCE_END

# how far past the page's opening text the next paragraph number is looked for
_LOOKAHEAD = 12
_HEADING_WORDS = 18


@dataclass
class Emitted:
    """A logical line as laid out: its text and page, and what it was made of."""

    text: str
    page: int | None
    first: PrintedLine | None = None  # None for a footnote body
    last: PrintedLine | None = None
    row: bool = False
    opens_page: bool = False  # the first logical line of the body text of its page

    @property
    def note(self) -> bool:
        return self.first is None


def rejoin_numbered(lines: list[Emitted]) -> list[Emitted]:
    """``lines`` with each numbered paragraph's page-broken end joined back into it; the
    footnotes emitted between the two parts move after the joined paragraph."""
    out: list[Emitted] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.note or not line.opens_page or not _continues(out, lines, i):
            out.append(line)
            i += 1
            continue
        notes = []
        while out and out[-1].note:
            notes.append(out.pop())
        head = out[-1]
        head.text = f"{head.text} {line.text}"
        head.last = line.last
        out.extend(reversed(notes))
        i += 1
    return out


def _number(line: Emitted) -> int | None:
    m = PARA_RE.match(line.text)
    return int(m.group(1)) if m else None


def _plain_as(line: Emitted, like: PrintedLine) -> bool:
    """Body text in the type of ``like``: not a row, same weight and size."""
    assert line.first is not None
    return not line.row and line.first.bold == like.bold and abs(line.first.size - like.size) <= 0.6


def _looks_like_heading(text: str) -> bool:
    return len(text.split()) <= _HEADING_WORDS and not text.rstrip().endswith(SENTENCE_END)


def _continues(out: list[Emitted], lines: list[Emitted], i: int) -> bool:
    line = lines[i]
    head = next((e for e in reversed(out) if not e.note), None)
    if head is None or head.row or head.last is None or head.first is None:
        return False
    n = _number(head)
    if head.last.page == line.page or (n is None and not head.first.bullet):
        return False
    if line.first is None or line.first.bullet or _number(line) is not None:
        return False
    if _looks_like_heading(line.text) or not _plain_as(line, head.last):
        return False
    if n is None:  # a bullet item: the next line is the list's next item
        after = next((e for e in lines[i + 1 :] if not e.note), None)
        return (
            after is not None
            and after.first is not None
            and after.first.bullet
            and not line.text.rstrip().endswith(":")
            and _plain_as(after, head.first)
        )
    for later in lines[i + 1 : i + 1 + _LOOKAHEAD]:
        if later.note:
            continue
        number = _number(later)
        if number is not None:
            return number == n + 1 and _plain_as(later, head.first)
        if not (later.first is not None and later.first.bullet) and not _plain_as(later, head.last):
            return False
    return False
