"""What --store may name: a folder that is not a store is refused in one line, and a store being
made is out of sight until it is whole (issue 19: reading it meanwhile raised "Column family not
found: dspo" with a traceback; issue 18: a folder that is not a store gave RocksDB's "IO error:
.../CURRENT")."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from ofsted_kg.cli import main
from ofsted_kg.store import NotAStore
from ofsted_kg.store.embedded import ONTOLOGY_GRAPH, Store


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "ofsted_kg.cli", *args]


def commands(store: Path, seeds: list[Path]) -> list[list[str]]:
    """Every command that opens a store, reading or writing."""
    where = ["--store", str(store)]
    return [["export", *where], ["query", "judgements", *where], ["validate", *where],
            ["describe", *where], ["ingest", str(seeds[0]), *where],
            ["authorities", str(seeds[0]), *where]]  # fmt: skip


def test_a_folder_that_is_not_a_store_is_refused_in_one_line(
    tmp_path: Path, seeds: list[Path]
) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "notes.txt").write_text("not a store\n")
    for args in commands(folder, seeds):
        code, _out, err = run(*args)
        assert (code, err) == (
            1,
            f"Error: {folder} is not an ofsted-kg store (no ofsted-kg.json)\n",
        )
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]  # no database made in it
    a_file = tmp_path / "notes.txt"
    a_file.write_text("a file\n")
    for args in commands(a_file, seeds):
        code, _out, err = run(*args)
        assert (code, err) == (1, f"Error: {a_file} is not an ofsted-kg store (not a folder)\n")


def test_another_oxigraph_database_is_not_taken_for_a_store(
    tmp_path: Path, seeds: list[Path]
) -> None:
    folder = tmp_path / "other"
    db = ox.Store(str(folder))
    db.add(ox.Quad(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.Literal("o")))
    del db
    for args in commands(folder, seeds):
        code, _out, err = run(*args)
        assert code == 1 and err == (
            f"Error: {folder} is not an ofsted-kg store (no ofsted-kg.json, and no ofsted-kg "
            "graph in its database)\n"
        )
    assert not (folder / "ofsted-kg.json").exists()


def test_no_store_yet_is_named_in_one_line_and_an_empty_folder_becomes_one(
    tmp_path: Path, seeds: list[Path]
) -> None:
    missing, empty = tmp_path / "missing", tmp_path / "empty"
    empty.mkdir()
    for store in (missing, empty):
        for args in commands(store, seeds)[:4]:  # the reading commands
            code, _out, err = run(*args)
            assert (code, err) == (1, f"Error: no store at {store}: run 'ofsted-kg ingest' first\n")
    assert not missing.exists() and list(empty.iterdir()) == []
    code, _out, err = run("ingest", str(seeds[0]), "--store", str(empty))
    assert code == 0 and "ingested 1" in err, err
    assert json.loads((empty / "ofsted-kg.json").read_text())["base"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


# The first ingest, paused once the new store's database is made in its hidden folder, before
# its settings are written there, until the file `go` exists
PAUSED_CREATION = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from ofsted_kg.store import folder
    paused, go = Path(sys.argv[1]), Path(sys.argv[2])
    write = folder.write_settings

    def write_settings(path, settings):
        if path.name.startswith("."):  # the store being made
            paused.write_text(path.name)
            while not go.exists():
                time.sleep(0.05)
        write(path, settings)

    folder.write_settings = write_settings
    from ofsted_kg.cli import main
    main(sys.argv[3:])
    """
)


