"""A full-text index of the findings' texts beside the store (Tantivy), kept with it.

Oxigraph has no text index: a word search scans every finding's text (``findings-search``
grows with the store). Tantivy is a well-kept engine with what a search box needs and the
store lacks: stemmed words, phrases in quotes, AND/OR/NOT, ranking (BM25) and highlighted
passages. One document per finding: its IRI, its report's sha256 and its text.

The index and the store are two databases, so a write touches both in a fixed order, and a
journal (``journal``, one line per step, appended) says where a crash left them:
``pending SHA`` before the store changes a report's graph, ``done SHA`` once the index holds
that report's findings as the store has them. A report pending without a later done, a
report in the store the journal never saw and a report the index holds that the store does
not are what ``repair`` reindexes from the store's graphs (on every open for writing, and
``ofsted-kg reindex``). A killed process leaves the journal's lines written (the operating
system holds them), which is the failure this guards against; a power cut is the store's
business too and ``reindex`` rebuilds the index whole.
"""

from __future__ import annotations

import html
import os
import re
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import tantivy

FOLDER = "text-index"
_JOURNAL = "journal"
_WRITER_HEAP = 64_000_000
# the stemmer of Tantivy's English analyser: "workers" finds "worker", "assessed" "assessment"
_TOKENIZER = "en_stem"


class SearchError(ValueError):
    """A search the engine cannot parse; the message says why in one line."""


# What a search answers about each finding besides its text (the findings-search query's
# columns), kept in the index: read from the report's graph when it is indexed.
FIELDS = ("authority", "inspection_start", "published", "kind", "themes", "page", "paragraph")


@dataclass(frozen=True)
class Hit:
    finding: str  # the finding's IRI
    sha256: str  # its report's
    score: float
    passage_html: str  # the best passage, escaped, matched words in <b>...</b>
    text: str
    fields: dict[str, str | None]  # FIELDS

    @property
    def passage(self) -> str:
        """The passage as plain text, matched words in **...**."""
        return html.unescape(_BOLD.sub(r"**\1**", self.passage_html))


_BOLD = re.compile(r"<b>(.*?)</b>")


def _schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("finding", stored=True, tokenizer_name="raw")
    sb.add_text_field("sha", stored=True, tokenizer_name="raw")
    sb.add_text_field("text", stored=True, tokenizer_name=_TOKENIZER)
    for name in FIELDS:
        sb.add_text_field(name, stored=True, tokenizer_name="raw")
    return sb.build()


def analyse(text: str) -> list[str]:
    """The index's tokens of a text (lower case, stemmed): what a brute-force scan compares."""
    analyzer = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(40))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.stemmer("english"))
        .build()
    )
    return analyzer.analyze(text)


