"""The Python API the CLI wraps: ingest, validate, query, export."""

from __future__ import annotations

import errno
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox

from ofsted_kg.enrich.pipeline import parse_file
from ofsted_kg.model import Report
from ofsted_kg.publish.describe import CONTACT, DEFAULT_ENDPOINT, PUBLISHER, Publication
from ofsted_kg.publish.export import FORMATS  # noqa: F401  (FORMATS re-exported)
from ofsted_kg.query import search as text_search
from ofsted_kg.query.library import Query, QueryError, bind, check_params, find_query  # noqa: F401
from ofsted_kg.query.param_values import match_params
from ofsted_kg.query.results import Rows
from ofsted_kg.rdf.emit import emit_ntriples
from ofsted_kg.rdf.iris import Iris
from ofsted_kg.read.document import IngestError, sha256_of
from ofsted_kg.read.files import SUFFIXES
from ofsted_kg.store import GraphStore, open_store  # noqa: F401  (api.open_store)
from ofsted_kg.store.embedded import Store  # noqa: F401  (api.Store, the embedded store)
from ofsted_kg.store.guard import query_form
from ofsted_kg.validate.shacl import Validation, validate_ntriples

XSD = "http://www.w3.org/2001/XMLSchema#"


def load(path: Path | str) -> Report:
    """Read, detect and parse one report file into a Report (no RDF, nothing stored)."""
    return parse_file(Path(path))


# ---------------------------------------------------------------- ingest


@dataclass
class Failure:
    path: Path
    reason: str

    def __str__(self) -> str:
        """``FILE: reason`` on one line, whatever characters the name or the reason hold."""
        return f"{quote_name(self.path)}: {_escaped(self.reason)}"


def quote_name(path: Path | str) -> str:
    """A file name for a message: as it is when every character of it prints, else quoted
    with escapes (``'a\\nb.pdf'``, ``'\\u202efdp.txt'``, ``'\\xff.txt'`` for a byte that is
    not UTF-8), so that no name can split its line or reorder the text around it (bidi).
    A name that starts with a quote is quoted too: what is not quoted is the name as it is."""
    name = str(path)
    if name.isprintable() and not name.startswith("'"):
        return name
    return "'" + _escaped(name, quoted=True) + "'"


def _escaped(text: str, quoted: bool = False) -> str:
    """``text`` with every character that does not print (control, format such as U+202E,
    line and paragraph separators, unassigned) as its Python escape; with ``quoted`` the
    quote and the backslash too, so that the quoted form reads back unambiguously."""
    if text.isprintable() and not (quoted and ("'" in text or "\\" in text)):
        return text
    out = []
    for c in text:
        if "\udc80" <= c <= "\udcff":  # a byte that is not UTF-8, as os.fsdecode keeps it
            out.append(f"\\x{ord(c) - 0xDC00:02x}")
        elif quoted and c in "'\\":
            out.append("\\" + c)
        elif c.isprintable():
            out.append(c)
        else:
            out.append(repr(c)[1:-1])  # \n, \x1b, \u202e, \U000e0041
    return "".join(out)


class Emitted(NamedTuple):
    """A report ready to store."""

    sha256: str
    ntriples: bytes
    inspections: list[str]  # the IRIs of the inspections it is a report of (okg:reportOf)


Outcome = Emitted | Failure  # a report ready to store, or why it failed


@dataclass
class IngestResult:
    ingested: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)  # already stored with the same sha256
    failed: list[Failure] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)  # sha256 of reports removed (``replace``)
    written: set[str] = field(default_factory=set)  # sha256 of every report graph stored

    @property
    def ok(self) -> bool:
        return not self.failed


def expand(paths: Iterable[Path | str]) -> list[Path]:
    """Files as given; folders searched recursively for .pdf, .txt and .md files.

    Kept in the list for ingest to report as failures: a folder that cannot be listed, a
    folder given that holds no report file, and the broken symbolic links (dangling, or a
    loop) named as report files inside a folder. A file given twice (or given and found in a
    folder given) is listed once, where it first comes: read twice, it counted as two.
    """
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(_walk(p) or [p])
        else:
            out.append(p)
    return list(dict.fromkeys(out))


