"""The recommendations query on the seeds reproduces ../shared/expected/seed-recommendations.csv."""

from __future__ import annotations

from collections import Counter

from helpers import read_csv, shared
from ofsted_kg import api

COLUMNS = "report_sha256,authority,service,timescale,addressee,text"


def _canonical_names() -> dict[str, str]:
    """Every spelling in seed-agencies.csv -> its canonical name."""
    out = {}
    for row in read_csv(shared("expected", "seed-agencies.csv")):
        for spelling in [row["canonical_name"], *row["spellings_in_text"].split(";")]:
            out[spelling.strip()] = row["canonical_name"]
    return out


def test_columns(seed_store: api.Store) -> None:
    assert ",".join(api.query("recommendations", store=seed_store).columns) == COLUMNS


def test_all_41_with_service_timescale_and_addressee(seed_store: api.Store, seed_sha) -> None:
    expected = read_csv(shared("expected", "seed-recommendations.csv"))
    canonical = _canonical_names()
    rows = api.query("recommendations", store=seed_store).values()
    assert len(rows) == 41

    def addressee(names: str, authority: str) -> frozenset[str]:
        if not names:
            return frozenset({authority})
        return frozenset(canonical.get(n.strip(), n.strip()) for n in names.split(";"))

    want = Counter(
        (
            seed_sha[e["seed_file"]],
            e["authority"],
            e["service"],
            e["timescale"],
            e["text_start"],
            addressee(e["addressed_to_partner"], e["authority"]),
        )
        for e in expected
    )
    got = Counter(
        (
            r["report_sha256"],
            r["authority"],
            r["service"],
            r["timescale"],
            r["text"][: len("ensure that the duty and assessment teams consistently take ")],
            addressee(r["addressee"] if r["addressee"] != r["authority"] else "", r["authority"]),
        )
        for r in rows
    )
    assert got == want


def test_seven_are_addressed_to_partner_agencies(seed_store: api.Store) -> None:
    rows = api.query("recommendations", store=seed_store).values()
    partner = [r for r in rows if r["addressee"] != r["authority"]]
    assert len(partner) == 7


def test_a_recommendation_keeps_its_paragraph_and_section(seed_store: api.Store) -> None:
    rows = list(
        seed_store.query(
            """PREFIX okg: <https://w3id.org/ofsted-kg/ontology#>
            SELECT DISTINCT ?para ?path WHERE {
              ?r a okg:Recommendation ; okg:paragraph ?para ; okg:sectionPath ?path ;
                 okg:text ?t . FILTER(STRSTARTS(?t, "ensure that the impact of the CAF")) }"""
        )
    )
    assert [(int(r["para"].value), r["path"].value) for r in rows] == [
        (23, "Safeguarding services > Capacity for improvement > Areas for improvement")
    ]
