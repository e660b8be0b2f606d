"""The embedded store's folder: what makes it a store, its settings file written atomically (and
recovered from the graphs when lost), and a new store made where no reader can see it half-made.

A store folder holds Oxigraph's RocksDB files and ``ofsted-kg.json`` (the base IRI the store was
made with and the data model its report graphs follow). A new store is built in a hidden
sibling folder, ``.NAME.creating-PID``, and renamed into place once its column families, the
ontology's graph and the settings are on disk: a reader sees no store or a whole one (RocksDB
opened read-only half-made fails with "Column family not found").
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from ofsted_kg.rdf import vocab

SETTINGS = "ofsted-kg.json"
_DATABASE = "CURRENT"  # RocksDB's pointer to its manifest: the folder holds a database
_CREATING = ".{name}.creating-"
_REPORT_GRAPH = re.compile(r"(.+)graph/report/[0-9a-f]{64}")
_OTHER_GRAPH = re.compile(r"(.+)graph/[A-Za-z0-9_.-]+")  # enrichment graphs, e.g. authorities
# The predicate each data model's report graphs added (vocab.DATA_MODEL): a store whose report
# graphs all hold it was written by that model or a later one. A model with no entry here is
# never inferred, so a store whose settings were lost is re-ingested rather than trusted.
_MODEL_MARKS = {2: ox.NamedNode(str(vocab.OKG.authorityLabel))}


class StoreError(OSError):
    """The store cannot be opened; the message is one line that names its folder."""


class NotAStore(StoreError):
    """The folder is not an ofsted-kg store: missing, empty, being made, or something else."""


def settings_path(path: Path) -> Path:
    return path / SETTINGS


def is_vacant(path: Path) -> bool:
    """Nothing there yet, or an empty folder: a place a new store may be made."""
    try:
        return not any(path.iterdir())
    except FileNotFoundError:
        return True
    except NotADirectoryError:
        return False


def check(path: Path) -> None:
    """NotAStore, with the reason in one line, unless ``path`` holds a store (its settings or,
    when they are lost, its database)."""
    if is_vacant(path):
        maker = _live_creator(path)
        if maker is not None:
            raise NotAStore(
                f"{path} is not a store yet: it is being created (by process {maker}); "
                "try again when the ingest has begun storing reports"
            )
        raise NotAStore(f"no store at {path}: run 'ofsted-kg ingest' first")
    if not path.is_dir():
        raise NotAStore(f"{path} is not an ofsted-kg store (not a folder)")
    if not settings_path(path).exists() and not (path / _DATABASE).is_file():
        raise NotAStore(f"{path} is not an ofsted-kg store (no {SETTINGS})")


def read_settings(path: Path) -> tuple[dict | None, str]:
    """The settings, or None and why they cannot be read ("missing", "unreadable: ...")."""
    try:
        text = settings_path(path).read_text(encoding="utf-8")
        settings = json.loads(text) if text.strip() else None
    except FileNotFoundError:
        return None, "missing"
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return None, f"unreadable ({exc})"
    if settings is None:
        return None, "empty"
    if not isinstance(settings, dict) or not isinstance(settings.get("base"), str):
        return None, "unreadable (no base IRI in it)"
    return settings, ""


def write_settings(path: Path, settings: dict) -> None:
    """Write the settings atomically: a kill part-way leaves the old file whole.

    Written to a temporary file beside it, flushed to disk, renamed over it, and the folder
    flushed so that the rename itself survives a crash. Only the process holding the store's
    write lock writes them, so one temporary name will do.
    """
    data = (json.dumps(settings) + "\n").encode()
    tmp = path / (SETTINGS + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, settings_path(path))
    _fsync_folder(path)


def recover_settings(db: ox.Store, path: Path, why: str, base: str | None) -> dict | None:
    """The settings read back from the graphs, with a one-line warning on stderr; None when
    the database holds no ofsted-kg graph at all (not one of our stores).

    The base IRI is the prefix of the report graphs' names (of the enrichment graphs' when
    there is no report; ``base``, or the default, when there is neither); the data model is
    the latest whose mark every report graph holds (_MODEL_MARKS).
    """
    names = [g.value for g in db.named_graphs() if isinstance(g, ox.NamedNode)]
    reports = {n: m[1] for n in names if (m := _REPORT_GRAPH.fullmatch(n))}
    others = {m[1] for n in names if n not in reports and (m := _OTHER_GRAPH.fullmatch(n))}
    if not reports and not db.contains_named_graph(ox.NamedNode(str(vocab.ONTOLOGY_IRI))):
        return None
    bases = set(reports.values()) or others or {base or vocab.DEFAULT_BASE}
    if len(bases) > 1:
        raise StoreError(
            f"{path}: its {SETTINGS} is {why} and its graphs are under several base IRIs "
            f"({', '.join(sorted(bases))}): cannot tell which the store was made with"
        )
    model = vocab.DATA_MODEL
    if reports:
        model = 1
        graphs = {ox.NamedNode(n) for n in reports}
        for version in range(2, vocab.DATA_MODEL + 1):
            mark = _MODEL_MARKS.get(version)
            found = db.quads_for_pattern(None, mark, None) if mark is not None else ()
            if not graphs <= {q.graph_name for q in found}:
                break
            model = version
    settings = {"base": bases.pop(), "model": model}
    print(
        f"warning: {settings_path(path)} was {why}: recovered from the store's graphs "
        f"(base IRI {settings['base']}, data model {model})",
        file=sys.stderr,
    )
    return settings


def create(path: Path, build: Callable[[Path], None]) -> None:
    """Make a store at ``path`` (nothing there, or an empty folder): ``build`` fills a hidden
    sibling folder (and must close the database in it), which is then renamed into place.

    When another process made a store there meanwhile, this one's is discarded: the caller
    opens theirs (and is refused if they are still writing).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_creations(path)
    tmp = path.with_name(_CREATING.format(name=path.name) + str(os.getpid()))
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        build(tmp)
        _fsync_folder(tmp)
        try:
            os.rename(tmp, path)  # atomic; replaces an empty folder, not a full one
        except OSError as exc:
            if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    _fsync_folder(path.parent)


def _creations(path: Path) -> list[tuple[Path, int]]:
    """The hidden folders where a store for ``path`` is being (or was being) made, with the
    process making each."""
    prefix = _CREATING.format(name=path.name)
    try:
        entries = list(path.parent.iterdir())
    except OSError:
        return []
    found = []
    for entry in entries:
        pid = entry.name[len(prefix) :]
        if entry.name.startswith(prefix) and pid.isdigit():
            found.append((entry, int(pid)))
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _live_creator(path: Path) -> int | None:
    return next((pid for _, pid in _creations(path) if _alive(pid)), None)


def _remove_stale_creations(path: Path) -> None:
    """What a process killed while making a store left behind."""
    for folder, pid in _creations(path):
        if not _alive(pid):
            shutil.rmtree(folder, ignore_errors=True)


def _fsync_folder(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
