"""Enrich a parsed Report: partner agencies named in the text, how each relates to the
authority, addressees of recommendations, and the themes of findings.

The alias knowledge lives in ``data/agencies.csv`` and the patterns that recognise other named
agencies in ``data/agency-patterns.csv``; acronyms a report defines itself ("Camden
Safeguarding Children Board (CSCB)") are learnt from that report.
"""

from __future__ import annotations

import bisect
import csv
import re
from functools import lru_cache
from pathlib import Path

import re2

from ofsted_kg.enrich.generic_agencies import meant, references
from ofsted_kg.enrich.themes import classify as classify_themes
from ofsted_kg.model import Agency, Relation, Report, Source
from ofsted_kg.parse.sections import classify
from ofsted_kg.read.document import Document, Line

_DATA = Path(__file__).parent / "data"
_ACRONYM_AFTER = re.compile(r"\s*\(([A-Z]{2,6})\)")
_SUBJECT_END = re.compile(r"\s+(?:should|must|to ensure|to|are to|is to)\s")
_WORD = re.compile(r"\w+")
_OPEN = re.compile(r"\s*\(")
_BOILERPLATE = re.compile(r"Ofsted produces this report\b")
_BACK_MATTER = re.compile(
    r"The Office for Standards in Education, Children's Services and Skills \(Ofsted\)"
    r" (?:regulates|is)\b|If you would like a copy of this document\b"
)
_WORD_OR_HYPHEN = re.compile(r"[\w-]")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_CONNECTORS = {"and", "&", "of", "upon", "on", "for"}
# Capitalised words that start sentences or describe, and are never part of an agency's name
_NOT_A_NAME = set(
    "The A An In At With From By Both Leaders Partners Staff Inspectors Senior Managers "
    "Children Health Services Local All This These Their Its Our When Where While However "
    "Although Most Some Many Further Together Also Strong Effective Good Work Working Recent "
    "New Joint Multi Including Such Other Each Key There Partnership Partnerships "
    # a role at an agency is not its name ("Chief Executive of Bolton NHS Foundation Trust")
    "Chief Executive Director Directors Head Chair Chairs Member Members Officer Officers "
    "Lead Leads Manager Managers Representatives "
    "January February March April May June July August September October November December".split()
)
# Words that end an organisation's name: an "and" after one joins two organisations
# ("the Council and Sandwell and West Birmingham Clinical Commissioning Group")
_ORGANISATION_END = set(
    "Authority Council Board Boards Partnership Service Services Team Teams Trust Trusts "
    "Group Groups Commission Police Constabulary Hospital Hospitals CCG CCGs ICB ICBs "
    "Agency Agencies Department Office".split()
)
# Cue words for relationships stated in one sentence (besides being mentioned at all)
_PROVIDES = re.compile(r"\bprovid(?:e|es|ed|ing|er|ers)\b|\bdeliver(?:s|ed|ing)?\b", re.I)
_COMMISSIONED = re.compile(r"\bcommission(?:ed|s|ing)?\b", re.I)
_BOARD_MEMBER = re.compile(
    r"\b(?:member(?:s|ship)?|represent(?:ed|ation|atives?)?|attend(?:s|ed|ance)?|sit(?:s)? on)\b",
    re.I,
)
_BOARD = re.compile(r"\b(?:board|partnership|LSCB)\b", re.I)
_HEALTH_KINDS = {"NHS trust", "NHS foundation trust"}
_PROVIDER_KINDS = _HEALTH_KINDS | {"voluntary organisation", "other"}
_COMMISSIONER_KINDS = {"primary care trust", "primary care trust cluster",
                       "clinical commissioning group", "integrated care board"}  # fmt: skip


def _norm(text: str) -> str:
    return " ".join(text.replace("&", "and").replace("\u2019", "'").split())


def _alias_regex(alias: str) -> str:
    """An alias as a pattern that accepts '&' for 'and' and any run of spaces."""
    words = [r"(?:and|&)" if w == "and" else re.escape(w).replace("'", "['\u2019]")
             for w in alias.split()]  # fmt: skip
    return r"\s+".join(words)


