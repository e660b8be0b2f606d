"""The ``ofsted-kg`` command: a thin layer over ofsted_kg.api."""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

import click
import pyoxigraph as ox

from ofsted_kg import api
from ofsted_kg.query.formats import GRAPH_FORMATS, RESULTS_FORMATS, rdf_format
from ofsted_kg.query.library import QueryError, find_query, library, parse_params
from ofsted_kg.query.param_values import STORED_SOURCES, known_values, source_of, stored_values
from ofsted_kg.query.results import TermRow, lexical, write_csv
from ofsted_kg.rdf import vocab
from ofsted_kg.read.document import IngestError
from ofsted_kg.resources import example_reports
from ofsted_kg.store import StoreError, resolve
from ofsted_kg.store.guard import QueryRefused
from ofsted_kg.validate.shacl import ENGINES

_store_option = click.option(
    "--store",
    "store_path",
    metavar="FOLDER|URL",
    default=None,
    help="Store folder, or a SPARQL 1.1 endpoint's http(s) URL: an Oxigraph server's, or "
    "virtuoso+http://[USER:PASSWORD@]HOST:PORT for Virtuoso (default: $OFSTED_KG_STORE or "
    "./.ofsted-kg/store).",
)


_engine_option = click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="fast",
    help="SHACL engine: fast (default; the Core constraints in Python, the SPARQL ones in "
    "Oxigraph) or pyshacl (the reference, much slower).",
)


def _open(store_path: str | None, base: str | None = None,
          read_only: bool = False) -> api.GraphStore:  # fmt: skip
    """The store --store names (store.resolve: the folder or URL, or the default)."""
    try:
        return api.open_store(store_path, base=base, read_only=read_only)
    except StoreError as exc:  # its message names the folder and the reason
        raise click.ClickException(str(exc)) from None
    except (OSError, ValueError) as exc:
        raise click.ClickException(
            f"cannot open the store at {resolve(store_path)}: {exc}"
        ) from None


@click.group()
@click.version_option(package_name="ofsted-kg")
def main() -> None:
    """A knowledge graph of Ofsted inspections of local authority children's services."""


@main.command()
# readable=False: a file or folder that cannot be read is reported by ingest in its one-line
# "FILE: reason" form, with the rest of the batch stored, not refused by click up front.
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(path_type=Path, readable=False))  # fmt: skip
@_store_option
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: the number of cores).")  # fmt: skip
@click.option("--force", is_flag=True, help="Re-ingest files already stored with the same sha256.")
@click.option("--replace", is_flag=True,
              help="Store a report in place of a stored report of the same inspection (the "
                   "same report from another file), instead of failing.")  # fmt: skip
@click.option("--base", default=None, help="Base IRI for a new store's resources.")
@_engine_option
def ingest(paths: tuple[Path, ...], store_path: str | None, jobs: int | None, force: bool,
           replace: bool, base: str | None, engine: str) -> None:  # fmt: skip
    """Ingest report files (PDF, .txt, .md) and folders of them.

    Exit status 1 when any file failed, with one line per failure; the others are stored.
    """
    # Each command's work runs in a function that returns the exit status, so the store is
    # closed (and its lock released) before the process exits.
    sys.exit(_ingest_command(paths, store_path, jobs, force, base, engine, replace))


def _ingest_command(paths: tuple[Path, ...], store_path: str | None, jobs: int | None,
                    force: bool, base: str | None, engine: str,
                    replace: bool = False) -> int:  # fmt: skip
    store = _open(store_path, base)
    if store.model_outdated():
        click.echo("an older version of ofsted-kg wrote this store's reports: the files given "
                   "are ingested again, replacing them", err=True)  # fmt: skip
    result = _ingest(paths, store, jobs, force, engine, replace)
    if store.model_outdated():
        click.echo("some stored reports are still in the older form: ingest their files "
                   "again (or start a new store)", err=True)  # fmt: skip
    for failure in result.failed:
        click.echo(str(failure), err=True)
    for sha in result.replaced:
        click.echo(f"replaced the stored report {sha} (of the same inspection)", err=True)
    click.echo(
        f"ingested {len(result.ingested)}, skipped {len(result.skipped)} already stored, "
        f"failed {len(result.failed)}",
        err=True,
    )
    return 0 if result.ok else 1


