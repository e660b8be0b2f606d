"""The front page read by design (parse/front_page.py), on every family's real front page.

Each bundled fixture PDF (and the text seeds for the two 2009-12 families, which have no
PDF fixture) is parsed as published; then its real front-page lines are rewritten the ways
unseen reports print them (curly apostrophes, a footnote digit glued to the title, titles
and dates wrapped at other places, numeric and list dates, singular or other date labels,
the council, trust and authority forms of the name) and the rewritten report must give the
same family, authority and dates. A front page without readable dates or authority is
refused with a one-line reason naming what is missing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import pytest
from fixture_pdfs import FIXTURES, fixture_doc
from hypothesis import given, settings
from hypothesis import strategies as st

from ofsted_kg.parse import front_page
from ofsted_kg.parse.authorities import register
from ofsted_kg.parse.detect import detect
from ofsted_kg.read.document import Document, IngestError
from ofsted_kg.read.text import read_text
from ofsted_kg.resources import example_reports

FRONT = 25  # lines rewritten: the front page and a visit letter's opening
_PDFS = sorted(p.name for p in FIXTURES.glob("*.pdf") if p.name != "birmingham-2012-10-19.pdf")


def _seed_families() -> dict[str, str]:
    """The text seeds of the families that have no PDF fixture, by family."""
    out: dict[str, str] = {}
    for path in example_reports():
        if path.suffix == ".txt":
            family = detect(read_text(path)).key
            out.setdefault(family, path.name) if family in ("slac", "cra_letter") else None
    return out


_SEEDS = sorted(_seed_families().values())
SOURCES = _PDFS + _SEEDS


@cache
def _doc(name: str) -> Document:
    if name in _SEEDS:
        return read_text(next(p for p in example_reports() if p.name == name))
    return fixture_doc(name)


@cache
def _expected(name: str) -> tuple[str, str, date, date]:
    doc = _doc(name)
    family = detect(doc)
    report = family.parse(doc)
    insp = report.inspection
    assert insp.authority in register(), name  # the published page resolves, as ingest needs
    assert insp.start and insp.end and insp.start <= insp.end, name
    return family.key, insp.authority, insp.start, insp.end


def _read(name: str, lines: list[str]) -> tuple[str, str, date | None, date | None]:
    """Family, authority and dates of the report with its lines replaced by ``lines``."""
    doc = _doc(name)
    pages = [line.page for line in doc.lines]
    texts = [(t, pages[min(i, len(pages) - 1)]) for i, t in enumerate(lines)]
    variant = Document.from_texts(doc.path, doc.sha256, texts, doc.kind)
    family = detect(variant)
    insp = family.parse(variant).inspection
    return family.key, insp.authority, insp.start, insp.end


# The lines a variant starts from, where variants are chained (else the report's own)
_BASE: dict[str, list[str]] = {}


def _lines(name: str) -> list[str]:
    return list(_BASE[name]) if name in _BASE else [line.text for line in _doc(name).lines]


# ---------------------------------------------------------------- where the facts are printed

_TITLE_RE = re.compile(
    r"^(?:(?:Re-?)?inspection|Review|Area SEND inspection|Annual unannounced inspection) of\b"
    r"|^(?:Focused|Monitoring) visit (?:to|of)\b",
    re.I,
)
_DATES_LINE_RE = re.compile(r"^(Inspection dates?:?)\s*(.+)$", re.I)
# The name inside a title, as printed: ILACS, area SEND, visits, unannounced inspections
_NAME_IN_TITLE = (
    re.compile(r"^Inspection of (.+? local authority) children's services$"),
    re.compile(r"^Area SEND inspection of (.+?) Local Area Partnership$"),
    re.compile(r"visit to (.+?) (?:local authority )?children's services$"),
    re.compile(r"arrangements within (?:the )?(.+?) children's services$"),
    re.compile(r"^Inspection of safeguarding and looked after children services (.+)$"),
)


def _title_at(lines: list[str]) -> int:
    return next(i for i, t in enumerate(lines[:40]) if _TITLE_RE.search(t))


def _dates_at(lines: list[str]) -> int | None:
    return next((i for i, t in enumerate(lines[:FRONT]) if _DATES_LINE_RE.match(t)), None)


def _name_line_at(name: str, lines: list[str]) -> int | None:
    """The line of its own that prints the authority's name, above or below the title."""
    title = _title_at(lines)
    authority = _expected(name)[1]
    for i in (title - 1, title + 1):
        if 0 <= i < len(lines) and front_page.resolved_authority(lines[i]) == authority:
            return i
    return None


