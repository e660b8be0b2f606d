"""Ingest when things go wrong around it (issue 19): a killed ingest leaves no worker behind,
a failure line stays one line whatever the file is called, broken links and empty folders are
reported, and every CLI error path is one line, never a traceback."""

from __future__ import annotations

import ast
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from ofsted_kg import api
from ofsted_kg.cli import main
from ofsted_kg.read.document import sha256_of

SUMMARY = "ingested {}, skipped 0 already stored, failed {}"
LINUX = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")


def run(*args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stderr.splitlines()


# ------------------------------------------------------------------ orphaned workers


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (state first), or None when gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()


def _descendants(root: int) -> dict[int, str]:
    """Every process below ``root``: pid -> its start time (to tell a reused pid apart)."""
    parents: dict[int, list[int]] = {}
    started: dict[int, str] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (fields := _stat(int(entry))) is not None:
            parents.setdefault(int(fields[1]), []).append(int(entry))
            started[int(entry)] = fields[19]
    found: dict[int, str] = {}
    todo = [root]
    while todo:
        for child in parents.get(todo.pop(), []):
            found[child] = started[child]
            todo.append(child)
    return found


def _running(pid: int, started: str) -> bool:
    fields = _stat(pid)
    return fields is not None and fields[19] == started and fields[0] not in "ZX"


def _workers(processes: dict[int, str]) -> list[int]:
    """The pool's workers: the processes with no child of their own, but the resource tracker
    (a fork server, when there is one, is the workers' parent)."""
    parents = {int(f[1]) for pid in processes if (f := _stat(pid)) is not None}
    return [pid for pid in processes if pid not in parents
            and b"resource_tracker" not in _cmdline(pid)]  # fmt: skip


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _feed(fifo: Path, data: bytes, deadline: float) -> None:
    """Write ``data`` once into the named pipe, as soon as the ingest opens it to hash it."""
    while True:
        try:
            fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            break
        except OSError:  # ENXIO: no reader yet
            if time.monotonic() > deadline:
                return
            time.sleep(0.02)
    os.set_blocking(fd, True)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


@contextmanager
def blocked_ingest(tmp_path: Path, seeds: list[Path], start_method: str = "fork"
                   ) -> Iterator[tuple[subprocess.Popen, dict[int, str], list[Path]]]:  # fmt: skip
    """An ``ingest --jobs 2`` running with its two workers blocked: (the process, every
    process it started -> start time, the files given); everything is killed on the way out.

    The first two files are named pipes, fed once each: the ingest reads them to hash them,
    then each worker blocks opening one to read it again, and the two plain files after them
    wait their turn. So the workers are certainly alive, and blocked on a pipe as in the
    issue, until something kills them."""
    fifos = [tmp_path / "first.txt", tmp_path / "second.txt"]
    for fifo in fifos:
        os.mkfifo(fifo)
    files = [*fifos, *(tmp_path / s.name for s in seeds[2:4])]
    for seed in seeds[2:4]:
        shutil.copy(seed, tmp_path / seed.name)
    program = ("import multiprocessing, sys; multiprocessing.set_start_method(sys.argv[1]); "
               "from ofsted_kg.cli import main; main(sys.argv[2:])")  # fmt: skip
    command = [sys.executable, "-c", program, start_method, "ingest", *map(str, files),
               "--store", str(tmp_path / "store"), "--jobs", "2"]  # fmt: skip
    log = (tmp_path / "stderr").open("wb")
    proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
    deadline = time.monotonic() + 120  # a bound against a hang, not a measurement
    feeds = list(zip(fifos, seeds[:2], strict=True))
    feeder = threading.Thread(target=lambda: [_feed(f, s.read_bytes(), deadline) for f, s in feeds])
    feeder.start()
    started: dict[int, str] = {}
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            started = _descendants(proc.pid)
            if len(_workers(started)) >= 2:
                break
            time.sleep(0.05)
        assert proc.poll() is None, (tmp_path / "stderr").read_text()
        assert len(_workers(started)) == 2, started
        yield proc, started, files
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for pid, start in started.items():  # never leave a process behind, pass or fail
            if _running(pid, start):
                os.kill(pid, signal.SIGKILL)
        for fifo in fifos:  # free the feeder if the ingest never opened a pipe
            try:
                os.close(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK))
            except OSError:
                pass
        feeder.join(timeout=5)
        log.close()


def _all_end(processes: dict[int, str]) -> list[int]:
    """Wait (10 s at most) for the processes to end; those still running."""
    gone_by = time.monotonic() + 10
    while time.monotonic() < gone_by and any(_running(*p) for p in processes.items()):
        time.sleep(0.05)
    return [pid for pid, start in processes.items() if _running(pid, start)]


