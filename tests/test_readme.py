"""The README's quick start stays true: two commands, the second run verbatim by .ci/run."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from helpers import ROOT


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
