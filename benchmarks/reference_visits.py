"""Visit letters against the hand-checked reference (../shared/corpus/reference-visits.csv).

    python benchmarks/reference_visits.py [--corpus ../shared/corpus] [--files a.pdf,b.pdf]

Each focused-visit PDF is parsed (read, detect, parse, enrich: no store) and every field
of the reference compared: authority, visit start and end, lead inspector, all inspectors,
the number of "what needs to improve" items, whether it names areas for priority action and
how many. Prints agreement per field and every disagreement.
"""

from __future__ import annotations

import argparse
import unicodedata
from collections import Counter
from pathlib import Path

from reference_table import agreement, reference_rows

from ofsted_kg.enrich.pipeline import parse_file
from ofsted_kg.read.document import IngestError

ROOT = Path(__file__).resolve().parents[1]
FIELDS = ("readable", "authority", "visit_start", "visit_end", "lead_inspector", "inspectors",
          "needs_to_improve_items", "priority_action", "priority_action_items")  # fmt: skip


def _name(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(text.lower().replace("&", "and").replace(",", " ").split())


def found_fields(path: Path) -> dict[str, str]:
    try:
        report = parse_file(path)
    except IngestError as exc:
        return {"readable": f"refused: {exc}"}
    insp = report.inspection
    kinds = Counter(f.kind for f in report.findings)
    lead = [n for n, role in report.inspectors if role == "lead"]
    return {
        "readable": "yes",
        "authority": _name(insp.authority),
        "visit_start": insp.start.isoformat() if insp.start else "",
        "visit_end": insp.end.isoformat() if insp.end else "",
        "lead_inspector": _name(lead[0]) if lead else "",
        "inspectors": "; ".join(sorted(_name(n) for n, _ in report.inspectors)),
        "needs_to_improve_items": str(kinds["what-needs-to-improve"] or ""),
        "priority_action": "yes" if kinds["priority-action"] else "no",
        "priority_action_items": str(kinds["priority-action"] or ""),
    }


def expected_fields(row: dict[str, str]) -> dict[str, str]:
    return {
        "readable": row["readable"],
        "authority": _name(row["authority"]),
        "visit_start": row["visit_start"],
        "visit_end": row["visit_end"],
        "lead_inspector": _name(row["lead_inspector"]),
        "inspectors": "; ".join(
            sorted(_name(n) for n in row["inspectors"].split(";") if n.strip())
        ),
        "needs_to_improve_items": row["needs_to_improve_items"],
        "priority_action": row["priority_action"],
        "priority_action_items": row["priority_action_items"],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--files", default="", help="comma-separated file names (default: all)")
    ap.add_argument("--half", choices=("tune", "held-out"),
                    help="only the files of that half of tests/gold/split.csv")  # fmt: skip
    args = ap.parse_args()
    rows = reference_rows(args.corpus / "reference-visits.csv", args.half)
    if args.files:
        rows = [r for r in rows if r["file"] in set(args.files.split(","))]
    return agreement(rows, FIELDS, lambda r: found_fields(args.corpus / "pdf" / r["file"]),
                     expected_fields)  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
