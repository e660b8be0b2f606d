"""What a query must pass before the engine sees it: no federation, a bounded size and depth.

pyoxigraph (0.5) has no option or service handler to turn SERVICE off, and it does not hand
out its parsed query, so the check reads the query itself, token by token, the way Oxigraph's
parser does (spargebra's PEG grammar), not with a pattern over its text. What that grammar does
and a keyword regex misses:

- A keyword is matched by its letters alone, with no word boundary: ``SERVICESILENT`` is SERVICE
  SILENT, ``1SERVICE`` the number 1 then SERVICE, ``trueSERVICE`` true then SERVICE. So any run
  of letters that holds SERVICE is refused (no keyword, boolean or function name holds it).
- A prefixed name's local part takes at most one group of dots (``ex:a.b.SERVICE`` is
  ``ex:a.b``, a dot, then SERVICE), and when the prefix's IRI plus the local part is no IRI
  (``PREFIX ex: <http://a:>`` then ``ex:SERVICE``) the parser reads ``ex:`` alone and the local
  part again, as keywords. A local part holding SERVICE passes only after a prefix declared in
  the query with an IRI that ends in ``/`` or ``#``.
- ``?`` is also a path modifier, so a variable whose name holds SERVICE after its first letter
  (``?1SERVICE``) is refused; ``?service`` and ``?service_given`` pass.
- ``<`` starts an IRI, or is less-than after an operand inside parentheses: there the text up
  to ``>`` is read both ways, and refused when the two readings could part (a quote or a ``#``
  in it) or when the operator reading holds SERVICE.
- ``\\u`` escapes: SPARQL resolves them before parsing, pyoxigraph 0.5 does not: the query is
  checked as written and with them resolved.

Strings, IRIs, comments, blank node labels, variables and prefixed names that contain the word
otherwise pass. Deep nesting (braces, parentheses, brackets, quoted triples) and long chains of
operators, UNIONs, OPTIONALs or path steps make the parser or the evaluator recurse until the
process dies (SIGSEGV), so they are refused too, as is a query of more than ``MAX_BYTES``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

MAX_BYTES = 1 << 20  # a query's size in UTF-8 (the endpoint's request body limit too)
MAX_DEPTH = 200  # brackets open at once; Oxigraph's parser overflows its stack near 10,000
MAX_CHAIN = 2000  # operators, UNIONs, OPTIONALs...: a chain of 10,000 to 20,000 overflows it
_REFUSED = "SERVICE (a federated query) is not allowed: the store answers from its own graphs"


class QueryRefused(SyntaxError):
    """A query the store will not run (a SyntaxError, as callers treat a bad query)."""


class ServiceRefused(QueryRefused):
    """A query with SERVICE, refused: the store never fetches other endpoints for a query."""


class QueryTooComplex(QueryRefused):
    """A query too big, too deeply nested or with too long a chain for the engine to parse
    without overflowing its stack."""


class Token(NamedTuple):
    kind: str  # iri, pname, var, bnode, string, langtag, number, word, punct
    text: str
    start: int


# Oxigraph's character classes (spargebra's PN_CHARS_BASE and the rest). Names are read no
# longer than the engine reads them: what follows is then read as tokens, never hidden.
_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd"
)
_U = "_" + _BASE
_CHARS = r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040" + _U
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_HEX4, _HEX8 = "[0-9A-Fa-f]{4}", "[0-9A-Fa-f]{8}"
_ESCAPE = rf"\\[tbnrf\"'\\]|\\u{_HEX4}|\\U{_HEX8}"

# PEG rules never give back what they matched: possessive quantifiers (*+, ++) do the same
_PNAME = re.compile(
    rf"(?P<prefix>(?:[{_BASE}][{_CHARS}]*+(?:\.++[{_CHARS}]++)*+)?):"
    rf"(?P<local>(?:[{_U}:0-9]|{_PLX})(?:[{_CHARS}:]|{_PLX})*+(?:\.++(?:[{_CHARS}:]|{_PLX})++)?)?"
)
_VAR = re.compile(rf"[?$][0-9{_U}][0-9\u00b7\u0300-\u036f\u203f-\u2040{_U}]*+")
_BNODE = re.compile(rf"_:[0-9{_U}][{_CHARS}]*+(?:\.++[{_CHARS}]++)*+")
_LANGTAG = re.compile(r"@[A-Za-z]++(?:-[A-Za-z0-9]++)*+(?:--[A-Za-z]++)?")
_NUMBER = re.compile(
    r"(?:[0-9]++\.[0-9]*+|\.[0-9]++|[0-9]++)[eE][+-]?[0-9]++|[0-9]*+\.[0-9]++|[0-9]++"
)
_WORD = re.compile(rf"[0-9{_U}]++")
_SPACE = re.compile(r"[ \t\r\n]++|#[^\r\n]*+")
_STRINGS = (  # the order Oxigraph tries them: a long string that does not end is not one
    re.compile(rf"'''(?:(?:''|')?+(?:[^'\\]|{_ESCAPE}))*+'''"),
    re.compile(rf'"""(?:(?:""|")?+(?:[^"\\]|{_ESCAPE}))*+"""'),
    re.compile(rf"'(?:[^'\\\n\r]|{_ESCAPE})*+'"),
    re.compile(rf'"(?:[^"\\\n\r]|{_ESCAPE})*+"'),
)
_ESCAPES = re.compile(rf"\\(?:u({_HEX4})|U({_HEX8})|.)", re.S)
# What an IRI may hold between < and > (Oxigraph's IRI parser refuses the rest)
_IRI = re.compile(rf"<(?:[^<>\"{{}}|^`\\\x00-\x20]|\\u{_HEX4}|\\U{_HEX8})*+>")
_PUNCT = re.compile(r"\|\||&&|!=|<=|>=|\^\^|>>|<<|.", re.S)
_CODEPOINT = re.compile(rf"\\u({_HEX4})|\\U({_HEX8})")
_SERVICE = re.compile("service", re.I | re.A)  # the parser compares ASCII letters only

_OPENERS = {"{", "(", "[", "<<"}
_CLOSERS = {"}", ")", "]", ">>"}
_OPERAND = {"iri", "pname", "var", "string", "langtag", "number", "word"}
_CHAIN_PUNCT = {"||", "&&", "=", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "|", "!", "^"}
_CHAIN_WORDS = {"UNION", "OPTIONAL", "MINUS"}


def tokens(sparql: str) -> Iterator[Token]:
    """The query's tokens as Oxigraph's grammar reads them, whitespace and comments left out
    (no context: a ``<`` is an IRI whenever one can start there, see ``check``)."""
    pos, n = 0, len(sparql)
    while pos < n:
        m = _SPACE.match(sparql, pos)
        if m:
            pos = m.end()
            continue
        tok = _token(sparql, pos)
        yield tok
        pos = tok.start + len(tok.text)


_FORMS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}
_UPDATES = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}


def query_form(sparql: str) -> str | None:
    """SELECT, CONSTRUCT, DESCRIBE or ASK, or UPDATE for an update; None where the text
    starts as neither (the engine says why): the first keyword after the prologue."""
    prologue = False  # after PREFIX or BASE, the next tokens are its name and IRI
    for tok in tokens(sparql):
        word = tok.text.upper() if tok.kind == "word" else None
        if word in ("PREFIX", "BASE"):
            prologue = True
            continue
        if prologue and tok.kind in ("pname", "iri"):
            prologue = tok.kind == "pname"  # PREFIX name: <iri>, BASE <iri>
            continue
        if word in _FORMS:
            return word
        if word in _UPDATES:
            return "UPDATE"
        return None
    return None


def _token(text: str, pos: int) -> Token:
    c = text[pos]
    if c in "'\"":
        for rule in _STRINGS:
            m = rule.match(text, pos)
            if m and _code_points(m.group()):
                return Token("string", m.group(), pos)
        return Token("punct", c, pos)  # no string: the engine refuses the query here
    if c == "<" and not text.startswith("<<", pos):
        m = _IRI.match(text, pos)
        if m:
            return Token("iri", m.group(), pos)
    if c in "?$":
        m = _VAR.match(text, pos)
        if m:
            return Token("var", m.group(), pos)
    if c == "_" and text.startswith("_:", pos):
        m = _BNODE.match(text, pos)
        if m:
            return Token("bnode", m.group(), pos)
    if c == "@":
        m = _LANGTAG.match(text, pos)
        if m:
            return Token("langtag", m.group(), pos)
    if c.isdigit() or c == ".":
        m = _NUMBER.match(text, pos)
        if m:
            return Token("number", m.group(), pos)
    m = _PNAME.match(text, pos)
    if m:
        return Token("pname", m.group(), pos)
    m = _WORD.match(text, pos)
    if m:
        return Token("word", m.group(), pos)
    return Token("punct", _PUNCT.match(text, pos).group(), pos)  # type: ignore[union-attr]


def _code_points(string: str) -> bool:
    """Whether every \\u escape of a string names a character (Oxigraph refuses the string
    otherwise, and reads its quotes another way)."""
    for m in _ESCAPES.finditer(string):
        if (m[1] or m[2]) and _codepoint(m) == m[0]:
            return False
    return True


def check_query(sparql: str, allow_service: bool = False) -> None:
    """Refuse a query the engine must not see: ServiceRefused when it could be federated
    (unless ``allow_service``), QueryTooComplex when too big, too deep or too long a chain.
    Both are SyntaxErrors with a one-line message."""
    size = len(sparql.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise QueryTooComplex(
            f"the query is too big: {size:,} bytes, at most {MAX_BYTES:,} are read"
        )
    readings = [sparql]
    resolved = _CODEPOINT.sub(_codepoint, sparql)
    if resolved != sparql:
        readings.append(resolved)
    for text in readings:
        _Reader(text, allow_service).read()


def _codepoint(m: re.Match) -> str:
    code = int(m[1] or m[2], 16)
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return m[0]
    return chr(code)


class _Reader:
    """One pass over one reading of the query: brackets open, chain length, SERVICE."""

    def __init__(self, text: str, allow_service: bool) -> None:
        self.text, self.allow_service = text, allow_service
        self.stack: list[str] = []
        self.chain = 0
        self.values = False  # VALUES seen, its block not yet open
        self.prefixes: dict[str, str] = {}  # declared in the query, as written

    def read(self) -> None:
        text, pos, prev = self.text, 0, None
        pending_prefix: str | None = None  # PREFIX p: seen, its IRI next
        while pos < len(text):
            m = _SPACE.match(text, pos)
            if m:
                pos = m.end()
                continue
            if text.startswith("<<", pos) and self._maybe_less_than(prev):
                tok = Token("punct", "<", pos)  # less-than, then an IRI or another '<'
            else:
                tok = _token(text, pos)
            pos = tok.start + len(tok.text)
            if tok.kind == "iri" and self._maybe_less_than(prev):
                self._both_ways(tok)
            self._count(tok)
            if not self.allow_service:
                self._service(tok)
            if pending_prefix is not None and tok.kind == "iri":
                self.prefixes[pending_prefix] = tok.text[1:-1]
            pending_prefix = None
            if tok.kind == "pname" and prev is not None and prev.text.upper() == "PREFIX":
                pending_prefix = tok.text[:-1] if tok.text.endswith(":") else None
            prev = tok

    def _maybe_less_than(self, prev: Token | None) -> bool:
        """Whether a ``<`` here could be the less-than operator: after an operand, inside
        parentheses (every expression is in some)."""
        return (
            bool(self.stack)
            and self.stack[-1] == "("
            and self.stack[-2:-1] != ["VALUES"]  # a row of VALUES holds no expression
            and prev is not None
            and (prev.kind in _OPERAND or prev.text == ")")
        )

    def _both_ways(self, tok: Token) -> None:
        inside = tok.text[1:-1]
        if "'" in inside or "#" in inside:
            # as an operator, a quote would open a string or '#' a comment past the '>'
            raise ServiceRefused(
                f"{_REFUSED} (the '<' at {self._where(tok.start)} reads two ways: as an IRI "
                "or as less-than, and the two readings part)"
            )
        as_iri = list(self.stack)
        for inner in tokens(inside):  # as less-than: what the IRI would hold, as tokens
            self._count(inner)
            if not self.allow_service:
                self._service(inner)
        self.stack = as_iri

    def _count(self, tok: Token) -> None:
        opener = tok.text if tok.kind == "punct" and tok.text in _OPENERS else None
        if opener == "{" and self.values:
            opener = "VALUES"  # its rows' parentheses hold data, never a less-than
        if tok.kind == "word" and tok.text.upper() == "VALUES":
            self.values = True  # until its block opens: only variables and parentheses
        elif tok.kind != "var" and tok.text not in ("(", ")"):
            self.values = False
        if opener is not None:
            self.stack.append(opener)
            if len(self.stack) > MAX_DEPTH:
                raise QueryTooComplex(
                    f"the query is nested too deeply: more than {MAX_DEPTH} brackets open at "
                    f"once ({self._where(tok.start)})"
                )
        elif tok.kind == "punct" and tok.text in _CLOSERS:
            if self.stack:
                self.stack.pop()
        if (tok.kind == "punct" and tok.text in _CHAIN_PUNCT) or (
            tok.kind == "word" and tok.text.upper() in _CHAIN_WORDS
        ):
            self.chain += 1
            if self.chain > MAX_CHAIN:
                raise QueryTooComplex(
                    f"the query is too long a chain: more than {MAX_CHAIN} operators, UNIONs, "
                    f"OPTIONALs, MINUSes and path steps ({self._where(tok.start)})"
                )

    def _service(self, tok: Token) -> None:
        if tok.kind in ("word", "langtag"):
            suspect = _SERVICE.search(tok.text) is not None
        elif tok.kind == "var":
            suspect = tok.text[0] == "?" and _SERVICE.search(tok.text, 2) is not None
        elif tok.kind == "pname":
            prefix, _, local = tok.text.partition(":")
            suspect = _SERVICE.search(prefix) is not None or (
                _SERVICE.search(local) is not None and not self._sound(prefix, local)
            )
        else:
            suspect = False
        if suspect:
            raise ServiceRefused(
                f"{_REFUSED} ({tok.text!r} at {self._where(tok.start)} can be read as SERVICE)"
            )

    def _sound(self, prefix: str, local: str) -> bool:
        """Whether ``prefix:local`` surely reads as one IRI: else the parser takes
        ``prefix:`` alone and reads the local part again, as keywords."""
        iri = self.prefixes.get(prefix)
        return (
            iri is not None
            and re.match(r"[A-Za-z][A-Za-z0-9+.-]*:(//[^/?#]*/|[^/])", iri) is not None
            and iri.endswith(("/", "#"))
            and "\\" not in iri
            and local.isascii()
            and "\\" not in local
        )

    def _where(self, pos: int) -> str:
        line = self.text.count("\n", 0, pos) + 1
        return f"line {line}, column {pos - (self.text.rfind(chr(10), 0, pos) + 1) + 1}"
