"""A reading aid for building the gold set, independent of ofsted_kg: it prints a PDF's
text (from poppler's ``pdftotext -layout``) as numbered blocks with their page, so a person
can read each one against the page and write down what it is. It decides nothing: the
kind, section, area, addressee and themes in findings.csv were written by hand, and every
boundary was checked against the page text (and the page image where layout was unclear).

    python tests/gold/pdf_blocks.py REPORT.pdf > blocks.txt
"""

import re
import subprocess
import sys
from collections import Counter

NUMBERED = re.compile(r"^\s{0,3}(\d{1,3})\.\s+(\S.*)$")
BULLET = re.compile(r"^\s*[◼•▪■●\ue000-\uf8ff–-]\s+(\S.*)$")


def pages(path: str) -> list[list[str]]:
    if path.endswith(".txt"):
        text = open(path, encoding="utf-8").read()
    else:
        text = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True,
                              text=True, check=True).stdout  # fmt: skip
    return [p.split("\n") for p in text.split("\f")]


def _key(line: str) -> str:
    return re.sub(r"\s+\d+\s*$", "", line.strip())


def blocks(path: str) -> list[tuple[int, str]]:
    pgs = pages(path)
    seen = Counter(k for p in pgs for k in {_key(x) for x in p if x.strip()})
    running = {k for k, n in seen.items() if n >= max(3, len(pgs) // 3)}
    out: list[tuple[int, list[str]]] = []
    for no, lines in enumerate(pgs, 1):
        cur: list[str] = []
        for line in lines + [""]:
            s = line.strip()
            if s and (_key(line) in running or s.isdigit()):
                continue
            starts = bool(NUMBERED.match(line) or BULLET.match(line))
            if not s or (starts and cur):
                if cur:
                    out.append((no, cur))
                cur = [s] if s else []
            else:
                cur.append(s)
    return [(no, _join(b)) for no, b in out]


def _join(lines: list[str]) -> str:
    # a line ending in a hyphen is a compound broken at the line end ("multi-" / "agency")
    text = ""
    for line in lines:
        text += line if not text or text.endswith("-") else " " + line
    return text


if __name__ == "__main__":
    for i, (no, text) in enumerate(blocks(sys.argv[1])):
        print(f"[{i}] p{no} {text}")
