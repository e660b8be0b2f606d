"""The reader's product: clean logical lines with their page numbers (no RDF here)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path


class IngestError(Exception):
    """A file that cannot be ingested; the message is the one-line reason shown to users."""


@dataclass(frozen=True)
class Line:
    """One logical line: a heading, a paragraph, a bullet item or a table row."""

    text: str
    page: int | None  # 1-based page where the line starts; None when the source has no pages
    start: int  # offset of the line in Document.text


@dataclass
class Document:
    path: Path
    sha256: str
    lines: list[Line]
    kind: str  # pdf | txt | md

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @classmethod
    def from_texts(
        cls, path: Path, sha256: str, texts: list[tuple[str, int | None]], kind: str
    ) -> Document:
        """Build a document from (text, page) pairs, computing each line's offset."""
        lines, offset = [], 0
        for text, page in texts:
            lines.append(Line(text, page, offset))
            offset += len(text) + 1
        return cls(path, sha256, lines, kind)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