@lru_cache(maxsize=1)
def _rows() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    with (_DATA / "agencies.csv").open(newline="", encoding="utf-8") as f:
        return tuple(
            (r["canonical_name"], r["kind"], tuple(a for a in r["aliases"].split("|") if a))
            for r in csv.DictReader(f)
        )


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    with (_DATA / "agency-patterns.csv").open(newline="", encoding="utf-8") as f:
        return tuple((re.compile(rf"\b(?:{r['suffix']})\b"), r["kind"]) for r in csv.DictReader(f))


@lru_cache(maxsize=1)
def _any_suffix() -> re2._Regexp:
    """Every kind suffix in one RE2 pattern: a cheap test of whether a name pattern can match
    at all. RE2's \\b is ASCII-only, so it finds a suffix wherever ``re`` would (and a few
    more places); ``_named_by_pattern`` then matches with ``re``."""
    return re2.compile("|".join(f"(?:{p.pattern})" for p, _kind in _patterns()))


class AgencyIndex:
    """Finds agency mentions in the text of one authority's report.

    Names that do not depend on the authority are matched by one pattern compiled once per
    process; the authority's own bodies ("{authority} Safeguarding Children Board") and the
    acronyms a report defines by a small pattern of its own.
    """

    def __init__(self, authority: str) -> None:
        self.by_alias: dict[str, tuple[str, str]] = dict(_static_aliases())
        self.one_word: set[str] = set()  # single-word names as spelt in the data ("Cafcass")
        # acronyms seen only in brackets after the name: spellings, not further mentions
        self.defined: dict[str, set[str]] = {}
        self._local: list[str] = []
        self._firsts = set(_static_firsts())  # first words of every alias: a cheap pre-check
        self._pattern: re2._Regexp | None = None  # the local aliases, made when first needed
        self._pattern_made = False
        for name, kind, aliases in _rows():
            canonical = name.replace("{authority}", authority)
            for alias in (name, *aliases):
                if " " not in alias:
                    self.one_word.add(alias)
                if "{authority}" in name:
                    self.add(alias.replace("{authority}", authority), canonical, kind)

    def add(self, alias: str, canonical: str, kind: str) -> None:
        key = _norm(alias).lower()
        self.by_alias[key] = (canonical, kind)
        self._local.append(key)
        self._firsts.add(_first_word(key))
        self._pattern_made = False

    def _local_pattern(self) -> re2._Regexp | None:
        if not self._pattern_made:
            self._pattern, self._pattern_made = _alternation(self._local), True
        return self._pattern

    def _matches(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, spelling) of every alias, longest first where two overlap."""
        if self._firsts.isdisjoint(_WORD.findall(_norm(text).lower())):
            return []  # most lines name no agency: skip the big pattern
        found = _scan(text, self._local_pattern()) + _scan(text, _static_pattern())
        return _longest_first(found)

    def find(self, text: str) -> list[tuple[str, str, str, int]]:
        """(canonical name, kind, spelling, offset) for each mention, in order."""
        return self._mentions(text, self._matches(text))

    def find_lines(self, texts: list[str]) -> list[list[tuple[str, str, str, int]]]:
        """``learn_acronyms`` on the lines of a report, then ``find`` on each line, with the
        patterns run over the whole text once rather than once a line (a third of the time).
        A line that a match runs into from the line before, or on into the next, is searched
        on its own, so the result is the same as ``find`` line by line."""
        text = "\n".join(texts)
        static = _scan(text, _static_pattern())
        self._learn(text, _longest_first(static + _scan(text, self._local_pattern())))
        starts = [0]
        for line in texts[:-1]:
            starts.append(starts[-1] + len(line) + 1)
        by_line: list[list[tuple[int, int, str]]] = [[] for _ in texts]
        alone: set[int] = set()  # lines to search on their own
        for start, end, spelling in static + _scan(text, self._local_pattern()):
            k = bisect.bisect_right(starts, start) - 1
            if end > starts[k] + len(texts[k]):
                alone.update(range(k, bisect.bisect_right(starts, end)))
            else:
                by_line[k].append((start - starts[k], end - starts[k], spelling))
        named = {bisect.bisect_right(starts, m.start()) - 1 for m in _any_suffix().finditer(text)}
        return [
            self._mentions(
                line,
                self._matches(line) if k in alone else _longest_first(by_line[k]),
                k in named,
            )
            for k, line in enumerate(texts)
        ]

    def _mentions(
        self, text: str, matches: list[tuple[int, int, str]], may_name: bool = True
    ) -> list[tuple[str, str, str, int]]:
        """``find``'s answer from the alias matches in ``text``; ``may_name`` False when no
        kind suffix ("Police", "NHS Trust") is in the text, so no name pattern can match."""
        out, taken = [], []
        for start, end, spelling in matches:
            if " " not in spelling and not spelling.isupper() and spelling not in self.one_word:
                continue  # an acronym counts only in capitals, a one-word name as spelt
            canonical, kind = self.by_alias[_norm(spelling).lower()]
            taken.append((start, end))
            if out and out[-1][0] == canonical and _OPEN.fullmatch(text, taken[-2][1], start):
                self.defined.setdefault(canonical, set()).add(spelling)
                continue  # "Children and Family Court Advisory ... (Cafcass)": one mention
            out.append((canonical, kind, spelling, start))
        for name, kind, start, end in _named_by_pattern(text) if may_name else ():
            if not any(s < end and start < e for s, e in taken):
                canonical, kind = self.by_alias.get(_norm(name).lower(), (_norm(name), kind))
                out.append((canonical, kind, text[start:end], start))
        return sorted(out, key=lambda x: x[3])

    def learn_acronyms(self, text: str) -> None:
        """'Camden Safeguarding Children Board (CSCB)' teaches CSCB for the rest of the report."""
        self._learn(text, self._matches(text))

    def _learn(self, text: str, matches: list[tuple[int, int, str]]) -> None:
        for _start, end, spelling in matches:
            after = _ACRONYM_AFTER.match(text, end)
            if after:
                canonical, kind = self.by_alias[_norm(spelling).lower()]
                self.add(after.group(1), canonical, kind)


@lru_cache(maxsize=1)
def _static_aliases() -> dict[str, tuple[str, str]]:
    """Aliases of the agencies whose names do not depend on the authority."""
    return {_norm(alias).lower(): (name, kind) for name, kind, aliases in _rows()
            if "{authority}" not in name for alias in (name, *aliases)}  # fmt: skip


@lru_cache(maxsize=1)
def _static_firsts() -> frozenset[str]:
    return frozenset(_first_word(alias) for alias in _static_aliases())


def _first_word(alias: str) -> str:
    return _WORD.findall(alias)[0] if _WORD.findall(alias) else alias


@lru_cache(maxsize=1)
def _static_pattern() -> re2._Regexp | None:
    """The aliases of every agency not tied to the authority, for RE2: a DFA scans a line once
    where ``re`` tries hundreds of alternatives at every character."""
    return _alternation(list(_static_aliases()))


def _scan(text: str, pattern: re2._Regexp | None) -> list[tuple[int, int, str]]:
    """(start, end, spelling) of every alias the pattern finds in ``text``."""
    found = []
    for m in pattern.finditer(text) if pattern is not None else ():
        end = m.end(1)
        # RE2 has no lookaround: the (?![\w-]) after a name is checked here
        if end == len(text) or not _WORD_OR_HYPHEN.match(text, end):
            found.append((m.start(1), end, m.group(1)))
    return found


def _longest_first(found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The matches that do not overlap, the longer kept where two start together."""
    out: list[tuple[int, int, str]] = []
    for start, end, spelling in sorted(found, key=lambda f: (f[0], f[0] - f[1])):
        if not out or start >= out[-1][1]:
            out.append((start, end, spelling))
    return out