def _printed_name(lines: list[str]) -> str | None:
    """The authority's name as a title prints it, where the title names it."""
    title = lines[_title_at(lines)]
    for pattern in _NAME_IN_TITLE:
        m = pattern.search(title)
        if m:
            return m.group(1)
    return None


def _rename(name: str, form: str) -> list[str] | None:
    """The report with its authority printed in ``form`` ("{} Council"), wherever the front
    page prints it: a line of its own, or inside the title (and the letter's opening)."""
    lines = _lines(name)
    authority = _expected(name)[1]
    at = _name_line_at(name, lines)
    if at is not None:
        lines[at] = form.format(authority)
        return lines
    printed = _printed_name(lines)
    if printed is None:
        return None
    for i in range(FRONT):
        lines[i] = lines[i].replace(printed, form.format(authority))
    return lines


# ---------------------------------------------------------------- the variants

NAME_FORMS = [
    "{} Council",
    "{} City Council",
    "{} Borough Council",
    "{} Metropolitan Borough Council",
    "{} County Council",
    "London Borough of {}",
    "Royal Borough of {}",
    "City of {}",
    "the City of {} Council",
    "Metropolitan Borough of {} Council",
    "{} Unitary Authority",
    "{} Children and Families Trust",
    "{} Children’s Trust",
    "{} local authority",
]


def _curly(name: str) -> list[str]:
    lines = _lines(name)
    return [t.replace("'", "’") if i < FRONT else t for i, t in enumerate(lines)]


def _footnote(name: str) -> list[str]:
    lines = _lines(name)
    at = _title_at(lines)
    lines[at] = lines[at].rstrip() + "1"
    return lines


def _wrap_title(name: str) -> list[str]:
    lines = _lines(name)
    at = _title_at(lines)
    words = lines[at].split()
    half = len(words) // 2
    lines[at : at + 1] = [" ".join(words[:half]), " ".join(words[half:])]
    return lines


def _set_dates(name: str, printed: str, label: str | None = None) -> list[str] | None:
    lines = _lines(name)
    at = _dates_at(lines)
    if at is None:
        return None
    m = _DATES_LINE_RE.match(lines[at])
    lines[at] = f"{label or m.group(1)} {printed}"
    return lines


def _numeric(name: str) -> list[str] | None:
    _, _, start, end = _expected(name)
    return _set_dates(name, f"{start:%d/%m/%Y} to {end:%d/%m/%Y}")


def _numeric_unpadded(name: str) -> list[str] | None:
    _, _, start, end = _expected(name)
    return _set_dates(
        name, f"{start.day}/{start.month}/{start.year} - {end.day}/{end.month}/{end.year}"
    )


def _weekdays(name: str) -> list[str] | None:
    _, _, start, end = _expected(name)
    return _set_dates(
        name,
        f"{start:%A} {_ordinal(start.day)} {start:%B %Y} – {end:%A} {_ordinal(end.day)} {end:%B %Y}",
    )


def _ordinal(day: int) -> str:
    return (
        f"{day}{'th' if 10 <= day % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th')}"
    )


def _months_once(name: str) -> list[str] | None:
    """Month and year printed once, after the last day, even where the days cross months:
    "29 April to 21 May 2014"."""
    _, _, start, end = _expected(name)
    first = f"{start.day}" if start.month == end.month else f"{start.day} {start:%B}"
    return _set_dates(name, f"{first} to {end.day} {end:%B %Y}")


