"""The CLI through its public face: exit codes, failure lines, formats, idempotence."""

from __future__ import annotations

import csv
import io
import itertools
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from pyoxigraph import Literal
from rdflib import Dataset, Graph

from ofsted_kg import api
from ofsted_kg.cli import TABLE_ROWS, main
from ofsted_kg.query.results import lexical, write_csv, write_json
from ofsted_kg.rdf import vocab


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture()
def batch(tmp_path: Path, seeds: list[Path]) -> Path:
    """Two good seeds and four bad files in one folder."""
    folder = tmp_path / "in"
    folder.mkdir()
    for seed in seeds[2:4]:
        shutil.copy(seed, folder / seed.name)
    (folder / "error-page.pdf").write_text("<!DOCTYPE html><html><body>Not found</body></html>")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "minutes.txt").write_text(
        "Minutes of the parish council meeting\n\nApologies were received.\n"
    )
    (folder / "garbage.md").write_bytes(b"\xff\xfe\x00\x01binary\x00junk")
    return folder


def test_ingest_reports_each_failure_on_one_line_and_stores_the_rest(
    batch: Path, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    code, _out, err = run("ingest", str(batch), "--store", str(store), "--jobs", "1")
    assert code == 1
    lines = [line for line in err.splitlines() if line.startswith(str(batch))]
    assert sorted(lines) == sorted(
        [
            f"{batch / 'empty.txt'}: empty file",
            f"{batch / 'error-page.pdf'}: HTML page, not a PDF",
            f"{batch / 'garbage.md'}: binary data, not text",
            f"{batch / 'minutes.txt'}: unknown kind of report (starts: 'Minutes of the parish council meeting')",
        ]
    )
    assert "Traceback" not in err
    assert "ingested 2, skipped 0 already stored, failed 4" in err
    assert len(api.open_store(store, read_only=True).report_shas()) == 2


def test_ingest_exit_zero_and_missing_path(seeds: list[Path], tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    assert run("ingest", str(seeds[3]), "--store", store)[0] == 0
    code, _out, err = run("ingest", str(tmp_path / "nope.pdf"), "--store", store)
    assert code == 1 and f"{tmp_path / 'nope.pdf'}: no such file" in err


def test_validate_query_and_export(seed_store: api.Store, tmp_path: Path) -> None:
    store = str(seed_store.path)
    code, out, _ = run("validate", "--store", store)
    assert code == 0 and "5 of 5 report graphs conform" in out

    code, out, _ = run("query", "judgements", "--format", "json", "--store", store,
                       "--param", "authority=Islington")  # fmt: skip
    assert code == 0
    doc = json.loads(out)
    assert doc["head"]["vars"][:2] == ["report_sha256", "authority"]
    assert len(doc["results"]["bindings"]) == 22
    assert doc["results"]["bindings"][0]["inspection_start"] == {
        "type": "literal", "value": "2012-01-23", "datatype": "http://www.w3.org/2001/XMLSchema#date"
    }  # fmt: skip

    code, out, _ = run("query", "recommendations", "--store", store)
    assert code == 0 and "41 rows" in out

    code, _out, err = run("query", "judgements", "--param", "colour=red", "--store", store)
    assert code == 1 and "unknown parameter 'colour'" in err
    code, _out, err = run("query", "no-such-query", "--store", store)
    assert code == 1 and "no query named 'no-such-query'" in err

    counts = {}
    for fmt, parse_as in [("turtle", "turtle"), ("ntriples", "nt"), ("jsonld", "json-ld")]:
        out_file = tmp_path / f"kg.{fmt}"
        assert run("export", "--format", fmt, "--out", str(out_file), "--store", store)[0] == 0
        counts[fmt] = len(Graph().parse(out_file, format=parse_as))
    for fmt, parse_as in [("nquads", "nquads"), ("trig", "trig")]:
        out_file = tmp_path / f"kg.{fmt}"
        assert run("export", "--format", fmt, "--out", str(out_file), "--store", store)[0] == 0
        ds = Dataset()
        ds.parse(out_file, format=parse_as)
        assert len([g for g in ds.graphs() if "/graph/" in str(g.identifier)]) == 5
        counts[fmt] = len({t for t in ds.triples((None, None, None))} | {
            (s, p, o) for s, p, o, _g in ds.quads((None, None, None, None))})  # fmt: skip
    assert len(set(counts.values())) == 1, counts


def test_reingest_replaces_the_graph_and_export_is_byte_identical(
    seeds: list[Path], tmp_path: Path
) -> None:
    store = str(tmp_path / "store")
    assert run("ingest", *map(str, seeds), "--store", store, "--jobs", "1")[0] == 0
    first = run("export", "--format", "nquads", "--store", store)[1]
    code, _out, err = run("ingest", *map(str, seeds), "--store", store)
    assert code == 0 and "skipped 5 already stored" in err
    code, _out, err = run("ingest", *map(str, seeds), "--store", store, "--force", "--jobs", "2")
    assert code == 0 and "ingested 5" in err
    assert run("export", "--format", "nquads", "--store", store)[1] == first
    assert run("export", "--format", "turtle", "--store", store)[1] == run(
        "export", "--format", "turtle", "--store", store)[1]  # fmt: skip


def _copies(seeds: list[Path], folder: Path) -> list[Path]:
    """Each seed with a newline appended: other bytes (another sha256), the same report."""
    folder.mkdir()
    for seed in seeds:
        (folder / seed.name).write_bytes(seed.read_bytes() + b"\n")
    return [folder / seed.name for seed in seeds]


def _judgements(store: str) -> list[str]:
    """The judgements query's rows, CSV, without the report's sha256 (the first column)."""
    csv = run("query", "judgements", "--format", "csv", "--store", store)[1]
    return sorted(line.split(",", 1)[1] for line in csv.splitlines())


def test_another_file_of_a_stored_report_is_refused_and_replace_stores_it_in_its_place(
    seeds: list[Path], seed_sha: dict[str, str], tmp_path: Path
) -> None:
    store = str(tmp_path / "store")
    assert run("ingest", *map(str, seeds), "--store", store, "--jobs", "1")[0] == 0
    export = run("export", "--format", "nquads", "--store", store)[1]
    judgements = _judgements(store)
    copies = _copies(seeds, tmp_path / "copies")
    code, _out, err = run("ingest", str(tmp_path / "copies"), "--store", store, "--jobs", "2")
    assert code == 1 and "ingested 0, skipped 0 already stored, failed 5" in err
    lines = sorted(line for line in err.splitlines() if line.startswith(str(tmp_path / "copies")))
    for copy, line in zip(copies, lines, strict=True):
        assert line.startswith(f"{copy}: another stored report (sha256 {seed_sha[copy.name]}) "
                               "is of the same inspection, ")  # fmt: skip
        assert line.endswith(": not stored (--replace stores it in that report's place)")
    assert run("export", "--format", "nquads", "--store", store)[1] == export  # nothing changed

    code, _out, err = run("ingest", *map(str, copies), "--store", store, "--replace")
    assert code == 0 and "ingested 5, skipped 0 already stored, failed 0" in err
    assert sorted(line for line in err.splitlines() if line.startswith("replaced")) == sorted(
        f"replaced the stored report {sha} (of the same inspection)" for sha in seed_sha.values()
    )
    stored = api.open_store(store, read_only=True).report_shas()
    assert stored == sorted(api.sha256_of(copy.read_bytes()) for copy in copies)
    assert _judgements(store) == judgements  # each judgement once, as before


def test_a_batch_with_two_files_of_one_report_stores_the_first(
    seeds: list[Path], tmp_path: Path
) -> None:
    store = str(tmp_path / "store")
    copy = _copies(seeds[:1], tmp_path / "copies")[0]
    code, _out, err = run("ingest", str(seeds[0]), str(copy), "--store", store, "--jobs", "1")
    assert code == 1 and "ingested 1, skipped 0 already stored, failed 1" in err
    assert f"{copy}: another stored report" in err
    stored = api.open_store(store, read_only=True).report_shas()
    assert stored == [api.sha256_of(seeds[0].read_bytes())]


def test_remove_reports_drops_those_named_and_no_other(seeds: list[Path]) -> None:
    store = api.Store(None)
    api.ingest(seeds, store, jobs=1)
    shas = store.report_shas()
    kept = {g: store.ntriples(store.report_graph(g)) for g in shas[2:]}
    store.remove_reports(shas[:2])
    store.remove_reports([])
    assert store.report_shas() == shas[2:]
    assert {g: store.ntriples(store.report_graph(g)) for g in shas[2:]} == kept


@pytest.mark.parametrize("replace", [False, True])
def test_files_of_one_report_end_as_in_the_order_given_whichever_is_done_first(
    seeds: list[Path], tmp_path: Path, replace: bool
) -> None:
    """With --jobs 2 a batch stores reports as they are done: three files of one report
    (and another report) must end as in the order given, in whatever order they are done:
    the first stored and the others refused, naming it (with --replace, the last stored)."""
    first = _copies(seeds[:1], tmp_path / "a")[0]
    last = _copies([first], tmp_path / "b")[0]  # two newlines appended
    given = [seeds[1], first, seeds[0], last]
    done = {p: api.process(p, vocab.DEFAULT_BASE) for p in given}
    order = {p: i for i, p in enumerate(given)}
    ends = set()
    for finish in itertools.permutations(given):
        store = api.Store(None)
        result = api.IngestResult()
        api._store_all(store, ((p, done[p]) for p in finish), result, None, replace, order)
        ends.add((tuple(store.report_shas()), tuple(sorted(result.ingested)),
                  tuple(sorted(map(str, result.failed))), tuple(sorted(result.replaced)),
                  frozenset(result.written)))  # fmt: skip
    assert len(ends) == 1  # 24 orders, one end
    stored, _ingested, failed, replaced, _written = ends.pop()
    kept = last if replace else first
    assert sorted(stored) == sorted([done[seeds[1]].sha256, done[kept].sha256])
    if replace:
        assert failed == () and replaced == tuple(
            sorted([done[first].sha256, done[seeds[0]].sha256])
        )
    else:
        (inspection,) = done[first].inspections
        assert failed == tuple(
            f"{p}: another stored report (sha256 {done[first].sha256}) is of the same "
            f"inspection, {inspection}: not stored (--replace stores it in that report's place)"
            for p in sorted([seeds[0], last])
        )


def test_a_store_from_an_older_version_is_brought_up_to_date(
    seeds: list[Path], tmp_path: Path
) -> None:
    """Report graphs an older emitter wrote are not skipped as "already stored"."""
    store = tmp_path / "store"
    assert run("ingest", str(seeds[0]), str(seeds[1]), "--store", str(store), "--jobs", "1")[0] == 0
    # what an older version left: no model in the settings, no okg:authorityLabel
    settings = store / "ofsted-kg.json"
    settings.write_text(json.dumps({"base": json.loads(settings.read_text())["base"]}))
    drop = (
        "DELETE WHERE { GRAPH ?g { ?i <https://w3id.org/ofsted-kg/ontology#authorityLabel> ?l } }"
    )
    old = api.open_store(store)
    old.ox.update(drop)
    assert old.model_outdated()
    del old

    code, _out, err = run("ingest", str(seeds[0]), "--store", str(store), "--jobs", "1")
    assert code == 0 and "an older version of ofsted-kg wrote" in err
    assert "ingested 1, skipped 0" in err and "still in the older form" in err
    code, _out, err = run("ingest", str(seeds[0]), str(seeds[1]), "--store", str(store))
    assert code == 0 and "ingested 2, skipped 0" in err and "still in the older form" not in err
    assert json.loads(settings.read_text())["model"] == vocab.DATA_MODEL
    code, _out, err = run("ingest", str(seeds[0]), str(seeds[1]), "--store", str(store))
    assert code == 0 and "skipped 2 already stored" in err and "older" not in err
    names = api.query("judgements", {}, api.open_store(store, read_only=True)).values()
    assert {r["authority"] for r in names} == {"Camden", "Kensington and Chelsea"}


def test_ingest_order_does_not_change_the_export(seeds: list[Path], tmp_path: Path) -> None:
    a, b = str(tmp_path / "a"), str(tmp_path / "b")
    assert run("ingest", *map(str, seeds), "--store", a, "--jobs", "1")[0] == 0
    for seed in reversed(seeds):
        assert run("ingest", str(seed), "--store", b, "--jobs", "1")[0] == 0
    for fmt in ("nquads", "turtle", "trig"):
        assert (
            run("export", "--format", fmt, "--store", a)[1]
            == run("export", "--format", fmt, "--store", b)[1]
        )


def test_base_iri_is_configurable_and_remembered(seeds: list[Path], tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    base = "https://example.org/kg/"
    assert run("ingest", str(seeds[3]), "--store", store, "--base", base)[0] == 0
    nt = run("export", "--format", "ntriples", "--no-ontology", "--store", store)[1]
    subjects = {line.split(" ", 1)[0] for line in nt.splitlines()}
    assert subjects and all(s.startswith(f"<{base}") for s in subjects)
    assert run("ingest", str(seeds[2]), "--store", store)[0] == 0  # remembered
    code, _out, err = run(
        "ingest", str(seeds[1]), "--store", store, "--base", "https://other.example/"
    )
    assert code == 1 and "uses base IRI https://example.org/kg/" in err
    # a base that is not an IRI: one line, exit 1, no store made, nothing half-written
    code, _out, err = run(
        "ingest", str(seeds[1]), "--store", str(tmp_path / "new"), "--base", "my kg"
    )
    assert code == 1 and err.count("\n") == 1 and "Invalid IRI" in err, err
    assert not (tmp_path / "new").exists()


def test_named_graph_per_report_and_union_default_graph(seed_store: api.Store, seed_sha) -> None:
    assert seed_store.report_shas() == sorted(seed_sha.values())
    for sha in seed_sha.values():
        g = seed_store.graph(seed_store.report_graph(sha))
        assert any(str(o) == sha for o in g.objects())
    rows = list(
        seed_store.query(
            "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a <https://w3id.org/ofsted-kg/ontology#Report> }"
        )
    )
    assert rows[0]["n"].value == "5"


def test_a_store_another_process_is_writing_is_refused_in_one_line(
    seeds: list[Path], tmp_path: Path
) -> None:
    store = tmp_path / "store"
    assert run("ingest", str(seeds[3]), "--store", str(store))[0] == 0
    before = run("export", "--format", "nquads", "--store", str(store))[1]
    holder = subprocess.Popen(  # another writer: open, say so, wait for stdin to close
        [sys.executable, "-c", "import sys, pyoxigraph as ox; s = ox.Store(sys.argv[1]); "
         "print('open', flush=True); sys.stdin.read()", str(store)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline() == "open\n"
        # (the store is opened before the CSV is read: any file will do)
        for args in (["ingest", str(seeds[2])], ["authorities", str(seeds[0])]):
            code, _out, err = run(*args, "--store", str(store))
            assert code == 1 and err.count("\n") == 1, err
            assert err == (
                f"Error: cannot open the store at {store}: another process is writing to it "
                "(an ingest or an authorities load?): try again when it has finished\n"
            )
    finally:
        holder.communicate("")
    # reads go on meanwhile, and nothing was written
    assert run("export", "--format", "nquads", "--store", str(store))[1] == before
    assert run("ingest", str(seeds[2]), "--store", str(store))[0] == 0


def test_query_output_is_written_as_the_rows_come(seed_store: api.Store, tmp_path: Path) -> None:
    """CSV and JSON give every row however many there are; the table the first 1,000."""
    rq = tmp_path / "everything.rq"
    rq.write_text("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
    store = str(seed_store.path)
    total = sum(1 for _ in seed_store.ox.quads_for_pattern(None, None, None))
    assert total > TABLE_ROWS
    code, out, _ = run("query", str(rq), "--format", "csv", "--store", store)
    rows = list(csv.reader(io.StringIO(out)))
    assert code == 0 and len(rows) == total + 1
    for name, fmt in (("tsv", ox.QueryResultsFormat.TSV), ("xml", ox.QueryResultsFormat.XML)):
        code, out, _ = run("query", str(rq), "--format", name, "--store", store)
        assert code == 0
        # (read at once, not kept: a later failure's traceback holds this frame, and a cycle
        # collected on a server's thread would drop pyoxigraph's results there)
        values = sorted(
            [t.value for t in s] for s in ox.parse_query_results(out.encode(), format=fmt)
        )
        assert values == sorted(rows[1:])
    code, out, _ = run("query", str(rq), "--format", "json", "--store", store)
    assert code == 0 and len(json.loads(out)["results"]["bindings"]) == total
    code, out, _ = run("query", str(rq), "--store", store)
    assert code == 0
    assert out.endswith(
        f"{total} rows, the first {TABLE_ROWS} shown (--format csv or json gives all)\n"
    )

    # each row is written before the next is read: what came before a failure is out
    def failing() -> Iterator[tuple]:
        yield from [(Literal("a"),), (Literal("b"),)]
        raise OSError("the disk went away")

    buf = io.StringIO()
    with pytest.raises(OSError):
        write_csv(["x"], map(lexical, failing()), buf)
    assert buf.getvalue() == "x\na\nb\n"
    buf = io.StringIO()
    with pytest.raises(OSError):
        write_json(["x"], failing(), buf)
    assert buf.getvalue().count('"value": "') == 2