def _alternation(aliases: list[str]) -> re2._Regexp | None:
    """One RE2 pattern for the aliases, longest first; group 1 is the alias. RE2 has no
    lookbehind: the pattern takes the character before, and no lookahead: callers check
    the character after."""
    if not aliases:
        return None
    words = sorted(set(aliases), key=len, reverse=True)
    options = re2.Options()
    options.case_sensitive = False
    options.max_mem = 64 << 20
    alternatives = "|".join(_alias_regex(w) for w in words)
    return re2.compile(r"(?:^|[^\w-])(" + alternatives + ")", options)


def _named_by_pattern(text: str) -> list[tuple[str, str, int, int]]:
    """Agencies named as 'Place words + kind suffix', e.g. 'Humberside Police'."""
    out: list[tuple[str, str, int, int]] = []
    if not _any_suffix().search(text):
        return out
    for pattern, kind in _patterns():
        for m in pattern.finditer(text):
            words = text[: m.start()].split()
            name: list[str] = []
            while words and (words[-1][:1].isupper() or words[-1] in _CONNECTORS):
                word = words.pop()
                if (word.isupper() and len(word) <= 5 and word != "NHS") or word[-1] in ",.;:)":
                    break  # an acronym such as CSE describes; punctuation ends the name
                if word.endswith(("'s", "\u2019s", "s'", "s\u2019")):
                    break  # "the Board's", "partners'": the owner, not part of the name
                name.insert(0, word)
            for k in range(len(name) - 1, 0, -1):  # never across two organisations
                if name[k] in ("and", "&") and name[k - 1] in _ORGANISATION_END:
                    name = name[k + 1 :]
                    break
            while name and (name[0] in _CONNECTORS or name[0] in _NOT_A_NAME):
                name.pop(0)
            if not any(w[:1].isupper() and w != "NHS" for w in name):
                continue  # "the CCG", "the Local Safeguarding Children Board": no name
            start = text.rfind(name[0], 0, m.start())
            out.append((" ".join(name) + " " + m.group(0), kind, start, m.end()))
    return out


