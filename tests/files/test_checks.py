"""The allow-list and the content checks: real small files pass, files in disguise do not."""
from __future__ import annotations

import io

import pytest

from cop.files.checks import (
    TYPES,
    Refused,
    allowed_types_text,
    check_upload,
    clean_filename,
    format_size,
)
from tests.files import samples

TEN_MB = 10 * 1024 * 1024


@pytest.fixture(autouse=True)
def italian_request(app):
    with app.test_request_context("/"):
        yield


def check(filename: str, data: bytes, max_bytes: int = TEN_MB):
    return check_upload(filename, io.BytesIO(data), max_bytes)


def refusal(filename: str, data: bytes, max_bytes: int = TEN_MB) -> str:
    with pytest.raises(Refused) as caught:
        check(filename, data, max_bytes)
    return caught.value.message


def test_every_allowed_type_has_a_sample():
    assert set(samples.VALID) == set(TYPES)


@pytest.mark.parametrize("extension", sorted(samples.VALID))
def test_a_real_file_of_each_allowed_type_passes(extension):
    data = samples.VALID[extension]
    result = check(f"Verbale incontro.{extension.upper()}", data)
    assert result.extension == extension
    assert result.size == len(data)
    assert result.filename == f"Verbale incontro.{extension.upper()}"
    assert result.content_type.split(";")[0] == TYPES[extension].content_type


def test_text_files_get_their_encoding():
    assert check("note.txt", samples.TEXT_UTF8).content_type == "text/plain; charset=utf-8"
    assert check("elenco.csv", samples.CSV_LATIN1).content_type == "text/csv; charset=iso-8859-1"


@pytest.mark.parametrize("filename, data, what", [
    ("relazione.pdf", samples.png(), "un PDF valido"),  # a PNG calling itself a PDF
    ("fattura.pdf", samples.EXE, "un PDF valido"),  # a program renamed
    ("verbale.docx", samples.zip_of({"verbale.txt": "ciao"}), "un documento Word valido"),
    ("verbale.docx", samples.ooxml("xlsx"), "un documento Word valido"),
    ("verbale.docx", samples.EXE + samples.ooxml("docx"), "un documento Word valido"),
    ("dati.xlsx", samples.ooxml("pptx"), "un foglio di calcolo Excel valido"),
    ("slide.pptx", samples.PDF, "una presentazione PowerPoint valida"),
    ("verbale.odt", samples.odf("odt", mimetype="application/vnd.oasis.opendocument.spreadsheet"),
     "un documento OpenDocument valido"),
    ("verbale.odt", samples.zip_of({"content.xml": "<x/>"}), "un documento OpenDocument valido"),
    ("dati.ods", samples.ooxml("xlsx"), "un foglio di calcolo OpenDocument valido"),
    ("verbale.doc", samples.ole2("Workbook"), "un documento Word valido"),
    ("verbale.doc", samples.RTF, "un documento Word valido"),
    ("dati.xls", samples.HTML, "un foglio di calcolo Excel valido"),  # web "exports"
    ("slide.ppt", samples.EXE, "una presentazione PowerPoint valida"),
    ("note.txt", samples.EXE, "un file di testo valido"),
    ("note.txt", "ciao".encode("utf-16"), "un file di testo valido"),
    ("dati.csv", samples.png(), "un file CSV valido"),
    ("lettera.rtf", samples.TEXT_UTF8, "un documento RTF valido"),
    ("foto.jpg", samples.GIF, "un'immagine JPEG valida"),
    ("foto.png", samples.SVG, "un'immagine PNG valida"),
    ("foto.gif", samples.JPEG, "un'immagine GIF valida"),
    ("foto.webp", b"RIFF\x00\x00\x00\x00WAVEfmt ", "un'immagine WebP valida"),
])
def test_a_file_in_disguise_is_refused(filename, data, what):
    assert refusal(filename, data) == (
        f"Il file «{filename}» non è {what}: il contenuto non corrisponde all'estensione.")


@pytest.mark.parametrize("filename, data", [
    ("logo.svg", samples.SVG),
    ("pagina.html", samples.HTML),
    ("pagina.htm", samples.HTML),
    ("setup.exe", samples.EXE),
    ("archivio.zip", samples.zip_of({"a.txt": "a"})),
    ("macro.docm", samples.ooxml("docx")),
    ("senza-estensione", samples.PDF),
    ("relazione.pdf.exe", samples.EXE),
    (".pdf", samples.PDF),
])
def test_a_type_outside_the_allow_list_is_refused(filename, data):
    message = refusal(filename, data)
    assert message.startswith("Tipo di file non ammesso: «")
    assert "Sono ammessi: PDF, documenti (DOC, DOCX, ODT, RTF, TXT)" in message


def test_the_allowed_types_text_names_every_extension():
    text = allowed_types_text()
    for extension in TYPES:
        assert extension.upper() in text


def test_the_size_limit():
    at_limit = samples.PDF + b"0" * (TEN_MB - len(samples.PDF))
    assert check("grande.pdf", at_limit).size == TEN_MB
    assert refusal("enorme.pdf", at_limit + b"0") == \
        "Il file «enorme.pdf» supera il limite di 10 MB."
    assert refusal("piccolo.pdf", samples.PDF, max_bytes=100) == \
        "Il file «piccolo.pdf» supera il limite di 100 byte."


def test_an_empty_file_is_refused():
    assert refusal("vuoto.pdf", b"") == "Il file «vuoto.pdf» è vuoto."


def test_the_stream_is_left_at_its_start_for_whoever_stores_it():
    stream = io.BytesIO(samples.ooxml("docx"))
    check_upload("a.docx", stream, TEN_MB)
    assert stream.tell() == 0


@pytest.mark.parametrize("sent, kept", [
    ("C:\\Users\\maria\\Documenti\\Verbale 3.pdf", "Verbale 3.pdf"),
    ("../../etc/passwd.txt", "passwd.txt"),
    ("fattura\u202efdp.exe", "fatturafdp.exe"),  # a right-to-left override shows "exe.pdf"
    ('dati:"2024"?.csv', "dati__2024__.csv"),
    ("  .nascosto.txt  ", "nascosto.txt"),
    ("Relazione\tfinale\n.pdf", "Relazionefinale.pdf"),
    ("Cafe\u0301 è già.pdf", "Café è già.pdf"),  # NFC
    ("a" * 300 + ".pdf", "a" * 196 + ".pdf"),
])
def test_filenames_are_cleaned_for_display_and_download(sent, kept):
    assert clean_filename(sent) == kept


def test_the_checked_name_is_the_clean_one():
    assert check("C:\\temp\\Bilancio.PDF", samples.PDF).filename == "Bilancio.PDF"


@pytest.mark.parametrize("size, shown", [
    (0, "0 byte"), (850, "850 byte"), (1024, "1 KB"), (12 * 1024 + 300, "12,3 KB"),
    (1258291, "1,2 MB"), (TEN_MB, "10 MB"), (3 * 1024 ** 3, "3 GB"),
])
def test_sizes_are_written_the_italian_way(size, shown):
    assert format_size(size) == shown