def _ingest(paths: tuple[Path, ...] | list[Path], store: api.GraphStore, jobs: int | None,
            force: bool, engine: str = "fast",
            replace: bool = False) -> api.IngestResult:  # fmt: skip
    files = api.expand(paths)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())  # fmt: skip
    with Progress(*columns, transient=True, disable=not sys.stderr.isatty() or len(files) < 2,
                  console=None) as progress:  # fmt: skip
        task = progress.add_task("ingesting", total=len(files))
        return api.ingest(
            files, store, jobs=jobs, force=force, engine=engine, replace=replace,
            on_progress=lambda _path, _what: progress.advance(task),
        )  # fmt: skip


@main.command()
@_store_option
@_engine_option
def validate(store_path: str | None, engine: str) -> None:
    """Validate every stored report graph against the SHACL shapes."""
    sys.exit(_validate_command(store_path, engine))


def _validate_command(store_path: str | None, engine: str) -> int:
    store = _open(store_path, read_only=True)
    bad = api.validate(store, engine)
    total = len(store.report_shas())
    for sha, result in bad:
        click.echo(f"report {sha}:\n{result.text}", err=True)
    click.echo(f"{total - len(bad)} of {total} report graphs conform")
    return 1 if bad else 0


@main.command()
@click.argument("name_or_file")
@click.option("--param", "-p", "params", multiple=True, help="NAME=VALUE, bound as an RDF term.")
@click.option("--format", "fmt", default="table",
              help="table (default), csv (plain values), or SPARQL 1.1 results as json, tsv "
                   "(N-Triples terms) or xml; a CONSTRUCT or DESCRIBE query's graph as "
                   "turtle (ttl, the default), ntriples (nt), jsonld or rdfxml.")  # fmt: skip
@click.option("--wide", is_flag=True,
              help="The table with every value whole (hashes too), however wide.")  # fmt: skip
@_store_option
def query(name_or_file: str, params: tuple[str, ...], fmt: str, wide: bool,
          store_path: str | None) -> None:  # fmt: skip
    """Run a library query (see 'ofsted-kg queries') or a .rq file.

    CSV, JSON, TSV and XML are written as the rows come, however many; the table shows the
    first 1,000 rows, fitted to the terminal (long values wrapped, hashes shortened; --wide
    for all of them whole).
    """
    fmt = fmt.strip().lower()
    if fmt not in ("table", "csv", *_RESULTS_FORMATS, *_GRAPH_FORMAT_NAMES):
        raise click.ClickException(f"unknown format {fmt!r} (rows: table, csv, json, tsv, xml; "
                                   f"graphs: {', '.join(_GRAPH_FORMAT_NAMES)})")  # fmt: skip
    store = _open(store_path, read_only=True)
    try:
        found = api.answer(name_or_file, parse_params(params), store)
        if isinstance(found, ox.QueryTriples):
            return _write_graph(found, fmt)
        if isinstance(found, ox.QueryBoolean):
            return _write_boolean(found, fmt)
        if fmt in _GRAPH_FORMAT_NAMES:
            raise QueryError(f"{name_or_file}: a SELECT query gives rows, not a graph: "
                             "--format table, csv, json, tsv or xml")  # fmt: skip
        columns = [v.value for v in found.variables]
        if fmt == "csv":
            write_csv(columns, map(lexical, found), sys.stdout)
        elif fmt in _RESULTS_FORMATS:  # pyoxigraph writes them, as the solutions come
            sys.stdout.flush()
            found.serialize(sys.stdout.buffer, format=_RESULTS_FORMATS[fmt])
        else:
            _table(columns, found, wide)
    except QueryError as exc:
        raise click.ClickException(str(exc)) from None
    except QueryRefused as exc:  # SERVICE, or too big or deep: refused before the engine
        raise click.ClickException(f"{name_or_file}: {exc}") from None
    except SyntaxError as exc:
        raise click.ClickException(f"{name_or_file}: SPARQL syntax error: {exc}") from None


def _write_graph(found: ox.QueryTriples, fmt: str) -> None:
    """A CONSTRUCT or DESCRIBE answer in an RDF format (Turtle where none was asked for)."""
    if fmt in ("table", "csv", *_RESULTS_FORMATS):
        if fmt != "table":
            raise QueryError(f"a CONSTRUCT or DESCRIBE query gives a graph: --format "
                             f"{', '.join(_GRAPH_FORMAT_NAMES)}")  # fmt: skip
        fmt = "turtle"
    engine = next(f.engine for f in GRAPH_FORMATS.values() if fmt in (f.name, *f.aliases))
    sys.stdout.flush()
    found.serialize(sys.stdout.buffer, format=engine)


