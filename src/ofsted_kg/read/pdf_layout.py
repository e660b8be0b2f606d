"""Printed lines to logical lines: running headers, footers and page numbers dropped,
footnotes set aside, lines joined into headings, paragraphs, bullet items and table rows,
words broken at a line-end hyphen rejoined (steps 1-4 of pdf.py's docstring)."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter

from ofsted_kg.read.pdf_line import SPACES, PrintedLine
from ofsted_kg.read.pdf_page_breaks import Emitted, rejoin_numbered
from ofsted_kg.read.textutil import PAGE_NUMBER_RE, PARA_RE, SENTENCE_END, normalise

# Placeholder for "hyphen at a line break", resolved once the whole document is known.
_BREAK_HYPHEN = "\ue000"
_DIGITS = re.compile(r"\d+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_HYPHEN_SPLIT = re.compile(r"([A-Za-z]*)" + _BREAK_HYPHEN + r"([A-Za-z]*)")
_FUNCTION_WORDS = frozenset(
    "a an the and or but nor of to in on at by for from with within without into onto as "
    "that which who whom whose where when while than then is are was were be been being has "
    "have had not their its his her our your this these those such both either each "
    "including including: between through across about against among over under".split()
)
_COMPOUND_PREFIXES = frozenset(
    "anti co cross ex full half high in inter ill long low mid multi non off on out over part "
    "post pre pro re self semi short sub tri under well wide".split()
)
_SUFFIX_FRAGMENTS = frozenset(
    "ment ments tion tions sion sions ing ings ed ly ness ity ities ance ances ence ences "
    "ant ants ent ents al ally ive ives ous able ably ible er ers ise ised ises ize ized "
    "ship ships ful ation ations ure ures ist ists ism".split()
)


# --------------------------------------------------------------------------- layout


class _Logical:
    """A logical line being built: one or more columns of joined physical lines."""

    __slots__ = ("columns", "lines", "page", "top", "bottom", "opens_page")

    def __init__(self, line: PrintedLine):
        self.columns: list[list] = []  # [x0, x1, text, last PrintedLine]
        self.lines: list[PrintedLine] = []
        self.page = line.page
        self.top, self.bottom = line.top, line.bottom
        self.opens_page = False
        self.add_cells(line, Layout._join)

    @property
    def last(self) -> PrintedLine:
        return self.lines[-1]

    @property
    def is_row(self) -> bool:
        return len(self.columns) > 1

    def add_cells(self, line: PrintedLine, join, side: bool = False) -> None:
        if not side and len(self.columns) == 1 and len(line.cells) == 1:  # fast path
            col = self.columns[0]
            join(col[2], col[3], line.text)
            col[0] = min(col[0], line.x0)
            col[1] = max(col[1], line.x1)
            col[3] = line
            self.lines.append(line)
            if line.bottom < self.bottom:
                self.bottom = line.bottom
            return
        for k, (cx0, cx1, ctext) in enumerate(line.cells):
            col = self._column_for(cx0, cx1, side or k > 0) if self.columns else None
            if col is None:
                self.columns.append([cx0, cx1, [ctext], line])
                self.columns.sort(key=lambda c: c[0])
            else:
                join(col[2], col[3], ctext)
                col[0] = min(col[0], cx0)
                col[1] = max(col[1], cx1)
                col[3] = line
        self.lines.append(line)
        self.top = max(self.top, line.top)
        self.bottom = min(self.bottom, line.bottom)

    def _column_for(self, x0: float, x1: float, side: bool = False):
        """The column a cell belongs to; None for a new column (cells side by side)."""
        best, best_overlap = None, 0.0
        for col in self.columns:
            overlap = min(x1, col[1]) - max(x0, col[0])
            if abs(x0 - col[0]) < 4:
                overlap = max(overlap, 1e6)
            if overlap > best_overlap:
                best, best_overlap = col, overlap
        if best is not None or side:
            return best
        if len(self.columns) == 1:
            return self.columns[0]
        left = [c for c in self.columns if c[0] <= x0 + 4]
        return left[-1] if left else self.columns[0]

    def text(self) -> str:
        return "\t".join(t for t in ("".join(c[2]) for c in self.columns) if t)


class Layout:
    def __init__(self, pages):
        self.pages = [page[:3] for page in pages]  # (bottom, top, lines)
        lines = [ln for _, _, page in self.pages for ln in page]
        sizes = Counter()
        for ln in lines:
            sizes[round(ln.size * 2) / 2] += len(ln.text)
        self.body_size = sizes.most_common(1)[0][0] if sizes else 12.0
        for ln in lines:  # a footnote number on a line of its own
            if len(ln.text) <= 3 and ln.text.isdigit() and ln.size < 0.8 * self.body_size:
                ln.marker = True
        # line spacing inside a paragraph, as a multiple of the font size (1.2 for Ofsted's
        # single-spaced reports); a larger step between two lines starts a new paragraph
        ratios = sorted(
            (a.base - b.base) / a.size
            for _, _, page in self.pages
            for a, b in zip(page, page[1:], strict=False)
            if a.size == b.size and a.size > 0 and 0.8 * a.size < a.base - b.base < 3 * a.size
        )
        leading = ratios[int(0.3 * len(ratios))] if len(ratios) >= 20 else 1.2
        self.paragraph_step = max(1.5, 1.25 * leading)
        self.out: list[Emitted] = []
        self.pending_notes: list[tuple[str, int]] = []

    # ---- running headers and footers
    def _strip_running(self) -> None:
        npages = len(self.pages)
        zones: list[list[tuple[PrintedLine, str]]] = []
        counts: Counter[str] = Counter()
        for bottom, top, lines in self.pages:
            height = (top - bottom) or 842.0
            by_y = sorted(lines, key=lambda ln: -ln.top)
            edge = [ln for ln in by_y[:3] if ln.top >= top - 0.16 * height]
            edge += [
                ln for ln in by_y[-3:] if ln.bottom <= bottom + 0.14 * height and ln not in edge
            ]
            keyed = [(ln, _running_key(ln.text)) for ln in edge]
            zones.append(keyed)
            for key in {k for _, k in keyed}:
                counts[key] += 1
        need = max(2, math.ceil(0.5 * npages))
        for (_, _, lines), keyed in zip(self.pages, zones, strict=True):
            drop = set()
            for ln, key in keyed:
                repeated = counts[key] >= need and npages >= 2
                if repeated or PAGE_NUMBER_RE.match(ln.text.replace("\t", " ")):
                    drop.add(id(ln))
            if drop:
                lines[:] = [ln for ln in lines if id(ln) not in drop]

    # ---- right edge of the text block, for the "would the next word have fitted" test
    def _right_edge(self) -> float:
        ends = sorted(ln.x1 for _, _, page in self.pages for ln in page if len(ln.cells) == 1)
        if not ends:
            return 0.0
        return ends[int(0.97 * (len(ends) - 1))]

    def run(self) -> list[tuple[str, int | None]]:
        self._strip_running()
        self.right = self._right_edge()
        cur: _Logical | None = None
        for _, _, lines in self.pages:
            body, notes = self._split_notes(lines)
            first = True
            for ln in body:
                if ln.marker:
                    continue
                if cur is None:
                    cur = _Logical(ln)
                elif first and ln.page != cur.page and cur.last.page != ln.page:
                    if self._continues_over_page(cur, ln):
                        self._append(cur, ln)
                    else:
                        self._flush(cur)
                        cur = _Logical(ln)
                        cur.opens_page = True
                elif self._side_by_side(cur, ln):
                    cur.add_cells(ln, self._join, side=True)
                elif self._continues(cur, ln):
                    self._append(cur, ln)
                else:
                    self._flush(cur)
                    cur = _Logical(ln)
                first = False
            self.pending_notes.extend(notes)
        if cur is not None:
            self._flush(cur)
        self._emit_notes()
        texts = [(e.text, e.page) for e in rejoin_numbered(self.out)]
        return self._resolve_hyphens(texts)

    # ---- footnotes
    def _split_notes(
        self, lines: list[PrintedLine]
    ) -> tuple[list[PrintedLine], list[tuple[str, int]]]:
        """Footnote bodies at the foot of the page: small type below the body text,
        introduced by a small number."""
        small = 0.9 * self.body_size
        lowest_body = min(
            (ln.bottom for ln in lines if ln.size >= small and not ln.marker), default=None
        )
        if lowest_body is None:
            return lines, []
        foot = [ln for ln in lines if ln.top <= lowest_body and (ln.size < small or ln.marker)]
        if not foot or not any(ln.marker or _note_lead(ln) for ln in foot):
            return lines, []
        foot_ids = {id(ln) for ln in foot}
        foot.sort(key=lambda ln: -ln.top)
        notes: list[tuple[str, int]] = []
        current: list[str] = []
        starts_note = False
        for ln in foot:
            if ln.marker:
                starts_note = True
                continue
            text = ln.text.replace("\t", " ")
            if _note_lead(ln):
                text = _NOTE_NUMBER.sub("", text)
                starts_note = True
            if starts_note and current:
                notes.append((" ".join(current), ln.page))
                current = []
            current.append(text)
            starts_note = False
        if current:
            notes.append((" ".join(current), foot[-1].page))
        return [ln for ln in lines if id(ln) not in foot_ids], notes

    def _emit_notes(self) -> None:
        for text, page in self.pending_notes:
            self.out.append(Emitted(_clean(text), page))
        self.pending_notes = []

    # ---- decisions
    def _side_by_side(self, cur: _Logical, ln: PrintedLine) -> bool:
        """A cell printed beside the row being built (same height, separate columns)."""
        if ln.top <= cur.bottom + 1 or ln.bottom >= cur.top - 1:
            return False
        if ln.page != cur.page or ln.bullet or cur.last.page != ln.page:
            return False
        overlapping = [p for p in cur.lines if ln.bottom < p.top - 1 and ln.top > p.bottom + 1]
        if not overlapping:
            return False
        return all(ln.x0 >= p.x1 + 4 or ln.x1 <= p.x0 - 4 for p in overlapping)

    def _continues(self, cur: _Logical, ln: PrintedLine) -> bool:
        """Does ``ln`` (below the logical line ``cur`` on the same page) continue it?"""
        if ln.bullet:
            return False
        prev = self._column_last(cur, ln)
        if PARA_RE.match(ln.text) and (
            ln.x0 < prev.x0 - 3 or prev.text.endswith(SENTENCE_END) or cur.is_row
        ):  # a numbered paragraph (not "…aged\n18. " inside a sentence)
            return False
        if prev.page != ln.page:
            return False
        size = max(prev.size, ln.size)
        if abs(prev.size - ln.size) > 0.6:
            return False
        step = prev.base - ln.base
        if step <= 0.3 * size or step > self.paragraph_step * size:
            return False
        if prev.bold != ln.bold:
            if prev.bold or prev.text.rstrip().endswith(SENTENCE_END):
                return False
        if prev.hyphen:
            return True
        # the first word of ln would have fitted at the end of prev: a deliberate break
        if cur.is_row or len(ln.cells) > 1 or self.right <= 0:
            return True
        if ln.text[0].islower():
            return True
        word = ln.text.split(None, 1)[0]
        char_w = (ln.x1 - ln.x0) / max(len(ln.text), 1)
        free = self.right - prev.x1
        return free < 1.25 * len(word) * char_w + 2 * char_w

    def _column_last(self, cur: _Logical, ln: PrintedLine) -> PrintedLine:
        if not cur.is_row:
            return cur.last
        col = cur._column_for(ln.x0, ln.x1)
        return col[3]

    def _continues_over_page(self, cur: _Logical, ln: PrintedLine) -> bool:
        """A paragraph cut mid-sentence by the page break."""
        if cur.is_row or len(ln.cells) > 1 or ln.bullet or PARA_RE.match(ln.text):
            return False
        prev = cur.last
        if abs(prev.size - ln.size) > 0.6 or prev.bold != ln.bold:
            return False
        tail = cur.columns[-1][2][-1].rstrip()
        if not tail or tail.endswith(SENTENCE_END):
            return False
        if prev.hyphen or ln.text[0].islower() or ln.text[0] == "(":
            return True
        if tail.endswith((",", "-", "\u2013")):
            return True
        last_word = tail.rsplit(None, 1)[-1].lower()
        return last_word in _FUNCTION_WORDS

    # ---- building
    @staticmethod
    def _join(parts: list[str], prev: PrintedLine, right: str) -> None:
        """Append the text of the next physical line to a column's parts."""
        left = parts[-1]
        if prev.hyphen and left.endswith("-"):
            parts[-1] = left[:-1]
            parts.append(_BREAK_HYPHEN + right)
        elif left.endswith("\u00ad"):
            parts[-1] = left[:-1]
            parts.append(right)
        elif left.endswith("-") and len(left) > 1 and left[-2].isalnum():
            first = right.split(None, 1)[0].lower() if right else ""
            parts.append(" " + right if first in ("and", "or", "to", "&") else right)
        else:
            parts.append(" " + right)

    def _append(self, cur: _Logical, ln: PrintedLine) -> None:
        cur.add_cells(ln, self._join)

    def _flush(self, cur: _Logical) -> None:
        text = cur.text()
        first = cur.lines[0]
        if first.bullet:
            body = text[1:].lstrip()
            text = "- " + body if body else ""
        text = _clean(text)
        if text:
            self.out.append(Emitted(text, cur.page, first, cur.last, cur.is_row, cur.opens_page))
        if self.pending_notes:
            self._emit_notes()

    # ---- hyphens at line breaks
    @staticmethod
    def _resolve_hyphens(texts: list[tuple[str, int | None]]) -> list[tuple[str, int | None]]:
        """Keep the hyphen of a compound ("well-being"), drop it from a split word
        ("assess-ment"), judging by how the document spells the word elsewhere."""
        if not any(_BREAK_HYPHEN in t for t, _ in texts):
            return texts
        whole = "\n".join(t for t, _ in texts).lower()

        def used(word: str) -> bool:  # as a whole word somewhere in the document
            i = whole.find(word)
            while i >= 0:
                j = i + len(word)
                before = whole[i - 1] if i else " "
                after = whole[j] if j < len(whole) else " "
                if not (before.isalnum() or before == "-" or after.isalnum() or after == "-"):
                    return True
                i = whole.find(word, i + 1)
            return False

        def fix(m: re.Match[str]) -> str:
            left, right = m.group(1), m.group(2)
            lo, ro = left.lower(), right.lower()
            if not lo or not ro:
                return f"{left}-{right}"
            if ro in ("and", "or", "to"):
                return f"{left}- {right}"
            if lo in _COMPOUND_PREFIXES or used(f"{lo}-{ro}"):
                return f"{left}-{right}"
            if used(lo + ro):
                return left + right
            if ro in _SUFFIX_FRAGMENTS:
                return left + right
            return f"{left}-{right}"

        return [(_HYPHEN_SPLIT.sub(fix, t) if _BREAK_HYPHEN in t else t, p) for t, p in texts]


