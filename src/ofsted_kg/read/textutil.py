"""Text helpers shared by the readers and the family parsers."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

_UNICODE_FIXES = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"',
    "\u00ad": "", "\u200b": "", "\ufeff": "",
    "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ", "\u202f": " ",
    "\u2010": "-", "\u2011": "-", "\u2012": "-",
    "\ufb01": "fi", "\ufb02": "fl",
}  # fmt: skip
_UNICODE_TABLE = str.maketrans(_UNICODE_FIXES)
# What ends a sentence (a line ending so is not continued on the next)
SENTENCE_END = (".", "?", "!", ":", ";")
# A printed page number: "12", "- 12 -", "Page 12", "Page 12 of 40", "12/40"
PAGE_NUMBER_RE = re.compile(
    r"^(?:page\s*)?[-\u2013 ]*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?[-\u2013 ]*$", re.I
)
# Bullet glyphs seen in Ofsted PDFs and their text conversions
BULLET_RE = re.compile(
    r"^\s*(?:[-\u2022\u25aa\u25cf\u25fc\u25a0\uf0b7\uf0a7\u2013\u25e6*•▪◼■]|o(?=\s))\s+"
)

MONTHS = {
    m: i
    for i, m in enumerate(
        "january february march april may june july august september october november december".split(),  # noqa: E501
        start=1,
    )
}
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
)
_DATE = rf"(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH})\s+(\d{{4}})"
DATE_RE = re.compile(_DATE, re.I)
MONTH_YEAR_RE = re.compile(rf"({_MONTH})\s+(\d{{4}})", re.I)
# "20 February – 2 March 2012", "10-20 April 2012", "9 and 10 November 2010",
# "23 January 2012 – 3 February 2012"
RANGE_RE = re.compile(
    rf"(\d{{1,2}})(?:st|nd|rd|th)?(?:\s+({_MONTH}))?(?:\s+(\d{{4}}))?\s*(?:-|–|—|to|and)\s*{_DATE}",
    re.I,
)


def normalise(text: str) -> str:
    """Unicode NFKC minus the compatibility traps, typographic quotes made plain."""
    text = text.translate(_UNICODE_TABLE)
    return unicodedata.normalize("NFC", text)


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def to_date(day: str, month: str, year: str) -> date:
    return date(int(year), MONTHS[month.lower()], int(day))


def find_date(text: str) -> date | None:
    m = DATE_RE.search(text)
    return to_date(*m.groups()) if m else None


def find_range(text: str) -> tuple[date, date] | None:
    """The first date range in ``text``; a single date gives a one-day range."""
    m = RANGE_RE.search(text)
    if m:
        d1, m1, y1, d2, m2, y2 = m.groups()
        end = to_date(d2, m2, y2)
        start = to_date(d1, m1 or m2, y1 or y2)
        if start > end and not y1:  # "30 December – 3 January 2013"
            start = start.replace(year=start.year - 1)
        return start, end
    single = find_date(text)
    return (single, single) if single else None


def find_month(text: str) -> str | None:
    """'April 2022' -> '2022-04'."""
    m = MONTH_YEAR_RE.search(text)
    return f"{int(m.group(2)):04d}-{MONTHS[m.group(1).lower()]:02d}" if m else None


# A paragraph's printed number: "23. In order to..."
PARA_RE = re.compile(r"^(\d{1,3})\.\s+(?=\S)")


def split_paragraph_number(text: str) -> tuple[int | None, str]:
    """'23. In order to…' -> (23, 'In order to…')."""
    m = PARA_RE.match(text)
    if m:
        return int(m.group(1)), text[m.end() :]
    return None, text


def strip_bullet(text: str) -> tuple[bool, str]:
    m = BULLET_RE.match(text)
    return (True, text[m.end() :]) if m else (False, text)


def number(text: str) -> int:
    return int(text.replace(",", ""))
