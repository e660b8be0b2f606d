"""The embedded store: one named graph per report in pyoxigraph, plus the ontology's graph."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ofsted_kg.rdf import vocab
from ofsted_kg.rdf.iris import Iris
from ofsted_kg.store import folder, history
from ofsted_kg.store.folder import NotAStore, StoreError
from ofsted_kg.store.guard import ServiceRefused, check_query  # noqa: F401 (callers import it here)
from ofsted_kg.store.text_index import Hit, SearchError, TextIndex

ONTOLOGY_GRAPH = ox.NamedNode(str(vocab.ONTOLOGY_IRI))
_AUTHORITY_LABEL = ox.NamedNode(str(vocab.OKG.authorityLabel))
_REPORT_OF = ox.NamedNode(str(vocab.OKG.reportOf))
# what the text index keeps of a finding (text_index.FIELDS), and where it is in the graph
_P = {name: ox.NamedNode(str(term)) for name, term in {
    "type": vocab.RDF.type, "finding_class": vocab.OKG.Finding, "text": vocab.OKG.text,
    "of": vocab.OKG.findingOf, "kind": vocab.OKG.findingKind, "theme": vocab.OKG.theme,
    "page": vocab.OKG.page, "paragraph": vocab.OKG.paragraph,
    "from": vocab.PROV.wasDerivedFrom, "issued": vocab.DCTERMS.issued,
    "authority": vocab.OKG.authorityLabel, "start": vocab.OKG.startDate,
    "label": vocab.RDFS.label,
}.items()}  # fmt: skip


class StoreBusy(StoreError):
    """The store is open for writing in another process (the database allows one writer)."""


def _open_for_writing(path: Path) -> ox.Store:
    try:
        return ox.Store(str(path))
    except OSError as exc:
        # RocksDB's words for its lock file held by another process (or by this one)
        if "While lock file" not in str(exc) and "lock hold" not in str(exc):
            raise
        raise StoreBusy(
            f"cannot open the store at {path}: another process is writing to it (an ingest or "
            "an authorities load?): try again when it has finished"
        ) from None


_OPEN_ATTEMPTS = 20


def open_read_only(path: Path) -> ox.Store:
    """The database at ``path`` opened read-only, while a writer may be at work in it.

    Opening reads the list of the database's files, then opens them: a writer compacting
    them meanwhile can delete one in between (RocksDB: "IO error: No such file or directory
    ... may be corrupted"), so the open is tried again, with the new list. Once open, the
    files are held: queries do not meet this.
    """
    for _ in range(_OPEN_ATTEMPTS):
        try:
            return ox.Store.read_only(str(path))
        except (OSError, RuntimeError) as exc:
            if "No such file or directory" not in str(exc):
                raise
    raise StoreError(
        f"cannot open the store at {path}: its files changed under each of {_OPEN_ATTEMPTS} "
        "attempts to open it (a writer at work): try again"
    )


class Store:
    """A persistent (or, with ``path=None``, in-memory) pyoxigraph store of report graphs.

    The base IRI is fixed when the store is made and remembered in it (folder.py: the
    settings file, written atomically and recovered from the graphs if lost). A new store is
    made in a hidden folder and renamed into place whole; opening a folder that is not a
    store raises NotAStore (a StoreError, an OSError) with a one-line reason.
    """

    def __init__(self, path: Path | str | None = None, base: str | None = None,
                 read_only: bool = False) -> None:  # fmt: skip
        self.path = Path(path) if path is not None else None
        self._labels: dict[str, str] | None = None
        # what was changed since the last flush ("ingest", "change"): history.py
        self._changes: set[str] = set()
        self._read_only = read_only
        given = Iris(base).base if base else None  # not an IRI: refused before anything is made
        if self.path is None:
            self.iris = Iris(given or vocab.DEFAULT_BASE)
            self._settings = {"base": self.iris.base, "model": vocab.DATA_MODEL}
            self.ox = ox.Store()
            self.text = TextIndex(None, writable=True)
            self._ensure_ontology()
            return
        if not read_only and folder.is_vacant(self.path):
            _create(self.path.resolve(), Iris(given or vocab.DEFAULT_BASE))
        folder.check(self.path)
        settings, why = folder.read_settings(self.path)
        if settings is not None:
            self._check_base(settings, given)
        db = open_read_only(self.path) if read_only else _open_for_writing(self.path)
        if settings is None:
            settings = folder.recover_settings(db, self.path, why, given)
            if settings is None:
                del db  # closed, with its lock, before the error is handed up
                raise NotAStore(
                    f"{self.path} is not an ofsted-kg store (no {folder.SETTINGS}, and no "
                    "ofsted-kg graph in its database)"
                )
            self._check_base(settings, given)
            if not read_only:  # a reader leaves the folder as it is; the next writer mends it
                folder.write_settings(self.path, settings)
        self._settings = settings
        self.iris = Iris(settings["base"])
        self.ox = db
        self.text = TextIndex(self.path, writable=not read_only)
        if not read_only:
            self._ensure_ontology()
            self.reindex()  # what a killed writer left behind: nothing, usually

    def _check_base(self, settings: dict, base: str | None) -> None:
        if base and base != settings["base"]:
            raise ValueError(
                f"the store at {self.path} uses base IRI {settings['base']}, not {base}"
            )

    def model_outdated(self) -> bool:
        """Were the stored report graphs written by an older emitter (vocab.DATA_MODEL)?
        Stores made before the model was recorded count as model 1."""
        return self._settings.get("model", 1) < vocab.DATA_MODEL

    def mark_model_current(self) -> None:
        self._settings = {**self._settings, "model": vocab.DATA_MODEL}
        if self.path is not None:
            folder.write_settings(self.path, self._settings)

    def history(self) -> dict[str, str]:
        """When reports were first and last ingested and the data last changed (history.py):
        xsd:dateTime strings; empty for a store made before they were recorded."""
        return dict(self._settings.get("history", {}))

    def _ensure_ontology(self) -> None:
        """The ontology and concept schemes live in their own graph, refreshed when they change."""
        g = vocab.ontology_graph()
        count = sum(1 for _ in self.ox.quads_for_pattern(None, None, None, ONTOLOGY_GRAPH))
        if count != len(g):
            self._swap(ONTOLOGY_GRAPH.value, vocab.ontology_ntriples())

    def _swap(self, graph: str, ntriples: str, drop: Iterable[str] = ()) -> None:
        """Replace a named graph (and drop others) in one transaction: readers see old or new,
        never half."""
        drops = "".join(f"DROP SILENT GRAPH <{g}> ;\n" for g in [*drop, graph])
        self.ox.update(f"{drops}INSERT DATA {{ GRAPH <{graph}> {{\n{ntriples}\n}} }}")

    def put_report(self, sha256: str, triples: Graph | bytes | str,
                   replacing: Iterable[str] = ()) -> None:  # fmt: skip
        """Store a report's graph (an rdflib Graph or N-Triples) in place of any earlier one,
        and of the reports ``replacing`` names (sha256), in one transaction."""
        if isinstance(triples, Graph):
            triples = triples.serialize(format="nt")
        graph = self.report_graph(sha256)
        replacing = [sha for sha in replacing if sha != sha256]
        drop = [self.report_graph(sha).value for sha in replacing]
        self.text.begin([sha256, *replacing])
        self._note("ingest")
        if not drop and not self.has_report(sha256):
            # a new graph: load is one transaction too, and a third faster than INSERT DATA
            self.ox.load(triples, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
        else:
            nt = triples.decode() if isinstance(triples, bytes) else triples
            self._swap(graph.value, nt, drop)
        self.text.remove(replacing)
        self.text.put(sha256, self.finding_documents(graph))

    def reports_of(self, inspections: Iterable[str]) -> dict[str, str]:
        """The stored reports (sha256) that are reports of any of these inspections (IRIs),
        each with one of those it is of."""
        found: dict[str, str] = {}
        for iri in sorted(inspections):
            for q in self.ox.quads_for_pattern(None, _REPORT_OF, ox.NamedNode(iri)):
                sha = self.iris.graph_sha(q.graph_name)
                if sha:
                    found.setdefault(sha, iri)
        return found

    def put_enrichment(self, name: str, ntriples: bytes | str) -> None:
        """Replace a graph of data from outside the reports (e.g. authority codes)."""
        nt = ntriples.decode() if isinstance(ntriples, bytes) else ntriples
        self._note("change")
        self._swap(self.iris.enrichment_graph(name).value, nt)

    def data_graphs(self) -> list[ox.NamedNode]:
        """Every graph but the ontology's: report graphs, then enrichment graphs, sorted."""
        base = self.iris.enrichment_graph("").value
        graphs = [g for g in self.ox.named_graphs() if isinstance(g, ox.NamedNode)]
        return sorted((g for g in graphs if g.value.startswith(base)), key=lambda g: g.value)

    def remove_reports(self, shas: Iterable[str]) -> None:
        """Remove reports' graphs (sha256) in one transaction."""
        shas = list(shas)
        drops = [f"DROP SILENT GRAPH <{self.report_graph(sha).value}>" for sha in shas]
        if drops:
            self.text.begin(shas)
            self._note("change")
            self.ox.update(" ;\n".join(drops))
            self.text.remove(shas)

    def report_graph(self, sha256: str) -> ox.NamedNode:
        return self.iris.graph(sha256)

    def has_report(self, sha256: str) -> bool:
        return self.ox.contains_named_graph(self.report_graph(sha256))

    def report_graphs(self) -> Iterator[ox.NamedNode]:
        for g in self.ox.named_graphs():
            if self.iris.graph_sha(g):
                yield g

    def report_shas(self) -> list[str]:
        return sorted(filter(None, map(self.iris.graph_sha, self.ox.named_graphs())))

    def triples(self, name: ox.NamedNode) -> Iterator[ox.Triple]:
        """A named graph's triples."""
        return (q.triple for q in self.ox.quads_for_pattern(None, None, None, name))

    def ntriples(self, name: ox.NamedNode) -> bytes:
        """A named graph's triples as N-Triples."""
        return self.ox.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name) or b""

    def graph(self, name: ox.NamedNode) -> Graph:
        """A named graph's triples as an rdflib Graph."""
        g = Graph()
        data = self.ntriples(name)
        if data:
            g.parse(data=data.decode(), format="nt")
        return g

    def authority_graphs(self, authority: ox.Literal) -> list[ox.NamedNode]:
        """What a query about one authority reads (queries.py, ``scope``): the report graphs
        with an inspection of that name (its okg:authorityLabel), the ontology's graph and
        the enrichment graphs."""
        found = {q.graph_name for q in self.ox.quads_for_pattern(None, _AUTHORITY_LABEL, authority)}
        for g in self.ox.named_graphs():
            if isinstance(g, ox.NamedNode) and not self.iris.graph_sha(g):
                found.add(g)  # the ontology and the enrichment graphs
        return sorted((g for g in found if isinstance(g, ox.NamedNode)), key=lambda g: g.value)

    def query(self, sparql: str, substitutions: dict | None = None, allow_service: bool = False,
              graphs: list[ox.NamedNode] | None = None) -> object:  # fmt: skip
        """SPARQL over the union of all graphs, or of ``graphs`` alone (default graph and
        named graphs both).

        A federated query (``SERVICE``) would make this process fetch any URL the query names,
        so it is refused (ServiceRefused, a SyntaxError) unless ``allow_service``; so is a
        query too big or too deep for the engine's parser (QueryTooComplex).
        """
        check_query(sparql, allow_service=allow_service)  # guard.py: before the engine
        if graphs is not None:
            return self.ox.query(sparql, default_graph=graphs, named_graphs=graphs,
                                 substitutions=substitutions)  # fmt: skip
        return self.ox.query(sparql, use_default_graph_as_union=True, substitutions=substitutions)

    def _note(self, kind: str) -> None:
        """Record a change ("ingest" or "change") in the history before the first of its
        kind since the last flush is made, so that a writer killed after storing (before
        its flush) leaves it recorded; the flush records the time again, once done."""
        if kind not in self._changes:
            self._changes.add(kind)
            self._record(history.now())

    def _record(self, when: str) -> None:
        past = self._settings.get("history", {})
        now = history.recorded(past, "ingest" in self._changes, when)
        self._settings = {**self._settings, "history": now}
        if self.path is not None:
            folder.write_settings(self.path, self._settings)

    def flush(self) -> None:
        """Make what was written durable, then record it in the ingest history."""
        if self.path is not None:
            self.ox.flush()
        self.text.close()
        past = self._settings.get("history", {})
        if not self._read_only and history.FIRST_INGEST not in past and self.report_shas():
            # reports stored with no ingest recorded (a store made before the history was
            # kept): recorded by the next writer's flush
            self._changes.add("ingest")
        if self._changes:
            self._record(history.now())
            self._changes.clear()

    # ---- the full-text index (text_index.py)

    def finding_texts(self, graph: ox.NamedNode) -> list[tuple[str, str]]:
        """(IRI, text) of every finding in a report's graph: what the text index holds."""
        return [(d["finding"], d["text"]) for d in self.finding_documents(graph)]

    def finding_documents(self, graph: ox.NamedNode) -> list[dict[str, str | None]]:
        """The text index's documents of a report (text_index.FIELDS), read from its graph
        by pattern (the labels of kinds and themes from the ontology's graph): on disk a few
        times faster than one SPARQL query or one pass over all the graph's quads."""

        def node(subject: object, name: str) -> ox.NamedNode | ox.Literal | None:
            for q in self.ox.quads_for_pattern(subject, _P[name], None, graph):
                return q.object
            return None

        def value(subject: object, name: str) -> str | None:
            term = node(subject, name)
            return None if term is None else term.value

        labels = self._concept_labels()
        inspections: dict[object, tuple[str | None, str | None]] = {}
        reports: dict[object, str | None] = {}
        docs = []
        for q in self.ox.quads_for_pattern(None, _P["type"], _P["finding_class"], graph):
            finding = q.subject
            text, inspection = value(finding, "text"), node(finding, "of")
            if text is None or inspection is None:
                continue
            if inspection not in inspections:
                inspections[inspection] = (value(inspection, "authority"),
                                           value(inspection, "start"))  # fmt: skip
            report, kind = node(finding, "from"), node(finding, "kind")
            if report not in reports:
                reports[report] = value(report, "issued") if report is not None else None
            themes = sorted(
                labels.get(t.object.value, t.object.value.rpartition("#theme-")[2])
                for t in self.ox.quads_for_pattern(finding, _P["theme"], None, graph)
            )
            docs.append({
                "finding": finding.value, "text": text,
                "authority": inspections[inspection][0],
                "inspection_start": inspections[inspection][1], "published": reports[report],
                "kind": labels.get(kind.value) if kind is not None else None,
                "themes": "; ".join(themes), "page": value(finding, "page"),
                "paragraph": value(finding, "paragraph"),
            })  # fmt: skip
        return docs

    def _concept_labels(self) -> dict[str, str]:
        """rdfs:label of every concept of the ontology's graph (kinds, themes), read once."""
        if self._labels is None:
            self._labels = {
                q.subject.value: q.object.value
                for q in self.ox.quads_for_pattern(None, _P["label"], None, ONTOLOGY_GRAPH)
                if isinstance(q.subject, ox.NamedNode)
            }
        return self._labels

    def reindex(self, everything: bool = False) -> int:
        """Bring the text index level with the store: the reports a crash left behind, or
        (``everything``) all of them. The number of reports reindexed."""
        shas = self.report_shas()
        if everything:
            self.text.clear()
            todo = set(shas)
        else:
            todo = self.text.stale(shas)
        if not todo:
            return 0
        present = set(shas)
        gone = sorted(todo - present)
        if gone:
            self.text.remove(gone)
        for sha in sorted(todo & present):
            self.text.put(sha, self.finding_documents(self.report_graph(sha)))
        self.text.close()
        self.text.compact_journal()
        return len(todo)

    def search(self, text: str, limit: int | None = None) -> Iterator[Hit]:
        """Findings whose text matches ``text`` (words, "phrases", AND/OR/NOT), best first,
        one at a time (text_index.TextIndex.hits)."""
        if self.text.writable:
            self.text.commit()
        else:
            behind = self.text.stale(self.report_shas())
            if behind:
                raise SearchError(
                    f"the text index of {self.path} is behind the store by {len(behind)} "
                    "report(s): run `ofsted-kg reindex`"
                )
        return self.text.hits(text, limit)


def _create(path: Path, iris: Iris) -> None:
    """A new store at ``path`` with the ontology's graph and its settings, made out of sight
    (folder.create) so that no reader opens it half-made."""

    def build(tmp: Path) -> None:
        db = ox.Store(str(tmp))
        db.load(vocab.ontology_ntriples(), format=ox.RdfFormat.N_TRIPLES, to_graph=ONTOLOGY_GRAPH)
        db.flush()
        del db  # closed: the folder is renamed with the database complete and unlocked
        folder.write_settings(tmp, {"base": iris.base, "model": vocab.DATA_MODEL})

    folder.create(path, build)
