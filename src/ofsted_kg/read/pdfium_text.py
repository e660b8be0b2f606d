"""PDFium (through pypdfium2's raw bindings): a PDF's pages as printed lines with geometry.

Per printed line the reader makes a handful of PDFium calls (the text runs' rectangles, font
size and weight, baseline) and none per character. PDFium is not thread-safe: run several
readers in separate processes, not threads.
"""

from __future__ import annotations

import bisect
import ctypes
import re

import pypdfium2  # noqa: F401  (importing it initialises the PDFium library)
import pypdfium2.raw as pdfium_c

from ofsted_kg.read.document import IngestError
from ofsted_kg.read.pdf_line import SPACES, PrintedLine

# A glyph PDFium reports for a line-end hyphen it has joined to the next line.
_PDFIUM_HYPHEN = "\ufffe"
# Bullet glyphs: symbol-font private-use characters and the usual dingbats.
_BULLET_GLYPHS = frozenset(
    "\u2022\u25aa\u25ab\u25cf\u25cb\u25e6\u25fc\u25fb\u25a0\u25a1\u27a2\u2713"
)
# Characters that start a bullet item only when followed by a visible gap (a tab stop).
_DASH_BULLETS = frozenset("-\u2013\u2014\u2212\u2500o*")
# a digit glued to a word or punctuation: maybe a footnote reference printed superscript
_SUPERSCRIPT_CANDIDATE = re.compile(r"[^\s\d\-\u2013/(+\u00a3$\u20ac#.,:]\d|[a-z][.,:;?!]\d")
_ALNUM = re.compile(r"[0-9A-Za-z\u00c0-\u024f]")
_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
_LIST_MARK = re.compile(r"^(?:\(?[0-9]{1,3}[.)]?|\(?[a-z]{1,3}[.)]|\(?[ivx]{1,5}[.)])$")


# --------------------------------------------------------------------------- PDFium


_ERRORS = {
    pdfium_c.FPDF_ERR_PASSWORD: "encrypted PDF (password required)",
    pdfium_c.FPDF_ERR_SECURITY: "encrypted PDF (unsupported security handler)",
    pdfium_c.FPDF_ERR_FORMAT: "corrupt or truncated PDF",
    pdfium_c.FPDF_ERR_FILE: "corrupt or truncated PDF",
    pdfium_c.FPDF_ERR_PAGE: "corrupt PDF (page not found)",
}


def extract_pages(data: bytes) -> list[tuple[float, float, list[PrintedLine], bool]]:
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


def _extract_page(doc, index: int) -> tuple[float, float, list[PrintedLine], bool]:
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


def _page_lines(textpage, page_no: int) -> list[PrintedLine]:
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
    lines: list[PrintedLine] = []
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


def _end_with_hyphen(line: PrintedLine) -> None:
    line.hyphen = True
    line.text += "-"
    x0, x1, text = line.cells[-1]
    line.cells = [*line.cells[:-1], (x0, x1, text + "-")]


def _same_printed_line(prev: PrintedLine, line: PrintedLine) -> bool:
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
) -> PrintedLine | None:
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
        line_text = SPACES.sub(" ", stripped) if "  " in stripped else stripped
        cells = [(x0, x1, line_text)]
    if line_text[0].isdigit() and _GLUED_NUMBER.match(line_text):
        # "10.Assessments": the tab after the paragraph number was lost
        line_text = _GLUED_NUMBER.sub(r"\1 ", line_text, count=1)
        head = (cells[0][0], cells[0][1], _GLUED_NUMBER.sub(r"\1 ", cells[0][2], count=1))
        cells = [head, *cells[1:]]
    line = PrintedLine(line_text, cells, x0, x1, top, bottom, size, bold, page_no)
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
        cells.append([cell_x0, cell_x1, SPACES.sub(" ", part).strip()])
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
