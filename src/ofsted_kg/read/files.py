"""Read any supported file into a Document: PDF by its magic bytes, otherwise text."""

from __future__ import annotations

from pathlib import Path

from ofsted_kg.read.document import Document, IngestError

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
SUFFIXES = TEXT_SUFFIXES | {".pdf"}
# The longest report's text is a few hundred kilobytes; a text file many times that is not
# a report, and refusing it up front spares minutes of parsing.
MAX_TEXT_BYTES = 10_000_000


def read(path: Path) -> Document:
    try:
        size = path.stat().st_size
        if size > MAX_TEXT_BYTES:
            with path.open("rb") as f:
                if not f.read(1024).startswith(b"%PDF-"):
                    raise IngestError(
                        f"too large for a report's text ({size / 1e6:.1f} MB; "
                        f"the limit is {MAX_TEXT_BYTES / 1e6:.0f} MB)"
                    )
        data = path.read_bytes()
    except FileNotFoundError:
        raise IngestError("no such file") from None
    except IsADirectoryError:
        raise IngestError("is a directory") from None
    except PermissionError:
        raise IngestError("permission denied") from None
    except OSError as exc:
        raise IngestError(f"cannot read: {exc.strerror or exc}") from None
    head = data[:1024].lstrip().lower()
    if data.startswith(b"%PDF-") or path.suffix.lower() == ".pdf":
        if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
            raise IngestError("HTML page, not a PDF")
        from ofsted_kg.read.pdf import read_pdf

        return read_pdf(path, data)
    if head.startswith((b"<!doctype html", b"<html")):
        raise IngestError("HTML page, not a report")
    from ofsted_kg.read.text import read_text

    return read_text(path, data)
