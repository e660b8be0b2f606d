"""SHACL engines against pyshacl: agreement and speed, report by report.

    python benchmarks/validation.py [--corpus ../shared/corpus/pdf] [--repeat 3]
        [--cache /tmp/okg-validation-reports.pkl] [--no-turbo]

Two sets of graphs:

- every report of the corpus: the seeds and every readable PDF of ``--corpus``, each read
  by ``enrich.pipeline.parse_file`` and written by ``rdf.emit.emit_ntriples`` (cached in a
  pickle under /tmp: delete it after changing a parser);
- the broken graphs of tests/validate/test_shapes.py: one per constraint (its ``CASES``),
  a node breaking a node-level and a property constraint at once, and a page number of
  each kind that cannot be compared with ``sh:minInclusive``'s minimum.

Each graph goes through every engine of ``validate.shacl.ENGINES`` and, when it is
installed, pyshacl-turbo two ways: the N-Triples of the ontology and the report as one
document (``turbo``, its pySHACL-compatible input), and a pyoxigraph store holding them
(``turbo-store``, its fastest input). An engine agrees on a graph when it gives the same
set of (focus node, path, constraint component) as pyshacl. Times are per graph, the best
of ``--repeat`` runs (pyshacl: one run), from the N-Triples bytes to the list of results,
with the engines interleaved graph by graph so that a busy moment of the machine falls on
all of them. Prints markdown tables for benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import pickle
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
from rdflib.namespace import SH

from ofsted_kg.enrich.pipeline import parse_file
from ofsted_kg.rdf import vocab
from ofsted_kg.rdf.emit import emit, emit_ntriples
from ofsted_kg.read.document import IngestError
from ofsted_kg.resources import example_reports
from ofsted_kg.validate.report import shapes_graph
from ofsted_kg.validate.shacl import ENGINES, validate_ntriples

ROOT = Path(__file__).resolve().parents[1]
Key = tuple[str, str | None, str]  # focus node, path, constraint component
Engine = Callable[[bytes], set[Key]]


# ---------------------------------------------------------------- the graphs


def corpus_reports(corpus: Path, cache: Path) -> dict[str, bytes]:
    """{file name: N-Triples} of the seeds and every corpus PDF the parsers read."""
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    out: dict[str, bytes] = {}
    for path in [*example_reports(), *sorted(corpus.glob("*.pdf"))]:
        try:
            out[path.name] = emit_ntriples(parse_file(path))
        except IngestError as e:  # an HTML page saved as .pdf, a family not read yet
            print(f"skipped {path.name}: {e}", file=sys.stderr)
    cache.write_bytes(pickle.dumps(out))
    return out


def broken_graphs() -> dict[str, bytes]:
    """{case id: N-Triples} of the broken graphs tests/validate/test_shapes.py validates."""
    spec = importlib.util.spec_from_file_location(
        "test_shapes", ROOT / "tests" / "validate" / "test_shapes.py"
    )
    assert spec and spec.loader
    t = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = t  # its dataclasses look their module up there
    spec.loader.exec_module(t)
    reports = {key: parse_file(p) for key, p in zip(t.SEED_IDS, t.SEEDS, strict=True)}
    graphs = {key: emit(report) for key, report in reports.items()}
    graphs["note"] = emit(t._with_note(reports["000"]))
    out = {}
    for param in t.CASES:
        case = param.values[0]
        g, node = t.base_graph(graphs, case.seed, case.pick)
        case.mutate(g, node)
        out[param.id] = g.serialize(format="nt").encode()
    g, node = t.base_graph(graphs, "003", "tagged finding")
    g.remove((node, t.OKG.theme, None))
    g.remove((node, t.OKG.text, None))
    out["node-and-property"] = g.serialize(format="nt").encode()
    for name, value in [("string", t.Literal("a")), ("iri", t.OKG.Report), ("blank", t.BNode()),
                        ("date", t.Literal("2020-01-01", datatype=t.XSD.date))]:  # fmt: skip
        g, node = t.base_graph(graphs, "003", "finding")
        g.set((node, t.OKG.page, value))
        out[f"page-{name}"] = g.serialize(format="nt").encode()
    return out


# ---------------------------------------------------------------- the engines


def _ours(engine: str) -> Engine:
    def run(data: bytes) -> set[Key]:
        return {(r.focus, r.path, r.component) for r in validate_ntriples(data, engine).results}

    return run


def _turbo_engines() -> dict[str, Engine]:
    """pyshacl-turbo given what pyshacl is given: the shapes, and the whole ontology mixed
    into the report's triples; the shapes compiled once, outside the timings."""
    try:
        from pyshacl_turbo import compile_shapes
    except ImportError:
        print("pyshacl-turbo is not installed: pip install pyshacl-turbo", file=sys.stderr)
        return {}
    program = compile_shapes(shapes_graph())
    ontology = vocab.ontology_ntriples().encode()

    def keys(report) -> set[Key]:  # noqa: ANN001 (an rdflib Graph)
        out = set()
        for r in report.subjects(SH.resultSeverity, None):
            path = report.value(r, SH.resultPath)
            out.add((str(report.value(r, SH.focusNode)), str(path) if path is not None else None,
                     str(report.value(r, SH.sourceConstraintComponent))))  # fmt: skip
        return out

    def document(data: bytes) -> set[Key]:
        _conforms, report, _text = program.validate(
            ontology + data, data_graph_format="nt", allow_warnings=True
        )
        return keys(report)

    def store(data: bytes) -> set[Key]:
        s = ox.Store()
        s.load(ontology + data, format=ox.RdfFormat.N_TRIPLES)
        _conforms, report, _text = program.validate(s, allow_warnings=True)
        return keys(report)

    return {"turbo": document, "turbo-store": store}


