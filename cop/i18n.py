"""Language choice: the signed-in person's preference, else the session's, else Italian."""
from flask import current_app, has_request_context, session
from flask_babel import get_locale
from flask_login import current_user


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if has_request_context():
        if current_user and current_user.is_authenticated and current_user.locale in languages:
            return current_user.locale
        chosen = session.get("lang")
        if chosen in languages:
            return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language() -> str:
    return str(get_locale() or "it") if has_request_context() else "it"


def localized(italian: str, english: str) -> str:
    """Pick the label of a reference row (reference data carries both languages)."""
    return english if current_language() == "en" and english else italian


def choice_labels(choices):
    """`label(value)`: the words for a stored choice of `choices` ((value, lazy text) pairs,
    a form's) in the reader's language, each language's made once per process (a page shows
    one for each of its 40 actions or 150 people, and each lazy text looks for its catalogue
    again)."""
    table = dict(choices)
    by_language: dict[str, dict] = {}

    def label(value) -> str:
        language = str(get_locale() or "it")
        labels = by_language.get(language)
        if labels is None:
            labels = by_language[language] = {key: str(text) for key, text in table.items()}
        return labels.get(value, value or "")
    return label
