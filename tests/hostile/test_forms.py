"""Every form derives from cop.forms, so no form can forget to clean what is typed."""
from __future__ import annotations

import wtforms

from cop import forms


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


def test_every_form_of_the_application_cleans_its_input(app):
    ours = [cls for cls in _all_subclasses(wtforms.Form) if cls.__module__.startswith("cop.")]
    assert len(ours) > 40  # the app's forms are loaded
    strays = [f"{cls.__module__}.{cls.__name__}" for cls in ours
              if not issubclass(cls, (forms.FlaskForm, forms.Form))]
    assert strays == []


def test_fields_are_cleaned_by_kind(app):
    from werkzeug.datastructures import MultiDict
    from wtforms import IntegerField, PasswordField, StringField, TextAreaField

    class Sample(forms.Form):
        title = StringField()
        body = TextAreaField()
        password = PasswordField()
        count = IntegerField()

    with app.test_request_context():
        form = Sample(MultiDict({"title": "A\r\nB\x00", "body": "A\r\nB\x00\tC",
                                 "password": "a\tb\x01", "count": "99999999999"}))
        assert form.title.data == "A B"
        assert form.body.data == "A\nB\tC"
        assert form.password.data == "a\tb\x01"
        assert not form.validate() and form.count.errors == ["Il numero è troppo grande."]
