"""``ofsted-kg check``: HermiT over the ontology and the stored data (needs Java)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ofsted_kg import api
from ofsted_kg.cli import main
from ofsted_kg.publish.check import check

pytestmark = pytest.mark.skipif(
    shutil.which("java") is None, reason="HermiT (run by owlready2) needs Java on the PATH"
)

OKG = "https://w3id.org/ofsted-kg/ontology#"
CAMDEN = "https://w3id.org/ofsted-kg/id/authority/camden"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_seed_store_is_consistent_and_inferences_are_reported(seed_store: api.Store) -> None:
    result = check(seed_store)
    assert result.ok and result.reports == 5 and result.triples > 5000
    inferred = set(result.inferred)
    # an NHS foundation trust is a partner agency and an organisation, by the subclass axioms
    trust = "https://w3id.org/ofsted-kg/id/agency/camden-and-islington-nhs-foundation-trust"
    assert (trust, OKG + "PartnerAgency") in inferred
    assert (trust, "http://www.w3.org/ns/org#Organization") in inferred
    assert (CAMDEN, OKG + "Authority") not in inferred  # stated, so not inferred
    assert "with 5 report graphs" in result.summary()
    assert "okg:PartnerAgency" in result.summary()


def test_a_planted_authority_that_is_also_a_police_force_fails(
    seeds: list[Path], tmp_path: Path
) -> None:
    store = api.open_store(tmp_path / "store")
    assert api.ingest([seeds[3]], store, jobs=1).ok
    rdf_type = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    store.put_enrichment(
        "planted",
        f"<{CAMDEN}> {rdf_type} <{OKG}Authority> .\n<{CAMDEN}> {rdf_type} <{OKG}PoliceForce> .\n",
    )
    store.flush()
    code, out, _err = run("check", "--store", str(store.path), "--sample", "0")
    assert code == 1
    assert "INCONSISTENT" in out
    assert f"{CAMDEN} is both okg:Authority and okg:PoliceForce (disjoint)" in out


def test_cli_checks_a_sample(seed_store: api.Store) -> None:
    code, out, err = run("check", "--store", str(seed_store.path), "--sample", "2")
    assert code == 0, out + err
    assert "a sample of 2 of 5 report graphs" in out and "\nconsistent\n" in out
    assert "class memberships not stated in the data" in out