def _walk(folder: Path) -> list[Path]:
    """The report files under a folder, the broken links named as report files, and the
    folders under it that cannot be listed."""
    found: list[Path] = []
    for root, _dirs, files in os.walk(folder, onerror=lambda e: found.append(Path(e.filename))):
        paths = map(Path(root).joinpath, files)
        # a link that leads nowhere is not a file, but may stand for a report the user meant
        # to give; os.walk does not follow links to folders, so no folder loop is walked
        found.extend(f for f in paths if f.suffix.lower() in SUFFIXES
                     and (f.is_file() or (f.is_symlink() and not f.exists())))  # fmt: skip
    return sorted(found)


def process(path: Path, base: str, engine: str = "fast") -> Outcome:
    """read -> parse -> enrich -> emit -> validate: the report to store or why it failed."""
    try:
        report = parse_file(path)
        ntriples = emit_ntriples(report, base)
        result = validate_ntriples(ntriples, engine)
        if not result.conforms:
            return Failure(path, f"does not conform to the shapes: {result.first_message()}")
        iris = Iris(base)
        of = [iris.inspection(i).value for i in [report.inspection, *report.reviews]]
        return Emitted(report.sha256, ntriples, of)
    except IngestError as exc:
        return Failure(path, str(exc))
    except Exception as exc:  # a parser bug must not stop the batch
        return Failure(path, f"internal error: {type(exc).__name__}: {exc}")


def _process_star(args: tuple[Path, str, str]) -> Outcome:
    return process(*args)


WORKER_LOST = (
    "not read: a worker process ended abruptly during the batch (killed, or out of memory); "
    "ingest the file again"
)


def _outcome(future: Future, path: Path) -> Outcome:
    """A worker's outcome for ``path``; a failure when the pool lost a worker. One lost worker
    breaks the whole pool, so every file not done by then fails, each on its own line, and
    the reports done before are kept."""
    try:
        return future.result()
    except BrokenProcessPool:
        return Failure(path, WORKER_LOST)


def _end_with(parent: int) -> None:
    """Pool worker initializer: end this worker when the process running the ingest
    (``parent``) ends, however it ends. A ``kill -9`` of the ingest runs none of the pool's
    shutdown, and its workers, blocked reading the next task from the pool's pipe, stayed
    alive for minutes (issue 19). A worker holds nothing to clean up: only the ingest
    process writes to the store, so SIGKILL is enough."""
    if _kill_me_when_parent_dies() and os.getppid() == parent:
        return  # forked or spawned by the ingest itself: the kernel ends the worker with it
    # Started by a fork server (the default start method on Linux from Python 3.14), without
    # prctl, or the ingest died before the prctl: a thread watches the ingest instead.
    threading.Thread(target=_exit_when_gone, args=(parent,), daemon=True).start()


def _kill_me_when_parent_dies() -> bool:
    """PR_SET_PDEATHSIG: SIGKILL this process when its parent (the thread that forked it:
    the pool's workers are started by the thread that runs the ingest, which outlives the
    pool) ends. False where Linux's prctl is not there."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        return ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _exit_when_gone(pid: int) -> None:
    """Wait for process ``pid`` to end, then end this one (a worker's watchdog thread)."""
    import select
    import time

    try:
        fd = os.pidfd_open(pid)  # readable once the process has ended; no pid reuse race
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):  # no pidfd (not Linux, or before 5.3): poll
        first = os.getppid()
        # the process that started this worker, the ingest or its fork server, ends with
        # the ingest, and this worker is then given another parent
        while os.getppid() == first:
            time.sleep(1)
        os._exit(1)
    select.select([fd], [], [])
    os._exit(1)


