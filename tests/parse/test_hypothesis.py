"""Property-based tests: mutated seed reports never crash the ingest, and whatever is stored
conforms to the shapes.

Each example takes a bundled seed, mutates it (drop, duplicate and shuffle lines, inject
unicode noise, cut it short) and ingests it into an in-memory store. The ingest may refuse
the file with a one-line reason (an IngestError, or a graph that fails the shapes), but must
never fail with an internal error; any graph it stores must validate when read back.
Bounded: 2 x 30 examples (derandomized), about 45 s in all on a busy 2-core machine.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ofsted_kg import api
from ofsted_kg.read.document import sha256_of
from ofsted_kg.resources import example_reports
from ofsted_kg.validate.shacl import validate_ntriples

SEEDS = [p.read_text(encoding="utf-8") for p in example_reports()]
OUTCOMES: Counter[str] = Counter()
SETTINGS = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,  # the same examples on every run
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# unicode noise: any character but surrogates, weighted towards the troublesome ones
NOISE = st.one_of(
    st.characters(codec="utf-8"),
    st.sampled_from(
        "\u00a0\u00ad\u200b\u200e\u202e\ufeff\ufffd\u2028\u2029\u0301\t\r\x0b\x0c"
        "\u2013\u2014\u2019\u201c\u2022\uf0b7|#*>-:"
    ),
)


@st.composite
def line_mutations(draw: st.DrawFn) -> tuple[int, str]:
    """A seed with lines dropped, duplicated and a run of them shuffled."""
    index = draw(st.integers(0, len(SEEDS) - 1))
    lines = SEEDS[index].splitlines()
    n = len(lines)
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["drop", "duplicate", "shuffle"]))
        start = draw(st.integers(0, n - 1))
        length = draw(st.integers(1, max(1, n // 4)))
        chunk = lines[start : start + length]
        if kind == "drop":
            del lines[start : start + length]
        elif kind == "duplicate":
            at = draw(st.integers(0, len(lines)))
            lines[at:at] = chunk
        else:
            lines[start : start + length] = draw(st.permutations(chunk))
        n = max(1, len(lines))
    return index, "\n".join(lines) + "\n"


@st.composite
def noise_mutations(draw: st.DrawFn) -> tuple[int, str]:
    """A seed with unicode noise injected at random places, perhaps cut short."""
    index = draw(st.integers(0, len(SEEDS) - 1))
    text = SEEDS[index]
    for _ in range(draw(st.integers(0, 12))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.text(NOISE, min_size=1, max_size=6)) + text[at:]
    if draw(st.booleans()):
        text = text[: draw(st.integers(0, len(text)))]
    return index, text


def check(index: int, text: str) -> None:
    suffix = draw_suffix(index, text)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"mutated{suffix}"
        path.write_bytes(text.encode("utf-8"))
        store = api.Store(None)
        result = api.ingest([path], store, jobs=1)
        for failure in result.failed:
            assert failure.path == path
            assert "internal error" not in failure.reason, failure.reason
            assert "\n" not in failure.reason
            OUTCOMES[failure.reason.split(" (")[0].split(":")[0]] += 1
        shas = store.report_shas()
        if result.ingested:
            OUTCOMES["stored"] += 1
            assert shas == [sha256_of(path.read_bytes())]
            stored = validate_ntriples(store.ntriples(store.report_graph(shas[0])))
            assert stored.conforms, stored.text
        else:
            assert shas == [] and len(result.failed) == 1


def draw_suffix(index: int, text: str) -> str:
    return ".md" if (index + len(text)) % 3 == 0 else ".txt"


@SETTINGS
@given(line_mutations())
def test_lines_dropped_duplicated_or_shuffled(case: tuple[int, str]) -> None:
    OUTCOMES["examples"] += 1
    check(*case)


@SETTINGS
@given(noise_mutations())
def test_unicode_noise_and_cut_short(case: tuple[int, str]) -> None:
    OUTCOMES["examples"] += 1
    check(*case)


@pytest.fixture(scope="module", autouse=True)
def report_outcomes():
    yield
    print(f"\nhypothesis outcomes: {dict(sorted(OUTCOMES.items()))}")
