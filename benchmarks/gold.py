"""Score a store against the hand-checked gold set (tests/gold/): precision and recall per field.

    ofsted-kg ingest --store /tmp/gold-store src/ofsted_kg/examples/seeds ../shared/corpus/pdf
    python benchmarks/gold.py --store /tmp/gold-store [--errors N]

Reads tests/gold/findings.csv, reports.csv and split.csv, asks the store (through
``api.solutions`` with the SPARQL below) for every finding and every inspection of the
reports in the gold set, and matches each gold finding to the stored finding of the same
report (same sha256) whose text starts with the gold ``text_start``, after normalising white
space, quotes, dashes and hyphens (several candidates: the one on the gold page and paragraph,
else the first). Then, per field, over the gold findings of each half and in all:

- TP: the gold field has a value and the matched stored finding has the same value;
- FP: the matched stored finding has a value and it is not the gold one (or gold has none);
- FN: the gold field has a value and it was not found (no match, no value or another value).

Precision is TP/(TP+FP), recall TP/(TP+FN). ``found`` (the start boundary) counts a gold
finding as TP when a stored finding starts with its text_start; ``end`` when that finding's
text also ends with text_end. ``themes`` counts theme keys, not findings: every key the
store gives a matched finding is a TP or an FP, every gold key a TP or an FN. ``addressee``
is scored on the kinds that have one (recommendations and the like), names compared loosely
(one contains the other). Report fields (authority, dates, judgements, number of
recommendations) are scored the same way per report, judgements as (area, grade) pairs.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import tempfile
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ofsted_kg import api
from ofsted_kg.store import open_store

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold"
HALVES = ("held-out", "tune")
ADDRESSED = {
    "recommendation",
    "what-needs-to-improve",
    "priority-action",
    "area-for-improvement",
    "area-for-development",
}
COUNTED = {
    "recommendation",
    "what-needs-to-improve",
    "area-for-improvement",
    "area-for-development",
}

PREFIXES = """PREFIX okg:  <https://w3id.org/ofsted-kg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

FINDINGS_RQ = (
    PREFIXES
    + """
SELECT ?sha ?finding ?kind ?area ?page ?paragraph ?section ?text ?addressee ?theme
WHERE {
  ?finding a okg:Finding ;
           okg:findingKind ?kind ;
           prov:wasDerivedFrom ?report ;
           okg:text ?text .
  ?report okg:sha256 ?sha .
  OPTIONAL { ?finding okg:aboutJudgement/okg:area/skos:prefLabel ?area }
  OPTIONAL { ?finding okg:page ?page }
  OPTIONAL { ?finding okg:paragraph ?paragraph }
  OPTIONAL { ?finding okg:sectionPath ?section }
  OPTIONAL { ?finding okg:addressee/rdfs:label ?addressee }
  OPTIONAL { ?finding okg:theme ?theme }
}
"""
)

REPORTS_RQ = (
    PREFIXES
    + """
SELECT ?sha ?authority ?start ?end ?area ?grade ?outcome
WHERE {
  ?report okg:sha256 ?sha ;
          okg:reportOf ?inspection .
  OPTIONAL { ?inspection okg:authorityLabel ?authority }
  OPTIONAL { ?inspection okg:startDate ?start }
  OPTIONAL { ?inspection okg:endDate ?end }
  OPTIONAL { ?inspection okg:outcome/skos:prefLabel ?outcome }
  OPTIONAL { ?judgement okg:judgementOf ?inspection ;
                        okg:area/skos:prefLabel ?area ;
                        okg:grade/skos:prefLabel ?grade }
}
"""
)


def norm(text: str) -> str:
    """Text compared as a reader would: one space, plain quotes, one kind of dash, no
    hyphen-space left by a line break, case folded."""
    t = unicodedata.normalize("NFKC", text)
    t = re.sub(r"[\u2018\u2019\u201b\u2032`]", "'", t)
    t = re.sub(r"[\u201c\u201d\u201f\u2033]", '"', t)
    t = re.sub(r"[\u2010-\u2015\u2212]", "-", t)
    t = re.sub(r"-\s+", "-", t)
    return re.sub(r"\s+", " ", t).strip().casefold()


