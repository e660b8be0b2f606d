"""Enrich a parsed Report: partner agencies named in the text and addressees of recommendations.

The alias knowledge lives in ``data/agencies.csv``; acronyms a report defines itself
("Camden Safeguarding Children Board (CSCB)") are learnt from that report.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

from ofsted_kg.model import Agency, Report

from .document import Document
from .themes import classify

_DATA = Path(__file__).parent / "data" / "agencies.csv"
_ACRONYM_AFTER = re.compile(r"\s*\(([A-Z]{2,6})\)")
_SUBJECT_END = re.compile(r"\s+(?:should|must|to ensure|to|are to|is to)\s")


def _norm(text: str) -> str:
    return " ".join(text.replace("&", "and").replace("’", "'").split())


def _alias_regex(alias: str) -> str:
    """An alias as a pattern that accepts '&' for 'and' and any run of spaces."""
    words = [r"(?:and|&)" if w == "and" else re.escape(w) for w in alias.split()]
    return r"\s+".join(words)


@lru_cache(maxsize=1)
def _rows() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    with _DATA.open(newline="", encoding="utf-8") as f:
        return tuple(
            (r["canonical_name"], r["kind"], tuple(a for a in r["aliases"].split("|") if a))
            for r in csv.DictReader(f)
        )


class AgencyIndex:
    """Finds agency mentions in text for one authority's report."""

    def __init__(self, authority: str) -> None:
        self.by_alias: dict[str, tuple[str, str]] = {}
        for name, kind, aliases in _rows():
            canonical = name.replace("{authority}", authority)
            for alias in (name, *aliases):
                self.add(alias.replace("{authority}", authority), canonical, kind)

    def add(self, alias: str, canonical: str, kind: str) -> None:
        self.by_alias[_norm(alias).lower()] = (canonical, kind)
        self._pattern = None

    @property
    def pattern(self) -> re.Pattern[str]:
        if getattr(self, "_pattern", None) is None:
            words = sorted(self.by_alias, key=len, reverse=True)
            self._pattern = re.compile(
                r"(?<![\w-])(" + "|".join(_alias_regex(w) for w in words) + r")(?![\w-])", re.I
            )
        return self._pattern  # type: ignore[return-value]

    def find(self, text: str) -> list[tuple[str, str, str]]:
        """(canonical name, kind, spelling) for each mention, in order."""
        out = []
        for m in self.pattern.finditer(text):
            spelling = m.group(1)
            if " " not in spelling and not spelling.isupper():
                continue  # an acronym counts only in capitals
            canonical, kind = self.by_alias[_norm(spelling).lower()]
            out.append((canonical, kind, spelling))
        return out

    def learn_acronyms(self, text: str) -> None:
        """'Camden Safeguarding Children Board (CSCB)' teaches CSCB for the rest of the report."""
        for m in self.pattern.finditer(text):
            after = _ACRONYM_AFTER.match(text, m.end())
            if after:
                canonical, kind = self.by_alias[_norm(m.group(1)).lower()]
                self.add(after.group(1), canonical, kind)


def enrich(report: Report, doc: Document) -> Report:
    index = AgencyIndex(report.authority)
    index.learn_acronyms(doc.text)
    agencies: dict[str, Agency] = {}
    for line in doc.lines:
        for name, kind, spelling in index.find(line.text):
            agency = agencies.setdefault(name, Agency(name, kind))
            agency.mentions += 1
            agency.spellings.add(spelling)
    for finding in report.findings:
        finding.themes = classify(finding.text)
        if finding.kind == "recommendation":
            finding.addressees = addressees(finding.text, index)
            for name in finding.addressees:
                agencies.setdefault(name, Agency(name, index.by_alias[_norm(name).lower()][1]))
    report.agencies = sorted(agencies.values(), key=lambda a: a.name)
    return report


def addressees(text: str, index: AgencyIndex) -> tuple[str, ...]:
    """Partner agencies named at the start of a recommendation; () when it is the authority's."""
    first = text.split(maxsplit=1)[0] if text.strip() else ""
    if first[:1].islower() and first.lower() != "the":
        return ()  # "ensure that …": addressed to the authority
    end = _SUBJECT_END.search(text)
    subject = text[: end.start()] if end else text
    names: list[str] = []
    for name, _kind, _spelling in index.find(subject):
        if name not in names:
            names.append(name)
    return tuple(names)
