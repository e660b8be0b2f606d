"""Theme classifier against the hand labels: precision and recall per theme.

    python benchmarks/themes.py [--shared ../shared] [--errors]
    python benchmarks/themes.py --speed     # classifier speed, cold and warm

Reads tests/data/theme-labels.csv (one row per hand-labelled finding: the set it belongs to,
``tune`` or ``heldout``, the report file, the SHA-256 of the finding's text with runs of
white space made single spaces, an excerpt, and the themes), finds each finding again by
parsing its report (seeds from the package, the rest from ``<shared>/corpus/pdf``), takes
the themes the pipeline tagged it with, and prints markdown tables for
benchmarks/README-themes.md: per theme on all labels, then overall on the tune and held-out
sets. ``--errors`` also lists every false positive and false negative of the tune set (the
held-out set is left alone so that it stays an honest check). ``--speed`` times the
classifier over every finding text of the seeds and corpus, twice in a process that has not
classified anything yet: the first pass includes building RE2's lazy DFA.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import multiprocessing as mp
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ofsted_kg import api
from ofsted_kg.enrich.themes import classify, rules
from ofsted_kg.enrich.themes import themes as theme_keys
from ofsted_kg.resources import example_reports

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "tests" / "data" / "theme-labels.csv"


@dataclass
class Labelled:
    set: str
    file: str
    kind: str
    sha256: str
    excerpt: str
    gold: frozenset[str]
    predicted: frozenset[str] = frozenset()
    rules: tuple[tuple[str, str], ...] = ()


def norm(text: str) -> str:
    return " ".join(text.split())


def sha(text: str) -> str:
    return hashlib.sha256(norm(text).encode()).hexdigest()


def read_labels(path: Path = LABELS) -> list[Labelled]:
    with path.open(newline="", encoding="utf-8") as f:
        return [
            Labelled(
                set=row["set"],
                file=row["file"],
                kind=row["kind"],
                sha256=row["finding_sha256"],
                excerpt=row["excerpt"],
                gold=frozenset(t for t in row["themes"].split(";") if t),
            )
            for row in csv.DictReader(f)
        ]


def report_path(file: str, shared: Path) -> Path:
    if file.startswith("seeds/"):
        by_name = {p.name: p for p in example_reports()}
        return by_name[file.removeprefix("seeds/")]
    return shared / file


@cache
def _findings(path: Path) -> dict[str, tuple[tuple[str, str], ...]]:
    """sha256 of the normalised text -> themes tagged by the pipeline, for one report."""
    return {sha(f.text): f.themes for f in api.load(path).findings}


def locate(label: Labelled, shared: Path) -> tuple[tuple[str, str], ...] | None:
    """The theme tags of the labelled finding, or None when the report no longer yields it.

    Matched by the SHA-256 of its text, else by its excerpt (the start of its text).
    """
    path = report_path(label.file, shared)
    found = _findings(path)
    if label.sha256 in found:
        return found[label.sha256]
    for f in api.load(path).findings:
        if norm(f.text).startswith(label.excerpt):
            return f.themes
    return None


def score(labels: list[Labelled], theme: str | None = None) -> tuple[int, int, int]:
    """(true positives, false positives, false negatives) for one theme or all (micro)."""
    tp = fp = fn = 0
    for lab in labels:
        gold = lab.gold if theme is None else lab.gold & {theme}
        pred = lab.predicted if theme is None else lab.predicted & {theme}
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
    return tp, fp, fn


def pr(tp: int, fp: int, fn: int) -> tuple[float | None, float | None]:
    """Precision and recall; None where undefined (nothing predicted, nothing labelled)."""
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    return precision, recall


def evaluate(shared: Path) -> tuple[list[Labelled], list[Labelled]]:
    """(labels located and classified, labels whose finding was not found)."""
    located, missing = [], []
    for lab in read_labels():
        path = report_path(lab.file, shared)
        if not path.exists():
            missing.append(lab)
            continue
        tags = locate(lab, shared)
        if tags is None:
            missing.append(lab)
            continue
        lab.rules = tags
        lab.predicted = frozenset(t for t, _ in tags)
        located.append(lab)
    return located, missing


def _f(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.2f}"


def table(located: list[Labelled]) -> str:
    tune = [lab for lab in located if lab.set == "tune"]
    held = [lab for lab in located if lab.set == "heldout"]
    lines = [
        "| Theme | Positives (all) | Precision (all) | Recall (all) "
        "| Positives (held-out) | Precision (held-out) | Recall (held-out) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for theme in theme_keys():
        row = [theme]
        for subset in (located, held):
            tp, fp, fn = score(subset, theme)
            p, r = pr(tp, fp, fn)
            row += [str(tp + fn), _f(p), _f(r)]
        lines.append("| " + " | ".join(row) + " |")
    lines += [
        "",
        "| Set | Findings | Theme labels | Precision (micro) | Recall (micro) |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, subset in (("tune", tune), ("held-out", held), ("all", located)):
        tp, fp, fn = score(subset)
        p, r = pr(tp, fp, fn)
        lines.append(f"| {name} | {len(subset)} | {tp + fn} | {_f(p)} | {_f(r)} |")
    return "\n".join(lines)


def errors(located: list[Labelled]) -> str:
    out = []
    for lab in located:
        if lab.set != "tune" or lab.gold == lab.predicted:
            continue
        fp = sorted(lab.predicted - lab.gold)
        fn = sorted(lab.gold - lab.predicted)
        fired = ", ".join(f"{t}<-{r}" for t, r in lab.rules if t in fp)
        out.append(f"- {lab.file} {lab.excerpt[:60]!r}: FP {fp} ({fired}) FN {fn}")
    return "\n".join(out)


def _texts(path: Path) -> list[str]:
    try:
        return [f.text for f in api.load(path).findings]
    except Exception:  # noqa: BLE001  (an unreadable corpus file has no findings)
        return []


def speed(shared: Path) -> str:
    """Two passes of the classifier over every finding text, in milliseconds."""
    paths = sorted(example_reports()) + api.expand([shared / "corpus" / "pdf"])
    with ProcessPoolExecutor(mp_context=mp.get_context("spawn")) as pool:
        texts = [t for found in pool.map(_texts, paths) for t in found]  # parsed elsewhere
    passes = []
    for _ in range(2):
        start = time.perf_counter()
        for text in texts:
            classify(text)
        passes.append((time.perf_counter() - start) * 1000)
    each = passes[1] * 1000 / len(texts)
    return (f"{len(texts)} finding texts: first pass {passes[0]:,.0f} ms, "
            f"second pass {passes[1]:,.0f} ms ({each:.0f} µs a text)")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--errors", action="store_true", help="list the tune set's errors")
    ap.add_argument("--speed", action="store_true", help="time the classifier instead")
    args = ap.parse_args(argv)
    if args.speed:
        print(speed(args.shared))
        return 0
    located, missing = evaluate(args.shared)
    counts = Counter(lab.set for lab in located)
    print(
        f"{len(located)} labelled findings located ({counts['tune']} tune, "
        f"{counts['heldout']} held-out), {len(missing)} not found; {len(rules())} rules\n"
    )
    print(table(located))
    for lab in missing:
        print(f"not found: {lab.file} {lab.excerpt[:60]!r}", file=sys.stderr)
    if args.errors:
        print("\nTune-set errors:\n" + errors(located))
    return 0


if __name__ == "__main__":
    sys.exit(main())