def _listed(name: str) -> list[str] | None:
    """Fieldwork in two parts: "12 to 14 September and 3 October 2016"."""
    _, _, start, end = _expected(name)
    mid = start + timedelta(days=1)
    if not start < mid < end:
        return None
    return _set_dates(name, f"{start.day} to {mid.day} {mid:%B} and {end.day} {end:%B %Y}")


def _label(label: str) -> Callable[[str], list[str] | None]:
    def variant(name: str) -> list[str] | None:
        lines = _lines(name)
        at = _dates_at(lines)
        return (
            None
            if at is None
            else _set_dates(name, _DATES_LINE_RE.match(lines[at]).group(2), label)
        )

    return variant


def _label_alone(name: str) -> list[str] | None:
    """The label on a line of its own, the dates on the next."""
    lines = _lines(name)
    at = _dates_at(lines)
    if at is None:
        return None
    m = _DATES_LINE_RE.match(lines[at])
    lines[at : at + 1] = [m.group(1), m.group(2)]
    return lines


def _year_wrapped(name: str) -> list[str] | None:
    """The year pushed onto the next line: "Inspection dates: 25 to 29 April" / "2022"."""
    lines = _lines(name)
    at = _dates_at(lines)
    if at is None or not re.search(r"\s\d{4}$", lines[at]):
        return None
    lines[at : at + 1] = [lines[at][:-5], lines[at][-4:]]
    return lines


def _nameless_title(name: str) -> list[str] | None:
    """An ILACS title that names no authority, the name on the line above it (2018-2020)."""
    lines = _lines(name)
    at = _title_at(lines)
    if not re.match(r"^Inspection of .+ local authority children's services$", lines[at]):
        return None
    authority = _expected(name)[1]
    lines[at : at + 1] = [f"{authority} Council", "Inspection of children's social care services"]
    return lines


def _trust_title(name: str) -> list[str] | None:
    """An ILACS title naming the trust that delivers the council's services."""
    lines = _lines(name)
    at = _title_at(lines)
    if not re.match(r"^Inspection of .+ local authority children's services$", lines[at]):
        return None
    lines[at] = f"Inspection of {_expected(name)[1]} Children and Families Trust"
    return lines


def _name_line(change: Callable[[str], list[str]]) -> Callable[[str], list[str] | None]:
    """The authority's own line (above or below the title) rewritten as ``change`` says."""

    def variant(name: str) -> list[str] | None:
        lines = _lines(name)
        at = _name_line_at(name, lines)
        if at is None:
            return None
        lines[at : at + 1] = change(lines[at])
        return lines

    return variant


