"""What may be attached: an allow-list of extensions, each with a check that the bytes match it.

The extension says what the file claims to be; the first bytes (or the zip's parts) say what
it is. A file is accepted only when both agree. The content type we store and serve comes from
this table, never from what the browser declared.
"""
from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

MAX_FILENAME_LENGTH = 200
OLE2_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_HEADER = b"PK\x03\x04"  # at byte 0: refuses an executable with a zip glued on its end
# C0 control characters that no text file contains (tab, newlines, form feed and the DOS
# end-of-file mark 0x1A are allowed).
TEXT_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x19\x1b-\x1f]")
# Characters that Windows refuses in names, and path separators.
FILENAME_FORBIDDEN = re.compile(r'[<>:"/\\|?*]')


class Refused(ValueError):
    """The file may not be attached; `message` tells the person why, in their language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedFile:
    filename: str  # sanitised, for display and Content-Disposition
    extension: str  # lower case, without the dot
    content_type: str
    size: int


# --- the content checks: each reads a seekable stream at position 0 ---------------------------

def _starts_with(*signatures: bytes) -> Callable[[BinaryIO], bool]:
    def check(stream: BinaryIO) -> bool:
        head = stream.read(16)
        return any(head.startswith(s) for s in signatures)
    return check


def _webp(stream: BinaryIO) -> bool:
    head = stream.read(12)
    return head[:4] == b"RIFF" and head[8:12] == b"WEBP"


def _ole2(*stream_names: str) -> Callable[[BinaryIO], bool]:
    """A legacy Office file: an OLE2 compound file holding the application's main stream.

    Stream names are stored in UTF-16LE in the compound file's directory, so finding the name
    tells a Word file from an Excel one (or from an .msi) without parsing the whole format.
    """
    needles = [name.encode("utf-16-le") for name in stream_names]

    def check(stream: BinaryIO) -> bool:
        data = stream.read()
        return data.startswith(OLE2_HEADER) and any(n in data for n in needles)
    return check


def _open_zip(stream: BinaryIO) -> zipfile.ZipFile | None:
    if stream.read(4) != ZIP_HEADER:
        return None
    stream.seek(0)
    try:
        return zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return None


def _ooxml(folder: str) -> Callable[[BinaryIO], bool]:
    """Word, Excel, PowerPoint 2007+: a zip with [Content_Types].xml and the application's
    folder. A password-protected one is an OLE2 file holding an EncryptedPackage stream."""
    encrypted = _ole2("EncryptedPackage")

    def check(stream: BinaryIO) -> bool:
        archive = _open_zip(stream)
        if archive is None:
            stream.seek(0)
            return encrypted(stream)
        with archive:
            names = archive.namelist()
        return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)
    return check


def _odf(mimetype: str) -> Callable[[BinaryIO], bool]:
    """OpenDocument: a zip whose `mimetype` entry names the document's type."""
    def check(stream: BinaryIO) -> bool:
        archive = _open_zip(stream)
        if archive is None:
            return False
        try:
            with archive, archive.open("mimetype") as entry:
                declared = entry.read(200)  # bounded: never inflate a crafted entry
        except (KeyError, zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError,
                NotImplementedError):
            return False
        return declared.strip() == mimetype.encode()
    return check


def text_encoding(stream: BinaryIO) -> str | None:
    """'utf-8' or 'iso-8859-1' for a plain text file; None for anything binary."""
    data = stream.read()
    if TEXT_CONTROL.search(data):  # NUL bytes and other controls: binary, or UTF-16
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "iso-8859-1"  # decodes any byte; the control check above did the refusing
    return "utf-8"


def _text(stream: BinaryIO) -> bool:
    return text_encoding(stream) is not None


@dataclass(frozen=True)
class FileType:
    content_type: str
    label: str  # short name shown beside the file
    described: str  # "un PDF valido": completes "Il file «x» non è ..."
    check: Callable[[BinaryIO], bool]


_DOC = _l("Documento Word")
_XLS = _l("Foglio Excel")
_PPT = _l("Presentazione PowerPoint")
_WORD_VALID = _l("un documento Word valido")
_EXCEL_VALID = _l("un foglio di calcolo Excel valido")
_POWERPOINT_VALID = _l("una presentazione PowerPoint valida")
_JPEG = FileType("image/jpeg", _l("Immagine JPEG"), _l("un'immagine JPEG valida"),
                 _starts_with(b"\xff\xd8\xff"))

