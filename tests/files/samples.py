"""Small files of each allowed type, built in memory, and some that only pretend to be one."""
from __future__ import annotations

import io
import struct
import zipfile
import zlib

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)
OOXML_MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml",
                   "pptx": "ppt/presentation.xml"}
ODF_MIMETYPES = {"odt": "application/vnd.oasis.opendocument.text",
                 "ods": "application/vnd.oasis.opendocument.spreadsheet",
                 "odp": "application/vnd.oasis.opendocument.presentation"}
OLE2_MAIN_STREAM = {"doc": "WordDocument", "xls": "Workbook", "ppt": "PowerPoint Document"}


def zip_of(entries: dict[str, bytes | str], stored_first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_first:  # ODF: `mimetype` first and uncompressed
            archive.writestr(stored_first, entries[stored_first], zipfile.ZIP_STORED)
        for name, data in entries.items():
            if name != stored_first:
                archive.writestr(name, data)
    return buffer.getvalue()


def ooxml(kind: str) -> bytes:
    return zip_of({
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": '<?xml version="1.0"?><Relationships/>',
        OOXML_MAIN_PART[kind]: '<?xml version="1.0"?><root/>',
    })


def odf(kind: str, mimetype: str | None = None) -> bytes:
    return zip_of({
        "mimetype": mimetype or ODF_MIMETYPES[kind],
        "content.xml": '<?xml version="1.0"?><office:document-content/>',
        "META-INF/manifest.xml": '<?xml version="1.0"?><manifest:manifest/>',
    }, stored_first="mimetype")


def ole2(stream_name: str) -> bytes:
    """An OLE2 compound file header and a directory sector naming the main stream."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + struct.pack("<HH", 0x3E, 3)
    header += b"\xfe\xff" + struct.pack("<H", 9) + bytes(512 - len(header) - 4)

    def entry(name: str) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return encoded + bytes(64 - len(encoded)) + struct.pack("<H", len(encoded)) + bytes(62)

    return header + entry("Root Entry") + entry(stream_name) + bytes(256)


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1x1, 8-bit RGB
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", pixels) + \
        chunk(b"IEND", b"")


GIF = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00"
       b"\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")
JPEG = (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
        b"\xff\xdb\x00C\x00" + bytes(range(1, 65)) + b"\xff\xd9")
WEBP = (b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00\x10\x07\x10\x11\x11\x88"
        b"\x88\xfe\x07\x00")
PDF = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
       b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
       b"trailer\n<< /Root 1 0 R >>\n%%EOF\n")
RTF = rb"{\rtf1\ansi\deff0 {\fonttbl {\f0 Times;}} Verbale dell'incontro.\par}"
TEXT_UTF8 = "Verbale dell'incontro: è andato bene, perché c'erano tutti.\n".encode()
CSV_LATIN1 = "nome;città;ente\nMaria;Bergamo;Comune\nLuca;Cantù;ATS\n".encode("latin-1")
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(48) + \
    b"This program cannot be run in DOS mode.\r\r\n$" + bytes(64)
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!doctype html><html><body><table><tr><td>1</td></tr></table></body></html>"

VALID = {
    "pdf": PDF,
    "doc": ole2("WordDocument"),
    "docx": ooxml("docx"),
    "xls": ole2("Workbook"),
    "xlsx": ooxml("xlsx"),
    "ppt": ole2("PowerPoint Document"),
    "pptx": ooxml("pptx"),
    "odt": odf("odt"),
    "ods": odf("ods"),
    "odp": odf("odp"),
    "rtf": RTF,
    "txt": TEXT_UTF8,
    "csv": CSV_LATIN1,
    "png": png(),
    "jpg": JPEG,
    "jpeg": JPEG,
    "gif": GIF,
    "webp": WEBP,
}
