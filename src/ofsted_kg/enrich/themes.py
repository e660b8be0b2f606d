"""Themes of findings: a transparent rule-based classifier (rules in data/themes.csv).

Each row of ``data/themes.csv`` is one rule:

- ``rule``: the rule's id, recorded with every theme it gives a finding
  (``okg:themeRule okg:rule-{id}`` in the graph);
- ``theme``: the key of the theme it tags (``okg:theme-{key}`` in ``ontology/concepts.ttl``);
- ``pattern``: a regular expression (case is ignored) that must match somewhere in the finding;
- ``context``: optional; another expression that must also match somewhere in the finding
  (e.g. "looked after" for the health of children in care);
- ``exclude``: optional; a match of ``pattern`` does not count when the sentence holding it
  also matches this (e.g. "oversight" in a sentence about a board's governance is not
  managers' oversight; "assessment" in one that names foster carers or adopters assesses
  them, not a child);
- ``passing``: optional; the phrases in which the word of ``pattern`` only names something in
  passing: a match of ``pattern`` lying wholly inside a match of this does not count, while
  another match in the same sentence still does (e.g. "assessment" in the name of an
  "assessment and intervention team", "plan" in "children with a child protection plan",
  which picks out children, not their plans);
- ``note``: what the rule is for.

Any expression may name a word class of ``data/theme-words.csv`` as ``<name>``: it stands
for that class's expression, in a group (e.g. ``<team>``, the nouns that make the words
before them a team's or a service's name; ``<group>``, the nouns for the children a phrase
picks out). The classes are grammar shared by the rules, not phrases of particular reports.

A finding gets a theme when any of the theme's rules fires, recorded with the first rule
(in file order) that fired. No scores, no model: the same text always gets the same tags.
Every expression is searched with RE2 sets (DFAs: one scan of the text per set, not one per
expression as ``re`` would need; benchmarks/README-themes.md); ``re``
looks sentence by sentence only where a pattern and its exclusion or its passing phrase are
both somewhere in the finding.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import re2

RULES_FILE = Path(__file__).parent / "data" / "themes.csv"
WORDS_FILE = Path(__file__).parent / "data" / "theme-words.csv"

_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=[A-Z(])")


@dataclass(frozen=True)
class Rule:
    id: str
    theme: str
    pattern: re.Pattern[str]
    context: re.Pattern[str] | None
    exclude: re.Pattern[str] | None
    note: str
    passing: re.Pattern[str] | None = None

    def fires(self, text: str) -> bool:
        """Whether the rule fires on ``text`` (any case, any white space)."""
        norm = " ".join(text.split())
        return self._fires(norm.lower(), lambda: _sentences(norm))

    def _fires(self, low: str, sentences: Callable[[], list[str]]) -> bool:
        if self.context is not None and not self.context.search(low):
            return False
        if not self.pattern.search(low):
            return False
        if (self.exclude is None or not self.exclude.search(low)) and (
            self.passing is None or not self.passing.search(low)
        ):
            return True
        return self._fires_in(sentences())

    def _fires_in(self, sentences: list[str]) -> bool:
        """Whether a sentence holds a match of ``pattern`` that its exclusion does not
        silence and that lies outside every passing phrase."""
        return any(
            self._counts_in(s)
            for s in sentences
            if self.pattern.search(s) and (self.exclude is None or not self.exclude.search(s))
        )

    def _counts_in(self, sentence: str) -> bool:
        """Whether ``pattern`` matches ``sentence`` outside every phrase of ``passing``."""
        if self.passing is None:
            return True
        spans = [m.span() for m in self.passing.finditer(sentence)]
        return any(
            not any(a <= m.start() and m.end() <= b for a, b in spans)
            for m in self.pattern.finditer(sentence)
        )


def _sentences(norm: str) -> list[str]:
    """The sentences of a normalised text, lower-cased."""
    return [s.lower() for s in _SENTENCE_END.split(norm)]


_WORD_CLASS = re.compile(r"<([a-z][a-z-]*)>")


@cache
def word_classes(path: Path = WORDS_FILE) -> dict[str, str]:
    """Word class name -> its expression, from ``data/theme-words.csv``."""
    with path.open(newline="", encoding="utf-8") as f:
        return {row["name"]: row["expression"] for row in csv.DictReader(f)}


def _expand(expr: str) -> str:
    """``expr`` with every ``<name>`` replaced by its word class, in a group of its own."""
    classes = word_classes()

    def one(m: re.Match[str]) -> str:
        if m.group(1) not in classes:
            raise ValueError(f"{WORDS_FILE}: no word class {m.group(1)!r} (used in {expr!r})")
        return f"(?:{classes[m.group(1)]})"

    return _WORD_CLASS.sub(one, expr)


def _compile(expr: str) -> re.Pattern[str] | None:
    """Compile a rule's expression to match lower-cased text: letters outside escapes are
    lower-cased (the same as ignoring case, which ``re`` does more slowly)."""
    if not expr.strip():
        return None
    expr = _expand(expr)
    out, i = [], 0
    while i < len(expr):
        if expr[i] == "\\":
            out.append(expr[i : i + 2])
            i += 2
        else:
            out.append(expr[i].lower())
            i += 1
    return re.compile("".join(out))


@cache
def rules(path: Path = RULES_FILE) -> tuple[Rule, ...]:
    """The rules of ``path``, in file order."""
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    out = []
    for row in rows:
        pattern = _compile(row["pattern"])
        if pattern is None:
            raise ValueError(f"{path}: rule {row['rule']!r} has no pattern")
        out.append(
            Rule(
                id=row["rule"],
                theme=row["theme"],
                pattern=pattern,
                context=_compile(row.get("context") or ""),
                exclude=_compile(row.get("exclude") or ""),
                note=row.get("note") or "",
                passing=_compile(row.get("passing") or ""),
            )
        )
    ids = [r.id for r in out]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{path}: rule ids are not unique")
    return tuple(out)


def themes() -> tuple[str, ...]:
    """Every theme key the rules can tag, in file order."""
    return tuple(dict.fromkeys(r.theme for r in rules()))


# An expression with a bounded gap (".{0,40}", "(?:\\w+\\W+){0,4}?") multiplies the states of
# an automaton it shares with others, and several such expressions together outgrow RE2's
# DFA memory, which then thrashes: each goes in a set of its own. Measured on the corpus
# findings (benchmarks/README-themes.md): with the passing phrases' 14 gapped expressions in
# one set, 4.2 s a pass over every finding; each in its own set, 0.25 s.
_GAP = re.compile(r"\{\d*,\d+\}|\.\*|\.\+")


@cache
def _scanners(path: Path = RULES_FILE) -> tuple[tuple[re2.Set, tuple[str, ...]], ...]:
    """RE2 sets of every rule's expressions, each with its expressions by index."""
    exprs = dict.fromkeys(
        expr.pattern
        for rule in rules(path)
        for expr in (rule.pattern, rule.context, rule.exclude, rule.passing)
        if expr is not None
    )
    groups = [[e for e in exprs if not _GAP.search(e)]] + [[e] for e in exprs if _GAP.search(e)]
    out = []
    for group in filter(None, groups):
        options = re2.Options()
        options.max_mem = 64 << 20  # room for the whole DFA: no rebuilding on long reports
        scanner = re2.Set.SearchSet(options)
        for expr in group:
            scanner.Add(expr)
        scanner.Compile()
        out.append((scanner, tuple(group)))
    return tuple(out)


def classify(text: str) -> tuple[tuple[str, str], ...]:
    """(theme key, rule id) for every theme a rule finds in ``text``, in rule-file order."""
    norm = " ".join(text.split())
    low = norm.lower()
    hits = {group[i] for scanner, group in _scanners() for i in scanner.Match(low) or ()}
    split: list[list[str]] = []

    def sentences() -> list[str]:
        if not split:
            split.append(_sentences(norm))
        return split[0]

    found: dict[str, str] = {}
    for rule in rules():
        if rule.theme in found or rule.pattern.pattern not in hits:
            continue
        if rule.context is not None and rule.context.pattern not in hits:
            continue
        quiet = all(e is None or e.pattern not in hits for e in (rule.exclude, rule.passing))
        if quiet or rule._fires_in(sentences()):  # pattern and context are in hits
            found[rule.theme] = rule.id
    return tuple(found.items())
