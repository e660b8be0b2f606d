"""Steps shared by the families whose reports carry a record of main findings and service
figures: the 2009-12 safeguarding and looked-after-children reports, LAC 2013 and SIF."""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import replace

from ofsted_kg.model import Judgement, Note, Report, Source, Statistic
from ofsted_kg.read.textutil import number

# The timescale headings of the 2009-13 "Areas for improvement" lists, as the concept keys
TIMESCALES = {
    "immediately": "immediately",
    "within three months": "three-months",
    "within 3 months": "three-months",
    "within six months": "six-months",
    "within 6 months": "six-months",
}


def reconcile(report: Report, found: dict[Hashable, Judgement], key: Hashable,
              table: Judgement, named: str) -> None:  # fmt: skip
    """A grade from the record of main findings (``table``): a judgement of its own where the
    body gave none; else the body's judgement is stated in both, with a data-quality note
    (naming the judgement as ``named``) where the two grades differ."""
    body = found.get(key)
    if body is None:
        found[key] = table
        return
    body.stated_in = ("body", "table")
    if body.grade != table.grade:
        report.notes.append(
            Note(
                f"The record of main findings grades {named} {table.grade}; "
                f"the body text grades it {body.grade}.",
                table.source,
                about_area=(table.service, table.area),
            )
        )


def statistic(report: Report, measure: str, m: re.Match[str] | None, source: Source) -> None:
    """Add the figure ``m`` found in the text at ``source``, unless ``measure`` already has one."""
    if m is None or any(s.measure == measure for s in report.statistics):
        return
    start = (source.start or 0) + m.start()
    span = replace(source, start=start, end=start + len(m.group(0)))
    value = next(g for g in m.groups() if g)
    report.statistics.append(Statistic(measure, number(value), m.group(0), span))
