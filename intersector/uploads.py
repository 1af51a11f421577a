"""Zip-based uploads (Word .docx today; .xlsx, .pptx and .odt are zips too), read safely.

A zip member can inflate a thousand-fold, and members that share their compressed data far
more: a 190 KB .docx once took the server to 2 GB of memory, because members were inflated
before any size was checked. So here nothing is inflated until the archive's own directory has
passed the limits, and then members are inflated in small pieces that stop as soon as the real
inflated bytes pass the limit: the sizes an archive declares can lie.

    upload = ZipUpload(data, member_bytes=10 * MB, total_bytes=12 * MB)
    with upload.open("word/document.xml", xml=True) as stream:   # a bounded file-like object
        for event, element in lxml.etree.iterparse(stream, resolve_entities=False): ...

Every refusal is a `Refused` (413 when the content is too large, 400 otherwise), with a message
that tells the person what to do. Whoever parses the XML must still stream it and keep entity
resolution off; a DTD (the way XML bombs expand) is refused here before the parser sees it.
"""

import io
import struct
import zipfile
import zlib

from django.utils.translation import gettext as _

from intersector.refusals import Refused

MB = 1024 * 1024
PIECE = 64 * 1024   # inflate this much at a time: memory stays near the limit, never past it
# Only these two methods appear in Office and OpenDocument files. zipfile inflates bzip2 and
# lzma without a size bound per call (a few KB of bzip2 can become gigabytes at once).
METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
# XML that declares a DTD can define entities that expand a billion-fold. Office Open XML and
# OpenDocument never carry a DTD, so a member with one is refused rather than parsed.
DTD_MARKS = tuple(mark.encode(codec) for mark in ("<!DOCTYPE", "<!ENTITY")
                  for codec in ("utf-8", "utf-16-le", "utf-16-be"))
OVERLAP = max(len(mark) for mark in DTD_MARKS) - 1
ERRORS = (zipfile.BadZipFile, zlib.error, struct.error, EOFError, NotImplementedError,
          RuntimeError, ValueError, OSError)


def too_large(limit):
    return Refused(_("The file unpacks to more than %(mb)s MB, far more than a document of this "
                     "kind holds. It may be damaged or made to overload the site. Open it in its "
                     "program, save a new copy and upload that.") % {"mb": max(1, round(limit / MB))},
                   status=413)


def damaged():
    return Refused(_("The file is damaged and cannot be unpacked. Open it in its program, save a "
                     "new copy and upload that."))


def is_zip(data):
    return zipfile.is_zipfile(io.BytesIO(data))


class ZipUpload:
    """An uploaded zip whose members are read within limits the caller ties to its documents.

    `member_bytes`: the most one member may inflate to; `total_bytes`: the most everything read
    from this upload may inflate to together; `members`: the most entries the archive may list
    (a Word document has 10 to 100). There is no limit on the compression ratio: the sizes
    already bound the memory, and real XML can be as repetitive as a bomb (an empty 40-column
    table packs 300-fold and more).
    """

    def __init__(self, data, *, member_bytes, total_bytes, members=1000):
        self.member_bytes = member_bytes
        self.total_bytes = total_bytes
        self.left = total_bytes
        entries, directory_size = _end_record(data)
        # zipfile builds one object per entry, reading as many as the directory's size allows:
        # a directory far larger than `members` entries need would cost memory before any check.
        if entries > members or directory_size > members * 1024:
            raise self.too_many(members)
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(data))
        except ERRORS:
            raise damaged() from None
        names = self.archive.namelist()
        if len(names) > members:
            raise self.too_many(members)
        if len(set(names)) != len(names):
            raise damaged()   # two members under one name: no real document has that

    @staticmethod
    def too_many(members):
        return Refused(_("The file holds more than %(n)s parts, far more than a document of this "
                         "kind has. Open it in its program, save a new copy and upload that.")
                       % {"n": members}, status=413)

    def names(self):
        return self.archive.namelist()

    def __contains__(self, name):
        return name in self.archive.NameToInfo

    def open(self, name, *, xml=False, limit=None):
        """The member as a file-like object that inflates within the limits as it is read.

        Refused at once from what the archive declares; then the bytes that really come out are
        counted, whatever was declared. With `xml`, a DTD anywhere in the member is refused.
        `limit` lowers the member limit for a part that is always small.
        """
        try:
            info = self.archive.getinfo(name)
        except KeyError:
            raise damaged() from None
        if info.flag_bits & 0x1:
            raise Refused(_("The file is protected with a password. Save a copy without the "
                            "password and upload that."))
        if info.compress_type not in METHODS:
            raise Refused(_("The file is packed in a way this site does not read. Open it in its "
                            "program, save a new copy and upload that."))
        limit = shown = min(self.member_bytes, limit or self.member_bytes)
        if self.left < limit:
            limit, shown = self.left, self.total_bytes
        if info.file_size > limit:
            raise too_large(shown)
        try:
            member = self.archive.open(info)
        except ERRORS:
            raise damaged() from None
        return Member(self, member, limit, shown, xml)

    def read(self, name, *, xml=False, limit=None):
        """A whole member's bytes, inflated within the limits (for small members)."""
        with self.open(name, xml=xml, limit=limit) as member:
            return member.read()


class Member:
    """One member being inflated: `read(size)` gives at most `size` bytes, in pieces."""

    def __init__(self, upload, member, limit, shown, xml):
        self.upload, self.member, self.limit, self.shown, self.xml = upload, member, limit, shown, xml
        self.size = 0
        self.tail = b""

    def read(self, size=-1):
        if size is None or size < 0:
            return b"".join(iter(lambda: self.read(PIECE), b""))
        try:
            piece = self.member.read(min(size, PIECE))
        except ERRORS:
            raise damaged() from None
        self.size += len(piece)
        self.upload.left -= len(piece)
        if self.size > self.limit:
            raise too_large(self.shown)
        if self.xml and piece:
            window = self.tail + piece
            if any(mark in window for mark in DTD_MARKS):
                raise Refused(_("The file contains XML declarations (a DTD) that no real document "
                                "has. Open it in its program, save a new copy and upload that."))
            self.tail = window[-OVERLAP:]
        return piece

    def close(self):
        self.member.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _end_record(data):
    """(entries, directory size) from the archive's end record (zip64 too), or refuse."""
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 65535))
    if at < 0 or len(data) < at + 22:
        raise damaged()
    _sig, _disk, _start, _here, entries, size, _offset, _comment = struct.unpack(
        "<4s4H2LH", data[at:at + 22])
    if entries == 0xFFFF or size == 0xFFFFFFFF:
        locator = at - 20
        if locator < 0 or data[locator:locator + 4] != b"PK\x06\x07":
            raise damaged()
        (record,) = struct.unpack("<Q", data[locator + 8:locator + 16])
        if record + 56 > len(data) or data[record:record + 4] != b"PK\x06\x06":
            raise damaged()
        entries, size = struct.unpack("<QQ", data[record + 32:record + 48])
    return entries, size