def _wrapped(text: str) -> list[str]:
    words = text.split()
    half = max(1, len(words) // 2)
    return [" ".join(words[:half]), " ".join(words[half:])]


def _visit_to_a_trust(name: str) -> list[str] | None:
    """A visit letter to the trust delivering the council's services: "Monitoring visit to
    X Children's Trust", "... the findings of the monitoring visit to X Children's Trust on"."""
    lines = _lines(name)
    if _expected(name)[0] != "ilacs_visit":
        return None
    printed = re.escape(_printed_name(lines))
    trust = f"{_expected(name)[1]} Children's Trust"
    pattern = re.compile(rf"{printed} (?:local authority )?children's services")
    return [pattern.sub(trust, t) if i < FRONT * 2 else t for i, t in enumerate(lines)]


def _upper_case(name: str) -> list[str]:
    """The title, and the authority's own line, in capitals."""
    lines = _lines(name)
    for at in (_title_at(lines), _name_line_at(name, lines)):
        if at is not None:
            lines[at] = lines[at].upper()
    return lines


def _name_moved_down(name: str) -> list[str] | None:
    """The authority's own line read after the front page's labels (the reader placing a
    name printed at the top right after the dates and the lead inspector)."""
    lines = _lines(name)
    at, dates = _name_line_at(name, lines), _dates_at(lines)
    if at is None or dates is None or _expected(name)[0] != "ilacs":
        return None
    moved = lines.pop(at)
    lines.insert(dates + 1, moved)
    return lines


_OPENING_DATES_RE = re.compile(r"(children's services) on ([^.]*?\d{4})\.")


def _visit_dates(printed: Callable[[date, date], str]) -> Callable[[str], list[str] | None]:
    """A visit letter's opening sentence with its dates printed another way."""

    def variant(name: str) -> list[str] | None:
        lines = _lines(name)
        _, _, start, end = _expected(name)
        at = next((i for i, t in enumerate(lines[:40]) if _OPENING_DATES_RE.search(t)), None)
        if at is None:
            return None
        lines[at] = _OPENING_DATES_RE.sub(rf"\1 {printed(start, end)}.", lines[at], count=1)
        return lines

    return variant


VARIANTS: dict[str, Callable[[str], list[str] | None]] = {
    "visit-dates-numeric": _visit_dates(lambda s, e: f"{s:%d/%m/%Y} and {e:%d/%m/%Y}"),
    "visit-dates-from-to": _visit_dates(lambda s, e: f"from {s:%A %d %B %Y} to {e:%A %d %B %Y}"),
    "curly-apostrophes": _curly,
    "footnote-digit-on-title": _footnote,
    "title-wrapped": _wrap_title,
    "dates-numeric": _numeric,
    "dates-numeric-unpadded": _numeric_unpadded,
    "dates-weekdays-ordinals": _weekdays,
    "dates-month-once": _months_once,
    "dates-listed-across-months": _listed,
    "label-singular": _label("Inspection date:"),
    "label-plural": _label("Inspection dates:"),
    "label-dates-of-inspection": _label("Dates of inspection:"),
    "label-fieldwork": _label("Fieldwork dates:"),
    "label-alone-on-its-line": _label_alone,
    "year-wrapped": _year_wrapped,
    "name-line-wrapped": _name_line(_wrapped),
    "name-line-wrapped-long-form": _name_line(
        lambda t: _wrapped(f"Metropolitan Borough of {t} Council")
    ),
    "name-line-footnote-digit": _name_line(lambda t: [f"{t}2"]),
    "visit-to-a-trust": _visit_to_a_trust,
    "upper-case-title-and-name": _upper_case,
    "name-line-below-the-dates": _name_moved_down,
    "title-send-spelled-out": lambda name: (
        None
        if _expected(name)[0] != "area_send"
        else [
            t.replace(
                "Area SEND inspection",
                "Area special educational needs and/or disabilities (SEND) inspection",
                1,
            )
            for t in _lines(name)
        ]
    ),
    "title-nameless": _nameless_title,
    "title-trust": _trust_title,
    **{f"name {form}": (lambda f: lambda name: _rename(name, f))(form) for form in NAME_FORMS},
}


@pytest.mark.parametrize("variant", list(VARIANTS))
@pytest.mark.parametrize("name", SOURCES)
def test_a_varied_front_page_reads_the_same(name: str, variant: str) -> None:
    lines = VARIANTS[variant](name)
    if lines is None:
        pytest.skip(f"{name} prints nothing {variant} varies")
    assert _read(name, lines) == _expected(name)


# Variants together, as an unseen front page combines them (the steps that do not apply to a
# report are passed over; curly apostrophes last, as the locators read straight ones)
CHAINS = {
    "council-numeric-singular-footnote-wrapped-curly": [
        "name {} Council", "dates-numeric", "label-singular", "footnote-digit-on-title",
        "title-wrapped", "curly-apostrophes"],
    "borough-listed-label-alone-name-wrapped-capitals-curly": [
        "name London Borough of {}", "dates-listed-across-months", "label-alone-on-its-line",
        "name-line-wrapped", "upper-case-title-and-name", "curly-apostrophes"],
    "trust-nameless-weekdays-year-wrapped": [
        "title-nameless", "name {} Children and Families Trust", "dates-weekdays-ordinals",
        "year-wrapped", "visit-to-a-trust", "visit-dates-from-to"],
}  # fmt: skip


@pytest.mark.parametrize("chain", list(CHAINS))
@pytest.mark.parametrize("name", SOURCES)
def test_variants_together_read_the_same(name: str, chain: str) -> None:
    applied = []
    try:
        for step in CHAINS[chain]:
            lines = VARIANTS[step](name)
            if lines is not None:
                _BASE[name] = lines
                applied.append(step)
        assert applied, f"no step of {chain} applies to {name}"
        assert _read(name, _BASE[name]) == _expected(name), applied
    finally:
        _BASE.pop(name, None)


_PUBLISHED_RE = re.compile(r"^((?:Report )?published:?)\s*(.+)$", re.I)


@pytest.mark.parametrize("name", SOURCES)
def test_a_publication_date_printed_numerically(name: str) -> None:
    lines = _lines(name)
    at = next((i for i, t in enumerate(lines[:FRONT]) if _PUBLISHED_RE.match(t)), None)
    if at is None:
        pytest.skip(f"{name} prints no publication date on its front page")
    doc = _doc(name)
    published = detect(doc).parse(doc).published
    assert published is not None
    lines[at] = f"{_PUBLISHED_RE.match(lines[at]).group(1)} {published:%d/%m/%Y}"
    pages = [line.page for line in doc.lines]
    variant = Document.from_texts(
        doc.path, doc.sha256, list(zip(lines, pages, strict=True)), doc.kind
    )
    assert detect(variant).parse(variant).published == published


def test_every_family_is_varied() -> None:
    families = {_expected(name)[0] for name in SOURCES}
    assert families == {"ilacs", "ilacs_visit", "sif", "lac2013", "slac", "cra_letter",
                        "area_send"}  # fmt: skip


def test_dates_across_a_new_year_printed_once() -> None:
    name = "camden-2022-06-21.pdf"
    lines = _set_dates(name, "29 December to 9 January 2022")
    assert _read(name, lines)[2:] == (date(2021, 12, 29), date(2022, 1, 9))
    lines = _set_dates(name, "29/12/2021 – 09/01/2022")
    assert _read(name, lines)[2:] == (date(2021, 12, 29), date(2022, 1, 9))


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize("name", [n for n in SOURCES if _dates_at(_lines(n)) is not None])
@pytest.mark.parametrize("printed", ["to be confirmed", "April 2022", "29 to 25 April 2022",
                                     "31/02/2022", ""])  # fmt: skip
def test_a_front_page_without_readable_dates_is_refused(name: str, printed: str) -> None:
    lines = _set_dates(name, printed)
    with pytest.raises(IngestError, match=r"^no inspection dates found on the front page of "):
        _read(name, lines)


@pytest.mark.parametrize("name", [n for n in SOURCES if _dates_at(_lines(n)) is not None])
def test_a_front_page_with_no_dates_line_is_refused(name: str) -> None:
    lines = _lines(name)
    del lines[_dates_at(lines)]
    with pytest.raises(IngestError, match=r"^no inspection dates found on the front page of "):
        _read(name, lines)


def test_a_visit_letter_without_dates_is_refused() -> None:
    name = "slough-focused-visit-2026-01-12.pdf"
    lines = [re.sub(r" on \d.*?\d{4}\.", ".", t) for t in _lines(name)]
    with pytest.raises(
        IngestError, match=r"^no visit dates found on the front page of the focused"
    ):
        _read(name, lines)


def test_an_ilacs_title_naming_no_authority_with_no_name_near_it_is_refused() -> None:
    name = "barnsley-2018-11-19.pdf"
    lines = _lines(name)
    del lines[_name_line_at(name, lines)]
    with pytest.raises(IngestError, match=r"^no local authority found on the front page of "):
        _read(name, lines)


# ---------------------------------------------------------------- the vocabularies


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("2 to 6 December 2019", ((2019, 12, 2), (2019, 12, 6))),
        ("29 April – 21 May 2014", ((2014, 4, 29), (2014, 5, 21))),
        ("2 June 2014 – 25 June 2014", ((2014, 6, 2), (2014, 6, 25))),
        ("30 December 2015 to 3 January 2016", ((2015, 12, 30), (2016, 1, 3))),
        ("12 to 16 September and 3 October 2016", ((2016, 9, 12), (2016, 10, 3))),
        ("12 to 16 September 2016, and 3 October 2016", ((2016, 9, 12), (2016, 10, 3))),
        ("12/09/2016", ((2016, 9, 12), (2016, 9, 12))),
        ("12.09.2016 - 16.09.2016", ((2016, 9, 12), (2016, 9, 16))),
        ("12/9/16 to 16/9/16", ((2016, 9, 12), (2016, 9, 16))),
        ("12th to 16th Sept. 2016", ((2016, 9, 12), (2016, 9, 16))),
        ("9 and 10 November 2010", ((2010, 11, 9), (2010, 11, 10))),
        ("6 and 7 February 2024, 4 inspectors", ((2024, 2, 6), (2024, 2, 7))),
        ("2 of 5: 3 to 6 May 2019", ((2019, 5, 3), (2019, 5, 6))),
    ],
)
def test_date_forms(printed: str, expected: tuple[tuple[int, ...], tuple[int, ...]]) -> None:
    assert front_page.read_dates(printed) == (date(*expected[0]), date(*expected[1]))


