"""Benchmark PDF text extraction over the Ofsted corpus.

Compares, per report (every page of the PDF, from bytes already in memory):

* ``read_pdf``       -- ingest.read_pdf: pypdfium2 text + geometry, headers and footers
                        removed, logical lines rebuilt (what the pipeline uses);
* ``pypdfium2 text`` -- pypdfium2 raw text only (``PdfTextPage.get_text_range``), the floor
                        set by PDFium's own page parsing;
* ``pypdf``          -- pypdf ``PageObject.extract_text`` (pure Python), the alternative.

Usage (from the repository root)::

    python benchmarks/pdf_extraction.py                 # whole corpus, all three
    python benchmarks/pdf_extraction.py --repeat 3      # best of 3 runs per report
    python benchmarks/pdf_extraction.py --skip-pypdf    # the fast two only
    python benchmarks/pdf_extraction.py --corpus DIR

Prints a markdown table: per-report milliseconds (mean, median, 95th percentile), per-page
milliseconds and the total seconds for the corpus. Files that are not PDFs (the corpus has
two HTML error pages) are left out.
"""

from __future__ import annotations

import argparse
import io
import math
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # the checkout's package, installed or not

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "pdf"


def run_read_pdf(path: Path, data: bytes) -> int:
    from ofsted_kg.read.pdf import read_pdf

    return len(read_pdf(path, data).lines)


def run_pdfium_text(path: Path, data: bytes) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    chars = 0
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            chars += len(textpage.get_text_range())
            textpage.close()
            page.close()
    finally:
        pdf.close()
    return chars


def run_pypdf(path: Path, data: bytes) -> int:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    return sum(len(page.extract_text() or "") for page in reader.pages)


EXTRACTORS: dict[str, Callable[[Path, bytes], int]] = {
    "read_pdf (pypdfium2, logical lines)": run_read_pdf,
    "pypdfium2 raw text": run_pdfium_text,
    "pypdf extract_text": run_pypdf,
}


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def page_count(data: bytes) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        return len(pdf)
    finally:
        pdf.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of PDFs")
    parser.add_argument("--repeat", type=int, default=1, help="runs per report; the best counts")
    parser.add_argument("--skip-pypdf", action="store_true", help="leave out the slow pypdf run")
    args = parser.parse_args(argv)

    files = sorted(args.corpus.glob("*.pdf"))
    reports = [(p, p.read_bytes()) for p in files]
    reports = [(p, d) for p, d in reports if d[:1024].find(b"%PDF-") >= 0]
    if not reports:
        print(f"no PDFs found in {args.corpus}", file=sys.stderr)
        return 1
    pages = sum(page_count(d) for _, d in reports)

    rows = []
    for name, run in EXTRACTORS.items():
        if args.skip_pypdf and run is run_pypdf:
            continue
        run(*reports[0])  # warm up: imports, PDFium initialisation
        times = []
        for path, data in reports:
            best = math.inf
            for _ in range(max(1, args.repeat)):
                start = time.perf_counter()
                run(path, data)
                best = min(best, time.perf_counter() - start)
            times.append(best * 1000)
        total = sum(times)
        rows.append(
            f"| {name} | {statistics.mean(times):.1f} | {statistics.median(times):.1f} "
            f"| {percentile(times, 95):.1f} | {total / pages:.2f} | {total / 1000:.2f} |"
        )

    print(
        f"{len(reports)} reports, {pages} pages; Python {platform.python_version()}, "
        f"{platform.machine()}, best of {max(1, args.repeat)} run(s) per report\n"
    )
    print("| Extractor | mean ms/report | p50 ms | p95 ms | ms/page | total s |")
    print("|---|---:|---:|---:|---:|---:|")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