def _write_boolean(found: ox.QueryBoolean, fmt: str) -> None:
    """An ASK answer: true or false, or SPARQL results in JSON, XML, CSV or TSV."""
    if fmt in _RESULTS_FORMATS:
        sys.stdout.flush()
        found.serialize(sys.stdout.buffer, format=_RESULTS_FORMATS[fmt])
        sys.stdout.buffer.write(b"\n")
    elif fmt in ("table", "csv"):
        click.echo("true" if bool(found) else "false")
    else:
        raise QueryError("an ASK query answers true or false: --format table, json or xml")


TABLE_ROWS = 1000  # a terminal table of more is unreadable (and slow to lay out)
# SPARQL results pyoxigraph writes as the solutions come, from the one registry of formats
# (CSV is written by the project: plain values, not N-Triples terms)
_RESULTS_FORMATS = {n: f.engine for n, f in RESULTS_FORMATS.items() if n != "csv" and f.engine}
_GRAPH_FORMAT_NAMES = [n for f in GRAPH_FORMATS.values() for n in (f.name, *f.aliases)
                       if n not in ("nquads", "nq", "n-quads", "trig")]  # fmt: skip


HASH_SHOWN = 12  # characters of a sha256 in the table: enough to tell reports apart
WORD_LIMIT = 24


def _table(columns: list[str], rows: Iterable[TermRow], wide: bool = False) -> None:
    from rich.console import Console
    from rich.table import Table

    hashes = set() if wide else {i for i, c in enumerate(columns) if c.endswith("sha256")}
    shown: list[list[str]] = []
    n = 0
    for row in rows:
        if n < TABLE_ROWS:
            values = ["" if t is None else t.value for t in row]
            for i in hashes:
                values[i] = values[i][:HASH_SHOWN]
            shown.append(values)
        n += 1
    if wide:  # no wrapping: as wide as it takes
        width = sum(max([len(c), *(len(r[i]) for r in shown)]) + 3 for i, c in enumerate(columns))
        console = Console(width=width + 1)
    elif sys.stdout.isatty():
        console = Console()  # the terminal's width
    else:
        console = Console(width=int(os.environ.get("COLUMNS") or 200))
    table = Table(*columns, show_lines=False)
    # wrapped between words, a word never cut ("Outstand…"): each column at least as wide
    # as its longest word; where they do not all fit, the longest words fold first
    least = [min(max([len(w) for r in shown for w in r[i].split()] + [len(c)]), WORD_LIMIT)
             for i, c in enumerate(columns)]  # fmt: skip
    room = console.width - 3 * len(columns) - 1
    crowded = sum(least) > room
    # text columns give way first; a column of single words (dates, numbers, hashes) last
    words_only = [all(len(r[i].split()) <= 1 for r in shown) for i in range(len(columns))]
    for floor, movable in ((8, [not w for w in words_only]), (4, [True] * len(columns))):
        while sum(least) > room:
            can = [n if m and n > floor else 0 for n, m in zip(least, movable, strict=True)]
            if not any(can):
                break
            least[can.index(max(can))] -= 1
    for column, width in zip(table.columns, least, strict=True):
        column.min_width, column.overflow = width, "fold"
        if crowded:  # rich would widen some past the room left: each its share exactly
            column.width = width
    for values in shown:
        table.add_row(*values)
    console.print(table)
    if n > TABLE_ROWS:
        click.echo(f"{n} rows, the first {TABLE_ROWS} shown (--format csv or json gives all)")
    else:
        click.echo(f"{n} rows")


