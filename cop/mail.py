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

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import event
from sqlalchemy.orm import Session

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
    """
    with force_locale(locale):
        rendered = render_template(f"email/{template}.txt", **context)
    subject, _, body = rendered.lstrip().partition("\n")
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="cop.local")
    if reply_to:
        message["Reply-To"] = reply_to
    message.set_content(body.strip() + "\n")
    return message


def queue(session: Session, message: EmailMessage) -> None:
    """Send `message` once `session` commits; drop it if the transaction rolls back."""
    session.info.setdefault(_OUTBOX, []).append(message)


def discard_queued(session: Session) -> int:
    """Drops what `session` would send at commit (demo data must not email anybody)."""
    return len(session.info.pop(_OUTBOX, []))


def send_all(messages: list[EmailMessage]) -> None:
    """Delivers `messages` over one SMTP connection (or into instance/mail/); a message that
    fails is logged and the others still go."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        for message in messages:
            _write_to_folder(message)
        return
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        for message in messages:
            try:
                smtp.send_message(message)
            except smtplib.SMTPRecipientsRefused:
                log.exception("Mail refused for %s: %s", message["To"], message["Subject"])


class Connection:
    """For commands that must know which messages left (reminders, digests): one SMTP
    connection as send_all opens it, opened at the first message, or the instance/mail/
    folder without MAIL_SERVER. `send` raises on a connection failure (OSError,
    SMTPException) and returns False for a message the server refused. A context manager."""

    def __init__(self, config):
        self.config = config
        self.smtp = None

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
        if not self.config.get("MAIL_SERVER"):
            _write_to_folder(message)
            return True
        if self.smtp is None:
            self._open()
        try:
            self.smtp.send_message(message)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError):
            log.exception("Mail refused for %s: %s", message["To"], message["Subject"])
            return False
        return True

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()
            self.smtp = None


def _write_to_folder(message: EmailMessage) -> None:
    folder = Path(current_app.instance_path) / "mail"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{secrets.token_hex(6)}.eml"
    path.write_bytes(bytes(message))
    body = message.get_content()
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
