"""Recognising grades and judgement headings as printed across eras."""

from __future__ import annotations

import re

# The grade words of both scales, as a regular-expression alternation
GRADE_WORDS = r"outstanding|good|adequate|inadequate|requires improvement(?: to be good)?"
# The 2013 scale (SIF and ILACS) as printed in sentences and tables: "require improvement"
# after a plural subject, any white space between the words, and "not judged"
SCALE_2013_WORDS = (
    r"outstanding|good|inadequate|requires?\s+improvement(?:\s+to\s+be\s+good)?|not\s+judged"
)
# "Grade 2 (Good)", "Grade 1 (outstanding)", "2 (Good)", "Good"
GRADE_LINE_RE = re.compile(rf"^(?:grade\s*)?(?:([1-4])\s*)?\(?\s*({GRADE_WORDS})\s*\)?\.?$", re.I)
# a heading with its grade glued on: "Economic well-beingGrade 2 (Good)"
HEADING_WITH_GRADE_RE = re.compile(
    rf"^(.*?\S)\s*(grade\s*[1-4]\s*\(\s*(?:{GRADE_WORDS})\s*\))$", re.I
)

CANONICAL = {
    "outstanding": "Outstanding",
    "good": "Good",
    "adequate": "Adequate",
    "inadequate": "Inadequate",
    "requires improvement": "Requires improvement to be good",
    "requires improvement to be good": "Requires improvement to be good",
}


def parse_grade(text: str) -> str | None:
    """The grade named by a grade cell or line, in its canonical capitalisation."""
    m = GRADE_LINE_RE.match(text.strip())
    return CANONICAL[" ".join(m.group(2).lower().split())] if m else None


def split_heading_grade(text: str) -> tuple[str, str] | None:
    """'Economic well-beingGrade 2 (Good)' -> ('Economic well-being', 'Good')."""
    m = HEADING_WITH_GRADE_RE.match(text.strip())
    if not m:
        return None
    grade = parse_grade(m.group(2))
    return (m.group(1).strip(), grade) if grade else None
