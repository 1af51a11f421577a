"""Zip-based uploads are read within limits: bombs, lying sizes and XML bombs are refused
before they cost memory, and real 50-page Word documents still read.

The builders here make the hostile files; test_zip_uploads.py sends them through the site and
measures the server's memory.
"""

import functools
import io
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from intersector import uploads
from intersector.agreements import word
from intersector.agreements.extract import WORD_LIMITS, DocumentError, read_document
from intersector.refusals import Refused

MiB = 1024 * 1024
BOMB_MEMBER = 256 * MiB   # one member: ~260 KB deflated
WORD_XML = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


# --- Hostile files ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def deflated_paragraphs(size=BOMB_MEMBER):
    """(raw deflate stream, crc32) of a Word document.xml of `size` bytes: millions of empty
    paragraphs, which python-docx would parse into a tree of several GB. Made in pieces."""
    head = b'<?xml version="1.0" encoding="UTF-8"?><w:document ' + WORD_XML + b"><w:body>"
    tail = b"</w:body></w:document>"
    piece = b"<w:p/>" * (MiB // 6)
    count, rest = divmod(size - len(head) - len(tail), len(piece))
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    stream, crc = [], 0
    for chunk in [head] + [piece] * count + [b"<w:p/>" * (rest // 6) + b" " * (rest % 6), tail]:
        stream.append(packer.compress(chunk))
        crc = zlib.crc32(chunk, crc)
    stream.append(packer.flush())
    return b"".join(stream), crc


def local_header(name, crc, packed, size):
    name = name.encode()
    return struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, packed, size,
                       len(name), 0) + name


def central_entry(name, crc, packed, size, offset):
    name = name.encode()
    return struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc, packed, size,
                       len(name), 0, 0, 0, 0, 0, offset) + name


def end_record(count, directory, offset):
    return struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(directory), offset, 0)


def word_parts():
    """The parts of a real (small) Word document, except its document.xml."""
    with zipfile.ZipFile(io.BytesIO(docx_of(["A short agreement."]))) as archive:
        return {name: archive.read(name) for name in archive.namelist() if name != "word/document.xml"}


def hand_made_zip(document_sizes=(BOMB_MEMBER, BOMB_MEMBER), shared_names=()):
    """A Word document whose document.xml is the 256 MiB stream above (~260 KB packed).

    `document_sizes` is what its (local header, central directory) entries declare; any name
    in `shared_names` gets a directory entry pointing at that same stream, declared 256 MiB.
    """
    stream, crc = deflated_paragraphs()
    body, directory, count = b"", b"", 0
    for name, data in word_parts().items():
        packed, part_crc = zlib.compress(data, 9)[2:-4], zlib.crc32(data)
        directory += central_entry(name, part_crc, len(packed), len(data), len(body))
        body += local_header(name, part_crc, len(packed), len(data)) + packed
        count += 1
    local_size, central_size = document_sizes
    offset = len(body)
    directory += central_entry("word/document.xml", crc, len(stream), central_size, offset)
    body += local_header("word/document.xml", crc, len(stream), local_size) + stream
    for name in shared_names:
        directory += central_entry(name, crc, len(stream), BOMB_MEMBER, offset)
    count += 1 + len(shared_names)
    return body + directory + end_record(count, directory, len(body))


@functools.lru_cache(maxsize=None)
def plain_bomb():
    """A valid Word document, 260 KB, whose document.xml unpacks to 256 MiB of paragraphs."""
    return hand_made_zip()


@functools.lru_cache(maxsize=None)
def overlapping_bomb():
    """Eight more directory entries share document.xml's stream: 2.25 GiB declared from 260 KB."""
    return hand_made_zip(shared_names=[f"word/header{i}.xml" for i in range(1, 9)])


@functools.lru_cache(maxsize=None)
def lying_bomb(lie_in_directory):
    """document.xml's local header declares 1,000 bytes (with `lie_in_directory`, the central
    directory too) while it inflates to 256 MiB."""
    return hand_made_zip((1000, 1000 if lie_in_directory else BOMB_MEMBER))


