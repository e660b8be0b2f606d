"""read.pdf: logical lines from real Ofsted PDFs, and clean failures on bad input.

The real reports are the fixtures bundled in tests/fixtures/pdf, so these tests run on a
fresh clone; the tests over every PDF of ../shared/corpus carry the ``corpus`` marker (run
with OFSTED_KG_CORPUS=1) and skip when it is absent. The bad-input tests build their PDFs
by hand.
"""

from __future__ import annotations

import hashlib
import io
import re
from functools import cache
from pathlib import Path

import pytest
from fixture_pdfs import FIXTURES, fixture_doc, fixture_pdf

from helpers import SHARED
from ofsted_kg.read.document import Document, IngestError
from ofsted_kg.read.pdf import read_pdf

CORPUS = SHARED / "corpus" / "pdf"
HTML_FILES = ("birmingham-2012-10-19.pdf", "blackpool-2012-07-13.pdf")


def corpus_file(name: str) -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"Ofsted PDF corpus not found at {CORPUS}")
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"{name} is not in the corpus at {CORPUS}")
    return path


@cache
def _read_corpus(name: str) -> Document:
    return read_pdf(CORPUS / name)


def corpus_doc(name: str) -> Document:
    corpus_file(name)
    return _read_corpus(name)


def doc(name: str) -> Document:
    return fixture_doc(name)


def texts(name: str) -> list[str]:
    return [line.text for line in doc(name).lines]


# --------------------------------------------------------------------------- hand-made PDFs


def build_pdf(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF file from its numbered objects (1, 2, ...), with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        xref,
    )
    return bytes(out)


def stream(content: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n%s\nendstream" % (len(content), extra, content)


def page_pdf(content: bytes, resources: bytes, extra_objects: list[bytes] = ()) -> bytes:
    return build_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources %s "
            b"/Contents 4 0 R >>" % resources,
            stream(content),
            *extra_objects,
        ]
    )


def text_pdf(lines: list[tuple[float, float, str]]) -> bytes:
    """One A4 page of Helvetica 12pt text, each (x, y, text) placed where it says."""
    ops = [b"BT /F1 12 Tf"]
    for x, y, text in lines:
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(b"1 0 0 1 %g %g Tm (%s) Tj" % (x, y, escaped.encode("latin-1")))
    ops.append(b"ET")
    return page_pdf(
        b"\n".join(ops),
        b"<< /Font << /F1 5 0 R >> >>",
        [b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"],
    )


SAMPLE = [
    (72, 760, "Judgement"),
    (300, 760, "Grade"),
    (72, 740, "Overall effectiveness"),
    (300, 740, "Good"),
    (72, 700, "The social workers complete a thorough assess-"),
    (72, 686, "ment of the needs of each child and of their well-"),
    (72, 672, "being, including their health and education."),
    (72, 640, "1. A numbered paragraph starts its own line."),
]


def image_only_pdf() -> bytes:
    """A page that paints a small grey image and has no text at all: a 'scan'."""
    return page_pdf(
        b"q 200 0 0 100 50 600 cm /Im1 Do Q",
        b"<< /XObject << /Im1 5 0 R >> >>",
        [
            stream(
                b"\x80\x80\x80\x80",
                b"/Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray "
                b"/BitsPerComponent 8 ",
            )
        ],
    )


def reason(data: bytes, name: str = "bad.pdf") -> str:
    with pytest.raises(IngestError) as info:
        read_pdf(Path(name), data)
    message = str(info.value)
    assert message and "\n" not in message and "Traceback" not in message
    return message


# --------------------------------------------------------------------------- synthetic text


def test_synthetic_page_lines():
    data = text_pdf(SAMPLE)
    document = read_pdf(Path("sample.pdf"), data)
    assert document.kind == "pdf"
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert [line.text for line in document.lines] == [
        "Judgement\tGrade",
        "Overall effectiveness\tGood",
        "The social workers complete a thorough assessment of the needs of each child and"
        " of their well-being, including their health and education.",
        "1. A numbered paragraph starts its own line.",
    ]
    assert {line.page for line in document.lines} == {1}
    for line in document.lines:  # offsets index Document.text
        assert document.text[line.start : line.start + len(line.text)] == line.text


# --------------------------------------------------------------------------- bad input


def test_empty_file():
    assert reason(b"") == "empty file"
    assert reason(b" \n\t") == "empty file"


def test_not_a_pdf():
    assert "not a PDF" in reason(b"PK\x03\x04 a zip file, say")


def test_html_error_page_saved_as_pdf():
    with pytest.raises(IngestError, match="HTML"):
        read_pdf(fixture_pdf("birmingham-2012-10-19.pdf"))


@pytest.mark.corpus
@pytest.mark.parametrize("name", HTML_FILES)
def test_html_error_pages_in_the_corpus(name):
    path = corpus_file(name)
    with pytest.raises(IngestError, match="HTML"):
        read_pdf(path)


def test_html_bytes():
    assert reason(b"<!DOCTYPE html>\n<html><body>Not found</body></html>") == (
        "HTML page, not a PDF"
    )


@pytest.mark.parametrize("fraction", [0.02, 0.3, 0.5, 0.9, 0.97])
def test_truncated_pdf(fraction):
    data = text_pdf(SAMPLE)
    assert "truncated" in reason(data[: max(6, int(len(data) * fraction))])


@pytest.mark.parametrize("cut", [1000, 50_000, -40])
def test_truncated_corpus_pdf(cut):
    data = fixture_pdf("camden-2022-06-21.pdf").read_bytes()
    assert "truncated" in reason(data[:cut])


def test_corrupt_pdf():
    message = reason(b"%PDF-1.4\nthis is not really a PDF at all\n%%EOF\n")
    assert "corrupt" in message


def test_encrypted_pdf():
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(text_pdf(SAMPLE))))
    writer.encrypt(user_password="secret", owner_password="owner")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert "encrypted" in reason(buffer.getvalue())


