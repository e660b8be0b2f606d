"""Crash safety: an ingest killed with SIGKILL at random moments never loses or half-stores
a report, and running it again finishes the job with the same bytes.

An uninterrupted ingest of the seeds plus a few corpus PDFs (seeds only when ../shared is
absent) gives the reference graphs and export. Then ingests of the same files into fresh
stores are killed (the whole process group: the CLI and its workers) at seeded-random
moments spread over the reference run's duration, at least 20 times. After every kill the
store opens, every report graph in it is identical to the reference graph of that report
or absent, and the graphs conform to the shapes. The next run resumes the same store; when
a store is complete its nquads export must equal the reference bytes, and a fresh store is
started. After every kill the full-text index, once the store is opened for writing, holds
exactly the findings of the store's graphs. Bounded to about 3 minutes on a busy 2-core machine.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from helpers import SHARED
from ofsted_kg import api
from ofsted_kg.validate.shacl import validate_ntriples

KILLS = 20
CORPUS = SHARED / "corpus" / "pdf"
# small reports of three families, and an HTML page saved as .pdf (always fails)
CORPUS_FILES = [
    "bury-2021-12-17.pdf",
    "trafford-2019-05-08.pdf",
    "norfolk-2013-08-16.pdf",
    "camden-2022-06-21.pdf",
    "birmingham-2012-10-19.pdf",
]


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "ofsted_kg.cli", *args]


def graphs(store_path: Path) -> dict[str, frozenset[bytes]]:
    """sha256 -> the report graph's N-Triples lines, read through a read-only handle."""
    store = api.Store(store_path, read_only=True)
    try:
        return {
            sha: frozenset(store.ntriples(store.report_graph(sha)).splitlines())
            for sha in store.report_shas()
        }
    finally:
        del store


def export(store_path: Path) -> bytes:
    proc = subprocess.run(
        cli("export", "--format", "nquads", "--store", str(store_path)),
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout


def text_index_level_with_store(store_path: Path) -> None:
    """The text index, once the store is opened for writing (which reindexes what the
    journal says a kill left behind), holds exactly the findings of the store's graphs."""
    store = api.Store(store_path)
    try:
        expected = {
            (iri, sha, text)
            for sha in store.report_shas()
            for iri, text in store.finding_texts(store.report_graph(sha))
        }
        assert store.text.documents() == expected
    finally:
        del store


@pytest.fixture(scope="module")
def files(seeds: list[Path]) -> list[str]:
    corpus = [CORPUS / name for name in CORPUS_FILES] if CORPUS.is_dir() else []
    return [str(p) for p in [*seeds, *corpus]]


def test_sigkill_at_random_moments_loses_nothing(files: list[str], tmp_path: Path) -> None:
    ingest = cli("ingest", *files, "--jobs", "2", "--store")
    # the reference: an uninterrupted run
    ref_store = tmp_path / "reference"
    started = time.perf_counter()
    proc = subprocess.run([*ingest, str(ref_store)], capture_output=True, text=True, timeout=300)
    duration = time.perf_counter() - started
    assert "Traceback" not in proc.stderr
    reference = graphs(ref_store)
    assert len(reference) == len(files) - (1 if CORPUS.is_dir() else 0)
    reference_export = export(ref_store)

    rng = random.Random(20261123)
    kills = resumed = completed = partial = 0
    checked: set[tuple[str, frozenset[bytes]]] = set()  # graphs already validated
    chain = 0
    store = tmp_path / f"store-{chain}"
    moments = []
    while kills < KILLS:
        moment = rng.uniform(0.2, duration)
        proc = subprocess.Popen(
            [*ingest, str(store)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group: kill the workers with it
        )
        try:
            _, err = proc.communicate(timeout=moment)
            assert b"Traceback" not in err and b"cannot open the store" not in err, err
            resumed += 1  # finished before the kill
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            kills += 1
            moments.append(round(moment, 1))
        # the store opens for writing (the killed process's lock is gone) and for reading;
        # every report is wholly present (as in the reference) or absent
        if store.exists():
            writable = ox.Store(str(store))
            del writable
            text_index_level_with_store(store)
        seen = graphs(store) if store.exists() else {}
        for sha, lines in seen.items():
            assert lines == reference[sha], f"report {sha} differs from the reference"
            if (sha, lines) not in checked:
                result = validate_ntriples(b"\n".join(sorted(lines)) + b"\n")
                assert result.conforms, result.text
                checked.add((sha, lines))
        partial += 0 < len(seen) < len(reference)
        if set(seen) == set(reference):  # complete: same bytes as the uninterrupted run
            assert export(store) == reference_export
            completed += 1
            chain += 1
            store = tmp_path / f"store-{chain}"
    # finish the last store's job by running the ingest again
    proc = subprocess.run([*ingest, str(store)], capture_output=True, text=True, timeout=300)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert graphs(store) == reference
    assert export(store) == reference_export
    completed += 1
    print(
        f"\n{kills} kills survived (at {moments} s of a {duration:.1f} s ingest), "
        f"{resumed} runs finished before their kill, {partial} checks found a store part-way, "
        f"{completed} stores completed "
        f"with the reference export ({len(reference_export):,} bytes)"
    )
