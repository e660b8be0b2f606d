"""Benchmark the query library: pyoxigraph against rdflib's SPARQL engine, at 1x, 10x, 100x.

The graph at 1x is the bundled seeds plus every PDF of the shared corpus, with the authority
enrichment. It is grown by re-emitting each parsed report under synthetic authorities: copy k
(k >= 1) renames the authority of the report's inspection, of the inspections it reviews and
of the earlier inspections it refers to ("Camden" -> "Camden 7") and derives a new SHA-256, so
every copy is a report graph of its own about an authority of its own (partner agencies,
inspectors and concepts are shared, as they would be with more real reports). The synthetic
authorities have no enrichment (no region, no neighbours).

Every library query runs with its parameters left out (all authorities: the widest answer)
except the required ones (``phrase=management oversight``); with ``--param authority=Camden``
only the queries that take that parameter run, with it bound (Camden's answer is the same
at every scale, so the time shows how a selective query grows with the graph). A run is
the query executed and every row read. pyoxigraph runs on an in-memory store
(``--on-disk`` for a RocksDB store in a temporary folder); rdflib on a Dataset with
default_union=True, in a worker process that is killed when a query passes
``--rdflib-timeout`` seconds.

    python benchmarks/queries.py                       # 1x, 10x, 100x; markdown on stdout
    python benchmarks/queries.py --scales 1 --reps 5   # quicker
    python benchmarks/queries.py --param authority=Camden --rdflib-scales ""
    python benchmarks/queries.py --floors --rdflib-scales ""   # the least work, not the library

``--floors`` times, in place of the library, the least work that some of the library's
queries must do on the widest answer whatever their form (``FLOORS``): e.g. listing every
finding, which is ``findings``' answer. A floor above the target shows that no way of writing
those queries meets it on this engine.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import multiprocessing as mp
import os
import pickle
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))  # the checkout's package, installed or not

from ofsted_kg import api  # noqa: E402
from ofsted_kg.model import Report  # noqa: E402
from ofsted_kg.query.library import find_query, library  # noqa: E402
from ofsted_kg.rdf.emit import emit_ntriples  # noqa: E402
from ofsted_kg.resources import example_reports  # noqa: E402
from ofsted_kg.store.embedded import Store  # noqa: E402

REQUIRED = {"phrase": "management oversight"}
GIVEN: dict[str, str] = {}  # --param: bound in every query that has the parameter
P50_TARGET = {1: 50.0, 100: 500.0}  # ms, pyoxigraph


# ---------------------------------------------------------------- the graph


def parse_all(shared: Path, jobs: int, cache: Path | None) -> list[Report]:
    """Every seed and corpus report, parsed once (pickled to ``cache`` when given)."""
    paths = sorted(example_reports()) + api.expand([shared / "corpus" / "pdf"])
    if cache and cache.is_file():
        reports = pickle.loads(cache.read_bytes())
        if len(reports) <= len(paths):
            return reports
    with ProcessPoolExecutor(jobs) as pool:
        reports = list(pool.map(_load, paths))
    reports = [r for r in reports if r is not None]
    if cache:
        cache.write_bytes(pickle.dumps(reports))
    return reports


def _load(path: Path) -> Report | None:
    try:
        return api.load(path)
    except Exception as exc:  # a report the pipeline refuses is left out, as ingest would
        print(f"skipped {path.name}: {exc}", file=sys.stderr)
        return None


def renamed(report: Report, k: int) -> Report:
    """Copy k of a report: every inspection's authority suffixed with k, a derived SHA-256."""
    if k == 0:
        return report

    def insp(i):  # noqa: ANN001, ANN202
        return dataclasses.replace(i, authority=f"{i.authority} {k}")

    sha = hashlib.sha256(f"{report.sha256}/{k}".encode()).hexdigest()
    return dataclasses.replace(
        report,
        sha256=sha,
        inspection=insp(report.inspection),
        reviews=[insp(i) for i in report.reviews],
        earlier=[insp(i) for i in report.earlier],
    )


_REPORTS: list[Report] = []  # for the emitting workers (forked)


def _emit_copy(args: tuple[int, str]) -> list[tuple[str, bytes]]:
    k, base = args
    return [(c.sha256, emit_ntriples(c, base)) for c in (renamed(r, k) for r in _REPORTS)]