# ---------------------------------------------------------------- measuring


def measure(graphs: dict[str, bytes], engines: dict[str, Engine], repeat: int) -> dict:
    """{engine: (seconds per graph, names of the graphs where it disagrees with pyshacl,
    how many results it gave)}."""
    times: dict[str, list[float]] = {e: [] for e in engines}
    disagree: dict[str, list[str]] = {e: [] for e in engines}
    found = dict.fromkeys(engines, 0)
    for name, data in graphs.items():
        reference = None
        for engine, run in engines.items():
            best, results = float("inf"), set()
            for _ in range(1 if engine == "pyshacl" else repeat):
                start = time.perf_counter()
                results = run(data)
                best = min(best, time.perf_counter() - start)
            times[engine].append(best)
            found[engine] += len(results)
            if engine == "pyshacl":
                reference = results
            elif results != reference:
                disagree[engine].append(name)
    return {e: (times[e], disagree[e], found[e]) for e in engines}


def _p(values: list[float], q: float) -> float:
    values = sorted(values)
    return 1000 * values[min(len(values) - 1, round(q * (len(values) - 1)))]


def table(title: str, graphs: dict[str, bytes], measured: dict) -> str:
    reference = measured["pyshacl"][2]
    triples = sum(data.count(b"\n") for data in graphs.values())
    lines = [
        f"{title}: {len(graphs)} graphs, {triples:,} triples; pyshacl gives {reference:,} results",
        "",
        "| engine | agrees with pyshacl | results | p50 ms | p95 ms | mean ms |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for engine, (times, disagree, found) in measured.items():
        if engine == "pyshacl":
            agree = "(the reference)"
        else:
            agree = "on all" if not disagree else f"**not on {len(disagree)}**"
        lines.append(f"| `{engine}` | {agree} | {found:,} | {_p(times, 0.5):.1f} | "
                     f"{_p(times, 0.95):.1f} | {1000 * statistics.mean(times):.1f} |")  # fmt: skip
    for engine, (_t, disagree, _f) in measured.items():
        if disagree:
            shown = ", ".join(disagree[:8]) + (", ..." if len(disagree) > 8 else "")
            lines.append(f"\n`{engine}` disagrees on: {shown}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "pdf")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/okg-validation-reports.pkl"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-turbo", action="store_true", help="leave pyshacl-turbo out")
    args = parser.parse_args()

    engines: dict[str, Engine] = {"pyshacl": _ours("pyshacl")}
    engines |= {e: _ours(e) for e in ENGINES if e != "pyshacl"}
    if not args.no_turbo:
        engines |= _turbo_engines()
    corpus = corpus_reports(args.corpus, args.cache)
    broken = broken_graphs()
    for run in engines.values():  # warm every engine up (its shapes read, its caches filled)
        run(next(iter(corpus.values())))

    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"Measured {started}; Python {platform.python_version()}, pyoxigraph {ox.__version__}"
          f"{_turbo_version()}, best of {args.repeat} runs (pyshacl: one)\n")  # fmt: skip
    print(table("Every report of the corpus", corpus, measure(corpus, engines, args.repeat)))
    print()
    print(table("The broken graphs of the shape tests", broken,
                measure(broken, engines, args.repeat)))  # fmt: skip


def _turbo_version() -> str:
    try:
        from pyshacl_turbo import __version__
    except ImportError:
        return ""
    return f", pyshacl-turbo {__version__}"


if __name__ == "__main__":
    main()
