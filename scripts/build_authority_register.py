"""Build src/ofsted_kg/parse/data/authorities.csv, the project's register of English local
authorities, from a CSV of the shape of ../shared/reference/local-authorities.csv (ONS
codes and names, Ofsted URNs, regions, types) and the hand-kept history and aliases in
src/ofsted_kg/parse/data/authority-history.csv and authority-aliases.csv.

    python scripts/build_authority_register.py ../shared/reference/local-authorities.csv

Run it when the reference or the hand-kept files change; the register it writes is the
file ingest reads (a data file, reviewed like code).
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "src" / "ofsted_kg" / "parse" / "data"
COLUMNS = ["name", "ons_name", "gss_code", "la_code", "ofsted_urn", "region", "type",
           "aliases", "succeeded_by", "abolished", "source"]  # fmt: skip
SOURCE = "ONS codes and names (2023), Ofsted URNs: local-authorities reference list"


def short_name(ons: str) -> str:
    """ONS's name as the reports print it: 'Bristol, City of' -> 'Bristol'."""
    name = re.sub(r",\s*(?:City|County) of$", "", ons.strip())
    return {"Bedford Borough": "Bedford", "County Durham": "Durham",
            "Kingston Upon Hull": "Kingston upon Hull"}.get(name, name)  # fmt: skip


def main(reference: Path) -> None:
    rows: dict[str, dict[str, str]] = {}
    with reference.open(newline="", encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            ons = r["local_authority_ons_name"].strip()
            name = short_name(ons)
            aliases = {a.strip() for a in r["also_known_as"].strip("[]").split(",") if a.strip()}
            aliases |= {r[c].strip() for c in ("ltla23nm", "utla23nm") if r.get(c, "").strip()}
            aliases |= {ons}
            if "Christchurch" in ons:  # the reference's comma-split of its own alias list
                aliases = {a for a in aliases if a not in ("Bournemouth", "Christchurch & Poole")}
                aliases.add("Bournemouth, Christchurch & Poole")
            rows[name] = {
                "name": name, "ons_name": ons, "gss_code": r["la_code_new"].strip(),
                "la_code": r["la_code"].strip(), "ofsted_urn": r["urn"].strip(),
                "region": r["region_name"].strip(), "type": r["ons_la_type"].strip(),
                "aliases": aliases - {name}, "succeeded_by": "", "abolished": "",
                "source": SOURCE,
            }  # fmt: skip
    with (DATA / "authority-history.csv").open(newline="", encoding="utf-8") as f:
        for h in csv.DictReader(f):
            row = rows.setdefault(h["name"], {
                "name": h["name"], "ons_name": h["name"], "gss_code": h["gss_code"],
                "la_code": h["la_code"], "ofsted_urn": "", "region": h["region"],
                "type": h["type"], "aliases": set(), "succeeded_by": "", "abolished": "",
                "source": h["source"],
            })  # fmt: skip
            row["succeeded_by"] = h["succeeded_by"]
            row["abolished"] = h["abolished"]
            if h["source"] not in row["source"]:
                row["source"] += f"; {h['source']}"
    with (DATA / "authority-aliases.csv").open(newline="", encoding="utf-8") as f:
        for a in csv.DictReader(f):
            rows[a["name"]]["aliases"].add(a["alias"])
    with (DATA / "authorities.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, COLUMNS, lineterminator="\n")
        w.writeheader()
        for name in sorted(rows):
            row = dict(rows[name])
            row["aliases"] = "|".join(sorted(row["aliases"]))
            w.writerow(row)
    print(f"wrote {DATA / 'authorities.csv'} ({len(rows)} authorities)")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
