"""One store interface: the embedded Store and the RemoteStore both are a GraphStore, and the
modules that use a store (api, cli, publish, serve) ask of it nothing that GraphStore lacks."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

import ofsted_kg
from ofsted_kg import api
from ofsted_kg.store import GraphStore, open_store
from ofsted_kg.store.embedded import Store
from ofsted_kg.store.remote import RemoteStore

PACKAGE = Path(ofsted_kg.__file__).parent
USERS = ["api.py", "cli.py", "publish", "serve"]
# What a user of a store may ask beyond GraphStore, and why: the server checks whether the
# store is an embedded one on disk (its workers then open the folder themselves)
# the embedded store alone has a text index: search and reindex check for it (query/search.py)
EMBEDDED_ONLY = {"ox", "search", "reindex", "text"}


def members() -> dict[str, object]:
    names = {n for n in vars(GraphStore) if not n.startswith("_")}
    return {n: getattr(GraphStore, n) for n in sorted(names)}


@pytest.mark.parametrize("cls", [Store, RemoteStore])
def test_both_stores_have_every_member_with_a_compatible_signature(cls: type) -> None:
    for name, member in members().items():
        if isinstance(member, property):
            continue  # attributes: checked on instances below
        assert callable(getattr(cls, name, None)), f"{cls.__name__} lacks {name}"
        wanted = inspect.signature(member).parameters
        given = inspect.signature(getattr(cls, name)).parameters
        for param, spec in wanted.items():
            assert param in given, f"{cls.__name__}.{name} has no parameter {param}"
            if spec.default is not inspect.Parameter.empty:
                assert given[param].default == spec.default, (cls.__name__, name, param)
        # anything more it takes has a default, so the protocol's calls still work
        extra = [p for n, p in given.items() if n not in wanted]
        assert all(p.default is not inspect.Parameter.empty for p in extra), (cls, name, extra)
        # the protocol's positional parameters are in the same places
        positional = [n for n, p in wanted.items() if p.kind is p.POSITIONAL_OR_KEYWORD]
        assert list(given)[: len(positional)] == positional, (cls.__name__, name)


def test_instances_are_graph_stores(tmp_path: Path) -> None:
    embedded = open_store(tmp_path / "store")
    remote = RemoteStore("http://127.0.0.1:9/")  # no request is made
    for store in (embedded, Store(None), remote):
        assert isinstance(store, GraphStore)
        assert store.iris.base == "https://w3id.org/ofsted-kg/id/"
    assert embedded.path == tmp_path / "store" and remote.path is None
    assert api.open_store is open_store  # the API's is the store package's


def _asked_of_a_store(path: Path) -> set[str]:
    """The attributes read from anything named ``store`` (or ``self.store``) in a module."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute):
            owner = node.value
            named = (isinstance(owner, ast.Name) and owner.id == "store") or (
                isinstance(owner, ast.Attribute) and owner.attr == "store"
            )
            if named:
                found.add(node.attr)
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "getattr":
            owner, *rest = node.args
            if getattr(owner, "id", None) == "store" and rest and isinstance(rest[0], ast.Constant):
                found.add(rest[0].value)
    return found


def test_what_the_package_asks_of_a_store_is_in_the_protocol() -> None:
    files = [f for u in USERS for f in ([PACKAGE / u] if u.endswith(".py") else
                                        sorted((PACKAGE / u).rglob("*.py")))]  # fmt: skip
    asked = {name: f.relative_to(PACKAGE) for f in files for name in _asked_of_a_store(f)}
    assert {"put_report", "put_enrichment", "query", "iris"} <= set(asked)  # the scan sees them
    missing = {n: str(f) for n, f in asked.items() if n not in members() and n not in EMBEDDED_ONLY}
    assert missing == {}, f"used on a store but not in GraphStore: {missing}"
