"""The store's settings file, ofsted-kg.json: written atomically, so a kill while it is written
leaves the old file whole (issue 19: it left an empty file, and every command then refused the
store with "Expecting value"); and recovered from the graphs, with a one-line warning, when it
is missing or unreadable anyway (as the older versions' kill left it)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from ofsted_kg.cli import main
from ofsted_kg.rdf import vocab
from ofsted_kg.store import StoreError, folder
from ofsted_kg.store.embedded import ONTOLOGY_GRAPH

BASE = "https://example.org/kg/"
STRACE = shutil.which("strace")

# Runs the CLI with os.write made to write half of what it is given to the settings' temporary
# file and then SIGKILL this process: a kill in the middle of writing the settings.
KILL_AT_SETTINGS_WRITE = textwrap.dedent(
    """
    import os, signal, sys
    real_write = os.write

    def write(fd, data):
        if os.readlink(f"/proc/self/fd/{fd}").endswith("ofsted-kg.json.tmp"):
            real_write(fd, bytes(data)[: len(data) // 2])
            os.kill(os.getpid(), signal.SIGKILL)
        return real_write(fd, data)

    os.write = write
    from ofsted_kg.cli import main
    main(sys.argv[1:])
    """
)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def settings(store: Path) -> dict:
    """The settings but the ingest history (store/history.py), which every write updates."""
    kept = json.loads((store / "ofsted-kg.json").read_text())
    return {k: v for k, v in kept.items() if k != "history"} if isinstance(kept, dict) else kept


def _undated(export: bytes) -> bytes:
    """An export without the description's issued and modified dates: the ingest history,
    which is kept in the settings alone and so is lost with them."""
    dates = (b"<http://purl.org/dc/terms/issued>", b"<http://purl.org/dc/terms/modified>")
    lines = export.splitlines(keepends=True)
    return b"".join(x for x in lines if not (x.startswith(f"<{BASE}dataset> ".encode())
                                             and any(d in x for d in dates)))  # fmt: skip


def every_command_works(store: Path, seeds: list[Path]) -> bytes:
    """export, query, validate and describe succeed, with no traceback; the export."""
    code, export, err = run("export", "--format", "nquads", "--store", str(store))
    assert code == 0 and "Expecting value" not in err, err
    code, out, err = run("query", "judgements", "--format", "csv", "--store", str(store))
    assert code == 0 and out.startswith("report_sha256,") and len(out.splitlines()) > 10, err
    code, out, err = run("validate", "--store", str(store))
    assert code == 0 and out == f"{len(seeds)} of {len(seeds)} report graphs conform\n", err
    code, out, err = run("describe", "--format", "nquads", "--store", str(store))
    assert code == 0 and "void#triples" in out, err
    return export.encode()


@pytest.fixture()
def store(tmp_path: Path, seeds: list[Path]) -> Path:
    """A store of two seeds, under a base IRI of its own."""
    path = tmp_path / "store"
    code, _out, err = run("ingest", *map(str, seeds[:2]), "--store", str(path), "--base", BASE,
                          "--jobs", "1")  # fmt: skip
    assert code == 0, err
    assert settings(path) == {"base": BASE, "model": vocab.DATA_MODEL}
    return path


def _outdated(store: Path) -> dict:
    """Make the store's settings say an older emitter wrote it (so the next ingest rewrites
    the settings); the settings so written."""
    kept = json.loads((store / "ofsted-kg.json").read_text())
    (store / "ofsted-kg.json").write_text(json.dumps({**kept, "model": 1}))
    return {"base": BASE, "model": 1}


def _killed_ingest(command: list[str]) -> subprocess.CompletedProcess:
    proc = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert proc.returncode == -9, f"the kill was not injected: {proc.returncode} {proc.stderr}"
    return proc


def test_a_kill_while_the_settings_are_rewritten_leaves_them_whole(
    store: Path, seeds: list[Path]
) -> None:
    before = every_command_works(store, seeds[:2])
    old = _outdated(store)
    args = ["ingest", *map(str, seeds[:2]), "--store", str(store), "--jobs", "1"]
    _killed_ingest([sys.executable, "-c", KILL_AT_SETTINGS_WRITE, *args])
    assert (store / "ofsted-kg.json.tmp").exists()  # the write was cut part-way
    assert settings(store) == old
    assert every_command_works(store, seeds[:2]) == before
    # the next ingest brings the store up to date, and the settings with it
    code, _out, err = run(*args)
    assert code == 0 and "ingested 2, skipped 0" in err, err
    assert settings(store) == {"base": BASE, "model": vocab.DATA_MODEL}
    assert not (store / "ofsted-kg.json.tmp").exists()
    assert every_command_works(store, seeds[:2]) == before


@pytest.mark.skipif(STRACE is None, reason="strace is not installed (apt-get install strace)")
def test_a_kill_injected_by_strace_at_the_settings_write(store: Path, seeds: list[Path]) -> None:
    """As the issue reproduced it: SIGKILL at the first write to the settings (or to their
    temporary file), whichever syscall the code uses to write them."""
    before = every_command_works(store, seeds[:2])
    old = _outdated(store)
    files = [store / "ofsted-kg.json", store / "ofsted-kg.json.tmp"]
    traced = [STRACE, "-f", "-qq", "-o", "/dev/null", *(f"-P{f.resolve()}" for f in files),
              "-e", "trace=write,pwrite64,writev", "-e", "inject=write,pwrite64,writev:signal=KILL",
              sys.executable, "-m", "ofsted_kg.cli", "ingest", *map(str, seeds[:2]),
              "--store", str(store), "--jobs", "1"]  # fmt: skip
    proc = subprocess.run(traced, capture_output=True, text=True, timeout=300)
    if "ptrace" in proc.stderr and "Operation not permitted" in proc.stderr:
        pytest.skip(f"strace cannot trace here: {proc.stderr.strip()}")
    assert proc.returncode != 0, "the kill was not injected"
    assert settings(store) == old
    assert every_command_works(store, seeds[:2]) == before


def test_a_kill_while_a_new_stores_settings_are_written_leaves_no_store(
    tmp_path: Path, seeds: list[Path]
) -> None:
    """A store is made out of sight: killed while it is made, there is no store, not half of
    one, and the next ingest makes it."""
    store = tmp_path / "store"
    args = ["ingest", *map(str, seeds[:2]), "--store", str(store), "--jobs", "1"]
    _killed_ingest([sys.executable, "-c", KILL_AT_SETTINGS_WRITE, *args])
    assert not store.exists()
    (left,) = tmp_path.glob(".store.creating-*")  # what the killed process was making
    code, _out, err = run("export", "--store", str(store))
    assert (code, err) == (1, f"Error: no store at {store}: run 'ofsted-kg ingest' first\n")
    code, _out, err = run(*args)
    assert code == 0 and "ingested 2" in err, err
    assert not left.exists()  # the killed process's leftovers are cleared away
    every_command_works(store, seeds[:2])


@pytest.mark.parametrize("damage", ["empty", "missing", "cut short", "not settings"])
def test_lost_settings_are_recovered_from_the_graphs(
    store: Path, seeds: list[Path], damage: str
) -> None:
    before = every_command_works(store, seeds[:2])
    path = store / "ofsted-kg.json"
    if damage == "missing":
        path.unlink()
    else:
        path.write_text({"empty": "", "cut short": '{"base": "htt', "not settings": "[]"}[damage])
    damaged = path.read_bytes() if path.exists() else None
    code, export, err = run("export", "--format", "nquads", "--store", str(store))
    assert code == 0 and _undated(export.encode()) == _undated(before)
    assert _undated(before) != before and _undated(export.encode()) == export.encode()
    (warning,) = err.splitlines()
    assert (
        warning.startswith(f"warning: {path} was ")
        and "recovered from the store's graphs" in warning
    )
    assert f"(base IRI {BASE}, data model {vocab.DATA_MODEL})" in warning
    assert _undated(every_command_works(store, seeds[:2])) == _undated(before)
    # reading leaves the folder as it was; the next writer writes the settings again
    assert (path.read_bytes() if path.exists() else None) == damaged
    code, _out, err = run("ingest", str(seeds[2]), "--store", str(store), "--jobs", "1")
    assert code == 0 and "ingested 1" in err and err.startswith("warning: "), err
    assert settings(store) == {"base": BASE, "model": vocab.DATA_MODEL}
    code, out, err = run("export", "--format", "ntriples", "--no-ontology", "--store", str(store))
    assert code == 0 and err == ""
    subjects = {line.split(" ", 1)[0] for line in out.splitlines()}
    assert all(s.startswith(f"<{BASE}") for s in subjects)  # the new report under the same base


def test_recovered_settings_of_reports_from_an_older_model_have_them_ingested_again(
    store: Path, seeds: list[Path]
) -> None:
    """The data model is read from the report graphs: without okg:authorityLabel (what model
    2 added), they are model 1, and the next ingest writes them again."""
    db = ox.Store(str(store))
    db.update(
        "DELETE WHERE { GRAPH ?g { ?i <https://w3id.org/ofsted-kg/ontology#authorityLabel> ?l } }"
    )
    del db
    (store / "ofsted-kg.json").unlink()
    code, out, err = run("ingest", *map(str, seeds[:2]), "--store", str(store), "--jobs", "1")
    assert code == 0, err
    assert f"(base IRI {BASE}, data model 1)" in err and "an older version of ofsted-kg" in err
    assert "ingested 2, skipped 0" in err
    assert settings(store) == {"base": BASE, "model": vocab.DATA_MODEL}


def _db(*graphs: str, ontology: bool = True) -> ox.Store:
    db = ox.Store()
    triple = (ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.Literal("o"))
    for name in [*graphs, *([ONTOLOGY_GRAPH.value] if ontology else [])]:
        db.add(ox.Quad(*triple, ox.NamedNode(name)))
    return db


SHA = "0" * 64


@pytest.mark.parametrize(
    "graphs, given, base",
    [
        ([f"{BASE}graph/report/{SHA}", f"{BASE}graph/authorities"], None, BASE),
        ([f"{BASE}graph/authorities"], None, BASE),  # no report: the enrichment graphs say
        ([], "https://given.example/", "https://given.example/"),  # nothing says: as given
        ([], None, vocab.DEFAULT_BASE),
    ],
)
def test_the_base_iri_is_read_from_the_graph_names(
    graphs: list[str], given: str | None, base: str, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    found = folder.recover_settings(_db(*graphs), tmp_path, "missing", given)
    assert found is not None and found["base"] == base
    assert capsys.readouterr().err.count("\n") == 1


def test_graphs_under_two_bases_or_none_of_ours_are_not_guessed(tmp_path: Path) -> None:
    two = _db(f"{BASE}graph/report/{SHA}", f"https://other.example/graph/report/{SHA}")
    with pytest.raises(StoreError, match="several base IRIs"):
        folder.recover_settings(two, tmp_path, "missing", None)
    assert (
        folder.recover_settings(_db("urn:x:g", ontology=False), tmp_path, "missing", None) is None
    )
