"""An attestation as a document: its text in the reader's language (Italian, or English for
whom reads in English), shown by the printable page and written into the PDF (fpdf2), so
that the two always say the same thing."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from fpdf import FPDF

from cop.learning.forms import hours_text
from cop.learning.models import Attestation
from cop.learning.services import format_code
from cop.mail import link


@dataclass
class AttestationText:
    heading: str  # the Region and the networks
    platform: str
    title: str
    statement: str
    fields: list[tuple[str, str]]  # (label, value): name, path, date, hours, code
    check_intro: str
    check_url: str  # the direct link: /verifica/<code>
    check_form: str  # the page where one types the code
    code: str
    filename: str


def hours_label(minutes: int | None) -> str:
    return hours_text(minutes) if minutes else _("non indicate")


def text_of(attestation: Attestation) -> AttestationText:
    """In a request: the holder's name, the path's title, the date (in Italy's time zone)
    and the hours as issued, the code and the URLs to check it."""
    code = format_code(attestation.code)
    date = format_date(attestation.completed_at, "d MMMM y")
    name = attestation.user.name
    return AttestationText(
        heading=_("Regione Lombardia · Reti Territoriali di Conciliazione"),
        platform=_("Comunità di pratica conciliazione"),
        title=_("Attestato di formazione"),
        statement=_("Si attesta che %(name)s ha completato il percorso formativo «%(path)s» "
                    "il %(date)s.", name=name, path=attestation.path_title, date=date),
        fields=[(_("Nome e cognome"), name),
                (_("Percorso formativo"), attestation.path_title),
                (_("Data di completamento"), date),
                (_("Ore di formazione"), hours_label(attestation.minutes)),
                (_("Codice di verifica"), code)],
        check_intro=_("Chiunque può verificare questo attestato, senza accedere, all'indirizzo "
                      "qui sotto, oppure scrivendo il codice nella pagina di verifica:"),
        check_url=link("verification.show", code=code),
        check_form=link("verification.form"),
        code=code,
        filename=f"attestato-{attestation.code}.pdf",
    )


# --- the PDF ---------------------------------------------------------------------------------

_FONT = "Attestato"
_FALLBACKS = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-",
                            "…": "...", "\u00a0": " "})


def _fonts(pdf: FPDF) -> bool:
    """DejaVu Sans from ATTESTATION_FONT_DIR (any character), else False (Helvetica)."""
    folder = Path(current_app.config.get("ATTESTATION_FONT_DIR") or "")
    regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
    if not (regular.is_file() and bold.is_file()):
        return False
    pdf.add_font(_FONT, "", str(regular))
    pdf.add_font(_FONT, "B", str(bold))
    return True


def pdf_bytes(text: AttestationText) -> bytes:
    """A4 portrait: the heading, the title, the statement, the fields, and how to check it."""
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(f"{text.title} · {text.fields[1][1]}")
    pdf.set_author(text.platform)
    pdf.set_creator(text.platform)
    unicode_font = _fonts(pdf)
    family = _FONT if unicode_font else "Helvetica"

    def clean(value: str) -> str:
        if unicode_font:
            return value
        return value.translate(_FALLBACKS).encode("latin-1", "replace").decode("latin-1")

    pdf.set_margins(25, 25, 25)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    width = pdf.epw
    pdf.set_font(family, "B", 12)
    pdf.multi_cell(width, 6, clean(text.heading), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 11)
    pdf.multi_cell(width, 6, clean(text.platform), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(18)
    pdf.set_font(family, "B", 22)
    pdf.multi_cell(width, 11, clean(text.title), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    pdf.set_font(family, "", 12)
    pdf.multi_cell(width, 7, clean(text.statement), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    for label, value in text.fields:
        pdf.set_font(family, "B", 11)
        pdf.multi_cell(width, 6, clean(label), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, "", 12)
        pdf.multi_cell(width, 7, clean(value), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.ln(8)
    pdf.set_font(family, "", 10)
    pdf.multi_cell(width, 5, clean(text.check_intro), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(family, "B", 10)
    pdf.multi_cell(width, 5, clean(text.check_url), align="L", link=text.check_url,
                   new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 10)
    pdf.multi_cell(width, 5, clean(text.check_form), align="L", link=text.check_form,
                   new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