def enrich(report: Report, doc: Document) -> Report:
    index = AgencyIndex(report.authority)
    lines = _report_lines(doc)
    found = index.find_lines([line.text for _i, line in lines])
    agencies: dict[str, Agency] = {}
    named = [(name, kind) for mentions in found for name, kind, *_ in mentions]
    generic = meant(report.authority, report.inspection.start, named)
    for (i, line), mentions in zip(lines, found, strict=True):
        spans = [(off, off + len(spelling)) for _n, _k, spelling, off in mentions]
        resolved = [
            (generic[kind], kind, words, off)
            for kind, off, words in (references(line.text, spans) if generic else ())
            if kind in generic
        ]
        if not mentions and not resolved:
            continue
        source = classify(line, i).source()
        counted: set[str] = set()  # a mention is a paragraph (item, row) naming the agency
        for name, kind, spelling, _offset in mentions:
            agencies.setdefault(name, Agency(name, kind)).spellings.add(spelling)
        for name, kind, _words, _offset in mentions + resolved:
            agency = agencies.setdefault(name, Agency(name, kind))
            if name not in counted:
                counted.add(name)
                agency.mentions += 1
                report.relations.append(Relation(name, "mentioned", source))
        report.relations.extend(
            _stated_relations(line.text, mentions + resolved, report.authority, source)
        )
    for finding in report.findings:
        finding.themes = classify_themes(finding.text)
        if finding.kind == "recommendation":
            named = _addressed(finding.text, index)
            # a recommendation that names no one keeps the addressee its parser gave it (a
            # board review's recommendations ask the board to act), else it is the authority's
            finding.addressees = tuple(named) or finding.addressees
            for name, kind in named.items():
                agencies.setdefault(name, Agency(name, kind))
                report.relations.append(Relation(name, "addressee", finding.source))
    for name, spellings in index.defined.items():
        if name in agencies:
            agencies[name].spellings |= spellings
    if report.inspection.partners:
        _partnership(report, agencies)
    report.agencies = sorted(agencies.values(), key=lambda a: a.name)
    return report


# Words of an ICB's name that say what it is, not where it is; and a table's labels
_ICB_WORDS = {"nhs", "icb", "integrated", "care", "board", "the", "area", "and"}
_LABEL_WORDS = {"name", "of", "authority", "local", "lead", "executive", "chief", "officer"}
# The council's own words, where a name runs on from the council into its ICB's name
# ("Bolton Council and NHS Greater Manchester Integrated Care Board")
_COUNCIL_WORDS = {"council", "city", "county", "borough", "metropolitan", "of", "district"}