def ingest(
    paths: Iterable[Path | str],
    store: GraphStore | None = None,
    jobs: int | None = None,
    force: bool = False,
    on_progress: Callable[[Path, str], None] | None = None,
    engine: str = "fast",
    replace: bool = False,
) -> IngestResult:
    """Ingest files and folders into the store; every good file is stored whatever fails.

    A file whose sha256 is already stored is skipped unless ``force``; then its graph is
    replaced in one transaction. In a store whose report graphs an older version wrote
    (``Store.model_outdated``) nothing is skipped, and once every stored report has been
    written again the store is marked current.

    A report of an inspection that another stored report is of (the same report from
    another file, e.g. its PDF and a text copy) fails, unless ``replace``: then it is
    stored in place of that report, in one transaction. Two graphs describing one
    inspection would make every query count its judgements and findings twice. Two such
    files in one batch end as in the order given, whichever worker is done first.
    """
    store = store or open_store()
    result = IngestResult()
    outdated = store.model_outdated()
    force = force or outdated
    todo: list[Path] = []
    for path in expand(paths):
        try:
            if path.is_dir():  # kept by expand: it cannot be listed, or holds no report file
                os.scandir(path).close()  # raises when it cannot be listed
                result.failed.append(Failure(path, NO_REPORTS))
                _tell(on_progress, path, "failed")
                continue
            sha = sha256_of(path.read_bytes())
        except OSError as exc:
            result.failed.append(Failure(path, _os_reason(exc, path)))
            _tell(on_progress, path, "failed")
            continue
        if not force and store.has_report(sha):
            result.skipped.append(path)
            _tell(on_progress, path, "skipped")
        else:
            todo.append(path)
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
    work = [(p, store.iris.base, engine) for p in todo]
    given = {path: i for i, path in enumerate(todo)}
    if jobs == 1:
        outcomes: Iterable = zip(todo, map(_process_star, work), strict=True)
        _store_all(store, outcomes, result, on_progress, replace, given)
    else:
        with ProcessPoolExecutor(jobs, initializer=_end_with, initargs=(os.getpid(),)) as pool:
            # stored as they come, not in the order given: a long report does not hold
            # back the storing of those done after it (the result lists are sorted below)
            futures = {pool.submit(_process_star, w): w[0] for w in work}
            done = ((futures[f], _outcome(f, futures[f])) for f in as_completed(futures))
            _store_all(store, done, result, on_progress, replace, given)
        result.ingested.sort(key=given.__getitem__)
    result.failed.sort(key=lambda f: given.get(f.path, -1))
    store.flush()
    if outdated and set(store.report_shas()) <= result.written:
        store.mark_model_current()
    return result


def _store_all(store: GraphStore, outcomes: Iterable[tuple[Path, Outcome]], result: IngestResult,
               on_progress: Callable[[Path, str], None] | None, replace: bool,
               order: dict[Path, int]) -> None:  # fmt: skip
    """Store each report as it comes, with the outcome it would have had in the order given
    (``order``): of two files of one inspection in the batch, the one given first is stored
    (the one given last with ``replace``), whichever of them was done first."""
    batch: dict[str, Path] = {}  # sha256 -> the file of this batch it was stored from
    refused: dict[Path, tuple[str, str]] = {}  # file -> (the report kept, their inspection)
    for path, outcome in outcomes:
        if isinstance(outcome, Failure):
            result.failed.append(outcome)
            _tell(on_progress, path, "failed")
            continue
        found = store.reports_of(outcome.inspections)
        others = {sha: iri for sha, iri in found.items() if sha != outcome.sha256}
        # stored from files given after this one, which the order given would have put later
        later = {sha: iri for sha, iri in others.items()
                 if sha in batch and order[batch[sha]] > order[path]}  # fmt: skip
        earlier = {sha: iri for sha, iri in others.items() if sha not in later}
        if earlier and not replace:
            refused[path] = min(earlier.items())
            _tell(on_progress, path, "failed")
            continue
        if later and replace:  # the later files replace it: stored, then replaced at once
            store.remove_reports(sorted(earlier))  # one transaction
            for sha in earlier:
                batch.pop(sha, None)
            result.replaced.extend([*sorted(earlier), outcome.sha256])
            result.written.add(outcome.sha256)
            result.ingested.append(path)
            _tell(on_progress, path, "ingested")
            continue
        for sha, iri in later.items():  # not ``replace``: the later files are refused
            later_path = batch.pop(sha)
            result.ingested.remove(later_path)
            result.written.discard(sha)
            refused[later_path] = (outcome.sha256, iri)
        for refused_path, (kept, iri) in refused.items():  # refused for a report now gone
            if kept in later:
                refused[refused_path] = (outcome.sha256, iri)
        replacing = sorted(others) if replace else sorted(later)
        store.put_report(outcome.sha256, outcome.ntriples, replacing=replacing)
        for sha in replacing:
            batch.pop(sha, None)
        if replace:
            result.replaced.extend(replacing)
        batch[outcome.sha256] = path
        result.written.add(outcome.sha256)
        result.ingested.append(path)
        _tell(on_progress, path, "ingested")
    result.failed.extend(_refused(path, *kept) for path, kept in refused.items())


