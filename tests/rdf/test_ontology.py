"""The ontology and its concept schemes: documentation, grade scales, nesting of areas, and
consistency under HermiT (through owlready2; needs Java)."""

from __future__ import annotations

import shutil
from pathlib import Path

import owlready2
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from ofsted_kg.enrich.pipeline import parse_file
from ofsted_kg.rdf import vocab
from ofsted_kg.rdf.emit import emit
from ofsted_kg.rdf.vocab import OKG
from ofsted_kg.resources import example_reports, ontology_files
from ofsted_kg.validate.shacl import shapes_graph

ID = Namespace(vocab.DEFAULT_BASE)
XSD_INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#integer")


@pytest.fixture(scope="module")
def onto() -> Graph:
    g = Graph()
    for path in ontology_files():
        g.parse(path, format="turtle")
    return g


def _okg(term: object) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(str(OKG))


def _defined(g: Graph, *kinds: URIRef) -> set[URIRef]:
    return {s for kind in kinds for s in g.subjects(RDF.type, kind) if _okg(s)}


def _in_scheme(g: Graph, scheme: str) -> set[URIRef]:
    return set(g.subjects(SKOS.inScheme, OKG[scheme]))


def _label(g: Graph, concept: URIRef) -> str:
    return str(g.value(concept, SKOS.prefLabel))


# ---------------------------------------------------------------- documentation


def test_both_files_are_loaded(onto: Graph) -> None:
    assert {p.name for p in ontology_files()} >= {"ofsted-kg.ttl", "concepts.ttl"}
    assert (vocab.ONTOLOGY_IRI, RDF.type, OWL.Ontology) in onto


