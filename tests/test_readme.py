"""The README's quick start stays true: two commands, the second run verbatim by .ci/run."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from helpers import ROOT, free_port


def quick_start() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "the quick start has a sh code block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_quick_start_is_two_commands() -> None:
    commands = quick_start()
    assert len(commands) == 2
    assert commands[0].startswith("pip install . && ofsted-kg ")
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    lines = [line.strip() for line in ci.splitlines() if line.strip() and not line.startswith("#")]
    assert lines[-1] == quick_start()[1]


def test_the_main_job_runs_on_the_bundled_corpus(tmp_path: Path) -> None:
    """Command 1 after its install step, in an empty folder, as a newcomer runs it."""
    main_job = quick_start()[0].split("&&", 1)[1].split()
    assert main_job[0] == "ofsted-kg"
    # the command installed beside this Python (another on the PATH may be an older install)
    beside = Path(sys.executable).parent / "ofsted-kg"
    exe = str(beside) if beside.is_file() else shutil.which("ofsted-kg")
    assert exe, "ofsted-kg is not installed"
    done = subprocess.run(
        [exe, *main_job[1:]], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert "5 of 5 report graphs conform to the shapes" in done.stdout
    assert "Judgements by inspection (66 in all)" in done.stdout
    table = done.stdout.split("Judgements by inspection (66 in all):\n", 1)[1].split("\n\n")[0]
    cells = [re.split(r"\s{2,}", line.strip()) for line in table.splitlines()]
    assert cells == [  # the seeds' grades (../shared's expected judgements), best first
        ["authority", "inspection", "Outstanding", "Good", "Adequate"],
        ["Camden", "2012-02-20", "0", "20", "2"],
        ["Islington", "2012-01-23", "8", "14", "0"],
        ["Kensington and Chelsea", "2012-04-10", "0", "22", "0"],
    ]
    assert "41 recommendations, 7 addressed to partner agencies" in done.stdout
    assert (tmp_path / ".ofsted-kg" / "store").is_dir()
    # a second run finds everything stored and changes nothing
    again = subprocess.run([exe, *main_job[1:]], cwd=tmp_path, capture_output=True, text=True)
    assert again.returncode == 0 and "(5 already stored)" in again.stdout


def test_bundled_seeds_are_the_shared_seeds_unchanged() -> None:
    from helpers import SHARED
    from ofsted_kg.resources import example_reports

    shared_seeds = SHARED / "seeds"
    if not shared_seeds.is_dir():
        import pytest

        pytest.skip("../shared/seeds is absent")
    bundled = {p.name: p.read_bytes() for p in example_reports()}
    assert bundled == {p.name: p.read_bytes() for p in shared_seeds.glob("*.txt")}


def _block(heading: str, language: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split(heading, 1)[1]
    block = re.search(rf"```{language}\n(.*?)```", section, re.S)
    assert block, f"{heading} has a {language} code block"
    return block.group(1)


def _folder_of_reports(tmp_path: Path) -> None:
    """reports/: the bundled seeds and one PDF (the README's reports/camden.pdf)."""
    from fixture_pdfs import fixture_pdf

    from ofsted_kg.resources import example_reports

    reports = tmp_path / "reports"
    reports.mkdir()
    for seed in example_reports():
        shutil.copy(seed, reports / seed.name)
    shutil.copy(fixture_pdf("camden-2022-06-21.pdf"), reports / "camden.pdf")


def test_every_command_of_using_it_runs(tmp_path: Path) -> None:
    """Each line of the README's "Using it" block, run as written in a folder holding
    reports/ (the seeds and a PDF), my-question.rq and local-authorities.csv (from ../shared;
    the line is skipped without it): exit status 0, and serve answers a query."""
    import os
    import shlex
    import time
    import urllib.request

    from helpers import SHARED

    _folder_of_reports(tmp_path)
    (tmp_path / "my-question.rq").write_text(
        "PREFIX okg: <https://w3id.org/ofsted-kg/ontology#>\n"
        "SELECT ?authority (COUNT(*) AS ?inspections) WHERE { ?i okg:authorityLabel ?authority }"
        " GROUP BY ?authority\n"
    )
    reference = SHARED / "reference" / "local-authorities.csv"
    if reference.is_file():
        shutil.copy(reference, tmp_path / "local-authorities.csv")
    beside = Path(sys.executable).parent / "ofsted-kg"
    exe = str(beside) if beside.is_file() else shutil.which("ofsted-kg")
    assert exe, "ofsted-kg is not installed"
    env = {**os.environ, "OFSTED_KG_STORE": ""}  # the default store, in the folder
    commands = [
        line.split("  #", 1)[0].strip() for line in _block("## Using it", "sh").splitlines()
    ]
    ran = 0
    for command in filter(None, commands):
        args = shlex.split(command)
        assert args[0] == "ofsted-kg", command
        if "local-authorities.csv" in args and not reference.is_file():
            continue
        if args[1] == "serve":
            port = str(free_port())  # the README's port may be taken here
            if "--port" in args:
                args[args.index("--port") + 1] = port
            else:
                args += ["--port", port]
            proc = subprocess.Popen([exe, *args[1:]], cwd=tmp_path, env=env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
            try:
                url = f"http://127.0.0.1:{port}/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D"
                for _ in range(200):
                    try:
                        answer = urllib.request.urlopen(url, timeout=2).read()
                        break
                    except OSError:
                        time.sleep(0.1)
                else:
                    raise AssertionError(f"serve did not answer: {proc.stderr.read()}")
                assert b"true" in answer
            finally:
                proc.terminate()
                proc.wait(10)
            ran += 1
            continue
        done = subprocess.run([exe, *args[1:]], cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=600)  # fmt: skip
        assert done.returncode == 0, (command, done.stderr[-2000:])
        ran += 1
    assert ran >= len(list(filter(None, commands))) - 1
    assert (tmp_path / "kg.ttl").stat().st_size > 10_000
    assert (tmp_path / "agencies.html").is_file()


def test_the_python_example_runs(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """The README's Python block, run as written in a folder holding reports/."""
    _folder_of_reports(tmp_path)
    monkeypatch.chdir(tmp_path)
    scope: dict = {}
    code = _python_block()
    exec(compile(code, "README.md", "exec"), scope)  # noqa: S102
    assert len(scope["rows"]) > 0 and scope["result"].ok
    assert scope["report"].authority == "Camden" and scope["ttl"].startswith(b"@prefix")


def _python_block() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```python\n(.*?)```", text, re.S)
    assert block, "the README has a Python example"
    return block.group(1)