def _refused(path: Path, other: str, inspection: str) -> Failure:
    """Why a report is not stored: another stored report (sha256) is of the same inspection
    (IRI)."""
    return Failure(
        path,
        f"another stored report (sha256 {other}) is of the same inspection, {inspection}: "
        "not stored (--replace stores it in that report's place)",
    )


def _tell(callback: Callable[[Path, str], None] | None, path: Path, what: str) -> None:
    if callback:
        callback(path, what)


NO_REPORTS = f"no report files ({', '.join(sorted(SUFFIXES))}) in this folder"


def _os_reason(exc: OSError, path: Path) -> str:
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    if isinstance(exc, FileNotFoundError):
        return "dangling symbolic link" if path.is_symlink() else "no such file"
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return f"cannot read: {exc.strerror or exc}"


def enrich_authorities(path: Path | str | None = None, store: GraphStore | None = None) -> int:
    """Load authority codes, regions and other names from the bundled register, or from a
    CSV (which may add statistical neighbours); the number of authorities."""
    from ofsted_kg.rdf.authority_data import GRAPH, authority_ntriples

    store = store or open_store()
    ntriples, coded = authority_ntriples(None if path is None else Path(path), store.iris)
    result = validate_ntriples(ntriples)
    if not result.conforms:
        raise IngestError(f"the authorities do not conform to the shapes: {result.first_message()}")
    store.put_enrichment(GRAPH, ntriples)
    store.flush()
    return coded


# ---------------------------------------------------------------- validate


def validate(store: GraphStore | None = None, engine: str = "fast") -> list[tuple[str, Validation]]:
    """Validate every stored report graph; the list of (sha256, result) that do not conform."""
    store = store or open_store()
    bad = []
    for sha in store.report_shas():
        result = validate_ntriples(store.ntriples(store.report_graph(sha)), engine)
        if not result.conforms:
            bad.append((sha, result))
    return bad


# ---------------------------------------------------------------- query


def query(name_or_file: str, params: dict[str, str] | None = None,
          store: GraphStore | None = None) -> Rows:  # fmt: skip
    """Run a library query (by name) or a .rq file; parameters bound as RDF terms."""
    return Rows.from_solutions(solutions(name_or_file, params, store))


def solutions(name_or_file: str, params: dict[str, str] | None = None,
              store: GraphStore | None = None) -> ox.QuerySolutions:  # fmt: skip
    """As ``query``, but the solutions as pyoxigraph gives them, one at a time (for an answer
    too big to hold as rows, or to time the engine alone)."""
    found = answer(name_or_file, params, store)
    if isinstance(found, (ox.QueryBoolean, ox.QueryTriples)):
        raise QueryError(f"{find_query(name_or_file).name}: only SELECT queries return rows "
                         "(an ASK query answers true or false, CONSTRUCT and DESCRIBE a graph: "
                         "api.answer gives those)")  # fmt: skip
    return found


Answer = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


