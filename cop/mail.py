"""Email. Services queue messages inside their transaction; they leave only after commit.

With MAIL_SERVER configured, messages go through SMTP (STARTTLS or SSL, credentials from
config). Without it they are written under instance/mail/ and logged, so a developer's
machine works offline.
"""
from __future__ import annotations

import logging
import secrets
import smtplib
import threading
import weakref
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import event
from sqlalchemy.orm import Session

from cop.text import one_line

log = logging.getLogger(__name__)
_OUTBOX = "cop_outbox"
_deliveries: weakref.WeakSet = weakref.WeakSet()  # background deliveries under way


def wait_for_deliveries(timeout: float = 30) -> None:
    """Waits for the background deliveries started so far (tests, and a clean shutdown)."""
    for delivery in list(_deliveries):
        delivery.join(timeout)


def build_message(to: str, template: str, *, locale: str = "it", reply_to: str | None = None,
                  **context) -> EmailMessage:
    """A message from templates/email/<template>.txt, rendered in the recipient's language.

    The template's first line is the subject; the body starts after the blank line below it.
    A line break inside a printed value (a title, a name) stays inside that value: it
    cannot end the subject early or move text into the body.
    """
    with force_locale(locale):
        context = dict(context)
        current_app.update_template_context(context)
        rendered = _email_templates().get_template(f"email/{template}.txt").render(context)
    subject, _, body = rendered.lstrip().partition("\n")
    subject, body = subject.replace(_VALUE_BREAK, " "), body.replace(_VALUE_BREAK, "\n")
    message = EmailMessage()
    message["From"] = header_value(current_app.config["MAIL_DEFAULT_SENDER"])
    message["To"] = header_value(to)
    message["Subject"] = header_value(subject)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="cop.local")
    if reply_to:
        message["Reply-To"] = header_value(reply_to)
    message.set_content(body.strip() + "\n")
    return message


_VALUE_BREAK = "\ue000"  # a private-use character: a line break that came from a value


def _keep_value_breaks(value):
    if isinstance(value, str):
        return value.replace("\r\n", _VALUE_BREAK).replace("\r", _VALUE_BREAK) \
            .replace("\n", _VALUE_BREAK)
    return value


def _email_templates():
    """The app's templates, each printed value passed through _keep_value_breaks. Its own
    cache: a template compiled without the hook would skip it."""
    env = current_app.extensions.get("cop_email_templates")
    if env is None:
        env = current_app.jinja_env.overlay(finalize=_keep_value_breaks, cache_size=100)
        current_app.extensions["cop_email_templates"] = env
    return env


def header_value(text: str) -> str:
    """One line for a header, whatever a title or a name holds: a header with a line break
    in it cannot be built (and would be an injection if it could)."""
    return " ".join(one_line(text).split())


def queue(session: Session, message: EmailMessage) -> None:
    """Send `message` once `session` commits; drop it if the transaction rolls back."""
    session.info.setdefault(_OUTBOX, []).append(message)


def discard_queued(session: Session) -> int:
    """Drops what `session` would send at commit (demo data must not email anybody)."""
    return len(session.info.pop(_OUTBOX, []))


def send_all(messages: list[EmailMessage]) -> None:
    """Delivers `messages` over one SMTP connection (or into instance/mail/); a message that
    cannot be built or is refused is logged and the others still go. Raises if the
    connection fails."""
    with Connection(current_app.config) as connection:
        for message in messages:
            connection.send(message)


class Connection:
    """For commands that must know which messages left (reminders, digests): one SMTP
    connection as send_all opens it, opened at the first message, or the instance/mail/
    folder without MAIL_SERVER. `send` raises on a connection failure (OSError,
    SMTPException, the sender refused, a 4xx answer to the data: the server asks to wait),
    and returns False for a message the server refused or that cannot be written out
    (`refusal` says why; `deferred` when the recipient was only refused for now, a 4xx:
    greylisting, a full mailbox). A context manager."""

    def __init__(self, config):
        self.config = config
        self.smtp = None
        self.refusal: str | None = None
        self.deferred = False

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def _open(self) -> None:
        config = self.config
        smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
        smtp = smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"],
                          timeout=config["MAIL_TIMEOUT"])
        try:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        except BaseException:
            smtp.close()
            raise
        self.smtp = smtp

    def send(self, message: EmailMessage) -> bool:
        self.refusal, self.deferred = None, False
        try:
            data = bytes(message)  # a message that cannot be written out fails here, alone
        except (ValueError, TypeError, LookupError) as error:
            return self._refused(message, error)
        if not self.config.get("MAIL_SERVER"):
            _write_to_folder(message, data)
            return True
        if self.smtp is None:
            self._open()
        try:
            self.smtp.send_message(message)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError,
                smtplib.SMTPNotSupportedError) as error:
            if isinstance(error, smtplib.SMTPSenderRefused) or (
                    _temporary(error) and not isinstance(error, smtplib.SMTPRecipientsRefused)):
                raise  # about the sender or the server, not this message: all would fail
            self.deferred = _temporary(error)
            return self._refused(message, error)
        return True

    def _refused(self, message: EmailMessage, error: Exception) -> bool:
        self.refusal = f"{type(error).__name__}: {error}"[:500]
        log.warning("Mail not sent to %s: %s", message.get("To"), self.refusal)
        return False

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()
            self.smtp = None


def _temporary(error: smtplib.SMTPException) -> bool:
    """A 4xx answer (greylisting, throttling, a full queue): the same message later will do."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
    else:
        codes = [getattr(error, "smtp_code", 0)]
    return bool(codes) and all(400 <= code < 500 for code in codes)


def _write_to_folder(message: EmailMessage, data: bytes) -> None:
    folder = Path(current_app.config.get("MAIL_FOLDER") or Path(current_app.instance_path, "mail"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{secrets.token_hex(6)}.eml"
    path.write_bytes(data)
    text = message.get_body(("plain",))  # a message with attachments is multipart
    body = text.get_content() if text is not None else ""
    links = [word for word in body.split() if word.startswith(("http://", "https://"))]
    log.warning("Mail to %s: %s (written to %s) %s", message["To"], message["Subject"], path,
                " ".join(links))


@event.listens_for(Session, "after_commit")
def _send_outbox(session: Session) -> None:
    messages = session.info.pop(_OUTBOX, [])
    if not messages:
        return
    app = current_app._get_current_object()
    if app.config.get("MAIL_ASYNC"):  # the request does not wait for the mail server
        delivery = threading.Thread(target=_deliver, args=(app, messages), daemon=True)
        _deliveries.add(delivery)
        delivery.start()
    else:
        _deliver(app, messages)


def _deliver(app, messages: list[EmailMessage]) -> None:
    with app.app_context():
        try:
            send_all(messages)
        except (OSError, smtplib.SMTPException):
            log.exception("Could not send %d mail(s), the first to %s: %s", len(messages),
                          messages[0]["To"], messages[0]["Subject"])


@event.listens_for(Session, "after_soft_rollback")
def _drop_outbox(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(_OUTBOX, None)


def link(endpoint: str, **values) -> str:
    """An absolute URL for an email: the request's host, or SERVER_URL outside a request."""
    from flask import has_request_context, url_for

    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    base = current_app.config["SERVER_URL"].rstrip("/")
    with current_app.test_request_context(base_url=base):
        return url_for(endpoint, _external=True, **values)
