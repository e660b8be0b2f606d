"""What a report family is to the rest of the pipeline: a typed contract.

A family module (``parse/families/<name>.py``) ends with ``FAMILY = Family(...)``; the
registry (``parse/families/__init__.py``) finds every module of that folder, and detection
tries their ``detect`` in order of ``precedence``. Adding a family is one module, its
fixtures and its tests: nothing else names it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ofsted_kg.model import Report
from ofsted_kg.read.document import Document


@dataclass(frozen=True)
class Family:
    key: str  # what the parsed Report's ``family`` is, e.g. "sif"
    title: str  # the family, for people (error messages, docs)
    detect: Callable[[Document], bool]  # does this document belong to the family?
    parse: Callable[[Document], Report]  # the Report, or IngestError with a one-line reason
    # Lower is tried first: only where two families could both claim a document (a visit
    # letter quotes an inspection's title, so visits come before inspections).
    precedence: int
