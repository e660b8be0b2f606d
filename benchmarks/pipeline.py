"""Ingest speed: text extraction alone (the floor) against the whole pipeline.

    python benchmarks/pipeline.py [--corpus ../shared/corpus/pdf] [--repeat 3]

For every readable PDF of the corpus: the time to extract its text (ingest/read_pdf.py),
and to take it through the whole pipeline (read, detect, parse, enrich, emit, SHACL
validation, store), each run into a store that does not hold the report yet. Then the
whole corpus ingested into a fresh on-disk store with 1 and 2 jobs. Prints markdown tables
for benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from ofsted_kg import api
from ofsted_kg.read.document import IngestError
from ofsted_kg.read.pdf import read_pdf

ROOT = Path(__file__).resolve().parents[1]


def _ms(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
    mean, p50 = statistics.mean(values), statistics.median(values)
    return f"{1000 * mean:.1f} | {1000 * p50:.1f} | {1000 * p95:.1f}"


def per_report(files: list[Path], repeat: int) -> tuple[list[float], list[float], list[Path]]:
    extract, pipeline, ok = [], [], []
    # one store per timed run, each holding the reports before it, as a batch ingest's does:
    # a report is stored once into each, never over its own earlier graph (replacing one,
    # ingest --force, is another and slower path) and never after removing it (RocksDB's
    # tombstones would slow the next insert by about a fifth)
    stores = [api.open_store(Path(tempfile.mkdtemp()) / "store") for _ in range(repeat)]
    for path in files:
        try:
            read_pdf(path)
        except IngestError:
            continue
        best_extract = min(_time(lambda p=path: read_pdf(p)) for _ in range(repeat))

        def whole(store: api.Store, path: Path = path) -> None:
            out = api.process(path, store.iris.base)
            if isinstance(out, api.Failure):
                raise IngestError(out.reason)
            store.put_report(out.sha256, out.ntriples)

        try:
            best_pipeline = min(_time(lambda s=store: whole(s)) for store in stores)
        except IngestError:
            continue  # a PDF of a kind the parsers do not know: not part of the pipeline figure
        extract.append(best_extract)
        pipeline.append(best_pipeline)
        ok.append(path)
    return extract, pipeline, ok


def _time(fn) -> float:  # noqa: ANN001
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def batch(files: list[Path], jobs: int) -> tuple[float, int]:
    store = api.open_store(Path(tempfile.mkdtemp()) / "store")
    start = time.perf_counter()
    result = api.ingest(files, store, jobs=jobs)
    return time.perf_counter() - start, len(result.ingested)


def extraction_batch(files: list[Path]) -> float:
    start = time.perf_counter()
    for path in files:
        read_pdf(path)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "pdf")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    files = sorted(args.corpus.glob("*.pdf"))
    if not files:
        print(f"no PDFs in {args.corpus}", file=sys.stderr)
        return 1
    extract, pipeline, ok = per_report(files, args.repeat)
    print(f"Per report ({len(ok)} reports the pipeline ingests, best of {args.repeat}; ms):\n")
    print("| stage | mean | p50 | p95 |\n| --- | --- | --- | --- |")
    print(f"| text extraction (floor) | {_ms(extract)} |")
    print(f"| whole pipeline, validation and store included | {_ms(pipeline)} |")
    ratio = statistics.median(p / e for p, e in zip(pipeline, extract, strict=True))
    print(f"\nMedian pipeline / extraction ratio per report: {ratio:.2f}\n")
    floor = extraction_batch(ok)
    print("Whole corpus (the same reports, fresh on-disk store, process start-up included):\n")
    print("| run | seconds | reports/s |\n| --- | --- | --- |")
    print(f"| text extraction, 1 process | {floor:.2f} | {len(ok) / floor:.1f} |")
    for jobs in (1, 2):
        seconds, n = batch(ok, jobs)
        print(f"| pipeline, --jobs {jobs} | {seconds:.2f} | {n / seconds:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
