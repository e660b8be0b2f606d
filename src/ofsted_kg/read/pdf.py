"""Read an Ofsted report PDF into a Document of logical lines, using pypdfium2.

PDFium gives the page text in content order with a line break after each printed line,
and, per character range, the rectangles of the text runs. From those we build *physical*
lines with their geometry (left/right edges, top, font size, boldness, wide gaps between
runs), then:

1. drop running headers and footers: lines at the top or bottom of the page whose text,
   with digits masked, recurs on at least half of the pages, and bare page numbers;
2. drop footnote reference markers (small raised digits) and set footnote bodies aside,
   emitting them after the paragraph that was running when the page ended;
3. join physical lines into logical lines -- one per heading, paragraph, bullet item or
   table row -- from the line spacing, font changes, bullets, paragraph numbers and the
   "would the next word have fitted on this line" test; table cells sitting side by side
   (a wide gap inside a line, or a cell printed at the height of the row's first lines)
   become tab-separated columns of one row;
4. rejoin words broken at a line-end hyphen, keeping the hyphen of compounds.

Speed: per printed line we make about eight PDFium calls (the text runs' rectangles, font
size and weight, baseline) and none per character, so the reader costs about 1.7 ms a
page on top of PDFium's own parsing (~2.7 ms a page): ~90 ms for an average corpus report,
~65 ms for a 13-page ILACS report (see benchmarks/README-pdf.md). PDFium is not
thread-safe: run several readers in separate processes, not threads.
"""

from __future__ import annotations

import bisect
import ctypes
import math
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pypdfium2  # noqa: F401  (importing it initialises the PDFium library)
import pypdfium2.raw as pdfium_c

from ofsted_kg.read.document import Document, IngestError, sha256_of
from ofsted_kg.read.textutil import PARA_RE, SENTENCE_END, normalise

__all__ = ["read_pdf"]