@LINUX
@pytest.mark.parametrize("start_method", ["fork", "spawn", "forkserver"])
def test_a_killed_ingest_leaves_no_worker_behind(
    start_method: str, seeds: list[Path], tmp_path: Path
) -> None:
    """``kill -9`` of an ingest with ``--jobs 2``: its workers and every other process it
    started end with it, whichever way the pool starts them (fork, the default here; spawn;
    forkserver, the default on Linux from Python 3.14)."""
    with blocked_ingest(tmp_path, seeds, start_method) as (proc, started, _files):
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        # every process the ingest started, not only the workers (the resource tracker and
        # a fork server end once their pipes from it close)
        left = _all_end(started)
        assert left == [], [(pid, _cmdline(pid)) for pid in left]


@LINUX
def test_a_killed_worker_fails_the_files_not_done_one_line_each(
    seeds: list[Path], tmp_path: Path
) -> None:
    """A worker killed (by the OOM killer, say) breaks the pool: every file not done fails on
    its own line, exit 1, no traceback, and no process is left behind."""
    with blocked_ingest(tmp_path, seeds) as (proc, started, files):
        os.kill(_workers(started)[0], signal.SIGKILL)
        assert proc.wait(timeout=120) == 1
        lines = (tmp_path / "stderr").read_text().splitlines()
        assert lines == [*(f"{f}: {api.WORKER_LOST}" for f in files), SUMMARY.format(0, 4)]
        assert _all_end(started) == []


# ------------------------------------------------------------------ names quoted


def test_quote_name_leaves_printable_names_and_escapes_the_rest() -> None:
    assert api.quote_name(Path("in/Camden café report (2019).pdf")) == (
        "in/Camden café report (2019).pdf"
    )
    for name in ["a\nb.pdf", "evil\u202etxt.pdf", "it's\\here\t.md", "\x1b[31mred.txt",
                 "line\u2028sep.txt", "nbsp\u00a0.txt", "tag\U000e0041.txt"]:  # fmt: skip
        shown = api.quote_name(name)
        assert shown.isprintable() and shown.startswith("'"), shown
        assert ast.literal_eval(shown) == name  # reads back as the name, unambiguously
    # a printable name that looks quoted is quoted, so it cannot pass for an escaped name
    assert api.quote_name("'a\\nb.pdf'") == "'\\'a\\\\nb.pdf\\''"
    assert ast.literal_eval(api.quote_name("'a\\nb.pdf'")) == "'a\\nb.pdf'"
    # a byte that is not UTF-8, as os.fsdecode keeps it: shown as that byte
    assert api.quote_name(os.fsdecode(b"bad\xffname.txt")) == "'bad\\xffname.txt'"
    # a reason holding a line break stays on the line of its file
    assert str(api.Failure(Path("x.pdf"), "first\nsecond")) == "x.pdf: first\\nsecond"


