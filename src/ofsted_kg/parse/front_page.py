"""The front page of any report family, read by design: its title, authority and dates.

Unseen reports print the same three facts in more ways than the corpus shows, so each is
read from a vocabulary of forms rather than from one example:

* titles: each family passes its own title forms (regular expressions, a ``name`` group
  where the title names the authority); a title may wrap over up to three lines, carry a
  footnote digit glued to its last word ("...children's services1") and print its
  apostrophes curly or straight;
* authority names: the name as printed ("London Borough of Camden", "Camden Council",
  "Bristol City Council", "Sandwell Children's Trust", "Herefordshire Unitary Authority",
  "Metropolitan Borough of Barnsley Council") peeled one prefix or suffix at a time, the
  least-peeled form that resolves in the authority register winning
  (``parse/authorities.py``); a name that resolves nowhere is kept as the register's rules
  leave it, and ingest refuses it there;
* dates: one date expression, "2 to 6 December 2019", "29 April – 21 May 2014",
  "30 December 2015 to 3 January 2016", "12 to 16 September and 3 October 2016",
  "12/09/2016 to 16/09/2016", "Monday 12 September 2016", under a label of the vocabulary
  ("Inspection date(s)", "Date(s) of inspection", "Fieldwork dates", "Visit dates"), on the
  label's line or wrapped onto the next.

What cannot be read is refused (``require``) with a one-line reason naming what is missing,
never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from ofsted_kg.parse.authorities import authority_name, register
from ofsted_kg.read.document import IngestError, Line
from ofsted_kg.read.textutil import MONTHS, normalise

# ---------------------------------------------------------------- text


# A footnote marker glued to the last letter of a word ("services1", "Camden2"), never a
# digit of a word that has digits of its own ("M1", "2016")
_FOOTNOTE_RE = re.compile(r"(?<=[A-Za-z')\]])\d{1,2}(?=[\s,.;:]|$)")
_MARKUP_RE = re.compile(r"^[#>*\s]+|\*+")


def clean(text: str) -> str:
    """Front-page text compared by meaning: plain apostrophes, one space, no markup."""
    text = normalise(text).replace("\t", " ")
    text = _MARKUP_RE.sub("", text)
    return " ".join(text.split())


def strip_footnotes(text: str) -> str:
    return _FOOTNOTE_RE.sub("", text)


# ---------------------------------------------------------------- titles


@dataclass(frozen=True)
class Title:
    start: int  # index of the title's first line
    end: int  # index of its last line (a wrapped title spans several)
    text: str  # the title as one line, cleaned, footnote markers removed
    name: str | None  # what the title's ``name`` group caught, when the form has one
    match: re.Match[str]


COVER_LINES = 8  # a first page of fewer lines is a cover (a logo, a heading): page 2 is front


def front_extent(lines: Sequence[Line], head: int) -> int:
    """How many first lines hold the front page: ``head`` (what a family's front page holds
    in the reports seen), or the whole first page where it is longer (a letterhead, an
    address or a contents box above the title pushes it down), with the second where the
    first is only a cover. Text without pages: ``head``."""
    if not lines or lines[0].page is None:
        return head
    first = lines[0].page
    counts = [0, 0]  # lines on the first page and on the second (lines come in page order)
    for line in lines:
        if line.page is None or line.page > first + 1:
            break
        counts[line.page - first] += 1
    on_front = counts[0] + (counts[1] if counts[0] < COVER_LINES else 0)
    return max(head, on_front)


def find_title(lines: Sequence[Line], forms: Sequence[re.Pattern[str]], head: int,
               span: int = 3) -> Title | None:  # fmt: skip
    """The first title among the front page's lines (at least the first ``head``, see
    ``front_extent``) that one of ``forms`` matches, joining up to ``span`` lines for a
    title that wraps; the shortest join wins."""
    for i in range(min(front_extent(lines, head), len(lines))):
        if not lines[i].text.strip():
            continue
        for n in range(1, span + 1):
            if i + n > len(lines):
                break
            joined = strip_footnotes(clean(" ".join(line.text for line in lines[i : i + n])))
            for form in forms:
                m = form.match(joined)
                if m:
                    name = m.groupdict().get("name")
                    return Title(i, i + n - 1, joined, name, m)
    return None


# ---------------------------------------------------------------- authority names


_SUFFIXES = re.compile(
    r"(?:"
    r"\s+(?:local\s+authority\s+)?children's\s+(?:social\s+care\s+)?services"
    r"|\s+(?:local\s+authority|local\s+area\s+partnership|unitary\s+authority)"
    r"|\s+(?:(?:Metropolitan\s+)?(?:Borough|City|County|District)\s+)?Council|\s+Corporation"
    r"|\s+(?:Local\s+)?Safeguarding\s+Children(?:'s)?\s+(?:Board|Partnership)"
    r"|\s+Children\s+and\s+Families\s+Trust|\s+Children's\s+(?:Services\s+)?Trust"
    r"|\s+Children\s+First"
    r"|\s+(?:Metropolitan\s+)?Borough|\s+City"
    r"|,?\s+(?:City|County|Borough)\s+of"
    r"|\s*\([A-Z&]{2,}\)|'s"
    r")$",
    re.I,
)
_PREFIXES = re.compile(
    r"^(?:the|(?:London|Royal|Metropolitan)\s+Borough\s+of|Borough\s+of|City\s+and\s+County\s+of"
    r"|City\s+of|County\s+of|Council\s+of\s+the)\s+",
    re.I,
)
_PEEL_DEPTH = 5


def _peeled(printed: str) -> Iterator[str]:
    """``printed``, then every form with prefixes and suffixes peeled off one at a time,
    least peeled first."""
    seen = {printed}
    layer = [printed]
    yield printed
    for _ in range(_PEEL_DEPTH):
        nxt: list[str] = []
        for name in layer:
            for pattern in (_SUFFIXES, _PREFIXES):
                peeled = pattern.sub("", name, count=1).strip(" ,.")
                if peeled and peeled not in seen:
                    seen.add(peeled)
                    nxt.append(peeled)
                    yield peeled
        layer = nxt


def resolved_authority(printed: str) -> str | None:
    """The register's short name for ``printed``, or None when no peeled form resolves."""
    text = strip_footnotes(clean(printed)).strip(" ,.:;")
    if not text:
        return None
    known = register()
    for candidate in _peeled(text):
        name = authority_name(candidate)
        if name in known:
            return name
    return None