def build(reports: list[Report], scale: int, authorities: Path | None,
          path: Path | None, jobs: int = 1) -> Store:  # fmt: skip
    """The store at a scale: every report emitted ``scale`` times, copies 1.. renamed."""
    store = Store(path)
    base = store.iris.base
    _REPORTS[:] = reports
    work = [(k, base) for k in range(scale)]
    with ProcessPoolExecutor(jobs, mp_context=mp.get_context("fork")) as pool:
        for copy in pool.map(_emit_copy, work):
            for sha, nt in copy:
                store.ox.load(nt, format=ox.RdfFormat.N_TRIPLES, to_graph=store.report_graph(sha))
    if authorities and authorities.is_file():
        api.enrich_authorities(authorities, store)
    store.reindex(everything=True)  # loaded beside put_report: the text index built after
    store.flush()
    return store


# ---------------------------------------------------------------- floors

_PREFIXES = "PREFIX okg: <https://w3id.org/ofsted-kg/ontology#>\n"
FLOORS: dict[str, tuple[str, str]] = {
    # name: (the library queries it bounds, the SPARQL: part of what they evaluate)
    "every finding listed": (
        "findings (one row a finding)",
        "SELECT ?finding WHERE { ?finding a okg:Finding }",
    ),
    "every finding counted": (
        "findings",
        "SELECT (COUNT(*) AS ?n) WHERE { ?finding a okg:Finding }",
    ),
    "every finding's text searched": (
        "findings-search (without a text index)",
        "SELECT ?finding WHERE { ?finding okg:text ?text "
        'FILTER (CONTAINS(LCASE(?text), "management oversight")) }',
    ),
    "every theme tag counted": (
        "themes-by-year, recurring-themes (without stored counts)",
        "SELECT (COUNT(*) AS ?n) WHERE { ?finding okg:theme ?theme }",
    ),
    "every judgement's key, once": (
        "grade-changes (pairs judgements with judgements: these keys twice)",
        "SELECT DISTINCT ?authority ?area ?service ?start WHERE { "
        "?report okg:reportOf ?inspection . "
        "?inspection okg:inspectionOf ?authority ; okg:startDate ?start . "
        "?judgement okg:judgementOf ?inspection ; okg:area ?area ; okg:grade ?grade . "
        "OPTIONAL { ?judgement okg:service ?service_given } "
        "BIND (COALESCE(?service_given, okg:service-none) AS ?service) }",
    ),
    "every judgement listed": (
        "judgements, grade-matrix, authority-timeline (one row a judgement)",
        "SELECT ?judgement WHERE { ?judgement okg:judgementOf ?inspection }",
    ),
    "every recommendation's text": (
        "recommendations (one row a recommendation)",
        "SELECT ?recommendation ?text WHERE { ?recommendation a okg:Recommendation ; "
        "okg:text ?text }",
    ),
}


def time_floor(store: Store, name: str, reps: int) -> tuple[list[float], int]:
    """Milliseconds per run of a floor (after one warm-up run), its solutions only counted."""
    sparql = _PREFIXES + FLOORS[name][1]

    return _timed(lambda: sum(1 for _ in store.query(sparql)), reps)  # type: ignore[union-attr]


def _timed(run: Callable[[], int], reps: int,
           slow_ms: float | None = None) -> tuple[list[float], int]:  # fmt: skip
    """Milliseconds per run of ``run`` after one warm-up run, and what the warm-up returned
    (the rows); one run only when the warm-up took over ``slow_ms``."""
    t = time.perf_counter()
    n = run()
    if slow_ms is not None and (time.perf_counter() - t) * 1000 > slow_ms:
        reps = 1
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        run()
        times.append((time.perf_counter() - t) * 1000)
    return times, n


# ---------------------------------------------------------------- timing


def params_for(name: str) -> dict[str, str]:
    q = find_query(name)
    out = {p: REQUIRED[p] for p, d in q.params.items() if d.required}
    return out | {p: v for p, v in GIVEN.items() if p in q.params}


def time_ox(store: Store, name: str, reps: int,
            engine_only: bool = False) -> tuple[list[float], int]:  # fmt: skip
    """Milliseconds per run (after one warm-up run) and the number of rows."""
    params = params_for(name)

    def run() -> int:
        if engine_only:  # the solutions counted, no value read into Python
            return sum(1 for _ in api.solutions(name, params, store))
        return len(api.query(name, params, store).values())

    return _timed(run, reps, slow_ms=2000)  # a slow query: one more run is enough to show it