# How a range is printed: (start, end) -> text, each form Ofsted has used or may use
_PRINTED_RANGES: tuple[Callable[[date, date], str], ...] = (
    lambda s, e: f"{s.day} {s:%B %Y} to {e.day} {e:%B %Y}",
    lambda s, e: f"{s:%d/%m/%Y} – {e:%d/%m/%Y}",
    lambda s, e: f"{s.day}/{s.month}/{s.year}-{e.day}/{e.month}/{e.year}",
    lambda s, e: f"{_ordinal(s.day)} {s:%B} – {_ordinal(e.day)} {e:%B %Y}",
    lambda s, e: f"{s:%A} {s.day} {s:%b %Y} to {e:%A} {e.day} {e:%b %Y}",
    lambda s, e: (f"{s.day} to {e.day} {e:%B %Y}" if (s.month, s.year) == (e.month, e.year)
                  else f"{s.day} {s:%B} to {e.day} {e:%B %Y}"),
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    start=st.dates(min_value=date(2009, 1, 1), max_value=date(2030, 12, 31)),
    days=st.integers(min_value=0, max_value=40),
    form=st.sampled_from(range(len(_PRINTED_RANGES))),
    label=st.sampled_from(["Inspection dates:", "Inspection date:", "Dates of inspection:",
                           "Fieldwork dates"]),
)  # fmt: skip
def test_any_range_in_any_form_reads_back(start: date, days: int, form: int, label: str) -> None:
    end = start + timedelta(days=days)
    line = f"{label} {_PRINTED_RANGES[form](start, end)}"
    lines = Document.from_texts(Path("x.txt"), "0" * 64, [(line, 1), ("Lead inspector: A N Other", 1)],
                                "txt").lines  # fmt: skip
    assert front_page.labelled_dates(lines) == (start, end)