# a footnote's number at the start of its body: in small raised type ("1 The ..."), or in
# the note's own type glued to its first word ("1The areas for improvement ...")
_NOTE_NUMBER = re.compile(r"^\d{1,2}(?:\s+|(?=[A-Z]))")


def _note_lead(ln: PrintedLine) -> bool:
    """A line of small type at the foot of the page that starts a footnote."""
    return ln.small_lead or bool(re.match(r"^\d{1,2}[A-Z][a-z]", ln.text))


def _running_key(text: str) -> str:
    return " ".join(_DIGITS.sub("#", text.lower()).split())


def _normalise(text: str) -> str:
    """textutil.normalise, faster on long paragraphs: each distinct non-ASCII character is
    normalised once and replaced throughout, then the whole text is NFC-composed."""
    if text.isascii():
        return text
    for ch in set(_NON_ASCII.findall(text)):
        fixed = normalise(ch)
        if fixed != ch:
            text = text.replace(ch, fixed)
    return unicodedata.normalize("NFC", text)


def _clean(text: str) -> str:
    text = _normalise(text)
    if "\t" in text:
        return "\t".join(SPACES.sub(" ", c).strip() for c in text.split("\t") if c.strip())
    return (SPACES.sub(" ", text) if "  " in text else text).strip()