def test_a_store_being_made_is_not_seen_half_made(tmp_path: Path, seeds: list[Path]) -> None:
    store, paused, go = tmp_path / "store", tmp_path / "paused", tmp_path / "go"
    ingest = subprocess.Popen(
        [sys.executable, "-c", PAUSED_CREATION, str(paused), str(go), "ingest",
         *map(str, seeds[:2]), "--store", str(store), "--jobs", "1"],
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        while not paused.exists() and ingest.poll() is None:
            time.sleep(0.05)
        assert paused.exists(), f"the ingest never made a store: {ingest.communicate()[1]}"
        making = tmp_path / paused.read_text()
        assert (making / "CURRENT").exists()  # its database is there, out of sight
        assert not store.exists()
        being_made = (
            f"{store} is not a store yet: it is being created (by process {ingest.pid}); "
            "try again when the ingest has begun storing reports"
        )
        with pytest.raises(NotAStore) as refused:
            Store(store, read_only=True)
        assert str(refused.value) == being_made
        for args in commands(store, seeds)[:4]:
            proc = subprocess.run(cli(*args), capture_output=True, text=True, timeout=120)
            assert (proc.returncode, proc.stderr) == (1, f"Error: {being_made}\n")
    finally:
        go.touch()
        _, err = ingest.communicate(timeout=300)
    assert ingest.returncode == 0, err
    assert not making.exists()
    whole = Store(store, read_only=True)
    assert len(whole.report_shas()) == 2 and whole.ox.contains_named_graph(ONTOLOGY_GRAPH)


# Until `stop` exists: open the store read-only through Store, as the probe did; then
# say what was found, as one JSON object: how often each "not yet" message, each error, and
# each (reports, base IRI, ontology graph there) of a store opened
READER = textwrap.dedent(
    """
    import json, sys, time
    from collections import Counter
    from pathlib import Path
    from ofsted_kg.store import NotAStore
    from ofsted_kg.store.embedded import ONTOLOGY_GRAPH, Store
    store_path, stop = Path(sys.argv[1]), Path(sys.argv[2])
    seen = {"not_yet": Counter(), "error": Counter(), "opened": Counter()}
    print("ready", flush=True)
    while not stop.exists():
        try:
            store = Store(store_path, read_only=True)
            found = (len(store.report_shas()), store.iris.base,
                     store.ox.contains_named_graph(ONTOLOGY_GRAPH))
            del store
            seen["opened"][json.dumps(found)] += 1
        except NotAStore as exc:
            seen["not_yet"][str(exc)] += 1
            time.sleep(0.01)  # (the other processes need the cores more)
        except Exception as exc:
            seen["error"][f"{type(exc).__name__}: {exc}"] += 1
    print(json.dumps(seen), flush=True)
    """
)


def test_readers_racing_the_first_ingest_see_no_store_or_a_whole_one(
    tmp_path: Path, seeds: list[Path]
) -> None:
    store, stop = tmp_path / "store", tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(store), str(stop)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert reader.stdout.readline() == "ready\n"
    ingest = subprocess.Popen(cli("ingest", *map(str, seeds), "--store", str(store), "--jobs", "1"),
                              stderr=subprocess.PIPE, text=True)  # fmt: skip
    exports = []
    while ingest.poll() is None:  # and the command line meanwhile
        exports.append(subprocess.run(cli("export", "--format", "nquads", "--store", str(store)),
                                      capture_output=True, text=True, timeout=120))  # fmt: skip
    _, ingest_err = ingest.communicate()
    stop.touch()
    out, reader_err = reader.communicate(timeout=120)
    assert ingest.returncode == 0, ingest_err
    assert reader_err == ""
    seen = json.loads(out)
    assert seen["error"] == {}
    assert seen["not_yet"], "no reader round ran before the store was made"
    assert set(seen["not_yet"]) <= {
        f"no store at {store}: run 'ofsted-kg ingest' first",
        f"{store} is not a store yet: it is being created (by process {ingest.pid}); try again "
        "when the ingest has begun storing reports",
    }
    opened = [json.loads(found) for found in seen["opened"]]
    assert all(
        base == "https://w3id.org/ofsted-kg/id/" and ontology for _, base, ontology in opened
    )
    for proc in exports:
        assert "Traceback" not in proc.stderr and proc.stderr.count("\n") <= 1, proc.stderr
        assert proc.returncode == 0 or proc.stderr.startswith(
            (f"Error: no store at {store}", f"Error: {store} is not a store yet")
        ), proc.stderr
    print(f"\nreader: {seen}; {len(exports)} exports, no traceback")