@pytest.mark.parametrize("printed", ["12 to 16 September", "3 May 2019 to 1 May 2019",
                                     "5 May to 3 April 2019", "31/02/2016", "13/13/2016",
                                     "September 2016", "no date"])  # fmt: skip
def test_date_forms_that_are_no_dates(printed: str) -> None:
    assert front_page.read_dates(printed) is None


@pytest.mark.parametrize(
    "label", ["Inspection dates:", "Inspection date", "Dates of inspection:", "Date of the inspection",
              "Fieldwork dates:", "Visit dates:", "**Inspection dates:**"],
)  # fmt: skip
def test_date_labels(label: str) -> None:
    assert front_page.is_dates_label(f"{label} 2 to 6 December 2019")


@pytest.mark.parametrize("text", ["Dates of previous inspection: 23 to 27 May 2016",
                                  "Date of last inspection: 2019", "Inspection outcome"])  # fmt: skip
def test_lines_that_are_no_date_labels(text: str) -> None:
    assert not front_page.is_dates_label(text)


@pytest.mark.parametrize("form", [*NAME_FORMS, "{} Council1", "The {} Council", "{}’s"])
def test_every_register_authority_resolves_from_its_printed_forms(form: str) -> None:
    """Every authority of the register, not only the corpus's: the name in each form
    resolves to the register's own name (a form that is itself an entry's name, as "Dorset
    County Council" is the county abolished in 2019, is that entry's)."""
    wrong = {}
    for authority in register():
        printed = form.format(authority)
        if printed in register() or authority.endswith("Council"):
            continue
        got = front_page.resolved_authority(printed)
        if got != authority:
            wrong[form.format(authority)] = got
    assert wrong == {}


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("City of London Corporation", "City of London"),
        ("City of London Council", "City of London"),
        ("Council of the Isles of Scilly", "Isles of Scilly"),
        ("City of Bradford Metropolitan District Council", "Bradford"),
        ("Herefordshire, County of", "Herefordshire"),
        ("Bristol City Council", "Bristol"),
        ("Surrey Safeguarding Children Board", "Surrey"),
        ("Sandwell Children's Trust", "Sandwell"),
        ("Brighton & Hove City Council", "Brighton and Hove"),
    ],
)
def test_authority_forms(printed: str, expected: str) -> None:
    assert front_page.resolved_authority(printed) == expected


