"""Steps shared by the families whose reports carry a record of main findings and service
figures: the 2009-12 safeguarding and looked-after-children reports, LAC 2013 and SIF."""

from __future__ import annotations

from collections.abc import Hashable

from ofsted_kg.model import Judgement, Note, Report

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
