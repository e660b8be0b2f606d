"""Read any supported file into a Document: PDF by its magic bytes, otherwise text."""

from __future__ import annotations

from pathlib import Path

from .document import Document, IngestError

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
SUFFIXES = TEXT_SUFFIXES | {".pdf"}


def read(path: Path) -> Document:
    try:
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
        from .read_pdf import read_pdf

        return read_pdf(path, data)
    if head.startswith((b"<!doctype html", b"<html")):
        raise IngestError("HTML page, not a report")
    from .read_text import read_text

    return read_text(path, data)