def _icb_places(name: str) -> set[str]:
    return {w for w in re.findall(r"[a-z&-]+", name.lower()) if w not in _ICB_WORDS}


def _partnership(report: Report, agencies: dict[str, Agency]) -> None:
    """An area SEND report's integrated care boards (the parser names them in full): each is
    a partner of the council; a shorter spelling the text uses for one of them ("North East
    Essex ICB") is that board, and a table's label read as a name ("Name of ICB") is none."""
    partners = {icb: _icb_places(icb) for icb in report.inspection.partners}
    for icb in partners:
        agencies.setdefault(icb, Agency(icb, "integrated care board"))
        report.relations.append(Relation(icb, "partnership-member", Source()))
    for name in [n for n, a in agencies.items() if a.kind == "integrated care board"]:
        if name in partners:
            continue
        places = _icb_places(name)
        council = _icb_places(report.authority) | _COUNCIL_WORDS
        same = [
            icb
            for icb, where in partners.items()
            if places and (places <= where or (where <= places and places - where <= council))
        ]
        if len(same) == 1 or not places or places <= _LABEL_WORDS:
            gone = agencies.pop(name)
            if len(same) == 1:
                agencies[same[0]].mentions += gone.mentions
                agencies[same[0]].spellings |= gone.spellings | {name}
            report.relations = [
                Relation(same[0], r.kind, r.source) if r.agency == name and len(same) == 1 else r
                for r in report.relations
                if r.agency != name or len(same) == 1
            ]
    for finding in report.findings:
        if finding.kind != "recommendation":
            for name in finding.addressees:
                if name in agencies:
                    report.relations.append(Relation(name, "addressee", finding.source))


def _report_lines(doc: Document) -> list[tuple[int, Line]]:
    """(index, line) of the report's own text: Ofsted's standard paragraphs about itself
    ("Ofsted produces this report ... and the review of the Local Safeguarding Children
    Board", "... inspects the Children and Family Court Advisory and Support Service
    (Cafcass)") name agencies that the inspection is not about."""
    out = []
    for i, line in enumerate(doc.lines):
        if _BACK_MATTER.match(line.text):
            break
        if not _BOILERPLATE.match(line.text):
            out.append((i, line))
    return out


def _stated_relations(text: str, mentions: list, authority: str, source) -> list[Relation]:  # noqa: ANN001
    """Relationships a sentence states: provides services, commissioned by, sits on the board."""
    out = []
    for sentence_start, sentence in _sentences(text):
        end = sentence_start + len(sentence)
        here = [(n, k) for n, k, _s, off in mentions if sentence_start <= off < end]
        for name, kind in dict.fromkeys(here):
            if kind in _HEALTH_KINDS and _PROVIDES.search(sentence):
                out.append(Relation(name, "provides-health-services", source))
            if kind in _PROVIDER_KINDS and _COMMISSIONED.search(sentence):
                out.append(Relation(name, "commissioned-by", source))
            if (kind != "local safeguarding children board" and _BOARD.search(sentence)
                    and _BOARD_MEMBER.search(sentence)):  # fmt: skip
                out.append(Relation(name, "board-member", source))
    return out


def _sentences(text: str) -> list[tuple[int, str]]:
    out, start = [], 0
    for part in _SENTENCE.split(text):
        start = text.find(part, start)
        out.append((start, part))
        start += len(part)
    return out


def addressees(text: str, index: AgencyIndex) -> tuple[str, ...]:
    """Partner agencies named at the start of a recommendation; () when it is the authority's."""
    return tuple(_addressed(text, index))


def _addressed(text: str, index: AgencyIndex) -> dict[str, str]:
    """{canonical name: kind} of the agencies a recommendation opens by naming."""
    first = text.split(maxsplit=1)[0] if text.strip() else ""
    if first[:1].islower() and first.lower() != "the":
        return {}  # "ensure that …": addressed to the authority
    end = _SUBJECT_END.search(text)
    subject = text[: end.start()] if end else text
    return {name: kind for name, kind, _spelling, _offset in index.find(subject)}