@main.command("queries")
@click.argument("name", required=False)
@_store_option
def list_queries(name: str | None, store_path: str | None) -> None:
    """List the query library, or show one query: its question, columns, parameters and the
    values each parameter takes (the store's, for authorities, agencies and the like)."""
    if name is None:
        for key, q in library().items():
            params = ", ".join(q.params) or "-"
            click.echo(f"{key:28} {q.title}  [params: {params}]")
        return
    try:
        q = find_query(name)
    except QueryError as exc:
        raise click.ClickException(str(exc)) from None
    for line in q.text.splitlines():  # the header, as written
        if not line.startswith("#"):
            break
        click.echo(line.removeprefix("#").removeprefix(" "))
    store = None
    for p in q.params.values():
        source = source_of(q, p.name)
        if source is None:
            continue
        where = ""
        if source in STORED_SOURCES:
            store = store or _existing_store(store_path)
            known = stored_values(source, store)
            where = " in the store"
        else:
            known = list(known_values(source, None).values)
        more = f" ... and {len(known) - VALUES_SHOWN} more" if len(known) > VALUES_SHOWN else ""
        listed = "; ".join(known[:VALUES_SHOWN]) or "none yet (ingest reports first)"
        click.echo(f"values of {p.name}{where} ({len(known)}): {listed}{more}")
        if source == "authorities":
            click.echo("  (or any authority of the register, by any of its names or its GSS code)")


VALUES_SHOWN = 40


def _existing_store(store_path: str | None) -> api.GraphStore | None:
    """The store, read-only, if there is one (a query's values are shown without it)."""
    where = resolve(store_path)
    if isinstance(where, Path) and not where.exists():
        return None
    return _open(store_path, read_only=True)


def _rdf_format(name: str) -> str:
    """The export format ``--format`` names (a name or an alias), or a one-line error."""
    try:
        return rdf_format(name).name
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None


_rdf_format_option = click.option(
    "--format", "fmt", default="turtle", show_default=True,
    help="turtle (ttl), ntriples (nt), nquads (nq), trig or jsonld (json-ld).",
)  # fmt: skip


def _publication_options(command: Callable) -> Callable:
    """--endpoint, --base-url, --publisher, --contact and --ontology/--no-ontology: what the
    dataset description says of where and by whom the data is published."""
    options = [
        click.option("--endpoint", default=api.DEFAULT_ENDPOINT, show_default=True,
                     help="The SPARQL endpoint the description names."),
        click.option("--base-url", default=None, metavar="URL",
                     help="Where the export files are published, as ofsted-kg.SUFFIX: each "
                          "distribution's download URL (default: none; the endpoint is "
                          "their access URL)."),
        click.option("--publisher", default=api.PUBLISHER, show_default=True, metavar="NAME",
                     help="The publisher's name (also the contact point's)."),
        click.option("--contact", default=api.CONTACT, show_default=True,
                     metavar="EMAIL-or-URL", help="The contact point: an email or a URL."),
        click.option("--ontology/--no-ontology", default=True,
                     help="Include the ontology's graph: classes, properties, concept "
                          "schemes and their labels (default: yes)."),
    ]  # fmt: skip
    for option in reversed(options):
        command = option(command)
    return command


def _publication(endpoint: str, base_url: str | None, publisher: str, contact: str,
                 ontology: bool) -> dict:  # fmt: skip
    """The publication options checked: a one-line error for a URL or contact that is not one."""
    try:
        api.publication(endpoint, base_url, publisher, contact, ontology)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    return {"endpoint": endpoint, "base_url": base_url, "publisher": publisher,
            "contact": contact, "ontology": ontology}  # fmt: skip


@main.command()
@_rdf_format_option
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to FILE (default: standard output).")  # fmt: skip
@click.option("--description/--no-description", default=True,
              help="Include the VoID and DCAT dataset description (default: yes).")  # fmt: skip
@_publication_options
@_store_option
def export(fmt: str, out: Path | None, description: bool, endpoint: str, base_url: str | None,
           publisher: str, contact: str, ontology: bool,
           store_path: str | None) -> None:  # fmt: skip
    """Export every report and enrichment graph, the ontology and the dataset description.

    Deterministic bytes: the same store gives the same file whatever the order of ingest.
    N-Quads and TriG keep a named graph per report (and one for the ontology, one for the
    description); the others hold their union.
    """
    fmt = _rdf_format(fmt)
    options = _publication(endpoint, base_url, publisher, contact, ontology)
    store = _open(store_path, read_only=True)
    _write(api.export(fmt, store, describe=description, **options), out)


def _write(data: bytes, out: Path | None) -> None:
    if out:
        tmp = out.with_name(out.name + ".part")
        tmp.write_bytes(data)
        os.replace(tmp, out)
        click.echo(f"wrote {out} ({len(data):,} bytes)", err=True)
    else:
        sys.stdout.buffer.write(data)


