"""queries/visits.rq and queries/area-send.rq over the corpus store: one row per letter or
report, with the columns the issue names, agreeing with the hand-checked references."""

from __future__ import annotations

import csv

import pytest

from helpers import shared
from ofsted_kg import api
from ofsted_kg.query.library import find_query

VISIT_COLUMNS = ["report_sha256", "authority", "gss_code", "visit_kind", "start", "end",
                 "lead_inspector", "inspectors", "focus", "what_needs_to_improve",
                 "priority_actions", "refers_to_start"]  # fmt: skip
SEND_COLUMNS = ["report_sha256", "authority", "gss_code", "icb", "start", "end",
                "previous_start", "outcome", "next_full_inspection", "monitoring_inspection",
                "priority_actions", "recommendations"]  # fmt: skip
# Oxigraph writes durations canonically: 18 months is P1Y6M
_DUE = {"five years": "P5Y", "three years": "P3Y", "18 months": "P1Y6M", "": ""}


def _rows(name: str, store: api.Store) -> dict[str, dict[str, str]]:
    return {r["report_sha256"]: r for r in api.query(name, {}, store).values()}


def _reference(name: str) -> list[dict[str, str]]:
    with shared("corpus", name).open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_the_queries_declare_the_columns_the_issue_names() -> None:
    assert find_query("visits").columns == VISIT_COLUMNS
    assert find_query("area-send").columns == SEND_COLUMNS


@pytest.mark.corpus
def test_visits_query_agrees_with_the_reference(corpus_store: api.Store) -> None:
    rows = _rows("visits", corpus_store)
    for ref in _reference("reference-visits.csv"):
        row = rows[ref["sha256"]]
        assert (row["start"], row["end"]) == (ref["visit_start"], ref["visit_end"]), ref["file"]
        assert row["lead_inspector"] == ref["lead_inspector"], ref["file"]
        assert row["inspectors"].split("; ")[0] == ref["lead_inspector"], ref["file"]
        assert sorted(row["inspectors"].split("; ")) == sorted(
            n.strip() for n in ref["inspectors"].split(";")), ref["file"]  # fmt: skip
        assert row["what_needs_to_improve"] == (ref["needs_to_improve_items"] or "0"), ref["file"]
        assert row["priority_actions"] == (ref["priority_action_items"] or "0"), ref["file"]


@pytest.mark.corpus
def test_area_send_query_agrees_with_the_reference(corpus_store: api.Store) -> None:
    rows = _rows("area-send", corpus_store)
    refs = _reference("reference-send.csv")
    assert len(rows) == len(refs) == 10
    for ref in refs:
        row = rows[ref["sha256"]]
        assert (row["authority"], row["start"], row["end"], row["outcome"]) == (
            ref["authority"], ref["inspection_start"], ref["inspection_end"], ref["outcome"]
        ), ref["file"]  # fmt: skip
        assert sorted(row["icb"].split("; ")) == sorted(ref["icb"].split("; ")), ref["file"]
        assert row["previous_start"] == ref["previous_inspection"], ref["file"]
        assert row["next_full_inspection"] == _DUE[ref["next_full_inspection"]], ref["file"]
        assert row["monitoring_inspection"] == _DUE[ref["monitoring_inspection"]], ref["file"]
        assert int(row["recommendations"]) >= 1, ref["file"]
        assert (int(row["priority_actions"]) > 0) == (ref["outcome"] == "systemic"), ref["file"]