def docx_of(paragraphs):
    from docx import Document

    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def replace_member(data, name, content):
    """The same zip with one member's content replaced (the others copied as they are)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in source.infolist():
            copy.writestr(info.filename, content if info.filename == name else source.read(info))
    return out.getvalue()


def billion_laughs_docx():
    """A Word document whose document.xml defines entities that expand to 10^9 'lol's."""
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, 10))
    xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
           f'<!DOCTYPE w:document [{entities}]>'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           '<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>')
    return replace_member(docx_of(["Placeholder words for a Word document."] * 5),
                          "word/document.xml", xml.encode())


def dense_paragraphs_docx():
    """Within the size limit but all markup: 9.9 MB of empty paragraphs (1.6 million), which
    python-docx turned into 500 MB of objects."""
    xml = (b'<?xml version="1.0"?><w:document ' + WORD_XML + b"><w:body>"
           + b"<w:p/>" * (9_900_000 // 6) + b"</w:body></w:document>")
    return replace_member(docx_of(["x"]), "word/document.xml", xml)


def zip_of(members, method=zipfile.ZIP_DEFLATED):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


HOSTILE = {
    "plain": plain_bomb,
    "overlapping": overlapping_bomb,
    "local-header-lies": lambda: lying_bomb(False),
    "all-headers-lie": lambda: lying_bomb(True),
    "billion-laughs": billion_laughs_docx,
    "dense-paragraphs": functools.lru_cache(maxsize=None)(dense_paragraphs_docx),
}
# What the reviewer is told for each: (status, words of the message).
REFUSALS = {
    "plain": (413, "unpacks to more than 10 MB"),
    "overlapping": (413, "unpacks to more than 10 MB"),
    "local-header-lies": (413, "unpacks to more than 10 MB"),
    "all-headers-lie": (400, "The file is damaged"),
    "billion-laughs": (400, "(a DTD) that no real document has"),
    "dense-paragraphs": (400, "almost no text to review"),
}


def upload(name, data):
    return SimpleUploadedFile(name, data)


def word_upload(data):
    return uploads.ZipUpload(data, **WORD_LIMITS)


# --- Refusals --------------------------------------------------------------------------------


def test_the_bombs_are_small_files_that_unpack_to_gigabytes():
    for kind in ("plain", "overlapping", "local-header-lies", "all-headers-lie"):
        assert len(HOSTILE[kind]()) < 500 * 1024, kind
    declared = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(overlapping_bomb())).infolist())
    assert declared > 2 * 1024 * MiB


@pytest.mark.parametrize("kind", REFUSALS)
def test_hostile_word_files_are_refused_with_a_plain_message(kind):
    status, words = REFUSALS[kind]
    with pytest.raises(DocumentError) as refused:
        read_document(upload("agreement.docx", HOSTILE[kind]()))
    assert isinstance(refused.value, Refused)
    assert refused.value.status == status and words in refused.value.message


def test_inflating_stops_as_soon_as_the_real_bytes_pass_the_limit():
    """Whatever the directory says, the bytes that come out are counted and cut off."""
    archive = uploads.ZipUpload(plain_bomb(), member_bytes=BOMB_MEMBER, total_bytes=BOMB_MEMBER)
    with archive.open("word/document.xml") as member:
        member.limit = MiB   # as if the directory had said less than the member holds
        read = 0
        with pytest.raises(Refused) as refused:
            while piece := member.read(uploads.PIECE):
                read += len(piece)
    assert refused.value.status == 413
    assert read <= MiB   # nothing past the limit was handed on


def test_what_all_members_read_together_may_unpack_to_is_limited_too():
    data = zip_of({"a.xml": b"<a/>" * 250_000, "b.xml": b"<b/>" * 250_000})   # 1 MB each
    archive = uploads.ZipUpload(data, member_bytes=MiB, total_bytes=int(1.5 * MiB))
    archive.read("a.xml")
    with pytest.raises(Refused, match="more than 2 MB"):
        archive.read("b.xml")   # refused from its declared size: only 0.5 MB are left


def test_an_archive_of_too_many_parts_is_refused_before_its_directory_is_read():
    data = zip_of({f"word/media/p{i}.png": b"" for i in range(1500)}, zipfile.ZIP_STORED)
    with pytest.raises(Refused, match="more than 1000 parts") as refused:
        word_upload(data)
    assert refused.value.status == 413


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_packing_methods_no_office_file_uses_are_refused(method):
    # bzip2 and lzma inflate without a bound per call; Word and LibreOffice only deflate.
    source = zipfile.ZipFile(io.BytesIO(docx_of(["Words of the agreement."] * 30)))
    data = zip_of({info.filename: source.read(info) for info in source.infolist()}, method)
    with pytest.raises(DocumentError, match="packed in a way this site does not read"):
        read_document(upload("agreement.docx", data))


def test_a_password_protected_member_is_refused():
    data = bytearray(zip_of({"_rels/.rels": b"<Relationships/>"}))
    # Set the "encrypted" flag in both headers, as an encrypting zip tool does.
    data[6:8] = struct.pack("<H", 1)
    at = data.find(b"PK\x01\x02")
    data[at + 8:at + 10] = struct.pack("<H", 1)
    with pytest.raises(DocumentError, match="protected with a password"):
        read_document(upload("agreement.docx", bytes(data)))


def test_a_doctype_hidden_after_a_long_comment_is_found_across_pieces():
    padding = "<!--" + "x" * (uploads.PIECE - 7) + "-->"
    xml = f'<?xml version="1.0"?>{padding}<!DOCTYPE d [<!ENTITY a "b">]><d>&a;</d>'.encode()
    with pytest.raises(Refused, match="DTD"):
        word_upload(zip_of({"d.xml": xml})).read("d.xml", xml=True)


def test_utf16_xml_with_a_doctype_is_refused_too():
    xml = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE d [<!ENTITY a "b">]><d>&a;</d>'
    with pytest.raises(Refused, match="DTD"):
        word_upload(zip_of({"d.xml": xml.encode("utf-16")})).read("d.xml", xml=True)


def test_a_zip_whose_relationships_name_no_document_is_not_a_word_document():
    rels = (b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="r1" Type="http://x/officeDocument" Target="/word/missing.xml"/>'
            b"</Relationships>")
    with pytest.raises(DocumentError, match="a zip archive, not a Word document"):
        read_document(upload("agreement.docx", zip_of({"_rels/.rels": rels})))


# --- Real documents still read, as python-docx read them -------------------------------------


def fifty_page_docx(picture=None):
    """About 25,000 words in numbered clauses with bold runs and tables, as a long MOU has."""
    import random

    from docx import Document

    rng = random.Random(7)
    words = ("partners agree share data quarterly coordination group decides consensus city "
             "energy clean air budget report community health transport parks").split()
    document = Document()
    count, section = 0, 0
    while count < 24_000:
        section += 1
        document.add_heading(f"{section}. Working together", level=2)
        for clause in range(1, 5):
            paragraph = document.add_paragraph(f"{section}.{clause} ")
            for run in range(6):
                paragraph.add_run(" ".join(rng.choice(words) for _ in range(20)) + " ").bold = run == 0
                count += 20
        if section % 10 == 0:
            table = document.add_table(rows=4, cols=3)
            for row in table.rows:
                for cell in row.cells:
                    cell.text = "lead partner"
    if picture:
        document.add_picture(io.BytesIO(picture))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def noisy_png(side=1400):
    """A photo-sized picture that does not compress (~6 MB)."""
    import os

    from PIL import Image

    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(out, "PNG")
    return out.getvalue()


def test_a_fifty_page_word_agreement_with_a_large_picture_is_read():
    picture = noisy_png()
    data = fifty_page_docx(picture)
    assert len(picture) > 5 * MiB
    reading = read_document(upload("long-mou.docx", data))
    text, pages = reading.text(), reading.page_count
    assert 48 <= pages <= 50
    assert text.startswith("1. Working together") and "lead partner | lead partner" in text


def python_docx_lines(data):
    """The text as the review read it before, through python-docx (for comparison)."""
    from docx import Document

    document = Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return [line for line in lines if line.strip()]


def rich_docx():
    """Merged cells, hyperlinks, tabs, breaks, nested tables, tracked changes, empty lines."""
    from docx import Document
    from docx.enum.text import WD_BREAK
    from docx.oxml import parse_xml

    document = Document()
    document.add_heading("Memorandum of understanding", 0)
    paragraph = document.add_paragraph("1.1 The partners\tagree")
    paragraph.add_run().add_break()
    paragraph.add_run("to meet monthly")
    paragraph.add_run().add_break(WD_BREAK.PAGE)
    paragraph.add_run(" and report.")
    document.add_paragraph("")
    table = document.add_table(rows=4, cols=4)
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            cell.text = f"r{r}c{c}"
    table.cell(0, 0).merge(table.cell(0, 2))       # across
    table.cell(1, 1).merge(table.cell(3, 1))       # down
    table.cell(2, 2).merge(table.cell(3, 3))       # both
    table.cell(1, 3).add_paragraph("second line")
    table.cell(1, 3).add_table(rows=1, cols=2).cell(0, 0).text = "nested"
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    r = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    link = parse_xml(f'<w:p {w} {r}><w:r><w:t xml:space="preserve">See </w:t></w:r>'
                     '<w:hyperlink r:id="rId99"><w:r><w:t>the annex</w:t></w:r></w:hyperlink>'
                     '<w:ins w:id="1" w:author="A"><w:r><w:t>inserted</w:t></w:r></w:ins>'
                     '<w:r><w:noBreakHyphen/><w:cr/><w:t>end</w:t></w:r></w:p>')
    document.element.body.insert(len(document.element.body) - 1, link)
    document.add_paragraph("2.1 Decisions are taken by consensus.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("make", [rich_docx, fifty_page_docx,
                                  lambda: docx_of(["Words of an agreement."] * 40)])
def test_the_streamed_text_is_the_text_python_docx_gave(make):
    data = make()
    assert word.read(data, WORD_LIMITS) == python_docx_lines(data)


def test_a_rich_document_reads_as_expected():
    lines = word.read(rich_docx(), WORD_LIMITS)
    assert lines[1] == "1.1 The partners\tagree\nto meet monthly and report."
    merged = "r0c0\nr0c1\nr0c2"   # a merged cell holds the merged text, once per column
    assert f"{merged} | {merged} | {merged} | r0c3" in lines
    assert "See the annex-\nend" in lines   # tracked insertions left out, as before
