"""Compare the judgements the knowledge graph holds with the shared reference CSV.

    python benchmarks/reference_judgements.py [--store DIR] [--reference CSV] [--details]

The store must hold the corpus PDFs (``ofsted-kg ingest --store DIR ../shared/corpus/pdf``).
Grades come from the library query ``judgements`` (what ``ofsted-kg query judgements --format
csv`` prints); inspection kind, dates and lead inspector from a small query below. Rows are
matched by sha256. The reference is an existing scraper's output, with known failures
(``data_unreadable``, blanks): a field is compared only where the reference has a value.
Prints the agreement per field, every disagreement, and the judgements extracted from the
reports where the reference has no grades.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

from ofsted_kg import api

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT.parent / "shared" / "corpus" / "reference-judgements.csv"

# reference column -> the judgement-area concepts (local names) that answer it
GRADE_COLUMNS = {
    "overall_effectiveness_grade": ("area-overall-effectiveness",),
    "impact_of_leaders_grade": ("area-impact-of-leaders",),
    "help_and_protection_grade": ("area-ilacs-help-and-protection",),
    "in_care_grade": (
        "area-ilacs-children-in-care",
        "area-ilacs-children-in-care-and-care-leavers",
    ),
    "care_leavers_grade": ("area-ilacs-care-leavers",),
}
NOT_A_GRADE = {"", "data_unreadable", "inspection_pre_dates_judgement"}
GRADES = {"outstanding", "good", "requires improvement", "inadequate"}

_FACTS = """
PREFIX okg: <https://w3id.org/ofsted-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?sha ?framework ?kind ?start ?end ?lead WHERE {
  ?report a okg:Report ; okg:sha256 ?sha ; okg:reportOf ?inspection .
  ?inspection okg:framework ?framework .
  OPTIONAL { ?inspection okg:inspectionKind/rdfs:label ?kind }
  OPTIONAL { ?inspection okg:startDate ?start }
  OPTIONAL { ?inspection okg:endDate ?end }
  OPTIONAL { ?inspection okg:leadInspector/rdfs:label ?lead }
}
"""

_GRADES = """
PREFIX okg: <https://w3id.org/ofsted-kg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT DISTINCT ?sha ?framework ?area ?label ?grade WHERE {
  ?report a okg:Report ; okg:sha256 ?sha ; okg:reportOf ?inspection .
  ?inspection okg:framework ?framework .
  ?judgement okg:judgementOf ?inspection ; prov:wasDerivedFrom ?report ;
             okg:areaLabel ?label ; okg:gradeLabel ?grade .
  OPTIONAL { ?judgement okg:area ?area }
}
"""


def _local(iri: str | None) -> str:
    return (iri or "").rsplit("#", 1)[-1]


def _grade(text: str) -> str:
    text = " ".join(text.lower().split())
    return "requires improvement" if text.startswith("requires improvement") else text


def _iso(dmy: str) -> str:
    d, m, y = dmy.split("/")
    return date(int(y), int(m), int(d)).isoformat()


def compare(store: api.Store, reference: Path) -> dict:
    facts: dict[str, dict] = {}
    for row in store.query(_FACTS):
        sha, framework, kind, start, end, lead = (t.value if t else None for t in row)
        if _local(framework) in ("framework-lscb",) and sha in facts:
            continue  # a SIF report's LSCB review: the SIF inspection is the one compared
        facts[sha] = {"framework": _local(framework), "kind": kind, "start": start,
                      "end": end, "lead": lead}  # fmt: skip
    grades: dict[str, dict[str, str]] = defaultdict(dict)
    extracted: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for row in store.query(_GRADES):
        sha, framework, area, label, grade = (t.value if t else None for t in row)
        grades[sha][_local(area)] = grade
        extracted[sha].append((_local(framework), label, grade))
    with reference.open(newline="", encoding="utf-8") as f:
        ref_rows = [r for r in csv.DictReader(f) if r["readable"] == "yes"]
    tally: Counter = Counter()
    disagreements, ungraded, unusable = [], [], []
    for ref in ref_rows:
        sha, name = ref["sha256"], ref["file"]
        if sha not in facts:
            disagreements.append((name, "report", "in the reference", "not ingested"))
            continue
        mine = facts[sha]
        has_grades = any(ref[c] not in NOT_A_GRADE for c in GRADE_COLUMNS)
        if not has_grades:
            ungraded.append((name, mine["framework"], extracted.get(sha, [])))
        pairs = [
            (
                "inspection_framework",
                ref["inspection_framework"],
                (mine["kind"] or "").lower().removesuffix(" inspection"),
            ),
            ("inspector_name", ref["inspector_name"], mine["lead"] or ""),
            (
                "inspection_start_date",
                ref["inspection_start_date"] and _iso(ref["inspection_start_date"]),
                str(mine["start"] or ""),
            ),  # noqa: E501
            (
                "inspection_end_date",
                ref["inspection_end_date"] and _iso(ref["inspection_end_date"]),
                str(mine["end"] or ""),
            ),  # noqa: E501
        ]
        for column, areas in GRADE_COLUMNS.items():
            value = ref[column]
            found = next((grades[sha][a] for a in areas if a in grades[sha]), "")
            if value == "inspection_pre_dates_judgement":
                pairs.append((column, "(none)", "(none)" if not found else _grade(found)))
            elif value in GRADES:
                pairs.append((column, value, _grade(found) if found else "(none)"))
            elif value not in NOT_A_GRADE:  # garbled by the scraper: read the PDF instead
                unusable.append((name, column, value, _grade(found) if found else "(none)"))
        for column, theirs, ours in pairs:
            if not theirs:
                continue
            same = " ".join(theirs.lower().replace("-", " ").split()) == " ".join(
                ours.lower().replace("-", " ").split()
            )
            tally[column, same] += 1
            if not same:
                disagreements.append((name, column, theirs, ours))
    return {"tally": tally, "disagreements": disagreements, "ungraded": ungraded,
            "unusable": unusable,
            "reports": len(ref_rows)}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default=".ofsted-kg/store")
    parser.add_argument("--reference", type=Path, default=REFERENCE)
    parser.add_argument("--details", action="store_true", help="list every extracted judgement")
    args = parser.parse_args(argv)
    store = api.open_store(args.store, read_only=True)
    out = compare(store, args.reference)
    tally = out["tally"]
    print(f"readable reports in the reference: {out['reports']}\n")
    print("| field | compared | agree | disagree |\n|---|---:|---:|---:|")
    columns = dict.fromkeys(c for c, _ in tally)
    for column in columns:
        agree, differ = tally[column, True], tally[column, False]
        print(f"| {column} | {agree + differ} | {agree} | {differ} |")
    total_agree = sum(n for (_, same), n in tally.items() if same)
    total = sum(tally.values())
    print(f"| all | {total} | {total_agree} | {total - total_agree} |\n")
    print("Disagreements (file, field, reference, knowledge graph):")
    for row in out["disagreements"]:
        print("  " + " | ".join(row))
    print("\nReference values that are not a grade (file, field, reference, knowledge graph):")
    for row in out["unusable"]:
        print("  " + " | ".join(row))
    print(f"\nReports where the reference has no grades: {len(out['ungraded'])}")
    by_framework: Counter = Counter()
    for name, framework, judgements in out["ungraded"]:
        by_framework[framework] += 1
        print(f"  {name} ({framework}): {len(judgements)} judgements")
        if args.details:
            for fw, label, grade in sorted(judgements):
                print(f"      {fw}: {label} = {grade}")
    total_j = sum(len(j) for _, _, j in out["ungraded"])
    print(f"  total judgements extracted: {total_j}; reports by framework: {dict(by_framework)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