def authority(*printed: str | None, fallback: Sequence[str] = ()) -> str | None:
    """The authority named by the first of ``printed`` (where the layout prints the name,
    best first), then of ``fallback`` (lines that may be a name), that resolves in the
    register; else what the register's rules leave of the first non-empty one of
    ``printed``, which ingest refuses as no known authority; None when all are empty."""
    candidates = [p for p in printed if p and clean(p).strip(" ,.:;")]
    for candidate in (*candidates, *fallback):
        name = resolved_authority(candidate)
        if name:
            return name
    if not candidates:
        return None
    return authority_name(strip_footnotes(clean(candidates[0])).strip(" ,.:;")) or None


def names_near(lines: Sequence[Line], start: int, step: int,
               stop: Callable[[str], bool] | None = None, most: int = 3) -> list[str]:  # fmt: skip
    """Candidates for a name printed on lines of its own from ``lines[start]`` on, upwards
    (``step`` -1, above a title) or downwards (1, below it), until a line ``stop`` says is
    something else (a label): the lines joined, as a wrapped name is, then fewer, down to
    the nearest line alone, then each farther line alone."""
    texts: list[str] = []
    i = start
    while 0 <= i < len(lines) and len(texts) < most:
        text = lines[i].text.strip()
        if stop is not None and stop(text):
            break
        if text:
            texts.append(text)
        i += step
    out = [
        " ".join(texts[:n] if step > 0 else texts[n - 1 :: -1]) for n in range(len(texts), 0, -1)
    ]
    return out + texts[1:]


# ---------------------------------------------------------------- dates

_MONTH_NAMES = {
    **MONTHS,
    **{m[:3]: i for m, i in MONTHS.items()},
    "sept": 9,
}
_MONTH = r"(?:" + "|".join(sorted(_MONTH_NAMES, key=len, reverse=True)) + r")\.?"
_DAYNAME = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_WEEKDAY = rf"(?:{_DAYNAME},?\s+)?"
# One day of a date expression: numeric "12/09/2016", or "12", "12 September",
# "12th September 2016", "12th of September 2016", "12 September, 2016"
_ITEM_RE = re.compile(
    rf"{_WEEKDAY}(?:(?<![\d/.])(?P<nd>\d{{1,2}})[/.](?P<nm>\d{{1,2}})[/.](?P<ny>\d{{4}}|\d{{2}})(?![\d/])"
    rf"|(?<![\d/.])(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?![\d/])"
    rf"(?:\s+(?:of\s+)?(?P<month>{_MONTH})(?![a-z]))?(?:,?\s+(?P<year>(?:19|20)\d{{2}})(?!\d))?)",
    re.I,
)
# Fieldwork runs for weeks: a year carried back over a new year spans no more than this
_MAX_SPAN_DAYS = 62
# What joins the days of one expression: "to", "-", "–", "and", "until", ","
_JOIN_RE = re.compile(r"^\s*(?:,\s*)?(?:-|–|—|to|and|until|till|through|&|,)\s*$", re.I)
# How a date expression wrapped onto the next line goes on: a day, a year, a joining word
_GOES_ON_RE = re.compile(
    rf"^\s*(?:\d|{_DAYNAME}\b|(?:-|–|—|to|and|until|&)(?:\s|$)|{_MONTH}(?:\s|$))", re.I
)