def test_pdf_with_no_pages():
    data = build_pdf(
        [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    )
    assert reason(data) == "PDF has no pages"


def test_image_only_pdf():
    assert reason(image_only_pdf()) == "no text layer (image-only PDF)"


def test_blank_pdf():
    assert "no text" in reason(page_pdf(b"", b"<< >>"))


# --------------------------------------------------------------------------- real reports


def test_ilacs_2026_running_header_removed():
    lines = doc("herefordshire-2026-01-12.pdf").lines
    header = "Inspection of Herefordshire local authority children's services"
    # the title on page 1 reads like the running header printed on every other page
    assert [(line.text, line.page) for line in lines if header in line.text] == [(header, 1)]
    assert not [line for line in lines if re.match(r"10 to 21 November 2025\s*\d", line.text)]


def test_lac_2013_running_header_removed():
    found = [t for t in texts("norfolk-2013-08-16.pdf") if "Inspection of looked after" in t]
    assert found == ["Inspection of looked after children services"]  # the title only


@pytest.mark.parametrize(
    "name", ["barnsley-2018-11-19.pdf", "camden-2017-11-24.pdf", "herefordshire-2026-01-12.pdf"]
)
def test_page_numbers_removed_and_pages_increase(name):
    document = doc(name)
    assert not [t for t in texts(name) if re.fullmatch(r"(Page )?\d{1,3}( of \d+)?", t)]
    pages = [line.page for line in document.lines]
    assert pages[0] == 1
    assert pages == sorted(pages)
    assert pages[-1] >= 8


def test_headings_and_numbered_paragraphs_start_lines():
    lines = texts("herefordshire-2026-01-12.pdf")
    assert "What needs to improve?" in lines
    heading = "The experiences and progress of children who need help and protection: good"
    assert heading in lines  # a two-line heading joined, and not glued to paragraph 1
    after = lines[lines.index(heading) + 1]
    assert after.startswith("1. Children and families benefit from effective early help services.")
    assert any(t.startswith("2. When professionals are concerned about children") for t in lines)
    numbers = [int(m.group(1)) for t in lines if (m := re.match(r"(\d+)\. ", t))]
    assert numbers == list(range(1, len(numbers) + 1))


def test_bullets_normalised():
    lines = texts("herefordshire-2026-01-12.pdf")
    assert (
        "- The management oversight of the local authority designated officer (LADO). "
        "(outcome 3, national framework)" in lines
    )
    assert not [t for t in lines if t[:1] in "\u25fc\u2022\uf06e\uf0a7"]


def test_hyphen_at_line_break_rejoined():
    lines = texts("halton-2020-04-15.pdf")
    assert (
        "- Management oversight, challenge and supervision, to support consistent, "
        "good-quality social work practice." in lines
    )
    assert not [t for t in lines if "\ufffe" in t or "\ue000" in t]


def test_paragraph_continues_over_page_break():
    document = doc("islington-2025-01-29.pdf")
    [line] = [line for line in document.lines if line.text.startswith("12. Children who go")]
    assert "the Adolescent Support Intervention Project (ASIP) and I-CAN" in line.text
    assert line.page == 3


@pytest.mark.parametrize(
    ("name", "start", "continued"),
    [
        ("barnsley-2018-11-19.pdf", "4. The integrated front door",
         "Thresholds are understood by partners"),
        ("north-lincolnshire-2026-04-30.pdf", "5. For children who need statutory help",
         "These fully consider children's and parents' history"),
    ],
    ids=["barnsley-2018", "north-lincolnshire-2026"],
)  # fmt: skip
def test_paragraph_ending_a_page_at_a_full_stop_continues(name, start, continued):
    [line] = [line for line in doc(name).lines if line.text.startswith(start)]
    assert continued in line.text
    # the footnote printed at the foot of the first page follows the whole paragraph
    lines = doc(name).lines
    i = lines.index(line)
    assert not any(continued in other.text for other in lines[i + 1 :])


@pytest.mark.corpus
def test_footnote_numbered_in_its_own_type_is_set_apart_from_the_paragraph_it_cuts() -> None:
    # page 2 ends mid-sentence ("... through to"), then a footnote in 10pt whose number is
    # glued to its first word ("1The areas for improvement ..."); page 3 goes on
    lines = [ln.text for ln in corpus_doc("west-sussex-focused-visit-2026-01-12.pdf").lines]
    [para] = [t for t in lines if t.startswith("The use of alternatively qualified")]
    assert "apprenticeships through to leadership development, reflects" in para
    [note] = [t for t in lines if "have been cross-referenced" in t]
    assert note.startswith("The areas for improvement") and lines.index(note) > lines.index(para)


@pytest.mark.corpus
def test_bullet_item_ending_a_page_at_a_full_stop_continues_when_the_list_goes_on() -> None:
    # page 3 ends an item at a full stop; page 4 opens with its last sentences, then the
    # list's next item
    lines = [ln.text for ln in corpus_doc("swindon-focused-visit-2018-05-18.pdf").lines]
    [item] = [t for t in lines if t.startswith("- Referrals to the designated officer")]
    assert "There is a lack of coordination between the designated officer" in item
    after = lines[lines.index(item) + 1]
    assert after.startswith("- Management oversight")


@pytest.mark.parametrize(
    ("name", "last"),
    [("halton-2020-04-15.pdf", 38), ("islington-2025-01-29.pdf", 58),
     ("camden-2022-06-21.pdf", 44)],
)  # fmt: skip
def test_last_numbered_paragraph_is_not_joined_to_the_back_matter(name, last):
    # its page ends at a full stop and the next opens with Ofsted's standard paragraph in
    # the same type, but no paragraph numbered after it follows
    [line] = [line for line in doc(name).lines if line.text.startswith(f"{last}. ")]
    assert line.text.endswith(".")
    assert "Ofsted" not in line.text and "Crown copyright" not in line.text
    after = [other.text for other in doc(name).lines if other.start > line.start]
    assert any(t.startswith("The Office for Standards in Education") for t in after)


@pytest.mark.parametrize(
    ("name", "rows"),
    [
        (
            "herefordshire-2026-01-12.pdf",
            [
                "Judgement\tGrade",
                "The impact of leaders on social work practice with children and families"
                "\tOutstanding",
                "The experiences and progress of children who need help and protection\tGood",
                "Overall effectiveness\tGood",
            ],
        ),
        (
            "halton-2020-04-15.pdf",  # a two-line grade beside a two-line label
            [
                "The experiences and progress of children in care and care leavers"
                "\tRequires improvement to be good",
                "Overall effectiveness\tRequires improvement to be good",
            ],
        ),
        (
            "camden-2017-11-24.pdf",  # SIF: numbered rows, and grades beside headings
            [
                "1. Children who need help and protection\tGood",
                "2.1 Adoption performance\tOutstanding",
                "The experiences and progress of children who need help and protection\tGood",
                "Executive summary\t2",  # contents page
            ],
        ),
        ("norfolk-2013-08-16.pdf", ["Overall effectiveness\tInadequate"]),
    ],
)
def test_judgement_table_rows(name, rows):
    lines = texts(name)
    for row in rows:
        assert row in lines


def test_footnote_markers_removed():
    barnsley = texts("barnsley-2014-08-08.pdf")
    assert "Review of the effectiveness of the local safeguarding children board" in barnsley
    # the marker "1" printed after the comma: "... special schools,1 of whom most ..."
    assert (
        "- fewer than five live in residential special schools, of whom most live out of the "
        "authority area" in texts("west-berkshire-2017-07-07.pdf")
    )


@pytest.mark.corpus
def test_footnote_marker_on_a_line_of_its_own_removed():
    # Manchester 2017 prints the marker "1" on a line between "schools" and ", all of whom"
    manchester = [line.text for line in corpus_doc("manchester-2017-12-21.pdf").lines]
    assert any(
        t.startswith("- four live in residential special schools, all of whom are out of")
        for t in manchester
    )


def test_text_is_normalised():
    text = doc("camden-2022-06-21.pdf").text
    for ch in "\u2018\u2019\u201c\u201d\u00ad\ufb01\ufb02\u00a0":
        assert ch not in text
    assert "children's services" in text


# --------------------------------------------------------------------------- every PDF


def fixture_names() -> list[str]:
    return sorted(p.name for p in FIXTURES.glob("*.pdf") if p.name not in HTML_FILES)


def corpus_names() -> list[str]:
    if not CORPUS.is_dir():
        return ["<corpus missing>"]
    return sorted(p.name for p in CORPUS.glob("*.pdf") if p.name not in HTML_FILES)


def test_every_fixture_but_the_html_page_is_checked():
    assert len(fixture_names()) == len(list(FIXTURES.glob("*.pdf"))) - 1 >= 13


@pytest.mark.parametrize("name", fixture_names())
def test_fixture_invariants(name):
    check_invariants(doc(name))


@pytest.mark.corpus
@pytest.mark.parametrize("name", corpus_names())
def test_corpus_invariants(name):
    check_invariants(corpus_doc(name))


def check_invariants(document: Document) -> None:
    assert document.kind == "pdf" and document.lines
    pages = [line.page for line in document.lines]
    assert pages[0] == 1 and pages == sorted(pages)
    for line in document.lines:
        assert line.text == line.text.strip() and "\n" not in line.text
        assert not re.search("[\ue000-\uf8ff\ufffe\u00ad\u2018\u2019]", line.text), line.text
        assert "\t\t" not in line.text
    # nothing left of a running header: no line recurs on more than half the pages (digits
    # aside; a short letter may print a heading twice, as Lancashire's 2021 letter does its
    # "Headline findings", once in the text and once as a heading on the next page)
    npages = pages[-1]
    if npages >= 4:
        seen: dict[str, set[int]] = {}
        for line in document.lines:
            seen.setdefault(re.sub(r"\d+", "#", line.text), set()).add(line.page)
        assert max(len(p) for p in seen.values()) <= npages / 2


def reference_rows() -> list[dict[str, str]]:
    csv_path = SHARED / "corpus" / "reference-judgements.csv"
    if not csv_path.is_file():
        return [{"file": "<reference missing>"}]
    import csv

    with csv_path.open(newline="") as handle:
        return [
            r for r in csv.DictReader(handle) if r["inspection_framework"] in ("standard", "short")
        ]


@pytest.mark.corpus
@pytest.mark.parametrize("row", reference_rows(), ids=lambda r: r["file"])
def test_ilacs_judgement_table_matches_reference(row):
    lines = [
        line.text for line in corpus_doc(row["file"]).lines if line.page == 1 and "\t" in line.text
    ]
    cells = dict(text.split("\t", 1) for text in lines)
    expected = {
        "Overall effectiveness": row["overall_effectiveness_grade"],
        "The impact of leaders on social work practice with children and families": row[
            "impact_of_leaders_grade"
        ],
    }
    for label, grade in expected.items():
        if re.fullmatch(r"[a-z ]+", grade):  # blank or data_unreadable: nothing to compare
            assert cells[label].lower().startswith(grade)