def _rdflib_worker(nquads: bytes, jobs: mp.Queue, out: mp.Queue) -> None:
    from rdflib import Dataset, Literal, Variable

    ds = Dataset(default_union=True)
    ds.parse(data=nquads.decode(), format="nquads")
    out.put(("ready", None, None))
    while (job := jobs.get()) is not None:
        name, reps = job
        q = find_query(name)
        bindings = {Variable(k): Literal(v) for k, v in params_for(name).items()}
        times, n = [], 0
        for _ in range(reps + 1):  # the first run is the warm-up
            t = time.perf_counter()
            n = len(list(ds.query(q.text, initBindings=bindings)))
            times.append((time.perf_counter() - t) * 1000)
        out.put((name, times[1:] if reps else times, n))


class Rdflib:
    """An rdflib Dataset in a worker process; a query that runs too long kills the worker."""

    def __init__(self, nquads: bytes, timeout: float) -> None:
        self.nquads, self.timeout, self.proc = nquads, timeout, None
        self.load_seconds = 0.0

    def _start(self) -> None:
        ctx = mp.get_context("fork")
        self.jobs, self.out = ctx.Queue(), ctx.Queue()
        self.proc = ctx.Process(target=_rdflib_worker, args=(self.nquads, self.jobs, self.out))
        t = time.perf_counter()
        self.proc.start()
        self.out.get()
        self.load_seconds = time.perf_counter() - t

    def run(self, name: str, reps: int) -> tuple[list[float], int] | None:
        """Milliseconds per run and rows, or None when it passed the timeout."""
        if self.proc is None:
            self._start()
        self.jobs.put((name, reps))
        try:
            _name, times, n = self.out.get(timeout=self.timeout * (reps + 1))
        except Exception:  # queue.Empty: too slow
            self.close()
            return None
        return times, n

    def close(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.join()
            self.proc = None


def pct(times: list[float], p: float) -> float:
    if len(times) == 1:
        return times[0]
    return statistics.quantiles(times, n=100, method="inclusive")[int(p) - 1]


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--scales", default="1,10,100")
    ap.add_argument("--reps", type=int, default=20, help="runs per query at 1x (fewer above)")
    ap.add_argument("--rdflib-scales", default="1,10", help="scales rdflib runs at")
    ap.add_argument(
        "--rdflib-big-queries",
        default="agency-network,body-table-disagreements,"
        "grade-changes,lscb-judgements,recommendations-immediate,visits-referring-back",
        help="the queries rdflib runs above 1x (loading and timing out cost minutes)",
    )
    ap.add_argument("--rdflib-timeout", type=float, default=20.0, help="seconds per run")
    ap.add_argument(
        "--skip-after",
        type=float,
        default=60.0,
        help="skip a query at a scale when the scale below suggests more seconds",
    )
    ap.add_argument("--on-disk", action="store_true", help="a RocksDB store, not in memory")
    ap.add_argument("--engine-only", action="store_true",
                    help="count pyoxigraph's solutions without reading their values into "
                         "Python (api.solutions, not api.query)")  # fmt: skip
    ap.add_argument("--cache", type=Path, help="pickle of the parsed reports (made if absent)")
    ap.add_argument("--queries", help="comma-separated query names (default: all)")
    ap.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="bind a parameter (e.g. authority=Camden) and run only the queries that have it",
    )
    ap.add_argument(
        "--floors",
        action="store_true",
        help="time the least work of the widest answers (FLOORS), not the library",
    )
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args(argv)

    scales = [int(s) for s in args.scales.split(",")]
    rdflib_scales = {int(s) for s in args.rdflib_scales.split(",") if s}
    names = args.queries.split(",") if args.queries else sorted(library())
    GIVEN.update(p.split("=", 1) for p in args.param)
    if GIVEN:
        names = [n for n in names if set(GIVEN) <= set(find_query(n).params)]
    t = time.perf_counter()
    reports = parse_all(args.shared, args.jobs, args.cache)
    log(f"{len(reports)} reports parsed in {time.perf_counter() - t:.0f} s")
    authorities = args.shared / "reference" / "local-authorities.csv"

    results: dict[tuple[str, str, int], tuple[float, float, int, int] | str] = {}
    sizes: dict[int, int] = {}
    for scale in scales:
        reps = max(3, args.reps // (1 if scale == 1 else 2 if scale == 10 else 4))
        with tempfile.TemporaryDirectory() as tmp:
            t = time.perf_counter()
            store = build(
                reports, scale, authorities, Path(tmp) / "db" if args.on_disk else None, args.jobs
            )
            sizes[scale] = len(store.ox)
            log(f"{scale}x: {sizes[scale]} quads, built in {time.perf_counter() - t:.0f} s")
            if args.floors:
                for name in FLOORS:
                    times, n = time_floor(store, name, reps)
                    results[("floor", name, scale)] = (pct(times, 50), pct(times, 95), n, reps)
                    log(f"  floor {name}: p50 {pct(times, 50):.1f} ms, {n} rows")
                del store
                continue
            for name in names:
                prev = [s for s in scales if s < scale and ("pyoxigraph", name, s) in results]
                if prev:
                    last = results[("pyoxigraph", name, prev[-1])]
                    guess = last[0] * scale / prev[-1] if isinstance(last, tuple) else 1e12
                    if guess > args.skip_after * 1000:  # linear guess from the scale below
                        results[("pyoxigraph", name, scale)] = (
                            f"not run (> {args.skip_after:.0f} s)"
                        )
                        log(f"  pyoxigraph {name}: skipped, {guess / 1000:.0f} s expected")
                        continue
                times, n = time_ox(store, name, reps, args.engine_only)
                results[("pyoxigraph", name, scale)] = (pct(times, 50), pct(times, 95), n, reps)
                log(
                    f"  pyoxigraph {name}: p50 {pct(times, 50):.1f} ms, "
                    f"p95 {pct(times, 95):.1f} ms, {n} rows"
                )
            if scale in rdflib_scales:
                nquads = store.ox.dump(format=ox.RdfFormat.N_QUADS) or b""
                engine = Rdflib(nquads, args.rdflib_timeout)
                rreps = max(1, reps // 4) if scale == 1 else 1
                big = args.rdflib_big_queries.split(",")
                for name in names if scale == 1 else [n for n in names if n in big]:
                    got = engine.run(name, rreps)
                    if got is None:
                        results[("rdflib", name, scale)] = f"> {args.rdflib_timeout:.0f} s"
                        log(f"  rdflib {name}: timed out")
                        continue
                    times, n = got
                    results[("rdflib", name, scale)] = (pct(times, 50), pct(times, 95), n, rreps)
                    log(
                        f"  rdflib {name}: p50 {pct(times, 50):.1f} ms, "
                        f"p95 {pct(times, 95):.1f} ms, {n} rows"
                    )
                    ox_rows = results[("pyoxigraph", name, scale)][2]
                    if n != ox_rows:
                        log(f"  ! {name}: rdflib {n} rows, pyoxigraph {ox_rows}")
                engine.close()
            del store
    if args.floors:
        print(floor_table(scales, results, sizes))
    else:
        print(table(names, scales, rdflib_scales, results, sizes))
    return 0


def _footer(scales: list[int], sizes: dict[int, int]) -> list[str]:
    """The lines under a table: the graph's size at each scale, and the machine."""
    return [
        "Quads per scale: " + ", ".join(f"{s}x {sizes[s]:,}" for s in scales) + ".",
        f"Python {platform.python_version()}, pyoxigraph {ox.__version__}, "
        f"{platform.machine()}, {os.cpu_count()} cores.",
    ]


def floor_table(scales, results, sizes) -> str:  # noqa: ANN001
    head = ["least work", "bounds", "rows 1x", *(f"pyoxigraph {s}x" for s in scales)]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for name, (bounds, _sparql) in FLOORS.items():
        row = [name, bounds, str(results[("floor", name, scales[0])][2])]
        for scale in scales:
            p50, p95, _n, _reps = results[("floor", name, scale)]
            target = P50_TARGET.get(scale)
            mark = " **above the target**" if target is not None and p50 > target else ""
            row.append(f"{p50:.1f} / {p95:.1f}{mark}")
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join([*lines, "", *_footer(scales, sizes)])


def table(names, scales, rdflib_scales, results, sizes) -> str:  # noqa: ANN001
    def cell(engine: str, name: str, scale: int) -> str:
        r = results.get((engine, name, scale))
        if r is None:
            return "not run"
        if isinstance(r, str):
            return r
        p50, p95, _n, _reps = r
        mark = ""
        target = P50_TARGET.get(scale)
        if engine == "pyoxigraph" and target is not None and p50 > target:
            mark = " **miss**"
        return f"{p50:.1f} / {p95:.1f}{mark}"

    head = ["query", "rows 1x"]
    for scale in scales:
        head.append(f"pyoxigraph {scale}x")
        if scale in rdflib_scales:
            head.append(f"rdflib {scale}x")
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for name in names:
        first = results.get(("pyoxigraph", name, scales[0]))
        row = [f"`{name}`", str(first[2]) if isinstance(first, tuple) else ""]
        for scale in scales:
            row.append(cell("pyoxigraph", name, scale))
            if scale in rdflib_scales:
                row.append(cell("rdflib", name, scale))
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join([*lines, "", *_footer(scales, sizes)])


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
