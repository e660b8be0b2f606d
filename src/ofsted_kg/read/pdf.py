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

The work is in three modules: pdfium_text.py (PDFium to printed lines with geometry),
pdf_line.py (the printed line) and pdf_layout.py (printed lines to logical lines).
"""

from __future__ import annotations

from pathlib import Path

from ofsted_kg.read.document import Document, IngestError, sha256_of
from ofsted_kg.read.pdf_layout import Layout
from ofsted_kg.read.pdfium_text import extract_pages

__all__ = ["read_pdf"]


# --------------------------------------------------------------------------- entry point


def read_pdf(path: Path, data: bytes | None = None) -> Document:
    """Read an Ofsted report PDF; raise IngestError with a one-line reason when unreadable."""
    data = path.read_bytes() if data is None else data
    _check_signature(data)
    pages = extract_pages(data)
    if not any(line for page in pages for line in page[2]):
        if any(page[3] for page in pages):
            raise IngestError("no text layer (image-only PDF)")
        raise IngestError("no text in PDF (blank pages)")
    texts = Layout(pages).run()
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