@main.command()
@_rdf_format_option
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to FILE (default: standard output).")  # fmt: skip
@_publication_options
@_store_option
def describe(fmt: str, out: Path | None, endpoint: str, base_url: str | None, publisher: str,
             contact: str, ontology: bool, store_path: str | None) -> None:  # fmt: skip
    """The VoID and DCAT description of the stored data: coverage of the inspections,
    ingest dates, counts, licence, publisher and contact, distributions and their URLs."""
    fmt = _rdf_format(fmt)
    options = _publication(endpoint, base_url, publisher, contact, ontology)
    _write(api.describe(_open(store_path, read_only=True), fmt, **options), out)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf", "png", "html"]),
              default=None, help="Default: from the suffix of --out.")  # fmt: skip
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--authority", default=None, help="Only the agencies linked to this authority.")
@click.option("--kind", default=None, help="Only agencies of this kind, e.g. 'police force'.")
@_store_option
def agencies(fmt: str | None, out: Path, authority: str | None, kind: str | None,
             store_path: str | None) -> None:  # fmt: skip
    """Draw the agency graph: authorities and partner agencies, typed weighted edges.

    GraphML and GEXF (Gephi, Cytoscape), PNG, or a self-contained HTML page with filters.
    """
    from ofsted_kg.publish import agency_graph

    fmt = fmt or out.suffix.lstrip(".").lower()
    if fmt not in agency_graph.OUTPUT_FORMATS:
        raise click.ClickException(f"cannot tell the format of {out}: give --format")
    try:
        g = agency_graph.build(_open(store_path, read_only=True), authority, kind)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    agency_graph.write(g, fmt, out)
    top = "; ".join(f"{name} ({n})" for name, n in agency_graph.top_agencies(g))
    click.echo(f"wrote {out}: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges", err=True)
    if top:
        click.echo(f"agencies linked to most authorities: {top}", err=True)


@main.command()
@click.option("--sample", type=click.IntRange(min=0), default=25, show_default=True,
              help="Check the first N report graphs (0: all) and the enrichment.")  # fmt: skip
@_store_option
def check(sample: int, store_path: str | None) -> None:
    """Run the HermiT reasoner over the ontology and the stored data (needs Java).

    Reports consistency and what was inferred; exit status 1 when inconsistent.
    """
    sys.exit(_check_command(sample, store_path))


def _check_command(sample: int, store_path: str | None) -> int:
    from ofsted_kg.publish.check import CheckError
    from ofsted_kg.publish.check import check as run_check

    try:
        result = run_check(_open(store_path, read_only=True), sample=sample or None)
    except CheckError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(result.summary())
    return 0 if result.ok else 1


@main.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              default=Path("docs") / "ontology", show_default=True)  # fmt: skip
def docs(out: Path) -> None:
    """Write the ontology's HTML documentation (pyLODE; pip install 'ofsted-kg[docs]')."""
    from ofsted_kg.publish.docs import DocsError, write_docs

    try:
        page = write_docs(out)
    except DocsError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"wrote {page}", err=True)


@main.command()
@click.argument("csv_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@_store_option
def authorities(csv_file: Path | None, store_path: str | None) -> None:
    """Load authority codes, regions and other names: from the bundled register, or from a
    CSV file that also gives statistical neighbours.

    The file has the columns of local-authorities.csv (urn, la_code, la_code_new, region_name,
    ons_la_type, stat_neighbours_la_code, ...). It replaces any earlier authority data.
    """
    sys.exit(_authorities_command(csv_file, store_path))


def _authorities_command(csv_file: Path | None, store_path: str | None) -> int:
    source = "the bundled register" if csv_file is None else str(csv_file)
    try:
        count = api.enrich_authorities(csv_file, _open(store_path))
    except IngestError as exc:
        click.echo(f"{source}: {exc}", err=True)
        return 1
    hint = " (statistical neighbours come with local-authorities.csv)" if csv_file is None else ""
    click.echo(f"loaded {count} authorities from {source}{hint}")
    return 0


@main.command()
@_store_option
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None)
def demo(store_path: str | None, jobs: int | None) -> None:
    """Ingest the bundled example reports, validate them and summarise the judgements."""
    sys.exit(_demo_command(store_path, jobs))


