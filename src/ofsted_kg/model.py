"""Plain dataclasses that parsers produce and the emitter consumes (no RDF here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Source:
    """Where a fact was read: page, printed paragraph number, section path, span in the text."""

    page: int | None = None
    paragraph: int | None = None
    section: tuple[str, ...] = ()
    start: int | None = None
    end: int | None = None


@dataclass
class Judgement:
    """A graded judgement as printed: ``area`` and ``grade`` keep the report's own wording."""

    service: str | None
    area: str
    grade: str
    source: Source
    stated_in: tuple[str, ...] = ("body",)  # where the report states it: body, table, headline
    # None: the judgement is about the authority; otherwise the name of the partner agency
    subject_agency: str | None = None


@dataclass
class Finding:
    """A statement of the report: recommendation, strength, main finding and so on."""

    kind: str  # a key of vocab.FINDING_KINDS
    text: str
    source: Source
    service: str | None = None
    area: str | None = None
    timescale: str | None = None  # a key of vocab.TIMESCALES, for recommendations
    # partner agencies named as addressee, the authority's own name, or PARTNERSHIP; for a
    # recommendation or another ask (what needs to improve, a priority action) () means the
    # authority
    addressees: tuple[str, ...] = ()
    themes: tuple[tuple[str, str], ...] = ()  # (theme key, id of the rule that tagged it)
    # the inspection the finding belongs to when it is not the report's own: a review the
    # report carries (the SIF's review of the LSCB), whose judgement its area names
    review: Inspection | None = None


@dataclass
class Statistic:
    """A figure from the service-information section, e.g. 267 looked after children."""

    measure: str  # a key of vocab.MEASURES
    value: int | Decimal  # a count is an int; a percentage or a rate per 10,000 a Decimal
    label: str  # the words around the figure, as printed
    source: Source


@dataclass
class Inspection:
    """An inspection or visit: the one a report is about, or an earlier one it refers to."""

    framework: str  # a key of vocab.FRAMEWORKS
    authority: str  # the authority's short name ("Camden")
    kind: str = "full"  # a key of vocab.INSPECTION_KINDS
    start: date | None = None
    end: date | None = None
    month: str | None = None  # "2022-04" when only the month is known (earlier inspections)
    judgements: list[Judgement] = field(default_factory=list)
    # areas this inspection's framework deliberately leaves ungraded, e.g. "Overall
    # effectiveness" in ILACS reports from April 2026: absence recorded, never invented
    not_judged: list[str] = field(default_factory=list)
    # Area SEND inspections: the outcome (a key of vocab.OUTCOMES), when the next full and any
    # monitoring inspection are due (ISO 8601 durations as the report states them: "P3Y"), the
    # integrated care boards that are the council's partners in the local area partnership,
    # the inspectorates that inspected with Ofsted, and a stated absence of any previous one
    focus: tuple[str, ...] = ()  # what a visit looked at: keys of vocab.VISIT_FOCUSES
    outcome: str | None = None
    next_full_within: str | None = None
    monitoring_within: str | None = None
    partners: tuple[str, ...] = ()
    co_inspectorates: tuple[str, ...] = ()
    no_previous: bool = False


# The addressee of a finding that asks a local area partnership as a whole to act
PARTNERSHIP = "local area partnership"


@dataclass
class Note:
    """A data-quality note: something in the report that does not add up."""

    text: str
    source: Source
    about_area: tuple[str | None, str] | None = None  # (service, area) of a judgement


@dataclass
class Agency:
    """A partner agency a report names: canonical name, kind, and how often and how it is spelt."""

    name: str
    kind: str  # a key of vocab.AGENCY_KINDS
    mentions: int = 0
    spellings: set[str] = field(default_factory=set)


@dataclass
class Relation:
    """One statement of how a partner agency relates to the inspected authority."""

    agency: str  # canonical name
    kind: str  # a key of vocab.RELATION_KINDS
    source: Source


@dataclass
class Report:
    sha256: str
    family: str  # the parser module that read it
    title: str
    inspection: Inspection
    published: date | None = None
    inspectors: list[tuple[str, str]] = field(default_factory=list)  # (name, role)
    findings: list[Finding] = field(default_factory=list)
    statistics: list[Statistic] = field(default_factory=list)
    earlier: list[Inspection] = field(default_factory=list)  # inspections referred to
    # further inspections the same report presents, e.g. the review of the local
    # safeguarding children board published with a single-framework inspection
    reviews: list[Inspection] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    agencies: list[Agency] = field(default_factory=list)  # partner agencies named
    relations: list[Relation] = field(default_factory=list)

    @property
    def authority(self) -> str:
        return self.inspection.authority
