"""Every RDF term the project writes, in one place. Concept IRIs are looked up by key."""

from __future__ import annotations

from functools import lru_cache

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

from ofsted_kg.parse import concepts

OKG = Namespace("https://w3id.org/ofsted-kg/ontology#")
ONTOLOGY_IRI = URIRef("https://w3id.org/ofsted-kg/ontology")
ORG = Namespace("http://www.w3.org/ns/org#")
DEFAULT_BASE = "https://w3id.org/ofsted-kg/id/"
# The shape of the report graphs the emitter writes. Raise it when that changes, so that a
# store made before is re-ingested (api.ingest). 2: theme rules on findings (no tag nodes),
# okg:authorityLabel on inspections.
DATA_MODEL = 2

PREFIXES = {
    "okg": OKG,
    "org": ORG,
    "prov": PROV,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "foaf": FOAF,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
}

# Keys used by the parsers -> local names in the ontology
FRAMEWORKS = {
    "slac": "framework-slac",
    "cra": "framework-cra",
    "lac2013": "framework-lac2013",
    "sif": "framework-sif",
    "lscb": "framework-lscb",
    "ilacs": "framework-ilacs",
    "area-send": "framework-area-send",
    "area-send-2016": "framework-area-send-2016",
}
VISIT_FOCUSES = {
    k: f"focus-{k}"
    for k in ("front-door", "help-and-protection", "children-in-care", "permanence",
              "care-leavers", "disabled-children", "exploitation")
}  # fmt: skip
OUTCOMES = {k: f"outcome-{k}" for k in ("positive", "inconsistent", "systemic")}
INSPECTION_KINDS = {
    "full": "kind-full",
    "standard": "kind-standard",
    "short": "kind-short",
    "reinspection": "kind-reinspection",
    "focused-visit": "kind-focused-visit",
    "monitoring-visit": "kind-monitoring-visit",
    "unannounced": "kind-unannounced",
}
FINDING_KINDS = {
    k: f"finding-{k}"
    for k in (
        "recommendation",
        "what-needs-to-improve",
        "area-for-improvement",
        "area-for-development",
        "priority-action",
        "strength",
        "requirement-met",
        "main-finding",
        "evaluative-paragraph",
        "unclassified",
    )
}
TIMESCALES = {
    "immediately": "timescale-immediately",
    "three-months": "timescale-three-months",
    "six-months": "timescale-six-months",
    "none": "timescale-none",
}
AGENCY_KINDS = {
    "NHS trust": "NHSTrust",
    "NHS foundation trust": "NHSFoundationTrust",
    "primary care trust": "PrimaryCareTrust",
    "primary care trust cluster": "PrimaryCareTrustCluster",
    "clinical commissioning group": "ClinicalCommissioningGroup",
    "integrated care board": "IntegratedCareBoard",
    "local safeguarding children board": "SafeguardingBoard",
    "police force": "PoliceForce",
    "voluntary organisation": "VoluntaryOrganisation",
    "youth offending service": "YouthOffendingService",
    "regulator": "Regulator",
    "other": "OtherAgency",
}
RELATION_KINDS = {
    "mentioned": "mentionedInInspectionOf",
    "addressee": "addresseeOfRecommendationTo",
    "provides-health-services": "providesHealthServicesTo",
    "commissioned-by": "commissionedBy",
    "board-member": "memberOfBoardOf",
    "partnership-member": "partnerInLocalAreaPartnershipWith",
}
MEASURES = {
    k: f"measure-{k}"
    for k in (
        "children-in-area",
        "child-protection-plans",
        "looked-after-children",
        "care-leavers",
        "foster-carers",
        "total-population",
        "children-share-of-population",
        "children-in-poverty",
        "free-school-meals-primary",
        "free-school-meals-secondary",
        "minority-ethnic-children",
        "children-in-need",
        "child-protection-plan-rate",
        "private-fostering",
        "looked-after-rate",
    )
}


def term(local: str) -> URIRef:
    return OKG[local]


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    """The ontology and its concept schemes, parsed once (the graph the parsers' concept keys
    come from), with the theme rules."""
    g = concepts.ontology_graph()
    _add_theme_rules(g)
    return g


@lru_cache(maxsize=1)
def ontology_ntriples() -> str:
    """The ontology graph as N-Triples, serialised once (stores and validation load it)."""
    return ontology_graph().serialize(format="nt")


def _add_theme_rules(g: Graph) -> None:
    """okg:rule-{id} for every rule of the theme classifier (enrich/data/themes.csv, read by
    enrich.themes), so that a finding's okg:themeRule names a rule the graph describes."""
    from ofsted_kg.enrich.themes import rules

    for r in rules():
        rule = OKG[f"rule-{r.id}"]
        g.add((rule, RDF.type, OKG.ThemeRule))
        g.add((rule, RDFS.label, Literal(r.id)))
        g.add((rule, OKG.ruleTheme, OKG[f"theme-{r.theme}"]))
        if r.note:
            g.add((rule, SKOS.definition, Literal(r.note, lang="en")))


def concept_for_label(scheme_local: str, label: str, framework: str | None = None) -> URIRef | None:
    """The concept of ``scheme_local`` whose preferred or alternative label matches ``label``;
    where frameworks print an area alike, the one ``framework`` (a FRAMEWORKS key) grades."""
    key = concepts.concept_key(scheme_local, label, framework)
    return OKG[key] if key else None


def grade_number(label: str) -> int | None:
    """The grade number (1 outstanding .. 4 inadequate) of a grade as printed, on either
    scale; None for a label that is not a grade (e.g. "Not judged")."""
    return concepts.grade_number(label)


def grade_scale(framework_key: str) -> str | None:
    """Local name of the grade scale of a framework, e.g. 'scale-2009'."""
    return concepts.grade_scale(framework_key)
