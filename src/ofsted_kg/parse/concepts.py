"""The ontology's concept schemes as plain keys, for the parsers.

A parser asks whether a heading names a judgement area or a service, and which area one sits
under. The labels live in ``ontology/concepts.ttl``; this module reads that file as data and
answers with the concepts' local names (``"area-safe"``), never IRIs: only ``rdf/`` turns a
key into an IRI, so the parsers and the emitter share one reading of the labels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from rdflib import Graph
from rdflib.namespace import SKOS

from ofsted_kg.resources import ontology_files


@dataclass
class _Schemes:
    labels: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # scheme -> key -> local
    broader: dict[str, str] = field(default_factory=dict)
    judges: dict[str, set[str]] = field(default_factory=dict)  # framework local -> area locals
    grade_numbers: dict[str, int] = field(default_factory=dict)
    grade_scales: dict[str, str] = field(default_factory=dict)  # framework local -> scale local


def label_key(label: str) -> str:
    """A label as compared: lower case, '&' as 'and', no leading 'the', no trailing ':?'."""
    key = " ".join(label.lower().replace("&", "and").replace("wellbeing", "well-being").split())
    return key.removeprefix("the ").rstrip(":?")


@cache
def ontology_graph() -> Graph:
    """The ontology files, parsed once for the process (rdf/vocab.py builds on this graph)."""
    g = Graph()
    for path in ontology_files():
        g.parse(path, format="turtle")
    return g


@cache
def _schemes() -> _Schemes:
    g = ontology_graph()
    ns = str(dict(g.namespaces())["okg"])

    def local(node: object) -> str | None:
        text = str(node)
        return text[len(ns) :] if text.startswith(ns) else None

    out = _Schemes()
    for concept, scheme in sorted(g.subject_objects(SKOS.inScheme)):
        c, s = local(concept), local(scheme)
        if c is None or s is None:
            continue
        by_key = out.labels.setdefault(s, {})
        for prop in (SKOS.prefLabel, SKOS.altLabel):
            for label in g.objects(concept, prop):
                found = by_key.setdefault(label_key(str(label)), [])
                if c not in found:
                    found.append(c)
    for concept, broader in g.subject_objects(SKOS.broader):
        c, b = local(concept), local(broader)
        if c and b:
            out.broader[c] = b
    for framework, area in g.subject_objects(g.namespace_manager.expand_curie("okg:judgesArea")):
        f, a = local(framework), local(area)
        if f and a:
            out.judges.setdefault(f, set()).add(a)
    for concept, number in g.subject_objects(g.namespace_manager.expand_curie("okg:gradeNumber")):
        if c := local(concept):
            out.grade_numbers[c] = int(number)
    for framework, scale in g.subject_objects(g.namespace_manager.expand_curie("okg:gradeScale")):
        f, s = local(framework), local(scale)
        if f and s:
            out.grade_scales[f] = s
    return out


def concept_key(scheme: str, label: str, framework: str | None = None) -> str | None:
    """The concept of ``scheme`` (e.g. ``"areas"``) whose preferred or alternative label is
    ``label``; where frameworks print an area alike, the one ``framework`` (e.g. ``"sif"``)
    grades. None when no concept has that label."""
    found = _schemes().labels.get(scheme, {}).get(label_key(label), [])
    if len(found) > 1 and framework:
        judged = _schemes().judges.get(f"framework-{framework}", set())
        found = [c for c in found if c in judged] or found
    return found[0] if found else None


def broader(key: str) -> str | None:
    """The concept ``key`` sits under (skos:broader), if any."""
    return _schemes().broader.get(key)


def grade_number(label: str) -> int | None:
    """The grade number (1 outstanding .. 4 inadequate) of a grade as printed, on either
    scale; None for a label that is not a grade (e.g. "Not judged")."""
    for scale in ("scale-2013", "scale-2009"):
        key = concept_key(scale, label)
        if key is not None and key in _schemes().grade_numbers:
            return _schemes().grade_numbers[key]
    return None


def grade_scale(framework: str) -> str | None:
    """The grade scale of a framework (e.g. ``"sif"`` -> ``"scale-2013"``)."""
    return _schemes().grade_scales.get(f"framework-{framework}")
