"""The base of every form: what a person types is cleaned before any validator sees it.

- A single-line field (titles, names, subjects, tags, addresses) keeps no line break, tab or
  other control character: they become one space. Pasted text keeps its words; headers,
  calendars and CSV cells built from it stay well formed.
- A multi-line field keeps its line breaks (as \\n) and tabs, and drops other control
  characters (NUL cannot even be stored in PostgreSQL).
- Both drop the invisible bidirectional overrides that make text read differently from what
  it is.
- A whole number must fit the database's integer.
Passwords are taken as typed. Every form of the application derives from `FlaskForm` (pages)
or `Form` (rows inside a page's form); tests/hostile/test_forms.py holds the house to it.
"""
from __future__ import annotations

import flask_wtf
import wtforms
from flask_babel import gettext as _
from wtforms import IntegerField, PasswordField, StringField, TextAreaField
from wtforms.validators import ValidationError

from cop.text import multi_line, one_line

DATABASE_INTEGER = 2**31 - 1


def _filter_for(field_class):
    if issubclass(field_class, PasswordField):
        return None
    if issubclass(field_class, TextAreaField):
        return multi_line
    if issubclass(field_class, StringField):
        return one_line
    return None


def fits_the_database(form, field) -> None:
    if field.data is not None and abs(field.data) > DATABASE_INTEGER:
        raise ValidationError(_("Il numero è troppo grande."))


class _CleanInput:
    def bind_field(self, form, unbound_field, options):
        field_class = unbound_field.field_class
        clean = _filter_for(field_class)
        if clean is not None:
            options["filters"] = (clean, *unbound_field.kwargs.get("filters", ()))
        if issubclass(field_class, IntegerField):
            validators = unbound_field.kwargs.get("validators") or ()
            options["validators"] = (*validators, fits_the_database)
        return super().bind_field(form, unbound_field, options)


class FlaskForm(flask_wtf.FlaskForm):
    class Meta(_CleanInput, flask_wtf.FlaskForm.Meta):
        pass


class Form(wtforms.Form):
    """Rows inside a page's form (FormField, FieldList)."""

    class Meta(_CleanInput, wtforms.meta.DefaultMeta):
        pass
