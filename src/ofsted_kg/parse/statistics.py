"""The figures of a report's area information ("Service information", "About this area",
"Information about this local authority area"): one reader for every family that prints them.

A measure is a key of ``vocab.MEASURES`` (``okg:measure-{key}`` in ontology/concepts.ttl)
with its unit and the phrasings the reports use for it. A phrasing is a regular expression
with ``{N}`` where the figure stands; a space in it matches any white space.

Figures are printed in several ways, and text taken from a PDF adds some of its own:

- thousands grouped by a comma or by a space (also a no-break or thin space): "62,100",
  "62 100";
- a footnote marker glued to the figure: "56,2002" is 56,200 with note 2 (a group of
  thousands has exactly three digits, so the digits after a complete group are the marker),
  "56,200²" with a superscript;
- percentages ("25.5%") and rates per 10,000 children ("66 per 10,000 children");
- "no" for none: "no children were being looked after by the local authority".

A figure that cannot be true (a percentage above 100, a rate above 10,000 per 10,000, more
children than people) is not stored: the report gets a note saying what it printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from ofsted_kg.model import Note, Report, Source, Statistic

COUNT, PERCENT, RATE = "count", "percent", "per-10000"

# thousands separators: comma, space, no-break space, thin and narrow no-break spaces
_SEP = "[, \u00a0\u2009\u202f]"
_SUPERSCRIPTS = "\u00b9\u00b2\u00b3\u2070\u2074-\u2079"
# a grouped figure (its glued footnote marker outside the group), else plain digits
_NUMBER = (
    rf"(?<![\d.])(?P<n>\d{{1,3}}(?:{_SEP}\d{{3}})+(?!\d{{3}})(?:\.\d+)?|\d+(?:\.\d+)?|(?<!\w)no)"
    rf"(?:\d{{1,2}}(?!\d)|[{_SUPERSCRIPTS}]+)?"
    rf"(?!{_SEP}?\d)"  # the whole figure, never the first digits of a longer one
)
_RATE_TAIL = r" \((?:a rate of )?{N} per 10,?000"  # after the count it is the rate of


@dataclass(frozen=True)
class Measure:
    key: str
    unit: str  # COUNT, PERCENT or RATE
    phrasings: tuple[re.Pattern[str], ...]
    # a list's lead-in the figure must follow ("free school meals:" before "in primary
    # schools is 22%"), in the same text or the one before it
    lead: re.Pattern[str] | None = None


def _measure(key: str, unit: str, *phrasings: str, lead: str | None = None) -> Measure:
    compiled = []
    for p in phrasings:
        p = p.replace(" ", r"\s+").replace("{N}", _NUMBER)
        p = p.replace("{C}", _NUMBER.replace("(?P<n>", "(?:"))  # a figure not captured
        if unit == PERCENT:
            p = p.replace("{P}", _NUMBER + r"\s*(?:%|per\s*cent)")
        compiled.append(re.compile(p, re.I))
    return Measure(key, unit, tuple(compiled), re.compile(lead, re.I) if lead else None)


_APPROX = r"(?:approximately |around |about |an estimated |some |over )?"
_CHILDREN = r"children (?:and young people )?"
_UNDER_18 = r"(?:aged )?(?:under the age of 1[89]|under 1[89]\b|aged 0 ?(?:to|-|–) ?1[789]\b)"
_ON_A_PLAN = r"(?:were|who were|are) (?:the )?subjects? (?:of|to) (?:a )?child protection plans?"
_LOOKED_AFTER = r"(?:were|are) being looked after by the (?:local authority|council|LA)\b"
_POOR = r"(?:are |were )?(?:living|live) in (?:poverty|low[- ]income families)"
_WHOSE = r"(?:local authority[’']s |area[’']s |[\w\s]{1,20}[’']s )?"
_GROUPS = (
    r"(?:minority ethnic|black and minority ethnic|ethnic minority) "
    r"(?:groups|backgrounds|communities)"
)

# first phrasing that matches wins; a measure keeps the first figure it is given
MEASURES: tuple[Measure, ...] = (
    _measure(
        "children-in-area",
        COUNT,
        rf"population of {_APPROX}{{N}} children and young people",
        rf"{_APPROX}{{N}} {_CHILDREN}{_UNDER_18}",
    ),
    _measure(
        "total-population",
        COUNT,
        rf"(?:total|overall|resident) population (?:of|is|was) {_APPROX}{{N}}(?! children)",
        rf"has a population of {_APPROX}{{N}}(?! children| young)",
    ),
    _measure(
        "children-share-of-population",
        PERCENT,
        rf"(?:this|which) is {_APPROX}{{P}} of the (?:total |overall )?population",
    ),
    _measure(
        "children-in-poverty",
        PERCENT,
        # "10% of the local authority's children aged under 16 years are living in low-income
        # families" (the 2015-2018 SIF wording)
        rf"{{P}} of (?:the )?{_WHOSE}children (?:aged under 1[0-9](?: years)? )?{_POOR}",
    ),
    _measure(
        "free-school-meals-primary",
        PERCENT,
        r"in primary schools? (?:is|was) {P}",
        lead=r"free school meals",
    ),
    _measure(
        "free-school-meals-secondary",
        PERCENT,
        r"in secondary schools? (?:is|was) {P}",
        lead=r"free school meals",
    ),
    _measure(
        "minority-ethnic-children",
        PERCENT,
        rf"{_GROUPS} (?:account for|make up|represent) {{P}}",
    ),
    _measure(
        "children-in-need",
        COUNT,
        r"{N} children (?:had been|have been|were) identified through assessment as "
        r"(?:being )?(?:formally )?in need",
    ),
    _measure(
        "child-protection-plans",
        COUNT,
        rf"{{N}} {_CHILDREN}{_ON_A_PLAN}",
    ),
    _measure(
        "child-protection-plan-rate",
        RATE,
        rf"{{C}} {_CHILDREN}{_ON_A_PLAN}" + _RATE_TAIL,
    ),
    _measure(
        "private-fostering",
        COUNT,
        r"{N} children (?:lived|were living|live) in (?:a )?privately arranged fostering",
    ),
    _measure(
        "looked-after-children",
        COUNT,
        rf"{{N}} {_CHILDREN}{_LOOKED_AFTER}",
        r"{N} children and young people were being looked after",
        r"there were {N} (?:looked after children|children looked after)(?! placed)",
    ),
    _measure(
        "looked-after-rate",
        RATE,
        rf"{{C}} {_CHILDREN}{_LOOKED_AFTER}" + _RATE_TAIL,
    ),
    _measure(
        "care-leavers",
        COUNT,
        r"{N} care leavers",
        r"{N} with care leaver status",
        r"{N} young people over the age of 18 receiving support as care leavers",
    ),
    _measure(
        "foster-carers",
        COUNT,
        r"{N} households offering foster",
        r"{N} (?:in-house )?(?:fostering households|foster carers)",
    ),
)


UNITS = {m.key: m.unit for m in MEASURES}
# the largest plausible figure of each unit
_BOUNDS = {PERCENT: Decimal(100), RATE: Decimal(10000)}


def figure(text: str, unit: str = COUNT) -> int | Decimal:
    """The value of a printed figure (the ``n`` group of a phrasing), separators removed:
    an int for a count, a Decimal for a percentage or a rate."""
    if text.lower() == "no":  # "no children were being looked after"
        return 0 if unit == COUNT else Decimal(0)
    digits = re.sub(_SEP, "", text)
    if unit == COUNT:
        return int(Decimal(digits))
    return Decimal(digits)


class Reader:
    """Reads the figures of one report's area information, text by text (a list's items
    after their lead-in)."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.lead = ""  # the last text that ends with a colon: the lead-in of a list

    def read(self, text: str, source: Source) -> None:
        read(self.report, text, source, self.lead)
        stripped = text.strip()
        if stripped.endswith(":"):
            self.lead = stripped
        elif stripped[:1].isupper():  # a new item, not one of the list's
            self.lead = ""