def loose_name(name: str) -> str:
    t = norm(name)
    t = re.sub(r"\bintegrated care boards?\b", "icb", t)  # the gold writes the short form
    t = re.sub(
        r"\b(the|royal borough of|london borough of|borough|city|council|county|"
        r"metropolitan|local authority|children's services)\b",
        " ",
        t,
    )
    return re.sub(r"[^a-z0-9]+", " ", t).strip()


def same_name(a: str, b: str) -> bool:
    x, y = loose_name(a), loose_name(b)
    return bool(x and y) and (x == y or x in y or y in x)


def local(iri: str, prefix: str) -> str:
    name = iri.rsplit("#", 1)[-1]
    return name[len(prefix) :] if name.startswith(prefix) else name


@dataclass
class Stored:
    kind: str = ""
    area: str = ""
    page: str = ""
    paragraph: str = ""
    section: str = ""
    text: str = ""
    addressees: set[str] = field(default_factory=set)
    themes: set[str] = field(default_factory=set)


def _value(solution, name: str) -> str:
    term = solution[name]
    return "" if term is None else term.value


def _run(sparql: str, store) -> list:
    # api.solutions takes a query by name or .rq file: the script's own SPARQL goes through
    # a temporary file, so it is run exactly as a library query would be
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "gold.rq"
        path.write_text(sparql, encoding="utf-8")
        return list(api.solutions(str(path), store=store))


def stored_findings(store, shas: set[str]) -> dict[str, list[Stored]]:
    found: dict[str, dict[str, Stored]] = defaultdict(dict)
    for s in _run(FINDINGS_RQ, store):
        sha = _value(s, "sha")
        if sha not in shas:
            continue
        f = found[sha].setdefault(_value(s, "finding"), Stored())
        f.kind = local(_value(s, "kind"), "finding-")
        f.area = _value(s, "area") or f.area
        f.page = _value(s, "page")
        f.paragraph = _value(s, "paragraph")
        f.section = _value(s, "section")
        f.text = _value(s, "text")
        if _value(s, "addressee"):
            f.addressees.add(_value(s, "addressee"))
        if _value(s, "theme"):
            f.themes.add(local(_value(s, "theme"), "theme-"))
    return {sha: list(fs.values()) for sha, fs in found.items()}


def stored_reports(store, shas: set[str]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for s in _run(REPORTS_RQ, store):
        sha = _value(s, "sha")
        if sha not in shas:
            continue
        r = out.setdefault(
            sha, {"authority": set(), "start": set(), "end": set(), "judgements": set()}
        )
        for key in ("authority", "start", "end"):
            if _value(s, key):
                r[key].add(_value(s, key))
        if _value(s, "area"):
            r["judgements"].add((norm(_value(s, "area")), norm(_value(s, "grade"))))
        if _value(s, "outcome"):  # an area SEND inspection's outcome (it has no grades)
            r["judgements"].add(("inspection outcome", norm(_value(s, "outcome"))))
    return out


class Tally:
    def __init__(self) -> None:
        self.counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])

    def add(self, half: str, name: str, tp: int = 0, fp: int = 0, fn: int = 0) -> None:
        for h in (half, "all"):
            c = self.counts[(h, name)]
            c[0] += tp
            c[1] += fp
            c[2] += fn

    def field(self, half: str, name: str, gold: str, got: str | None, same=None) -> None:
        """One single-valued field: ``got`` None when the finding was not found."""
        same = same or (lambda a, b: a == b)
        ok = bool(gold) and got is not None and bool(got) and same(gold, got)
        self.add(
            half, name, tp=int(ok), fp=int(bool(got) and not ok), fn=int(bool(gold) and not ok)
        )

    def table(self, names: list[str], title: str) -> str:
        lines = [
            f"| {title} | " + " | ".join(f"{h} P | {h} R" for h in (*HALVES, "all")) + " |",
            "| --- |" + " ---: |" * (2 * (len(HALVES) + 1)),
        ]
        for name in names:
            cells = []
            for h in (*HALVES, "all"):
                tp, fp, fn = self.counts[(h, name)]
                cells.append(_ratio(tp, tp + fp))
                cells.append(_ratio(tp, tp + fn))
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
        return "\n".join(lines)


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f} ({a}/{b})" if b else "-"