def test_a_name_the_register_does_not_know_is_kept_for_ingest_to_refuse() -> None:
    assert front_page.resolved_authority("Achieving for Children") is None
    assert front_page.authority("Exampleshire Council") == "Exampleshire"
    assert front_page.authority(None, "  ") is None


def test_a_title_that_wraps_and_carries_a_footnote() -> None:
    form = re.compile(r"^Inspection of (?P<name>.+?) children's services$", re.I)
    lines = Document.from_texts(
        Path("x.txt"), "0" * 64,
        [("Inspection of Camden local", 1), ("authority children’s services1", 1)], "txt",
    ).lines  # fmt: skip
    title = front_page.find_title(lines, (form,), head=2)
    assert (title.start, title.end, title.name) == (0, 1, "Camden local authority")


_COVER = ["Ofsted", "raising standards improving lives"]
_LETTERHEAD = [f"Ofsted address line {n}" for n in range(1, 21)]  # a long letterhead


def _pushed(name: str, cover: bool) -> tuple[str, str, date | None, date | None]:
    """The report read with a cover page before it, or a letterhead of 20 lines above its
    title on its own first page."""
    doc = _doc(name)
    texts = [(t.text, t.page) for t in doc.lines]
    if cover:
        texts = [(t, 1) for t in _COVER] + [(t, p + 1) for t, p in texts]
    else:
        texts = [(t, texts[0][1]) for t in _LETTERHEAD] + texts
    variant = Document.from_texts(doc.path, doc.sha256, texts, doc.kind)
    family = detect(variant)
    insp = family.parse(variant).inspection
    return family.key, insp.authority, insp.start, insp.end


@pytest.mark.parametrize("cover", [True, False], ids=["cover-page", "letterhead"])
@pytest.mark.parametrize("name", _PDFS)
def test_a_title_pushed_down_the_front_page_is_found(name: str, cover: bool) -> None:
    """A cover page, or a letterhead above the title: the front page is the first page (the
    second, after a cover), not a fixed number of lines."""
    assert _pushed(name, cover) == _expected(name)
