"""Read plain-text and markdown conversions of reports into a Document.

Strips the conversion noise seen in the seeds (markdown headings and rules, ``**`` and
``<b>`` emphasis, links) and rejoins paragraphs that a page break split in two.
"""

from __future__ import annotations

import re
from pathlib import Path

from ofsted_kg.read.document import Document, IngestError, sha256_of
from ofsted_kg.read.textutil import BULLET_RE, SENTENCE_END, normalise

_NOISE = [
    (re.compile(r"</?b>", re.I), ""),
    (re.compile(r"\*\*"), ""),
    (re.compile(r"\[([^\]]+)\]\((?:[^)]+)\)"), r"\1"),  # [text](url)
    (re.compile(r"^#{1,6}\s*"), ""),
    (re.compile(r"^\s*>\s?"), ""),
]
_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,}|[-\t ]{3,}|\|?[-:| \t]{3,}\|?)\s*$")


def clean_line(raw: str) -> str:
    line = normalise(raw).rstrip()
    for pattern, repl in _NOISE:
        line = pattern.sub(repl, line)
    if "\t" in line:  # table row: keep cells tab-separated, trim each
        line = "\t".join(cell.strip() for cell in line.split("\t")).rstrip("\t")
    line = BULLET_RE.sub("- ", line, count=1)
    return line.strip()


def read_text(path: Path, data: bytes | None = None) -> Document:
    """Read a .txt or .md report; raise IngestError with a one-line reason when unreadable."""
    data = path.read_bytes() if data is None else data
    if not data.strip():
        raise IngestError("empty file")
    if b"\x00" in data[:65536]:
        raise IngestError("binary data, not text")
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise IngestError(f"not valid UTF-8 text (byte {exc.start})") from None
    texts: list[tuple[str, int | None]] = []
    # The logical line being built, as parts joined once at the end (joining a long run of
    # continuations one by one would be quadratic), and whether any part has a tab.
    parts: list[str] = []
    tab = False
    gap = False  # a blank line (often a page break) since the last kept line
    for raw_line in raw.splitlines():
        if _RULE.match(raw_line):
            gap = True
            continue
        line = clean_line(raw_line)
        if not line:
            gap = True
            continue
        if gap and parts and _continues(parts[0], parts[-1], tab, line):
            parts.append(line[2:] if line.startswith("- ") else line)
        else:
            if parts:
                texts.append((" ".join(parts), None))
            parts, tab = [line], False
        tab = tab or "\t" in line
        gap = False
    if parts:
        texts.append((" ".join(parts), None))
    kind = "md" if path.suffix.lower() in (".md", ".markdown") else "txt"
    return Document.from_texts(path, sha256_of(data), texts, kind)


def _continues(first: str, last: str, tab: bool, line: str) -> bool:
    """A page break split a paragraph: the next part starts in lower case mid-sentence.

    ``first`` and ``last`` are the first and last parts of the line so far, ``tab`` whether
    it holds a tab (a table row, never continued). A bullet after a bullet is a new item,
    since list items often lack a full stop.
    """
    if line.startswith("- ") and first.startswith("- "):
        return False
    body = line[2:] if line.startswith("- ") else line
    return bool(body) and body[0].islower() and not tab and not last.endswith(SENTENCE_END)