def best_match(gold: dict, candidates: list[Stored]) -> Stored | None:
    start = norm(gold["text_start"])
    hits = [f for f in candidates if norm(f.text).startswith(start)]
    if not hits:
        return None
    for f in hits:
        if f.page == gold["page"] and f.paragraph == gold["paragraph"]:
            return f
    return hits[0]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--store", required=True, help="the store folder to score")
    ap.add_argument(
        "--gold", default=str(GOLD), help="folder of findings.csv, reports.csv, split.csv"
    )
    ap.add_argument(
        "--by-family",
        action="store_true",
        help="also a table of found, end, kind and area right per report family, both halves",
    )
    ap.add_argument(
        "--errors",
        type=int,
        default=0,
        metavar="N",
        help="also list up to N mismatches per field, tune half only",
    )
    args = ap.parse_args(argv)
    gold_dir = Path(args.gold)
    try:
        split_rows = list(csv.DictReader(open(gold_dir / "split.csv", encoding="utf-8")))
        split = {r["sha256"]: r["half"] for r in split_rows}
        family = {r["sha256"]: r["family"] for r in split_rows}
        golds = list(csv.DictReader(open(gold_dir / "findings.csv", encoding="utf-8")))
        reports = list(csv.DictReader(open(gold_dir / "reports.csv", encoding="utf-8")))
        store = open_store(args.store, read_only=True)
    except (OSError, ValueError) as exc:
        print(f"gold: {exc}", file=sys.stderr)
        return 1
    shas = {g["sha256"] for g in golds} | {r["sha256"] for r in reports}
    found = stored_findings(store, shas)
    tally = Tally()
    errors: dict[str, list[str]] = defaultdict(list)
    # per family: gold findings, found, end right, kind right, area right
    families: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for g in golds:
        half = split[g["sha256"]]
        f = best_match(g, found.get(g["sha256"], []))
        fam = families[family[g["sha256"]]]
        fam[0] += 1
        if f is not None:
            fam[1] += 1
            fam[2] += norm(f.text).endswith(norm(g["text_end"]))
            fam[3] += f.kind == g["kind"]
            fam[4] += f.area == g["area"]
        where = f"{g['file']} p{g['page']} para {g['paragraph'] or '-'}: {g['text_start']!r}"
        tally.field(half, "found (start)", "yes", "yes" if f else None)
        if f is None:
            for name in ("kind", "area", "page", "paragraph", "end", "section (lenient)"):
                tally.field(
                    half, name, "x" if name == "end" else g.get(name, "").split(" > ")[-1], None
                )
            if g["kind"] in ADDRESSED:
                tally.add(half, "addressee", fn=len([a for a in g["addressee"].split("|") if a]))
            tally.add(half, "themes", fn=len([t for t in g["themes"].split("|") if t]))
            if half == "tune":
                errors["found (start)"].append(where)
            continue
        checks = [
            ("kind", g["kind"], f.kind),
            ("area", g["area"], f.area),
            ("page", g["page"], f.page),
            ("paragraph", g["paragraph"], f.paragraph),
        ]
        for name, want, got in checks:
            tally.field(half, name, want, got)
            if want != got and half == "tune":
                errors[name].append(f"{where}: gold {want!r}, stored {got!r}")
        end_ok = norm(f.text).endswith(norm(g["text_end"]))
        tally.field(half, "end", "x", "x" if end_ok else "y")
        if not end_ok and half == "tune":
            errors["end"].append(
                f"{where}: gold ends {g['text_end']!r}, stored ends {f.text[-60:]!r}"
            )
        last = f.section.split(" > ")[-1] if f.section else ""
        tally.field(
            half,
            "section (lenient)",
            g["section"].split(" > ")[-1],
            last,
            lambda a, b: norm(a).startswith(norm(b)) or norm(b).startswith(norm(a)),
        )
        if g["kind"] in ADDRESSED:
            # several addressees may be stored: each one that is not the gold one is an FP
            wanted = [a for a in g["addressee"].split("|") if a]
            hits = sum(1 for w in wanted if any(same_name(w, a) for a in f.addressees))
            wrong = sum(1 for a in f.addressees if not any(same_name(w, a) for w in wanted))
            tally.add(half, "addressee", tp=hits, fp=wrong, fn=len(wanted) - hits)
            hit = hits == len(wanted)
            if not hit and half == "tune":
                errors["addressee"].append(
                    f"{where}: gold {g['addressee']!r}, stored {sorted(f.addressees)}"
                )
        want = {t for t in g["themes"].split("|") if t}
        tally.add(
            half,
            "themes",
            tp=len(want & f.themes),
            fp=len(f.themes - want),
            fn=len(want - f.themes),
        )
        if want != f.themes and half == "tune":
            errors["themes"].append(f"{where}: gold {sorted(want)}, stored {sorted(f.themes)}")

    rstore = stored_reports(store, {r["sha256"] for r in reports})
    counts = {sha: sum(1 for f in fs if f.kind in COUNTED) for sha, fs in found.items()}
    for r in reports:
        half = split[r["sha256"]]
        got = rstore.get(r["sha256"])
        if got is None:
            for name in ("authority", "start date", "end date", "recommendations"):
                tally.field(half, name, "x", None)
            tally.add(half, "judgements", fn=len([j for j in r["judgements"].split("|") if j]))
            continue
        auth = next(iter(sorted(got["authority"])), "")
        tally.field(half, "authority", r["authority"], auth, same_name)
        tally.field(half, "start date", r["start_date"], next(iter(sorted(got["start"])), ""))
        tally.field(half, "end date", r["end_date"], next(iter(sorted(got["end"])), ""))
        tally.field(half, "recommendations", r["recommendations"], str(counts.get(r["sha256"], 0)))
        want = {tuple(norm(x) for x in j.rsplit("=", 1)) for j in r["judgements"].split("|") if j}
        tally.add(
            half,
            "judgements",
            tp=len(want & got["judgements"]),
            fp=len(got["judgements"] - want),
            fn=len(want - got["judgements"]),
        )

    n = defaultdict(int)
    for g in golds:
        n[split[g["sha256"]]] += 1
    nr = defaultdict(int)
    for r in reports:
        nr[split[r["sha256"]]] += 1
    print(
        f"Gold findings: {len(golds)} ({', '.join(f'{h} {n[h]}' for h in HALVES)}) from "
        f"{len({g['sha256'] for g in golds})} reports; reports.csv rows: {len(reports)} "
        f"({', '.join(f'{h} {nr[h]}' for h in HALVES)}).\n"
    )
    print(
        tally.table(
            [
                "found (start)",
                "end",
                "kind",
                "area",
                "page",
                "paragraph",
                "section (lenient)",
                "addressee",
                "themes",
            ],
            "finding field",
        )
    )
    print()
    print(
        tally.table(
            ["authority", "start date", "end date", "judgements", "recommendations"], "report field"
        )
    )
    if args.by_family:
        print("\n| family | gold | found | end right | kind right | area right |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        for name, (total, *right) in sorted(families.items()):
            print(f"| {name} | {total} | " + " | ".join(_ratio(r, total) for r in right) + " |")
    for name, lines in errors.items():
        if args.errors:
            print(f"\n### {name} (tune)\n")
            for line in lines[: args.errors]:
                print(f"- {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
