"""``ofsted-kg check``: the ontology with the stored data under an OWL reasoner (HermiT, run by
owlready2; needs Java). Reports whether the whole is consistent, which classes are
unsatisfiable, and what the reasoner inferred (class memberships not stated in the data).

Large stores are checked on a sample: the first ``sample`` report graphs (sorted by sha256)
plus every enrichment graph.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, Graph

from ofsted_kg.resources import ontology_files
from ofsted_kg.store.embedded import Store

DEFAULT_SAMPLE = 25  # report graphs; HermiT takes about a second per report
OWL_NOTHING = "http://www.w3.org/2002/07/owl#Nothing"
OWL_THING = "http://www.w3.org/2002/07/owl#Thing"


class CheckError(Exception):
    """The reasoner could not be run (no Java, owlready2 failed)."""


@dataclass
class CheckResult:
    consistent: bool
    reports: int  # report graphs checked
    of_reports: int  # report graphs in the store
    triples: int  # data triples given to the reasoner (the ontology besides)
    unsatisfiable: list[str] = field(default_factory=list)
    inferred: list[tuple[str, str]] = field(default_factory=list)  # (individual, class)
    subsumptions: list[tuple[str, str]] = field(default_factory=list)  # (class, superclass)
    explanation: str = ""

    @property
    def ok(self) -> bool:
        return self.consistent and not self.unsatisfiable

    def summary(self) -> str:
        sampled = (
            f"a sample of {self.reports} of {self.of_reports} report graphs"
            if self.reports < self.of_reports
            else f"{self.reports} report graphs"
        )
        lines = [
            f"checked the ontology with {sampled} ({self.triples:,} data triples) under HermiT"
        ]
        if not self.consistent:
            lines.append("INCONSISTENT: no interpretation satisfies the ontology and the data")
            if self.explanation:
                lines.append(self.explanation)
            return "\n".join(lines)
        lines.append("consistent")
        if self.unsatisfiable:
            lines.append("unsatisfiable classes: " + ", ".join(self.unsatisfiable))
        by_class: dict[str, int] = {}
        for _individual, cls in self.inferred:
            by_class[cls] = by_class.get(cls, 0) + 1
        lines.append(
            f"inferred {len(self.subsumptions)} subclass relations not stated in the ontology"
        )
        for c, a in self.subsumptions[:20]:
            lines.append(f"  {_short(c)} is a kind of {_short(a)}")
        lines.append(f"inferred {len(self.inferred)} class memberships not stated in the data")
        for cls, n in sorted(by_class.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"  {n:6}  {_short(cls)}")
        return "\n".join(lines)


def _short(iri: str) -> str:
    from ofsted_kg.rdf import vocab

    for prefix, ns in vocab.PREFIXES.items():
        if iri.startswith(str(ns)):
            return f"{prefix}:{iri[len(str(ns)) :]}"
    return iri


def data_ntriples(store: Store, sample: int | None) -> tuple[bytes, int, int]:
    """N-Triples of the checked graphs, the number of report graphs checked and in all."""
    shas = store.report_shas()
    chosen = shas if sample is None or sample <= 0 else shas[:sample]
    report_graphs = {store.report_graph(s).value for s in chosen}
    all_reports = {store.report_graph(s).value for s in shas}
    graphs = [
        g
        for g in store.data_graphs()
        if g.value in report_graphs or g.value not in all_reports  # enrichment graphs too
    ]
    triples: set[ox.Triple] = set()
    for g in graphs:
        triples.update(store.triples(g))
    data = ox.serialize(sorted(triples, key=str), format=ox.RdfFormat.N_TRIPLES) or b""
    return data, len(chosen), len(shas)


def check(store: Store, sample: int | None = DEFAULT_SAMPLE) -> CheckResult:
    """Run HermiT over the ontology and the stored data (or a sample of the reports)."""
    if shutil.which("java") is None:
        raise CheckError("HermiT needs a Java runtime on the PATH (Debian: default-jre-headless)")
    import owlready2

    data, checked, total = data_ntriples(store, sample)
    merged = Graph()
    for path in ontology_files():
        merged.parse(path, format="turtle")
    onto_size = len(merged)
    if data:
        merged.parse(data=data.decode(), format="nt")
    stated: dict[str, set[str]] = {}
    for s, _p, o in merged.triples((None, RDF.type, None)):
        stated.setdefault(str(s), set()).add(str(o))
    with tempfile.TemporaryDirectory(prefix="ofsted-kg-check-") as tmp:
        nt = Path(tmp) / "ofsted-kg.nt"
        merged.serialize(nt, format="nt", encoding="utf-8")
        world = owlready2.World()
        world.get_ontology(nt.as_uri()).load(format="ntriples")
        result = CheckResult(True, checked, total, len(merged) - onto_size)
        before = _ancestors(world)
        try:
            # HermiT knows only the OWL 2 datatype map, which lacks xsd:date and
            # xsd:gYearMonth: it is told to ignore them instead of stopping.
            owlready2.sync_reasoner(
                world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True
            )
        except owlready2.OwlReadyInconsistentOntologyError as exc:
            result.consistent = False
            result.explanation = _explain(merged, str(exc))
            return result
        except Exception as exc:  # Java missing at run time, HermiT crashing
            raise CheckError(f"the reasoner failed: {type(exc).__name__}: {exc}") from None
        result.unsatisfiable = sorted(
            c.iri for c in world.inconsistent_classes() if c.iri != OWL_NOTHING
        )
        after = _ancestors(world)
        result.subsumptions = sorted(
            (c, a)
            for c, ancestors in after.items()
            for a in ancestors - before.get(c, set())
            if a != OWL_THING and c != OWL_NOTHING
        )
        # Entailed memberships: every class above a stated or inferred type, not stated
        for iri in sorted(stated):
            individual = world[iri]
            if not isinstance(individual, owlready2.Thing):
                continue  # a class, a property or the ontology
            entailed: set[str] = set()
            for cls in individual.is_a:
                entailed |= after.get(getattr(cls, "iri", ""), set())
            for cls_iri in sorted(entailed - stated.get(iri, set()) - {OWL_THING}):
                result.inferred.append((iri, cls_iri))
        result.inferred.sort()
        return result


def _ancestors(world) -> dict[str, set[str]]:
    """Class IRI -> the IRIs of itself and every class above it, as the world stands."""
    return {
        c.iri: {a.iri for a in c.ancestors() if hasattr(a, "iri")}
        for c in world.classes()
        if hasattr(c, "iri")
    }


def _explain(merged: Graph, message: str) -> str:
    """Where an inconsistency most often comes from: one resource typed with two disjoint
    classes. Lists such resources, if any."""
    disjoint = {(str(a), str(b)) for a, _p, b in merged.triples((None, OWL.disjointWith, None))}
    disjoint |= {(b, a) for a, b in disjoint}
    subclass: dict[str, set[str]] = {}
    for a, _p, b in merged.triples((None, RDFS.subClassOf, None)):
        subclass.setdefault(str(a), set()).add(str(b))

    def supers(c: str) -> set[str]:
        out, todo = {c}, [c]
        while todo:
            for s in subclass.get(todo.pop(), ()):
                if s not in out:
                    out.add(s)
                    todo.append(s)
        return out

    found = []
    types: dict[str, set[str]] = {}
    for s, _p, o in merged.triples((None, RDF.type, None)):
        types.setdefault(str(s), set()).add(str(o))
    for subject, classes in sorted(types.items()):
        closed = {c: supers(c) for c in classes}
        for a in sorted(classes):
            for b in sorted(classes):
                if a < b and any((x, y) in disjoint for x in closed[a] for y in closed[b]):
                    found.append(f"  {subject} is both {_short(a)} and {_short(b)} (disjoint)")
    if found:
        return "resources typed with disjoint classes:\n" + "\n".join(found[:20])
    return message.strip().splitlines()[0] if message.strip() else ""
