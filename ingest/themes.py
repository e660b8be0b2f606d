"""Themes of findings: a transparent rule-based classifier (rules in data/themes.csv)."""

from __future__ import annotations


def classify(text: str) -> tuple[tuple[str, str], ...]:
    """(theme key, rule id) for every theme a rule finds in ``text``."""
    return ()