def test_every_failure_is_one_line_whatever_the_file_is_called(
    seeds: list[Path], tmp_path: Path
) -> None:
    """Names with a newline, a carriage return, a bidi override (U+202E), an escape sequence
    and a byte that is not UTF-8, through the command and its workers."""
    folder = tmp_path / "in"
    folder.mkdir()
    names = ["two\nlines.txt", "back\rto start.txt", "evil\u202etxt.pdf", "\x1b[2Jclear.md",
             os.fsdecode(b"latin-\xe9.txt"), "plain name.txt"]  # fmt: skip
    for name in names:
        (folder / name).write_bytes(b"")
    shutil.copy(seeds[0], folder / seeds[0].name)
    proc = subprocess.run(
        [sys.executable, "-m", "ofsted_kg.cli", "ingest", str(folder), "--jobs", "2",
         "--store", str(tmp_path / "store")],
        capture_output=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    lines = proc.stderr.split(b"\n")
    assert lines[-1] == b"", lines
    lines = [line.decode("utf-8") for line in lines[:-1]]  # every byte written is UTF-8
    expected = sorted(f"{api.quote_name(folder / n)}: empty file" for n in names)
    assert sorted(lines[:-1]) == expected
    assert lines[-1] == SUMMARY.format(1, len(names))
    assert f"{folder / 'plain name.txt'}: empty file" in lines  # printable: as it is
    for line in lines:
        assert line.isprintable(), line


# ------------------------------------------------------------------ broken links, empty folders


def test_broken_links_inside_a_folder_are_failures_and_the_rest_is_stored(
    seeds: list[Path], tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(seeds[0], folder / seeds[0].name)
    (folder / "linked.txt").symlink_to(seeds[1])  # a link that works is followed
    (folder / "dangling.pdf").symlink_to(tmp_path / "moved-away.pdf")
    (folder / "self.txt").symlink_to("self.txt")
    (folder / "ping.md").symlink_to("pong.md")
    (folder / "pong.md").symlink_to("ping.md")
    (folder / "notes.docx").symlink_to("nowhere.docx")  # not named as a report: not read
    given = tmp_path / "given.pdf"  # a dangling link given, not found in a folder
    given.symlink_to(tmp_path / "nowhere.pdf")
    code, lines = run("ingest", str(folder), str(given), "--store", str(tmp_path / "store"))
    assert code == 1
    assert lines == [
        f"{folder / 'dangling.pdf'}: dangling symbolic link",
        f"{folder / 'ping.md'}: symbolic link loop",
        f"{folder / 'pong.md'}: symbolic link loop",
        f"{folder / 'self.txt'}: symbolic link loop",
        f"{given}: dangling symbolic link",
        SUMMARY.format(2, 5),
    ]
    stored = api.open_store(tmp_path / "store", read_only=True).report_shas()
    assert stored == sorted(sha256_of(s.read_bytes()) for s in seeds[:2])


def test_a_folder_with_no_report_is_a_failure(seeds: list[Path], tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    (empty / "nothing-here").mkdir(parents=True)
    (empty / "notes.docx").write_bytes(b"not a report")
    code, lines = run("ingest", str(empty), str(seeds[0]), "--store", str(tmp_path / "store"))
    assert code == 1
    assert lines == [f"{empty}: {api.NO_REPORTS}", SUMMARY.format(1, 1)]
    assert "no report files (.markdown, .md, .pdf, .text, .txt) in this folder" == api.NO_REPORTS


def test_a_file_given_twice_is_read_once(seeds: list[Path], tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(seeds[0], folder / seeds[0].name)
    again = folder / seeds[0].name
    missing = tmp_path / "missing.pdf"
    code, lines = run("ingest", str(again), str(folder), f"{tmp_path}/./in/{seeds[0].name}",
                      str(missing), str(missing), "--store", str(tmp_path / "store"))  # fmt: skip
    assert code == 1
    assert lines == [f"{missing}: no such file", SUMMARY.format(1, 1)]


# ------------------------------------------------------------------ files that vanish


def test_a_file_that_vanishes_after_it_is_listed(
    seeds: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Deleted between the listing of its folder and its reading: one line, the rest stored."""
    folder = tmp_path / "in"
    folder.mkdir()
    for seed in seeds[:3]:
        shutil.copy(seed, folder / seed.name)
    victim = folder / seeds[1].name
    listed = api.expand

    def expand_then_delete(paths):  # noqa: ANN001, ANN202
        found = listed(paths)
        victim.unlink(missing_ok=True)
        return found

    monkeypatch.setattr(api, "expand", expand_then_delete)
    code, lines = run("ingest", str(folder), "--store", str(tmp_path / "store"), "--jobs", "1")
    assert code == 1
    assert lines == [f"{victim}: no such file", SUMMARY.format(2, 1)]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_file_that_vanishes_after_it_is_hashed(
    jobs: str, seeds: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Deleted after the ingest hashed it, before a worker reads it to parse it."""
    folder = tmp_path / "in"
    folder.mkdir()
    for seed in seeds[:3]:
        shutil.copy(seed, folder / seed.name)
    victim = folder / seeds[2].name
    hashed = api.sha256_of
    victim_sha = hashed(victim.read_bytes())

    def hash_then_delete(data: bytes) -> str:
        sha = hashed(data)
        if sha == victim_sha:
            victim.unlink()
        return sha

    monkeypatch.setattr(api, "sha256_of", hash_then_delete)
    store = tmp_path / "store"
    code, lines = run("ingest", str(folder), "--store", str(store), "--jobs", jobs)
    assert code == 1
    assert lines == [f"{victim}: no such file", SUMMARY.format(2, 1)]
    assert len(api.open_store(store, read_only=True).report_shas()) == 2


# ------------------------------------------------------------------ a store that cannot be made


def _without_root_override() -> list[str]:
    """A command prefix under which file permissions apply: none for a user, and for root
    setpriv dropping the capabilities that let root ignore them; skips when neither works."""
    if os.geteuid() != 0:
        return []
    drop = "-dac_override,-dac_read_search"
    prefix = ["setpriv", f"--inh-caps={drop}", f"--bounding-set={drop}"]
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: permissions do not apply")
    probe = subprocess.run([*prefix, "true"], capture_output=True, timeout=60)
    if probe.returncode != 0:
        pytest.skip(f"cannot drop root's capabilities here: {probe.stderr.decode()[:200]}")
    return prefix


@pytest.mark.parametrize("where", ["locked/store", "locked/deeper/store"])
def test_a_store_that_cannot_be_created_is_one_line(
    where: str, seeds: list[Path], tmp_path: Path
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    store = tmp_path / where
    try:
        proc = subprocess.run(
            [*_without_root_override(), sys.executable, "-m", "ofsted_kg.cli", "ingest",
             str(seeds[0]), "--store", str(store)],
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
    finally:
        locked.chmod(0o755)
    assert proc.returncode == 1
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("Error: ") and str(store) in lines[0], lines[0]
    assert "ermission denied" in lines[0], lines[0]
    assert not store.exists()