@dataclass
class _Day:
    day: int
    month: int | None
    year: int | None
    printed_year: bool


def _day(m: re.Match[str]) -> _Day:
    if m.group("nd"):
        year = int(m.group("ny"))
        return _Day(int(m.group("nd")), int(m.group("nm")), year + 2000 if year < 100 else year,
                    True)  # fmt: skip
    month = m.group("month")
    year = m.group("year")
    return _Day(
        int(m.group("day")),
        _MONTH_NAMES[month.lower().rstrip(".")] if month else None,
        int(year) if year else None,
        bool(year),
    )


def _expressions(text: str) -> Iterator[list[_Day]]:
    """Runs of days joined only by the words of a range or a list, in order."""
    run: list[_Day] = []
    last_end = None
    for m in _ITEM_RE.finditer(text):
        if not (m.group("nd") or m.group("day")):
            continue
        if run and last_end is not None and not _JOIN_RE.match(text[last_end : m.start()]):
            yield run
            run = []
        run.append(_day(m))
        last_end = m.end()
    if run:
        yield run


def _dated(run: list[_Day]) -> list[date] | None:
    """The days of one expression with the month and year each takes from the days after
    it ("12 to 16 September and 3 October 2016"); None when no day has a month and year
    or a day is no date."""
    while run and (run[-1].month is None or run[-1].year is None):
        run = run[:-1]  # a stray number after the expression ("7 May 2024, 4 inspectors")
    if not run:
        return None
    out: list[date] = []
    month, year = run[-1].month, run[-1].year
    later: date | None = None
    for item in reversed(run):
        month = item.month or month
        year = item.year or year
        try:
            when = date(year, month, item.day)
        except ValueError:
            return None
        if later is not None and when > later:
            # only a year carried over a new year ("30 December to 3 January 2016") is read
            # back a year; anything else is printed out of order, and no reading is safe
            if item.printed_year or item.month is None or item.month <= later.month:
                return None
            when = when.replace(year=when.year - 1)
            if (later - when).days > _MAX_SPAN_DAYS:
                return None
        out.append(when)
        later = when
        year = when.year
    return out[::-1]


def read_dates(text: str) -> tuple[date, date] | None:
    """(first, last) day of the first complete date expression in ``text``; a single date is
    a one-day range; None when there is none."""
    for run in _expressions(text):
        # a run may start with stray numbers ("2 of 5 ... 3 to 6 May 2019"): the days that
        # lead to a month and year
        dated = _dated(run)
        if dated:
            return min(dated), max(dated)
    return None


def first_date(text: str) -> date | None:
    """The first day of the first date expression in ``text`` (a publication date, a
    letter's date), in any of the forms ``read_dates`` reads."""
    dates = read_dates(text)
    return dates[0] if dates else None


_DATES_LABEL_RE = re.compile(
    r"^\W*(?:(?:inspection|fieldwork|visit|on-?site)(?:\s+fieldwork)?\s+dates?"
    r"|dates?\s+of\s+(?:the\s+)?(?:inspection|fieldwork|visit))\b\s*[:\-–]?\s*",
    re.I,
)


def is_dates_label(text: str) -> bool:
    """Whether the line opens with a label of the dates vocabulary ("Inspection dates:")."""
    return bool(_DATES_LABEL_RE.match(clean(text)))


def labelled_dates(lines: Sequence[Line]) -> tuple[date, date] | None:
    """The dates under the first label of the vocabulary among ``lines``: on the label's
    line, or wrapped onto the next lines (a label alone on its line, a year pushed down)."""
    for i, line in enumerate(lines):
        text = clean(line.text)
        m = _DATES_LABEL_RE.match(text)
        if not m:
            continue
        after = text[m.end() :]
        for nxt in lines[i + 1 : i + 3]:
            more = clean(nxt.text)
            if is_dates_label(more) or not _GOES_ON_RE.match(more):
                break
            after = f"{after} {more}"
        return read_dates(after)
    return None


_T = TypeVar("_T")


def require(value: _T | None, missing: str, where: str) -> _T:
    """``value``, or IngestError "no <missing> found on the front page of <where>"."""
    if value is None:
        raise IngestError(f"no {missing} found on the front page of {where}")
    return value
