"""Area SEND reports against the reference read by hand (../shared/corpus/reference-send.csv).

    python benchmarks/reference_send.py [--corpus ../shared/corpus] [--half tune|held-out]

Each report is parsed (read, detect, parse, enrich: no store) and every field of the
reference compared: authority, inspection start and end, the previous inspection's start
and end (or none), the outcome, the integrated care board(s), when the next full and any
monitoring inspection are due. Prints agreement per field and every disagreement.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from reference_table import agreement, reference_rows

from ofsted_kg.enrich.pipeline import parse_file
from ofsted_kg.read.document import IngestError

ROOT = Path(__file__).resolve().parents[1]
FIELDS = ("readable", "authority", "inspection_start", "inspection_end", "previous_inspection",
          "previous_inspection_end", "outcome", "icb", "next_full_inspection",
          "monitoring_inspection")  # fmt: skip
_WORDS = {"1": "one", "2": "two", "3": "three", "4": "four", "5": "five", "6": "six"}


def _due(duration: str | None) -> str:
    """'P3Y' -> 'three years', 'P18M' -> '18 months' (the reference's words)."""
    if not duration:
        return ""
    m = re.fullmatch(r"P(\d+)([YM])", duration)
    if not m:
        return duration
    number, unit = m.groups()
    word = _WORDS.get(number, number) if unit == "Y" else number
    return f"{word} {'years' if unit == 'Y' else 'months'}"


def found_fields(path: Path) -> dict[str, str]:
    try:
        report = parse_file(path)
    except IngestError as exc:
        return {"readable": f"refused: {exc}"}
    insp = report.inspection
    previous = report.earlier[0] if report.earlier else None
    return {
        "readable": "yes",
        "authority": insp.authority,
        "inspection_start": insp.start.isoformat() if insp.start else "",
        "inspection_end": insp.end.isoformat() if insp.end else "",
        "previous_inspection": previous.start.isoformat()
        if previous and previous.start
        else ("none" if insp.no_previous else ""),
        "previous_inspection_end": previous.end.isoformat() if previous and previous.end else "",
        "outcome": insp.outcome or "",
        "icb": "; ".join(insp.partners),
        "next_full_inspection": _due(insp.next_full_within),
        "monitoring_inspection": _due(insp.monitoring_within),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--half", choices=("tune", "held-out"),
                    help="only the files of that half of tests/gold/split.csv")  # fmt: skip
    args = ap.parse_args()
    rows = reference_rows(args.corpus / "reference-send.csv", args.half)
    return agreement(rows, FIELDS, lambda r: found_fields(args.corpus / "pdf" / r["file"]),
                     lambda r: {k: r[k] for k in FIELDS})  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