def read(report: Report, text: str, source: Source, lead: str = "") -> None:
    """Add to ``report`` every figure of the vocabulary found in ``text`` (at ``source``)
    that it does not have yet; a figure that cannot be true becomes a note instead.
    ``lead`` is the lead-in of the list ``text`` is an item of, if any."""
    for measure in MEASURES:
        if any(s.measure == measure.key for s in report.statistics):
            continue
        m = next(
            (m for p in measure.phrasings for m in p.finditer(text) if _led(measure, m, lead)),
            None,
        )
        if m is None:
            continue
        start = (source.start or 0) + m.start()
        span = replace(source, start=start, end=start + len(m.group(0)))
        value = figure(m.group("n"), measure.unit)
        label = " ".join(m.group(0).split())
        bound = _BOUNDS.get(measure.unit)
        if bound is not None and value > bound:
            _implausible(report, f"{measure.key} of {value} ({measure.unit})", label, span)
            continue
        stat = Statistic(measure.key, value, label, span)
        if _more_children_than_people(report, stat):
            _implausible(report, f"{measure.key} of {value}, above the total population",
                         label, span)  # fmt: skip
            continue
        report.statistics.append(stat)


def _led(measure: Measure, m: re.Match[str], lead: str) -> bool:
    """Whether the figure ``m`` follows its measure's lead-in: the last colon before it
    (in its own text, else in the lead-in text) ends a phrase that names the measure."""
    if measure.lead is None:
        return True
    before = m.string[: m.start()]
    context = before if ":" in before else f"{lead} {before}"
    colon = context.rfind(":")
    return colon >= 0 and bool(measure.lead.search(context[max(0, colon - 90) : colon]))


def _more_children_than_people(report: Report, stat: Statistic) -> bool:
    pair = {"children-in-area", "total-population"}
    if stat.measure not in pair:
        return False
    other = next((s for s in report.statistics if s.measure in pair - {stat.measure}), None)
    if other is None:
        return False
    children, total = (stat, other) if stat.measure == "children-in-area" else (other, stat)
    return children.value > total.value


def _implausible(report: Report, what: str, label: str, source: Source) -> None:
    report.notes.append(
        Note(
            f"The area information gives {what}, which cannot be true; not stored: '{label}'.",
            source,
        )  # fmt: skip
    )