class TextIndex:
    """The index of one store: on disk in ``folder`` (the store's), or in memory."""

    def __init__(self, folder: Path | None, writable: bool) -> None:
        self.folder = folder / FOLDER if folder is not None else None
        self.writable = writable
        self._schema = _schema()
        if self.folder is None:
            self._index = tantivy.Index(self._schema)
        elif writable:
            self.folder.mkdir(exist_ok=True)
            self._index = tantivy.Index(self._schema, path=str(self.folder))
        elif (self.folder / "meta.json").exists():
            self._index = tantivy.Index.open(str(self.folder))
        else:
            self._index = None  # a store made before the index, opened read-only
        self._writer: tantivy.IndexWriter | None = None
        self._uncommitted: list[str] = []
        self._memory_journal: list[str] = []

    # ---- the journal

    def _journal(self, lines: Iterable[str]) -> None:
        text = "".join(f"{line}\n" for line in lines)
        if not text:
            return
        if self.folder is None:
            self._memory_journal.extend(text.splitlines())
            return
        with (self.folder / _JOURNAL).open("a", encoding="ascii") as f:
            f.write(text)

    def _journal_lines(self) -> Iterator[str]:
        if self.folder is None:
            yield from self._memory_journal
            return
        try:
            with (self.folder / _JOURNAL).open(encoding="ascii") as f:
                yield from (line.strip() for line in f)
        except FileNotFoundError:
            return

    def state(self) -> tuple[set[str], set[str]]:
        """(reports indexed as the store has them, reports pending) by the journal."""
        done: set[str] = set()
        pending: set[str] = set()
        for line in self._journal_lines():
            step, _, sha = line.partition(" ")
            if step == "pending":
                pending.add(sha)
                done.discard(sha)
            elif step == "done":
                done.add(sha)
                pending.discard(sha)
            elif step == "removed":
                done.discard(sha)
                pending.discard(sha)
        return done, pending

    def stale(self, store_shas: Iterable[str]) -> set[str]:
        """The reports whose findings the index may not hold as the store has them (and the
        reports it holds that the store no longer has)."""
        done, pending = self.state()
        shas = set(store_shas)
        return pending | (shas - done) | (done - shas)

    # ---- writing (the store calls these around its own writes)

    def begin(self, shas: Iterable[str]) -> None:
        """Before the store changes these reports' graphs."""
        self._journal(f"pending {sha}" for sha in shas)

    def put(self, sha: str, findings: Iterable[dict[str, str]]) -> None:
        """Replace a report's findings (each: ``finding`` IRI, ``text`` and FIELDS, a field
        left out when the report has no value); durable at ``commit``."""
        writer = self._open_writer()
        writer.delete_documents_by_term("sha", sha)
        for finding in findings:
            values = {k: v for k, v in finding.items() if v is not None}
            writer.add_document(tantivy.Document(sha=sha, **values))
        self._uncommitted.append(f"done {sha}")

    def remove(self, shas: Iterable[str]) -> None:
        writer = self._open_writer()
        for sha in shas:
            writer.delete_documents_by_term("sha", sha)
            self._uncommitted.append(f"removed {sha}")

    def commit(self) -> None:
        if self._writer is None or not self._uncommitted:
            return
        self._writer.commit()
        self._journal(self._uncommitted)
        self._uncommitted = []
        self._index.reload()

    def close(self) -> None:
        if self._writer is not None:
            self.commit()
            self._writer.wait_merging_threads()  # also releases the index's writer lock
            self._writer = None

    def compact_journal(self) -> None:
        """Rewrite the journal as one ``done`` line per indexed report, once nothing is pending."""
        done, pending = self.state()
        if pending or self.folder is None:
            return
        tmp = self.folder / f"{_JOURNAL}.tmp"
        tmp.write_text("".join(f"done {sha}\n" for sha in sorted(done)), encoding="ascii")
        os.replace(tmp, self.folder / _JOURNAL)

    def clear(self) -> None:
        """Drop everything (``reindex --all``): the next put starts an empty index."""
        self.close()
        if self.folder is None:
            self._index = tantivy.Index(self._schema)
            self._memory_journal = []
            return
        shutil.rmtree(self.folder)
        self.folder.mkdir()
        self._index = tantivy.Index(self._schema, path=str(self.folder))

    def _open_writer(self) -> tantivy.IndexWriter:
        if not self.writable:
            raise PermissionError("the text index was opened read-only")
        if self._writer is None:
            self._writer = self._index.writer(_WRITER_HEAP, 1)
        return self._writer

    # ---- reading

    def available(self) -> bool:
        return self._index is not None

    def search(self, text: str, limit: int | None = None) -> list[Hit]:
        """Findings matching ``text`` in Tantivy's query language (words, "a phrase", AND, OR,
        NOT or -word), best first."""
        return list(self.hits(text, limit))

    def hits(self, text: str, limit: int | None = None) -> Iterator[Hit]:
        """As ``search``, one hit at a time: the matches are found and ranked at once (a
        search the engine cannot read fails here, before the first hit), each hit's document
        and passage are read as it is asked for, so the first row of a wide answer comes
        without waiting for the last."""
        if self._index is None:
            raise SearchError("this store has no text index yet: run `ofsted-kg reindex`")
        self._index.reload()
        searcher = self._index.searcher()
        try:
            query = self._index.parse_query(text, ["text"])
        except ValueError as exc:
            raise SearchError(f"cannot read the search {text!r}: {exc}") from None
        total = searcher.num_docs
        if total == 0:
            return iter(())
        found = searcher.search(query, min(limit or total, total))
        snippets = tantivy.SnippetGenerator.create(searcher, query, self._schema, "text")
        snippets.set_max_num_chars(240)
        return self._read(searcher, snippets, found.hits)

    @staticmethod
    def _read(searcher: tantivy.Searcher, snippets: tantivy.SnippetGenerator,
              found: list) -> Iterator[Hit]:  # fmt: skip
        for score, address in found:
            doc = searcher.doc(address)
            text = doc["text"][0]
            passage = snippets.snippet_from_doc(doc).to_html() or html.escape(text[:240])
            fields = {k: (doc[k] or [None])[0] for k in FIELDS}
            yield Hit(doc["finding"][0], doc["sha"][0], score, passage, text, fields)

    def documents(self) -> set[tuple[str, str, str]]:
        """Every (finding IRI, report sha256, text) the index holds: for checks, not searches."""
        if self._index is None:
            return set()
        self._index.reload()
        searcher = self._index.searcher()
        if searcher.num_docs == 0:
            return set()
        found = searcher.search(tantivy.Query.all_query(), searcher.num_docs)
        docs = (searcher.doc(address) for _, address in found.hits)
        return {(d["finding"][0], d["sha"][0], d["text"][0]) for d in docs}

    def count(self) -> int:
        if self._index is None:
            return 0
        self._index.reload()
        return self._index.searcher().num_docs