def answer(name_or_file: str, params: dict[str, str] | None = None,
           store: GraphStore | None = None) -> Answer:  # fmt: skip
    """The engine's answer to a library query or a .rq file of any form: solutions (SELECT),
    a boolean (ASK, ``bool(answer)``) or triples (CONSTRUCT, DESCRIBE: ``serialize`` them).
    An update is refused: queries here only read."""
    q = find_query(name_or_file)
    if query_form(q.text) == "UPDATE":
        raise QueryError(f"{q.name}: this is a SPARQL update (INSERT, DELETE, LOAD, CLEAR, "
                         "DROP...), and queries here only read the store")  # fmt: skip
    store = store or open_store(read_only=False)
    check_params(q, params or {})
    params = match_params(q, params or {}, store)
    terms = bind(q, params)
    if q.name == SEARCH_QUERY and text_search.has_index(store):  # ranked, from the text index
        try:
            asked = (params or {})[SEARCH_PARAM]
            return text_search.solutions(store, text_search.as_phrase(asked), shown=asked)
        except text_search.SearchError as exc:
            raise QueryError(f"{q.name}: {exc}") from None
    scope = terms.get(ox.Variable(q.scope)) if q.scope else None
    if isinstance(scope, ox.Literal):  # one authority's graphs
        found = store.query(q.text, substitutions=terms, graphs=store.authority_graphs(scope))
    else:
        found = store.query(q.text, substitutions=terms)
    return found


SEARCH_QUERY, SEARCH_PARAM = "findings-search", "phrase"


def search(text: str, store: GraphStore | None = None, limit: int | None = None) -> Rows:
    """Findings matching ``text``, best first, from the store's full-text index: words
    (stemmed: "workers" finds "worker"), "a phrase" in quotes, AND, OR, NOT or -word. The
    ``findings-search`` query's columns, then ``score`` and ``passage`` (the best-matching
    passage, matched words in **...**). A store behind an endpoint has no index: use
    ``query("findings-search", ...)``, a substring scan."""
    store = store or open_store(read_only=True)
    if not text_search.has_index(store):
        raise text_search.SearchError(
            "full-text search needs an embedded store (this one is behind an endpoint): "
            "query findings-search scans the texts instead"
        )
    return text_search.search(store, text, limit)


def reindex(store: GraphStore | None = None, everything: bool = False) -> int:
    """Bring the store's full-text index level with its graphs (what a killed ingest left
    behind), or rebuild it whole; the number of reports reindexed."""
    store = store or open_store(read_only=False)
    if not text_search.has_index(store):
        raise text_search.SearchError("a store behind an endpoint has no text index to rebuild")
    return store.reindex(everything=everything)  # type: ignore[attr-defined]


# ---------------------------------------------------------------- export


def publication(endpoint: str = DEFAULT_ENDPOINT, base_url: str | None = None,
                publisher: str = PUBLISHER, contact: str = CONTACT,
                ontology: bool = True) -> Publication:  # fmt: skip
    """What the description says of where and by whom the data is published (a ValueError
    with the reason for a URL or contact that cannot be one): see publish.describe."""
    return Publication(endpoint, base_url, publisher, contact, ontology)


def export(fmt: str = "turtle", store: GraphStore | None = None, describe: bool = True,
           endpoint: str = DEFAULT_ENDPOINT, base_url: str | None = None,
           publisher: str = PUBLISHER, contact: str = CONTACT,
           ontology: bool = True) -> bytes:  # fmt: skip
    """Every data graph (reports, enrichment), the ontology's graph (unless ``ontology`` is
    false) and the dataset description, in a stable order: the same store gives the same
    bytes. ``base_url``: where the export files are published (each distribution's download
    URL). See ofsted_kg.publish.export."""
    from ofsted_kg.publish.export import export as _export

    pub = publication(endpoint, base_url, publisher, contact, ontology)
    return _export(fmt, store or open_store(), describe=describe, publication=pub)


def describe(store: GraphStore | None = None, fmt: str = "turtle",
             endpoint: str = DEFAULT_ENDPOINT, base_url: str | None = None,
             publisher: str = PUBLISHER, contact: str = CONTACT,
             ontology: bool = True) -> bytes:  # fmt: skip
    """The VoID and DCAT description of the store's data alone (of the exports made with
    the same options)."""
    from ofsted_kg.publish.export import describe_document

    pub = publication(endpoint, base_url, publisher, contact, ontology)
    return describe_document(fmt, store or open_store(), pub)
