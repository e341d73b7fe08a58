"""The page's frame (head links, header, navigation, footer) kept between requests.

Every page draws the same frame, and drawing it was most of a simple page's cost: 40 texts,
30 links, a dozen macro calls. It differs only by the language, the page (which menu entry
is current), whether someone is signed in and what the menu offers them; what is the
person's own (the CSRF token, their name, their profile's address, the page's address for the
language switch) is drawn as a slot and filled at each use. The bell, a count that changes at
any time, is drawn live between two kept parts (templates/base.html). One bounded LRU per app
process, FRAME_CACHE parts (0 turns it off).
"""
from __future__ import annotations

from flask import Flask, current_app, g, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from cop import access
from cop.kept import Kept


class Slots:
    """What templates/_frame.html writes where a person's own value goes."""

    csrf = Markup("<cop-slot-csrf>")
    next = Markup("<cop-slot-next>")
    user_name = Markup("<cop-slot-user-name>")
    profile_url = Markup("<cop-slot-profile-url>")


def init_app(app: Flask) -> None:
    app.extensions["frame_parts"] = Kept(app.config["FRAME_CACHE"])
    app.jinja_env.globals["frame_slot"] = Slots
    app.jinja_env.globals["kept_frame"] = kept_frame


def _signed_in() -> bool:
    return bool(current_user and current_user.is_authenticated)


def _menu_key() -> tuple:
    """What the signed-in person's menus depend on, besides the language and the page."""
    if not _signed_in():
        return (False,)
    own_profile = (request.endpoint == "people.profile"
                   and (request.view_args or {}).get("user_id") == current_user.id)
    return (True, access.can(current_user, "invite"), access.can(current_user, "administer"),
            own_profile)


def _slot_values() -> dict[str, str]:
    if "_cop_frame_slots" in g:
        return g._cop_frame_slots
    values = {Slots.csrf: generate_csrf(),
              Slots.next: str(escape(request.full_path.rstrip("?")))}
    if _signed_in():
        values[Slots.user_name] = str(escape(current_user.name))
        values[Slots.profile_url] = url_for("people.profile", user_id=current_user.id)
    g._cop_frame_slots = values
    return values


def kept_frame(part: str, macro, menus: bool = False) -> Markup:
    """`part` of the frame drawn by `macro` (templates/_frame.html), or kept from an earlier
    page with the same key; its slots filled with this request's values. `menus`: the part
    shows the menus, which depend on the page and the person's rights."""
    cache: Kept = current_app.extensions["frame_parts"]
    key = (part, str(get_locale()), request.script_root)
    if menus:
        key += (request.endpoint or "", *_menu_key())
    html = cache.get(key)
    if html is None:
        html = str(macro())
        cache.put(key, html)
    for slot, value in _slot_values().items():
        html = html.replace(slot, value)
    return Markup(html)
