"""The gold set (tests/gold/) is consistent with itself, with the ontology's schemes and with
the PDFs it was read from; the split follows the rule its README states."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from helpers import ROOT, read_csv, shared

GOLD = Path(__file__).resolve().parent
SEEDS = ROOT / "src" / "ofsted_kg" / "examples" / "seeds"
CONCEPTS = (ROOT / "ontology" / "concepts.ttl").read_text(encoding="utf-8")
HALVES = {"tune", "held-out"}


def _keys(prefix: str) -> set[str]:
    return set(re.findall(rf"^okg:{prefix}-([a-z-]+) a ", CONCEPTS, re.M))


KINDS = _keys("finding")
THEMES = _keys("theme")
LABELS = set(re.findall(r'skos:(?:prefLabel|altLabel) "([^"]+)"@en', CONCEPTS))


def split() -> list[dict[str, str]]:
    return read_csv(GOLD / "split.csv")


def findings() -> list[dict[str, str]]:
    return read_csv(GOLD / "findings.csv")


def reports() -> list[dict[str, str]]:
    return read_csv(GOLD / "reports.csv")


def source(name: str) -> Path:
    if name.startswith("seeds/"):
        return SEEDS / name.removeprefix("seeds/")
    return shared("corpus", "pdf", name)


def test_split_covers_every_file_once_with_its_digest():
    rows = split()
    names = [r["file"] for r in rows]
    assert len(names) == len(set(names))
    pdfs = sorted(p.name for p in shared("corpus", "pdf").glob("*.pdf"))
    seeds = sorted(f"seeds/{p.name}" for p in SEEDS.glob("*.txt"))
    assert sorted(names) == sorted(pdfs + seeds)
    for r in rows:
        assert hashlib.sha256(source(r["file"]).read_bytes()).hexdigest() == r["sha256"], r["file"]


def test_split_follows_the_stated_rule():
    # within a family, sha256 order, the first to held-out, then alternately
    by_family: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in split():
        assert r["half"] in HALVES
        by_family[r["family"]].append(r)
    for family, rows in by_family.items():
        rows.sort(key=lambda r: r["sha256"])
        want = ["held-out" if i % 2 == 0 else "tune" for i in range(len(rows))]
        assert [r["half"] for r in rows] == want, family


def test_findings_use_the_schemes_and_name_split_files():
    digests = {r["file"]: r["sha256"] for r in split()}
    rows = findings()
    assert len(rows) >= 400
    for r in rows:
        where = f"{r['file']} p{r['page']} {r['text_start']!r}"
        assert digests[r["file"]] == r["sha256"], where
        assert r["kind"] in KINDS, where
        assert not r["area"] or r["area"] in LABELS, where
        assert all(t in THEMES for t in r["themes"].split("|") if t), where
        assert r["text_start"].strip() and r["text_end"].strip(), where
        assert r["subject"] and r["addressee"], where
        assert r["paragraph"] == "" or r["paragraph"].isdigit(), where
        if r["file"].startswith("seeds/"):
            assert r["page"] == "", where  # the seeds are text without pages
        else:
            assert r["page"].isdigit() and int(r["page"]) >= 1, where


def test_gold_spans_the_families_and_both_halves_more_held_out():
    family = {r["file"]: (r["family"], r["half"]) for r in split()}
    rows = findings()
    files = {r["file"] for r in rows}
    assert len(files) >= 40
    families = {family[f][0] for f in files}
    assert families >= set(family[f][0] for f in family) - {"not-a-pdf"}
    halves = Counter(family[r["file"]][1] for r in rows)
    assert halves["held-out"] > halves["tune"] > 0


def test_every_gold_report_has_its_report_row():
    rows = reports()
    assert len({r["file"] for r in rows}) == len(rows)
    assert {r["file"] for r in findings()} == {r["file"] for r in rows}
    for r in rows:
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", r["start_date"]), r["file"]
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", r["end_date"]), r["file"]
        assert r["start_date"] <= r["end_date"], r["file"]
        assert r["recommendations"].isdigit(), r["file"]


def _norm(text: str) -> str:
    text = re.sub(r"[\u2018\u2019]", "'", text)
    text = re.sub(r"[\u201c\u201d]", '"', text)
    text = re.sub(r"-\s+", "-", text)
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.corpus
def test_every_finding_starts_and_ends_as_printed():
    """Each text_start is on the stated page and its text_end follows within three pages,
    read again from the PDF (poppler's pdftotext) or the seed text."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    sys.path.insert(0, str(GOLD))
    from pdf_blocks import blocks

    by_file: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in findings():
        by_file[r["file"]].append(r)
    for name, rows in by_file.items():
        pages: dict[int, list[str]] = defaultdict(list)
        for no, text in blocks(str(source(name))):
            pages[no].append(_norm(text))
        if not name.startswith("seeds/"):
            # a table's cells are interleaved in the layout text: the raw text reads them
            # column by column, so it is read too
            raw = subprocess.run(["pdftotext", "-raw", str(source(name)), "-"],
                                 capture_output=True, text=True, check=True).stdout  # fmt: skip
            for no, text in enumerate(raw.split("\f"), 1):
                pages[no].append(_norm(text))
        for r in rows:
            page = int(r["page"] or 1)
            here = " ".join(pages[page])
            after = " ".join(t for p in range(page, page + 4) for t in pages[p])
            start = _norm(r["text_start"])
            assert start in here, f"{name} p{page}: {start!r} not on the page"
            assert _norm(r["text_end"]) in after[after.index(start) :], (
                f"{name} p{page}: {r['text_end']!r} does not follow {start!r}"
            )
