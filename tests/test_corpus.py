"""Facts come from the content only (renamed files give the same graph), on the bundled
fixtures; and over the shared corpus of real PDFs (marker ``corpus``, run with
OFSTED_KG_CORPUS=1): every family parsed, agreement with the reference CSV."""

from __future__ import annotations

import importlib.util
import shutil
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from fixture_pdfs import fixture_pdf

from helpers import ROOT, read_csv, shared
from ofsted_kg import api


def _reference_module():
    spec = importlib.util.spec_from_file_location(
        "reference_judgements", ROOT / "benchmarks" / "reference_judgements.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def comparison(corpus_store: api.Store) -> dict:
    reference = shared("corpus", "reference-judgements.csv")
    return _reference_module().compare(corpus_store, reference)


@pytest.mark.corpus
def test_every_reference_field_agrees(comparison: dict) -> None:
    tally = comparison["tally"]
    compared = Counter(column for column, _same in tally.elements())
    # the 32 ILACS inspections the reference graded: kind, lead inspector, dates, five grades
    for column in ("inspection_framework", "inspector_name", "inspection_start_date",
                   "inspection_end_date", "impact_of_leaders_grade", "in_care_grade"):  # fmt: skip
        assert compared[column] == 32, column
    assert comparison["disagreements"] == []
    # the one value the reference garbled ("to requires improvement"): the PDF prints
    # "Requires improvement to be good", and so does the graph
    assert [(r[0], r[3]) for r in comparison["unusable"]] == [
        ("nottingham-2019-01-07.pdf", "requires improvement")
    ]


@pytest.mark.corpus
def test_reports_the_reference_did_not_grade(comparison: dict) -> None:
    ungraded = {name: (fw, judgements) for name, fw, judgements in comparison["ungraded"]}
    assert len(ungraded) == 22
    frameworks = Counter(fw for fw, _ in ungraded.values())
    assert frameworks == {"framework-sif": 19, "framework-lac2013": 2, "framework-lscb": 1}
    for name, (framework, judgements) in ungraded.items():
        areas = {label for _fw, label, _grade in judgements}
        if framework == "framework-sif":
            assert {"Overall effectiveness", "Children who need help and protection",
                    "Leadership, management and governance"} <= areas, name  # fmt: skip
        elif framework == "framework-lac2013":
            assert len(areas) == 5, name
    # a SIF report with its LSCB review: the board's grade is a judgement about the board
    camden = ungraded["camden-2017-11-24.pdf"][1]
    assert ("framework-lscb", "The Local Safeguarding Children Board", "Outstanding") in camden
    # Isles of Scilly 2016: too few children for adoption and care-leaver judgements
    scilly = {label for _fw, label, _g in ungraded["isles-of-scilly-2016-06-27.pdf"][1]}
    assert "Adoption performance" not in scilly


@pytest.mark.corpus
def test_lscb_judgement_is_about_the_board(corpus_store: api.Store) -> None:
    rows = corpus_store.query("""
        PREFIX okg: <https://w3id.org/ofsted-kg/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?subject ?authority WHERE {
          ?j okg:area okg:area-lscb-effectiveness ; okg:judgementSubject ?s ;
             okg:judgementOf/okg:inspectionOf/rdfs:label ?authority .
          ?s a okg:SafeguardingBoard ; rdfs:label ?subject .
        }""")
    subjects = {r[0].value: r[1].value for r in rows}
    # 13 SIF reports reviewed the board, and Surrey's stand-alone review; the other six SIF
    # reports (Nov 2016 to May 2018) only mention their board (read in the PDFs)
    assert len(subjects) == 14, subjects
    assert all(s == f"{a} Safeguarding Children Board" for s, a in subjects.items()), subjects


@pytest.mark.corpus
def test_judgements_query_counts_per_framework(corpus_store: api.Store) -> None:
    rows = api.query("judgements", store=corpus_store).values()
    per_framework: dict[str, set] = defaultdict(set)
    for row in rows:
        per_framework[row["framework"]].add(row["report_sha256"])
    assert {fw: len(shas) for fw, shas in per_framework.items()} == {
        "Inspection of local authority children's services": 32,
        "Single inspection framework": 19,
        "Review of the local safeguarding children board": 14,
        "Inspection of local authority arrangements for looked after children": 2,
        "Inspection of safeguarding and looked after children services": 3,  # the seeds
    }


def test_facts_come_from_the_content_not_the_file_name(tmp_path: Path) -> None:
    # one bundled report of each PDF family, under meaningless names
    names = ["camden-2017-11-24", "norfolk-2013-08-16", "surrey-2015-08-03",
             "islington-2025-01-29", "slough-focused-visit-2026-01-12"]  # fmt: skip
    picks = [fixture_pdf(f"{name}.pdf") for name in names]
    renamed = tmp_path / "renamed"
    renamed.mkdir()
    for i, path in enumerate(picks):
        shutil.copy(path, renamed / f"document-{4 - i}.pdf")
    exports = []
    for name, paths in (("original", picks), ("renamed", sorted(renamed.iterdir()))):
        store = api.open_store(tmp_path / f"{name}-store")  # beside the PDFs, not among them
        assert api.ingest(paths, store, jobs=1).ok
        exports.append(api.export("nquads", store))
    assert exports[0] == exports[1]
    assert b"document-" not in exports[1] and b"camden-2017-11-24" not in exports[0]
    assert len(exports[0]) > 100_000


@pytest.mark.corpus
def test_reference_file_is_matched_by_sha(corpus_store: api.Store) -> None:
    reference = read_csv(shared("corpus", "reference-judgements.csv"))
    readable = {r["sha256"] for r in reference if r["readable"] == "yes"}
    stored = set(corpus_store.report_shas())
    assert readable <= stored
    unreadable = [r["file"] for r in reference if r["readable"] != "yes"]
    assert unreadable == ["birmingham-2012-10-19.pdf", "blackpool-2012-07-13.pdf"]


@pytest.mark.corpus
def test_one_agency_node_across_the_corpus(corpus_store: api.Store) -> None:
    rows = api.query("agency-mentions", store=corpus_store).values()
    authorities: dict[str, set] = defaultdict(set)
    for row in rows:
        authorities[row["agency"]].add(row["authority"])
    # spelling variants resolve to one node: "Barnsley Safeguarding Children's Board" (2014)
    # and "Camden's Local Safeguarding Children's Board" are their boards, not new agencies
    labels = {" ".join(name.lower().replace("'s", "").replace("local ", "").split())
              for name in authorities}  # fmt: skip
    assert len(labels) == len(authorities), sorted(authorities)
    # a one-word name as spelt in the data file counts: Cafcass, in the court work of most
    # reports since 2016 (not in Ofsted's standard closing paragraph, which names it too)
    assert 25 <= len(authorities["Cafcass"]) <= 40
    sha = {r["file"]: r["sha256"] for r in read_csv(shared("corpus", "reference-judgements.csv"))}
    barnsley = [r["mentions"] for r in rows
                if r["agency"] == "Cafcass" and r["report_sha256"] == sha["barnsley-2018-11-19.pdf"]]  # fmt: skip
    # paragraph 17 only: "... Service (Cafcass)" is one mention, and the closing paragraph
    # about Ofsted itself does not count
    assert barnsley == ["1"]
    assert {"Barnsley Safeguarding Children Board", "NSPCC", "Humberside Police"} <= set(
        authorities
    )
