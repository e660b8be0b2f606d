"""Concurrent use: while an ingest writes the store, queries from other processes succeed and
never see a half-stored report.

Reader processes open the store read-only over and over (as ``ofsted-kg query`` does), from
before the first ingest makes it, and count the triples of every report graph in one query;
each count seen must be the report's final count (a report is seen whole or not at all), and
before the store is made they are told so (NotAStore), never an error of the database's.
``ofsted-kg query`` runs from the command line at the same time must succeed too, or say in
one line that there is no store yet.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from helpers import SHARED
from ofsted_kg import api

CORPUS = SHARED / "corpus" / "pdf"
CORPUS_FILES = ["bury-2021-12-17.pdf", "trafford-2019-05-08.pdf", "norfolk-2013-08-16.pdf",
                "camden-2022-06-21.pdf"]  # fmt: skip
COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"

# A reader: until the file `stop` exists, open the store read-only, count the triples of
# each report graph, run a library query, close; one JSON line per round (or per error).
READER = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    from ofsted_kg import api
    from ofsted_kg.store import NotAStore
    store_path, stop, counts = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    while not stop.exists():
        try:
            store = api.Store(store_path, read_only=True)
            prefix = store.iris.graph("").value
            seen = {s["g"].value[len(prefix):]: int(s["n"].value)
                    for s in store.query(counts) if s["g"].value.startswith(prefix)}
            rows = len(api.query("judgements", store=store))
            del store
            print(json.dumps({"counts": seen, "rows": rows}), flush=True)
        except NotAStore as exc:  # not made yet: looked for again shortly
            print(json.dumps({"not_yet": str(exc)}), flush=True)
            time.sleep(0.05)
        except Exception as exc:
            print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}), flush=True)
    """
)


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "ofsted_kg.cli", *args]


@pytest.fixture(scope="module")
def files(seeds: list[Path]) -> list[str]:
    corpus = [CORPUS / name for name in CORPUS_FILES] if CORPUS.is_dir() else []
    return [str(p) for p in [*seeds, *corpus]]


def test_readers_during_an_ingest_see_whole_reports_only(files: list[str], tmp_path: Path) -> None:
    store = tmp_path / "store"
    stop = tmp_path / "stop"
    readers = [
        subprocess.Popen(
            [sys.executable, "-c", READER, str(store), str(stop), COUNTS],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    # pyshacl, the slowest engine (0.3-1 s a report), keeps the ingest going long enough
    # for the readers to see the store part-way through it (the others can finish first)
    ingest = subprocess.Popen(
        cli("ingest", *files, "--jobs", "2", "--store", str(store), "--engine", "pyshacl"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # meanwhile, the command line: library queries against the store being written
    cli_runs = []
    while ingest.poll() is None:
        cli_runs.append(
            subprocess.run(
                cli("query", "judgements", "--format", "csv", "--store", str(store)),
                capture_output=True,
                text=True,
                timeout=120,
            )
        )
    _, ingest_err = ingest.communicate()
    stop.touch()
    outputs = [reader.communicate(timeout=120) for reader in readers]
    assert ingest.returncode == 0, ingest_err

    final_store = api.Store(store, read_only=True)
    final = {
        sha: sum(1 for _ in final_store.ox.quads_for_pattern(None, None, None, graph))
        for sha, graph in ((s, final_store.report_graph(s)) for s in final_store.report_shas())
    }
    del final_store
    assert len(final) == len(files)

    lines = [json.loads(line) for out, _ in outputs for line in out.splitlines()]
    errors = [r["error"] for r in lines if "error" in r]
    assert errors == [], errors[:5]
    assert all(err == "" for _, err in outputs), [err for _, err in outputs]
    not_yet = {r["not_yet"] for r in lines if "not_yet" in r}
    assert not_yet <= {
        f"no store at {store}: run 'ofsted-kg ingest' first",
        f"{store} is not a store yet: it is being created (by process {ingest.pid}); try again "
        "when the ingest has begun storing reports",
    }, not_yet
    rounds = [r for r in lines if "counts" in r]
    assert len(rounds) >= 10
    partial = 0
    for r in rounds:
        for sha, n in r["counts"].items():
            assert n == final[sha], f"a reader saw {n} of the {final[sha]} triples of {sha}"
        partial += 0 < len(r["counts"]) < len(final)
    assert partial > 0, "no reader ran while the store was part-way through the ingest"
    made = False  # once the store is made, every query succeeds
    for run in cli_runs:
        made = made or run.returncode == 0
        if not made and run.returncode == 1:
            assert (
                run.stderr.startswith(
                    (f"Error: no store at {store}", f"Error: {store} is not a store yet")
                )
                and run.stderr.count("\n") == 1
            ), run.stderr
            continue
        assert run.returncode == 0, run.stderr
        assert run.stdout.startswith("report_sha256,") or run.stdout == "", run.stdout[:200]
    print(
        f"\n{len(rounds)} reader rounds ({partial} while the ingest was part-way, "
        f"{len(lines) - len(rounds)} before the store was made), "
        f"{len(cli_runs)} 'ofsted-kg query' runs, 0 errors, no report seen in part"
    )
