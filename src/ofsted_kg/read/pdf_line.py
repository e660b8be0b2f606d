"""A printed line of a PDF page, with the geometry the layout is rebuilt from (pdfium_text.py
makes them, pdf_layout.py joins them into logical lines)."""

from __future__ import annotations

import re

SPACES = re.compile(r"[ \u00a0]{2,}|\u00a0")


class PrintedLine:
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