def test_classes_and_properties_have_label_and_definition(onto: Graph) -> None:
    terms = _defined(onto, OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    assert len(terms) > 50
    missing = [
        (str(t), what)
        for t in sorted(terms)
        for what, prop in (("rdfs:label", RDFS.label), ("skos:definition", SKOS.definition))
        if onto.value(t, prop) is None
    ]
    assert missing == []


def test_concepts_and_schemes_have_preferred_label_and_definition(onto: Graph) -> None:
    terms = _defined(onto, SKOS.Concept, SKOS.ConceptScheme)
    assert len(terms) > 50
    missing = [
        (str(t), what)
        for t in sorted(terms)
        for what, prop in (("skos:prefLabel", SKOS.prefLabel), ("skos:definition", SKOS.definition))
        if onto.value(t, prop) is None
    ]
    assert missing == []


def test_every_okg_term_is_declared(onto: Graph) -> None:
    """No okg: term in the ontology, the concept schemes or the shapes is left undeclared."""
    declared = _defined(
        onto, OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, SKOS.Concept, SKOS.ConceptScheme
    )
    used = {t for triple in onto for t in triple if _okg(t)}
    used |= {t for triple in shapes_graph() for t in triple if _okg(t)}
    assert sorted(used - declared) == []


def test_every_concept_is_in_one_scheme_of_its_class(onto: Graph) -> None:
    schemes = _defined(onto, SKOS.ConceptScheme)
    for concept in _defined(onto, SKOS.Concept):
        in_schemes = set(onto.objects(concept, SKOS.inScheme))
        assert len(in_schemes) == 1 and in_schemes <= schemes, concept
        classes = set(onto.objects(concept, RDF.type)) - {SKOS.Concept}
        assert len(classes) == 1, concept
        (cls,) = classes
        assert (cls, RDFS.subClassOf, SKOS.Concept) in onto, concept


def test_vocab_keys_name_declared_concepts(onto: Graph) -> None:
    tables = {
        OKG.Framework: vocab.FRAMEWORKS,
        OKG.InspectionKind: vocab.INSPECTION_KINDS,
        OKG.FindingKind: vocab.FINDING_KINDS,
        OKG.Timescale: vocab.TIMESCALES,
        OKG.Measure: vocab.MEASURES,
    }
    for cls, table in tables.items():
        assert {vocab.term(v) for v in table.values()} == set(onto.subjects(RDF.type, cls))
    for local in vocab.AGENCY_KINDS.values():
        assert (vocab.term(local), RDFS.subClassOf, OKG.PartnerAgency) in onto, local


# ---------------------------------------------------------------- grade scales

SCALES = {
    "scale-2009": {"Outstanding": 1, "Good": 2, "Adequate": 3, "Inadequate": 4},
    "scale-2013": {
        "Outstanding": 1,
        "Good": 2,
        "Requires improvement to be good": 3,
        "Inadequate": 4,
    },
}


@pytest.mark.parametrize("scale", sorted(SCALES))
def test_grade_scale(onto: Graph, scale: str) -> None:
    assert (OKG[scale], RDF.type, SKOS.ConceptScheme) in onto
    grades = _in_scheme(onto, scale)
    assert {_label(onto, g): onto.value(g, OKG.gradeNumber).toPython() for g in grades} == (
        SCALES[scale]
    )
    for g in grades:
        assert (g, RDF.type, OKG.Grade) in onto
        assert (g, SKOS.topConceptOf, OKG[scale]) in onto
        assert onto.value(g, OKG.gradeNumber).datatype == XSD_INTEGER


def test_grade_number_reads_either_scale_as_printed() -> None:
    for table in SCALES.values():
        for label, number in table.items():
            assert vocab.grade_number(label) == number
            assert vocab.grade_number(label.upper()) == number  # as a table may print it
    assert vocab.grade_number("Requires improvement") == 3  # the 2013 scale's alternative label
    assert vocab.grade_number("Not judged") is None


def test_every_grade_is_on_a_scale(onto: Graph) -> None:
    on_scales = set().union(*(_in_scheme(onto, s) for s in SCALES))
    assert set(onto.subjects(RDF.type, OKG.Grade)) == on_scales


def test_frameworks_point_to_a_grade_scale(onto: Graph) -> None:
    frameworks = set(onto.subjects(RDF.type, OKG.Framework))
    assert frameworks == _in_scheme(onto, "frameworks")
    for fw in frameworks:
        scales = set(onto.objects(fw, OKG.gradeScale))
        assert scales <= {OKG[s] for s in SCALES} and len(scales) <= 1, fw
    scale_of = {fw: onto.value(fw, OKG.gradeScale) for fw in frameworks}
    assert scale_of[OKG["framework-slac"]] == OKG["scale-2009"]
    assert scale_of[OKG["framework-sif"]] == OKG["scale-2013"]
    assert scale_of[OKG["framework-ilacs"]] == OKG["scale-2013"]
    assert scale_of[OKG["framework-cra"]] is None  # letters without grades


# ---------------------------------------------------------------- judgement areas

NESTED = [
    (
        "Children and young people are safe and feel safe",
        "Safeguarding outcomes for children and young people",
    ),
    ("Being healthy", "How good are outcomes for looked after children and care leavers?"),
    ("Economic well-being", "How good are outcomes for looked after children and care leavers?"),
    ("Adoption performance", "Children looked after and achieving permanence"),
    ("Experiences and progress of care leavers", "Children looked after and achieving permanence"),
]


@pytest.mark.parametrize(("narrower", "broader"), NESTED, ids=[n for n, _ in NESTED])
def test_judgement_areas_nest(onto: Graph, narrower: str, broader: str) -> None:
    by_label = {_label(onto, c): c for c in _in_scheme(onto, "areas")}
    assert (by_label[narrower], SKOS.broader, by_label[broader]) in onto


def test_judgement_area_hierarchy_is_a_forest(onto: Graph) -> None:
    """Every area is either a top concept or has exactly one broader area, with no cycles."""
    areas = _in_scheme(onto, "areas")
    assert areas == set(onto.subjects(RDF.type, OKG.JudgementArea))
    for area in areas:
        broader = set(onto.objects(area, SKOS.broader))
        top = (area, SKOS.topConceptOf, OKG.areas) in onto
        assert top != bool(broader), area
        assert len(broader) <= 1 and broader <= areas, area
        seen = {area}
        while (area := onto.value(area, SKOS.broader)) is not None:
            assert area not in seen, f"cycle through {area}"
            seen.add(area)


# ---------------------------------------------------------------- HermiT

needs_java = pytest.mark.skipif(
    shutil.which("java") is None, reason="HermiT (run by owlready2) needs Java on the PATH"
)


def _reason(tmp_path: Path, *graphs: Graph) -> owlready2.World:
    """Load the ontology plus ``graphs`` into a fresh owlready2 world and run HermiT.

    owlready2 reads N-Triples best, so the Turtle goes through rdflib first. HermiT knows
    only the OWL 2 datatype map, which lacks xsd:date and xsd:gYearMonth (the ranges of
    okg:startDate, okg:endDate, okg:month and dcterms:issued); it is told to ignore them
    instead of stopping.
    """
    merged = Graph()
    for path in ontology_files():
        merged.parse(path, format="turtle")
    for g in graphs:
        merged += g
    nt = tmp_path / "ofsted-kg.nt"
    merged.serialize(nt, format="nt", encoding="utf-8")
    world = owlready2.World()
    world.get_ontology(nt.as_uri()).load(format="ntriples")
    owlready2.sync_reasoner(
        world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True
    )
    return world


@needs_java
def test_ontology_is_consistent_and_every_class_satisfiable(tmp_path: Path) -> None:
    world = _reason(tmp_path)
    assert list(world.inconsistent_classes()) == []
    authority = world[str(OKG.Authority)]
    assert authority is not None and world[str(OKG.Recommendation)] is not None


@needs_java
def test_authority_that_is_an_nhs_trust_is_inconsistent(tmp_path: Path) -> None:
    bad = Graph()
    both = ID["authority/camden"]
    bad.add((both, RDF.type, OKG.Authority))
    bad.add((both, RDF.type, OKG.NHSTrust))
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        _reason(tmp_path, bad)


@needs_java
def test_class_under_authority_and_partner_agency_is_unsatisfiable(tmp_path: Path) -> None:
    """The check for classes equivalent to owl:Nothing does catch one."""
    bad = Graph()
    bad.add((OKG.AuthorityTrust, RDF.type, OWL.Class))
    bad.add((OKG.AuthorityTrust, RDFS.subClassOf, OKG.Authority))
    bad.add((OKG.AuthorityTrust, RDFS.subClassOf, OKG.PoliceForce))
    bad.add((OKG.AuthorityTrust, RDFS.label, Literal("Broken")))
    world = _reason(tmp_path, bad)
    unsatisfiable = {c.iri for c in world.inconsistent_classes()} - {str(OWL.Nothing)}
    assert unsatisfiable == {str(OKG.AuthorityTrust)}


@needs_java
def test_ontology_with_a_seed_report_is_consistent(tmp_path: Path) -> None:
    seed = next(p for p in example_reports() if p.name.startswith("003_"))
    data = emit(parse_file(seed))
    assert len(data) > 100
    world = _reason(tmp_path, data)
    assert list(world.inconsistent_classes()) == []