TYPES: dict[str, FileType] = {
    "pdf": FileType("application/pdf", _l("PDF"), _l("un PDF valido"), _starts_with(b"%PDF-")),
    "doc": FileType("application/msword", _DOC, _WORD_VALID, _ole2("WordDocument")),
    "docx": FileType(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _DOC, _WORD_VALID, _ooxml("word/")),
    "xls": FileType("application/vnd.ms-excel", _XLS, _EXCEL_VALID, _ole2("Workbook", "Book")),
    "xlsx": FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     _XLS, _EXCEL_VALID, _ooxml("xl/")),
    "ppt": FileType("application/vnd.ms-powerpoint", _PPT, _POWERPOINT_VALID,
                    _ole2("PowerPoint Document")),
    "pptx": FileType(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        _PPT, _POWERPOINT_VALID, _ooxml("ppt/")),
    "odt": FileType("application/vnd.oasis.opendocument.text", _l("Documento OpenDocument"),
                    _l("un documento OpenDocument valido"),
                    _odf("application/vnd.oasis.opendocument.text")),
    "ods": FileType("application/vnd.oasis.opendocument.spreadsheet", _l("Foglio OpenDocument"),
                    _l("un foglio di calcolo OpenDocument valido"),
                    _odf("application/vnd.oasis.opendocument.spreadsheet")),
    "odp": FileType("application/vnd.oasis.opendocument.presentation",
                    _l("Presentazione OpenDocument"),
                    _l("una presentazione OpenDocument valida"),
                    _odf("application/vnd.oasis.opendocument.presentation")),
    "rtf": FileType("application/rtf", _l("Documento RTF"), _l("un documento RTF valido"),
                    _starts_with(b"{\\rtf")),
    "txt": FileType("text/plain", _l("Testo"), _l("un file di testo valido"), _text),
    "csv": FileType("text/csv", _l("CSV"), _l("un file CSV valido"), _text),
    "png": FileType("image/png", _l("Immagine PNG"), _l("un'immagine PNG valida"),
                    _starts_with(b"\x89PNG\r\n\x1a\n")),
    "jpg": _JPEG,
    "jpeg": _JPEG,
    "gif": FileType("image/gif", _l("Immagine GIF"), _l("un'immagine GIF valida"),
                    _starts_with(b"GIF87a", b"GIF89a")),
    "webp": FileType("image/webp", _l("Immagine WebP"), _l("un'immagine WebP valida"), _webp),
}

ACCEPT = ",".join(f".{extension}" for extension in TYPES)  # the file input's `accept`


def allowed_types_text() -> str:
    return _("PDF, documenti (DOC, DOCX, ODT, RTF, TXT), fogli di calcolo (XLS, XLSX, ODS, CSV), "
             "presentazioni (PPT, PPTX, ODP) e immagini (PNG, JPG, JPEG, GIF, WEBP)")


def type_label(extension: str) -> str:
    file_type = TYPES.get(extension)
    return str(file_type.label) if file_type else extension.upper()


def format_size(size: int) -> str:
    """A size as people read it, in the page's language: "850 byte", "12 KB", "1,2 MB"."""
    if size < 1024:
        return _("%(num)s byte", num=format_decimal(size))
    value, unit = size / 1024, "KB"
    for larger in ("MB", "GB"):
        if value < 1024:
            break
        value, unit = value / 1024, larger
    return f"{format_decimal(value, format='#,##0.#')} {unit}"


def too_many_message(limit: int, existing: int = 0) -> str:
    if existing:
        return ngettext("Puoi allegare al massimo %(num)d file: ce ne sono già %(existing)d.",
                        "Puoi allegare al massimo %(num)d file: ce ne sono già %(existing)d.",
                        limit, existing=existing)
    return ngettext("Puoi allegare al massimo %(num)d file.",
                    "Puoi allegare al massimo %(num)d file.", limit)


# --- names --------------------------------------------------------------------------------------

def clean_filename(name: str) -> str:
    """The name to show and to send back: no folders, no control or bidi characters (which
    can make "fdp.exe" display as "exe.pdf"), nothing Windows refuses, not too long."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]  # some browsers send the whole path
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = FILENAME_FORBIDDEN.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    if len(name) > MAX_FILENAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and len(extension) <= 10:
            name = stem[:MAX_FILENAME_LENGTH - len(extension) - 1].rstrip(" .") + "." + extension
        else:
            name = name[:MAX_FILENAME_LENGTH]
    return name


def extension_of(filename: str) -> str:
    stem, dot, extension = filename.rpartition(".")
    return extension.lower() if dot and stem else ""


# --- the whole check ----------------------------------------------------------------------------

def stream_size(stream: BinaryIO) -> int:
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    return size


def check_upload(filename: str, stream: BinaryIO, max_bytes: int) -> CheckedFile:
    """Checks one uploaded file (name as sent, seekable binary stream); raises Refused."""
    name = clean_filename(filename)
    shown = name or filename or "?"
    extension = extension_of(name)
    file_type = TYPES.get(extension)
    if file_type is None:
        raise Refused(_("Tipo di file non ammesso: «%(name)s». Sono ammessi: %(types)s.",
                        name=shown, types=allowed_types_text()))
    size = stream_size(stream)
    if size > max_bytes:
        raise Refused(_("Il file «%(name)s» supera il limite di %(limit)s.",
                        name=shown, limit=format_size(max_bytes)))
    if size == 0:
        raise Refused(_("Il file «%(name)s» è vuoto.", name=shown))
    try:
        matches = file_type.check(stream)
        content_type = file_type.content_type
        if matches and content_type.startswith("text/"):
            stream.seek(0)
            content_type += f"; charset={text_encoding(stream)}"
    finally:
        stream.seek(0)
    if not matches:
        raise Refused(_("Il file «%(name)s» non è %(what)s: il contenuto non corrisponde "
                        "all'estensione.", name=shown, what=file_type.described))
    return CheckedFile(filename=name, extension=extension, content_type=content_type, size=size)