def _demo_command(store_path: str | None, jobs: int | None) -> int:
    store = _open(store_path)
    result = _ingest(example_reports(), store, jobs, force=False)
    for failure in result.failed:
        click.echo(str(failure), err=True)
    bad = api.validate(store)
    total = len(store.report_shas())
    click.echo(
        f"Ingested {len(result.ingested)} example reports ({len(result.skipped)} already stored) "
        f"into {store.path}; {total - len(bad)} of {total} report graphs conform to the shapes."
    )
    rows = api.query("judgements", store=store).values()
    counts = Counter((r["authority"], r["inspection_start"] or "", r["grade"]) for r in rows)
    inspections = sorted({(a, s) for a, s, _ in counts})
    # the grades given, best first (a label that is not a grade, e.g. "Not judged", last)
    grades = sorted({g for _, _, g in counts}, key=lambda g: (vocab.grade_number(g) or 9, g))
    width = max([len("authority"), *(len(a) for a, _ in inspections)])
    click.echo(f"\nJudgements by inspection ({len(rows)} in all):")
    click.echo(f"{'authority':{width}}  {'inspection':10}  " + "  ".join(grades))
    for authority, start in inspections:
        cells = "  ".join(f"{counts[(authority, start, g)]:>{len(g)}}" for g in grades)
        click.echo(f"{authority:{width}}  {start:10}  {cells}")
    recs = api.query("recommendations", store=store)
    partner = sum(1 for r in recs.values() if r["addressee"] not in {a for a, _ in inspections})
    click.echo(f"\n{len(recs)} recommendations, {partner} addressed to partner agencies.")
    click.echo("Try: ofsted-kg query judgements --param authority=Camden")
    return 0 if result.ok and not bad else 1


@main.command()
@_store_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=7878, show_default=True, help="Port to listen on.")
@click.option("--timeout", type=float, default=10.0, show_default=True,
              help="Seconds a query may run.")  # fmt: skip
@click.option("--max-rows", type=int, default=10_000, show_default=True,
              help="Most rows a query returns.")  # fmt: skip
@click.option("--workers", type=int, default=None,
              help="Query worker processes (default: cores, at least 2).")  # fmt: skip
@click.option("--worker-memory", default="2G", show_default=True,
              help="Most memory a query worker may use: 2G, 800M (0: no limit).")  # fmt: skip
def serve(store_path: str | None, host: str, port: int, timeout: float, max_rows: int,
          workers: int | None, worker_memory: str) -> None:  # fmt: skip
    """A read-only SPARQL 1.1 Protocol endpoint over the store, with a query page at /."""
    from ofsted_kg.serve.server import make_server, parse_memory

    try:
        memory = parse_memory(worker_memory)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--worker-memory") from None
    try:
        server = make_server(_open(store_path, read_only=True), host, port, timeout, max_rows,
                             workers=workers, worker_memory=memory)  # fmt: skip
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"serving {server.url}/sparql (page: {server.url}/) - Ctrl-C stops", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@main.command()
@click.argument("text")
@click.option(
    "--limit", type=int, default=20, show_default=True, help="At most this many findings."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv"]),
    default="table",
    help="table (default: authority, kind, score and passage) or csv (every column).",
)
@_store_option
def search(text: str, limit: int, fmt: str, store_path: str | None) -> None:
    """Findings matching TEXT, best first, from the store's full-text index.

    Words are stemmed ("workers" finds "worker"); "a phrase" in quotes; AND, OR, NOT (or
    -word) and brackets combine them. Matched words are shown in **...**.
    """
    store = _open(store_path, read_only=True)
    try:
        rows = api.search(text, store, limit=limit)
    except ValueError as exc:  # SearchError: the engine cannot read it, or no index
        raise click.ClickException(str(exc)) from None
    if fmt == "csv":
        write_csv(rows.columns, rows.rows, sys.stdout)
        return
    keep = ["authority", "inspection_start", "kind", "paragraph", "score", "passage"]
    at = [rows.columns.index(c) for c in keep]
    _table(keep, ([ox.Literal(r[i] or "") for i in at] for r in rows.rows))


@main.command()
@click.option(
    "--all", "everything", is_flag=True, help="Rebuild the whole index, not only what is behind."
)
@_store_option
def reindex(everything: bool, store_path: str | None) -> None:
    """Bring the full-text index level with the store (after a killed ingest), or rebuild it."""
    store = _open(store_path)
    try:
        n = api.reindex(store, everything=everything)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"reindexed {n} report(s); the index holds {store.text.count()} findings")


if __name__ == "__main__":  # pragma: no cover
    main()