# A glyph PDFium reports for a line-end hyphen it has joined to the next line.
_PDFIUM_HYPHEN = "\ufffe"
# Placeholder for "hyphen at a line break", resolved once the whole document is known.
_BREAK_HYPHEN = "\ue000"
# Bullet glyphs: symbol-font private-use characters and the usual dingbats.
_BULLET_GLYPHS = frozenset(
    "\u2022\u25aa\u25ab\u25cf\u25cb\u25e6\u25fc\u25fb\u25a0\u25a1\u27a2\u2713"
)
# Characters that start a bullet item only when followed by a visible gap (a tab stop).
_DASH_BULLETS = frozenset("-\u2013\u2014\u2212\u2500o*")
# "12", "- 12 -", "Page 12", "Page 12 of 40", "12/40"
_PAGE_NUMBER = re.compile(
    r"^(?:page\s*)?[-\u2013 ]*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?[-\u2013 ]*$", re.I
)
_DIGITS = re.compile(r"\d+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_SPACES = re.compile(r"[ \u00a0]{2,}|\u00a0")
# a digit glued to a word or punctuation: maybe a footnote reference printed superscript
_SUPERSCRIPT_CANDIDATE = re.compile(r"[^\s\d\-\u2013/(+\u00a3$\u20ac#.,:]\d|[a-z][.,:;?!]\d")
_ALNUM = re.compile(r"[0-9A-Za-z\u00c0-\u024f]")
_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
_LIST_MARK = re.compile(r"^(?:\(?[0-9]{1,3}[.)]?|\(?[a-z]{1,3}[.)]|\(?[ivx]{1,5}[.)])$")
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


class _Line:
    """One printed line on a page, with the geometry needed to rebuild the layout."""

    __slots__ = (
        "text",
        "cells",
        "x0",
        "x1",
        "top",
        "bottom",
        "base",
        "size",
        "bold",
        "page",
        "hyphen",
        "bullet",
        "marker",
        "small_lead",
    )

    def __init__(self, text, cells, x0, x1, top, bottom, size, bold, page):
        self.text = text  # the whole line, cells joined by tabs
        self.cells = cells  # [(x0, x1, text)] split at wide gaps
        self.x0, self.x1, self.top, self.bottom = x0, x1, top, bottom
        self.base = bottom  # baseline of the first letter
        self.size, self.bold, self.page = size, bold, page
        self.hyphen = False  # ends with a hyphen that PDFium joined to the next line
        self.bullet = False
        self.marker = False  # only a footnote number (small raised digits)
        self.small_lead = False  # starts with a small digit: a footnote body

    @property
    def height(self) -> float:
        return self.top - self.bottom

    def __repr__(self) -> str:  # debugging aid
        where = f"{self.page}:{self.x0:.0f}-{self.x1:.0f},{self.base:.0f}"
        return f"<{where} {self.size:.1f}pt {self.text!r}>"


# --------------------------------------------------------------------------- entry point


def read_pdf(path: Path, data: bytes | None = None) -> Document:
    """Read an Ofsted report PDF; raise IngestError with a one-line reason when unreadable."""
    data = path.read_bytes() if data is None else data
    _check_signature(data)
    pages = _extract(data)
    if not any(line for page in pages for line in page[2]):
        if any(page[3] for page in pages):
            raise IngestError("no text layer (image-only PDF)")
        raise IngestError("no text in PDF (blank pages)")
    texts = _Layout(pages).run()
    return Document.from_texts(path, sha256_of(data), texts, "pdf")


def _check_signature(data: bytes) -> None:
    if not data.strip():
        raise IngestError("empty file")
    head = data[:1024]
    if b"%PDF-" not in head:
        sniff = head.lstrip().lower()
        if sniff.startswith((b"<!doctype html", b"<html")) or b"<html" in sniff:
            raise IngestError("HTML page, not a PDF")
        raise IngestError("not a PDF (no %PDF- header)")
    if b"%%EOF" not in data[-2048:]:
        raise IngestError("truncated PDF (no %%EOF marker)")


# --------------------------------------------------------------------------- PDFium


_ERRORS = {
    pdfium_c.FPDF_ERR_PASSWORD: "encrypted PDF (password required)",
    pdfium_c.FPDF_ERR_SECURITY: "encrypted PDF (unsupported security handler)",
    pdfium_c.FPDF_ERR_FORMAT: "corrupt or truncated PDF",
    pdfium_c.FPDF_ERR_FILE: "corrupt or truncated PDF",
    pdfium_c.FPDF_ERR_PAGE: "corrupt PDF (page not found)",
}


def _extract(data: bytes) -> list[tuple[float, float, list[_Line], bool]]:
    """(page bottom, page top, physical lines, shows an image without text) for each page."""
    doc = pdfium_c.FPDF_LoadMemDocument64(data, len(data), None)
    if not doc:
        code = pdfium_c.FPDF_GetLastError()
        raise IngestError(_ERRORS.get(code, "unreadable PDF"))
    try:
        count = pdfium_c.FPDF_GetPageCount(doc)
        if count < 1:
            raise IngestError("PDF has no pages")
        return [_extract_page(doc, i) for i in range(count)]
    finally:
        pdfium_c.FPDF_CloseDocument(doc)


def _extract_page(doc, index: int) -> tuple[float, float, list[_Line], bool]:
    page = pdfium_c.FPDF_LoadPage(doc, index)
    if not page:
        raise IngestError(f"corrupt PDF (page {index + 1} cannot be read)")
    try:
        box = pdfium_c.FS_RECTF()
        if pdfium_c.FPDF_GetPageBoundingBox(page, box):
            bottom, top = min(box.bottom, box.top), max(box.bottom, box.top)
        else:
            bottom, top = 0.0, pdfium_c.FPDF_GetPageHeightF(page)
        textpage = pdfium_c.FPDFText_LoadPage(page)
        if not textpage:
            raise IngestError(f"corrupt PDF (no text on page {index + 1} can be read)")
        try:
            lines = _page_lines(textpage, index + 1)
        finally:
            pdfium_c.FPDFText_ClosePage(textpage)
        images = not lines and _has_images(page)
    finally:
        pdfium_c.FPDF_ClosePage(page)
    return bottom, top, lines, images


def _has_images(page) -> bool:
    """Does a page without text show an image (a scan)? Only asked of text-less pages."""
    for i in range(pdfium_c.FPDFPage_CountObjects(page)):
        kind = pdfium_c.FPDFPageObj_GetType(pdfium_c.FPDFPage_GetObject(page, i))
        if kind in (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_FORM):
            return True
    return False


def _bind(name: str, restype, *argtypes):
    """A PDFium function re-bound with plain C parameter types: handles and out-pointers
    are passed as integer addresses, which skips ctypes' per-argument type checks (the
    per-line calls below run ~150 times a page)."""
    address = ctypes.cast(getattr(pdfium_c, name), ctypes.c_void_p).value
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


_VP, _INT, _DBL = ctypes.c_void_p, ctypes.c_int, ctypes.c_double
_COUNT_RECTS = _bind("FPDFText_CountRects", _INT, _VP, _INT, _INT)
_GET_RECT = _bind("FPDFText_GetRect", _INT, _VP, _INT, _VP, _VP, _VP, _VP)
_FONT_SIZE = _bind("FPDFText_GetFontSize", _DBL, _VP, _INT)
_FONT_WEIGHT = _bind("FPDFText_GetFontWeight", _INT, _VP, _INT)
_CHAR_ORIGIN = _bind("FPDFText_GetCharOrigin", _INT, _VP, _INT, _VP, _VP)
_CHAR_AT = _bind("FPDFText_GetCharIndexAtPos", _INT, _VP, _DBL, _DBL, _DBL, _DBL)
_TEXT_INDEX = _bind("FPDFText_GetTextIndexFromCharIndex", _INT, _VP, _INT)
_CHAR_INDEX = _bind("FPDFText_GetCharIndexFromTextIndex", _INT, _VP, _INT)
_PRINTED_LINE = re.compile(r"[^\r\n]+")
_TRAILING_NUMBER = re.compile(r"\s\d{1,4}$")
_GLUED_NUMBER = re.compile(r"^(\d{1,3}\.)(?=[A-Z\u2018\u201c'\"(])")


def _page_lines(textpage, page_no: int) -> list[_Line]:
    n = pdfium_c.FPDFText_CountChars(textpage)
    if n <= 0:
        return []
    buf = (ctypes.c_ushort * (n + 1))()
    got = pdfium_c.FPDFText_GetText(textpage, 0, n, buf) - 1  # minus the NUL
    if got <= 0:
        return []
    tp = ctypes.cast(textpage, ctypes.c_void_p).value  # the handle as an address
    # out-parameters of the per-line calls: one array of doubles, read with one slice
    out = (ctypes.c_double * 6)()
    at = ctypes.addressof(out)
    outs = (out, (at, at + 8, at + 16, at + 24), (at + 32, at + 40))  # l t r b, x y
    text = ctypes.string_at(buf, 2 * got).decode("utf-16-le", "replace")
    if got == n and len(text) == n:
        to_char = None  # text index == char index: the usual case
    else:
        to_char = _IndexMap(tp, text)
    lines: list[_Line] = []
    for m in _PRINTED_LINE.finditer(text):
        seg, seg_start = m.group(), m.start()
        parts = seg.split(_PDFIUM_HYPHEN) if _PDFIUM_HYPHEN in seg else (seg,)
        for k, part in enumerate(parts):
            if k:
                seg_start += len(parts[k - 1]) + 1
                if lines and not lines[-1].hyphen:  # "well-" + "being" on the next line
                    _end_with_hyphen(lines[-1])
            body = part.strip()
            if not body:
                continue
            start = seg_start + (len(part) - len(part.lstrip()))
            line = _make_line(tp, text, start, start + len(body), to_char, page_no, outs)
            if line is not None:
                if lines and _same_printed_line(lines[-1], line):
                    continue
                lines.append(line)
    return lines


def _end_with_hyphen(line: _Line) -> None:
    line.hyphen = True
    line.text += "-"
    x0, x1, text = line.cells[-1]
    line.cells = [*line.cells[:-1], (x0, x1, text + "-")]


def _same_printed_line(prev: _Line, line: _Line) -> bool:
    """PDFium breaks a printed line around a superscript: drop the superscript number
    and glue the rest back on. True when ``line`` was consumed."""
    overlap = min(prev.top, line.top) - max(prev.bottom, line.bottom)
    if overlap <= 0.4 * min(prev.height, line.height) or prev.hyphen:
        return False
    if len(line.text) <= 3 and line.text.isdigit() and line.size < 0.85 * prev.size:
        # a reference number, smaller and raised, printed after the text: drop it
        return line.x0 >= prev.x1 - 1 and line.bottom > prev.bottom + 0.2 * prev.height

    gap = line.x0 - prev.x1
    if abs(line.size - prev.size) > 0.6 or not (-1.0 <= gap <= 2.0 * line.size):
        return False
    if len(prev.text) <= 3 and prev.text.isdigit():  # a footnote's own number
        return False
    text = line.text
    if line.small_lead:
        text = text.split(None, 1)[1] if " " in text else text
    sep = "" if text[0] in ",.;:)!?'\u2019" or prev.text.endswith(("(", "/")) else " "
    last = prev.cells[-1]
    first = line.cells[0]
    cell_text = first[2]
    if line.small_lead and cell_text.split(None, 1)[0].isdigit():
        cell_text = cell_text.split(None, 1)[1] if " " in cell_text else ""
    prev.cells = [*prev.cells[:-1], (last[0], first[1], last[2] + sep + cell_text), *line.cells[1:]]
    prev.text = "\t".join(c[2] for c in prev.cells if c[2])
    prev.x1 = max(prev.x1, line.x1)
    prev.top = max(prev.top, line.top)
    prev.bottom = min(prev.bottom, line.bottom)
    prev.bold = prev.bold and line.bold
    prev.hyphen = line.hyphen
    return True


class _IndexMap:
    """Python string index <-> PDFium char index, for the rare page where they differ
    (characters outside the BMP, or characters PDFium leaves out of the text)."""

    def __init__(self, tp: int, text: str):
        self.tp = tp
        self.units = []  # Python index -> UTF-16 text index
        pos = 0
        for ch in text:
            self.units.append(pos)
            pos += 2 if ord(ch) > 0xFFFF else 1
        self.units.append(pos)

    def __call__(self, i: int) -> int:
        return _CHAR_INDEX(self.tp, self.units[min(i, len(self.units) - 1)])

    def to_text(self, char_index: int) -> int:
        unit = _TEXT_INDEX(self.tp, char_index)
        return bisect.bisect_left(self.units, unit) if unit >= 0 else -1


def _make_line(
    tp: int,
    text: str,
    start: int,
    end: int,
    to_char,
    page_no: int,
    outs,
    count_rects=_COUNT_RECTS,
    get_rect=_GET_RECT,
    font_size=_FONT_SIZE,
    font_weight=_FONT_WEIGHT,
    char_origin=_CHAR_ORIGIN,
) -> _Line | None:
    """One printed line (text[start:end], no surrounding blanks) with its geometry."""
    out, ltrb, xy = outs
    stripped = text[start:end]
    c0, c1 = (to_char(start), to_char(end - 1) + 1) if to_char else (start, end)
    if c0 < 0 or c1 <= c0:
        return None
    count = count_rects(tp, c0, c1 - c0)
    if count <= 0:
        return None
    m = _LETTER.search(stripped) or _ALNUM.search(stripped)
    first = start + m.start() if m else start
    fc = to_char(first) if to_char else first
    size = font_size(tp, fc)
    rects = []
    tall, short = 0.0, 1e9  # tallest and shortest run
    ordered = True
    reach, widest = -1e9, -1e9  # right end so far; widest gap between runs (when in order)
    for i in range(count):
        if get_rect(tp, i, *ltrb):
            left, high, right, low = out[:4]
            if high - low > 0.05 and right - left > 0.05:  # not a degenerate blank
                if rects:
                    if left - reach > widest:
                        widest = left - reach
                    if left < rects[-1][0]:
                        ordered = False
                rects.append((left, low, right, high))
                if high - low > tall:
                    tall = high - low
                if high - low < short:
                    short = high - low
                if right > reach:
                    reach = right
    if not rects:
        return None
    if not size > 0:  # a font without a usable size (Type 3, say): use the ink height
        size = tall or 10.0
    base = out[5] if char_origin(tp, fc, *xy) else 0.0
    bold = font_weight(tp, fc) >= 600
    if bold:  # bold only when the line ends bold too (a bold lead-in is not a heading)
        last = end - 1
        while last > first and not text[last].isalnum():
            last -= 1
        bold = font_weight(tp, to_char(last) if to_char else last) >= 600
    drop: list[tuple[int, int]] = []
    splits: list[tuple[int, float, float]] = []  # (text index, left cell x1, right cell x0)
    if len(rects) == 1:
        x0, bottom, x1, top = rects[0]
    else:
        if not ordered:
            rects.sort()
        cut = 0.7 * tall
        top, bottom = -1e9, 1e9
        x0, x1 = rects[0][0], reach
        for r in rects:
            if r[3] - r[1] >= cut:
                if r[3] > top:
                    top = r[3]
                if r[1] < bottom:
                    bottom = r[1]
        if short < 0.75 * tall:
            drop = _superscripts(tp, rects, tall, bottom, text, start, end, first, size, to_char)
        if not ordered or widest > 0.6 * size:
            splits = _cell_breaks(tp, rects, tall, bottom, stripped, start, end, size, to_char)
    small_lead = False
    if stripped[0].isdigit():  # "1 The areas…": a footnote body's number
        j = start
        while j < end and text[j].isdigit():
            j += 1
        if j < end and text[j] == " " and j - start <= 2:
            small_lead = font_size(tp, to_char(start) if to_char else start) < 0.85 * size
    if drop or splits:
        line_text, cells = _cut(text, start, end, drop, splits, x0, x1)
        if not line_text:
            return None
    else:
        line_text = _SPACES.sub(" ", stripped) if "  " in stripped else stripped
        cells = [(x0, x1, line_text)]
    if line_text[0].isdigit() and _GLUED_NUMBER.match(line_text):
        # "10.Assessments": the tab after the paragraph number was lost
        line_text = _GLUED_NUMBER.sub(r"\1 ", line_text, count=1)
        head = (cells[0][0], cells[0][1], _GLUED_NUMBER.sub(r"\1 ", cells[0][2], count=1))
        cells = [head, *cells[1:]]
    line = _Line(line_text, cells, x0, x1, top, bottom, size, bold, page_no)
    line.small_lead = small_lead
    if base:
        line.base = base
    first_char = line_text[0]
    if 0xF000 <= ord(first_char) <= 0xF0FF or first_char in _BULLET_GLYPHS:
        line.bullet = True
    elif first_char in _DASH_BULLETS and len(line_text) > 2 and line_text[1] == " ":
        # a dash/"o" bullet is its own run, followed by a tab-like gap
        r0 = rects[0]
        gap = rects[1][0] - r0[2] if len(rects) > 1 else 0.0
        line.bullet = r0[2] - r0[0] < size and gap > 0.3 * size
    return line


def _superscripts(tp, rects, tall, bottom, text, start, end, first, size, to_char):
    """Spans of small raised digits after the first word: footnote reference markers."""
    raised = [r for r in rects if r[3] - r[1] < 0.75 * tall and r[1] > bottom + 0.3 * tall]
    if not raised or not _SUPERSCRIPT_CANDIDATE.search(text, start, end):
        return []
    drop = []
    for r in raised:
        span = _span_at(tp, r, text, start, end, to_char)
        if span and span[0] > first and text[span[0] : span[1]].isdigit():
            sc = to_char(span[0]) if to_char else span[0]
            if _FONT_SIZE(tp, sc) < 0.85 * size:
                drop.append(span)
    return drop


def _cell_breaks(tp, rects, tall, bottom, stripped, start, end, size, to_char):
    """Where a line splits into table cells: a wide gap between two runs, or a smaller gap
    before a run set at another height (a cell centred on a two-line row) or before a
    right-aligned number closing the line (a contents page)."""
    wide = max(2.5 * size, 18.0)
    splits = []
    reach = rects[0][2]
    last = rects[-1]
    for r in rects:
        gap = r[0] - reach
        if gap > 0.6 * size and (
            gap > wide
            or (r[3] - r[1] >= 0.7 * tall and abs(r[1] - bottom) > 0.25 * tall)
            or (
                r is last
                and gap > 1.2 * size
                and r[2] - r[0] < 3 * size
                and _TRAILING_NUMBER.search(stripped) is not None
            )
        ):
            idx = _CHAR_AT(tp, r[0] + min(1.0, (r[2] - r[0]) / 2), (r[1] + r[3]) / 2, 1.0, 1.0)
            if idx >= 0:
                ti = _to_text(idx, to_char)
                if start < ti < end:
                    splits.append((ti, reach, r[0]))
        if r[2] > reach:
            reach = r[2]
    return splits


def _to_text(char_index: int, to_char) -> int:
    return char_index if to_char is None else to_char.to_text(char_index)


def _span_at(tp, rect, text: str, start: int, end: int, to_char) -> tuple[int, int] | None:
    """Text indices covered by a small text run."""
    ymid = (rect[1] + rect[3]) / 2
    a = _CHAR_AT(tp, rect[0] + 0.3, ymid, 0.5, 0.5)
    b = _CHAR_AT(tp, rect[2] - 0.3, ymid, 0.5, 0.5)
    if a < 0 or b < 0:
        return None
    a, b = _to_text(a, to_char), _to_text(b, to_char)
    if not (start <= a <= b < end):
        return None
    return a, b + 1


def _strip_spans(text: str, start: int, end: int, spans) -> str:
    out, pos = [], start
    for a, b in sorted(spans):
        out.append(text[pos:a])
        pos = b
    out.append(text[pos:end])
    return "".join(out)


def _cut(text, start, end, drop, splits, x0, x1):
    """Line text (cells tab-joined) and cells, minus the dropped spans."""
    bounds = [start] + [s[0] for s in sorted(splits)] + [end]
    edges = [(x0, None)] + [(s[2], s[1]) for s in sorted(splits)]
    cells = []
    for i in range(len(bounds) - 1):
        inside = [s for s in drop if bounds[i] <= s[0] < bounds[i + 1]]
        part = _strip_spans(text, bounds[i], bounds[i + 1], inside)
        cell_x0 = edges[i][0]
        cell_x1 = edges[i + 1][1] if i + 1 < len(edges) else x1
        cells.append([cell_x0, cell_x1, _SPACES.sub(" ", part).strip()])
    # a list marker ("1.", "a)") followed by a tab is not a table cell
    merged = [cells[0]]
    for cell in cells[1:]:
        prev = merged[-1]
        if not cell[2]:
            continue
        if not prev[2] or _LIST_MARK.match(prev[2]) or _is_glyph(prev[2]):
            prev[1] = cell[1]
            prev[2] = (prev[2] + " " + cell[2]).strip()
        else:
            merged.append(cell)
    merged = [(c[0], c[1], c[2]) for c in merged]
    return "\t".join(c[2] for c in merged if c[2]), merged


def _is_glyph(text: str) -> bool:
    return len(text) == 1 and (
        0xF000 <= ord(text) <= 0xF0FF or text in _BULLET_GLYPHS or text in _DASH_BULLETS
    )


# --------------------------------------------------------------------------- layout


class _Logical:
    """A logical line being built: one or more columns of joined physical lines."""

    __slots__ = ("columns", "lines", "page", "top", "bottom")

    def __init__(self, line: _Line):
        self.columns: list[list] = []  # [x0, x1, text, last _Line]
        self.lines: list[_Line] = []
        self.page = line.page
        self.top, self.bottom = line.top, line.bottom
        self.add_cells(line, _Layout._join)

    @property
    def last(self) -> _Line:
        return self.lines[-1]

    @property
    def is_row(self) -> bool:
        return len(self.columns) > 1

    def add_cells(self, line: _Line, join, side: bool = False) -> None:
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


class _Layout:
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
        self.out: list[tuple[str, int | None]] = []
        self.pending_notes: list[tuple[str, int]] = []

    # ---- running headers and footers
    def _strip_running(self) -> None:
        npages = len(self.pages)
        zones: list[list[tuple[_Line, str]]] = []
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
                if repeated or _PAGE_NUMBER.match(ln.text.replace("\t", " ")):
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
        return self._resolve_hyphens(self.out)

    # ---- footnotes
    def _split_notes(self, lines: list[_Line]) -> tuple[list[_Line], list[tuple[str, int]]]:
        """Footnote bodies at the foot of the page: small type below the body text,
        introduced by a small number."""
        small = 0.9 * self.body_size
        lowest_body = min(
            (ln.bottom for ln in lines if ln.size >= small and not ln.marker), default=None
        )
        if lowest_body is None:
            return lines, []
        foot = [ln for ln in lines if ln.top <= lowest_body and (ln.size < small or ln.marker)]
        if not foot or not any(ln.marker or ln.small_lead for ln in foot):
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
            if ln.small_lead:
                text = re.sub(r"^\d{1,2}\s+", "", text)
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
            self.out.append((_clean(text), page))
        self.pending_notes = []

    # ---- decisions
    def _side_by_side(self, cur: _Logical, ln: _Line) -> bool:
        """A cell printed beside the row being built (same height, separate columns)."""
        if ln.top <= cur.bottom + 1 or ln.bottom >= cur.top - 1:
            return False
        if ln.page != cur.page or ln.bullet or cur.last.page != ln.page:
            return False
        overlapping = [p for p in cur.lines if ln.bottom < p.top - 1 and ln.top > p.bottom + 1]
        if not overlapping:
            return False
        return all(ln.x0 >= p.x1 + 4 or ln.x1 <= p.x0 - 4 for p in overlapping)

    def _continues(self, cur: _Logical, ln: _Line) -> bool:
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

    def _column_last(self, cur: _Logical, ln: _Line) -> _Line:
        if not cur.is_row:
            return cur.last
        col = cur._column_for(ln.x0, ln.x1)
        return col[3]

    def _continues_over_page(self, cur: _Logical, ln: _Line) -> bool:
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
    def _join(parts: list[str], prev: _Line, right: str) -> None:
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

    def _append(self, cur: _Logical, ln: _Line) -> None:
        cur.add_cells(ln, self._join)

    def _flush(self, cur: _Logical) -> None:
        text = cur.text()
        first = cur.lines[0]
        if first.bullet:
            body = text[1:].lstrip()
            text = "- " + body if body else ""
        text = _clean(text)
        if text:
            self.out.append((text, cur.page))
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
        return "\t".join(_SPACES.sub(" ", c).strip() for c in text.split("\t") if c.strip())
    return (_SPACES.sub(" ", text) if "  " in text else text).strip()
