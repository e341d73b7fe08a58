"""Pages of value stories: a space's stories (by cycle), one story, telling a story (about a
thread, a practice or a meeting, or about the space), editing and deleting it; and the small
«Racconta cosa ti ha cambiato» block the subjects' pages include."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from cop import access, facts
from cop.database import utcnow
from cop.discussions.models import Thread
from cop.extensions import db
from cop.outcomes import commit_or_explain
from cop.pagination import window_by_ids
from cop.spaces.context import add_slug, load_space, require_space_access
from cop.spaces.forms import ConfirmForm
from cop.spaces.models import Space
from cop.stories import forms, queries, services
from cop.stories.blueprint import bp
from cop.stories.models import SubjectType, ValueStory
from cop.urls import database_int

bp.url_value_preprocessor(load_space)
bp.before_request(require_space_access)
bp.url_defaults(add_slug)

SUBJECT_TYPES = [t.value for t in SubjectType]
SUBJECT_LABELS = {SubjectType.THREAD.value: _l("Discussione"),
                  SubjectType.PRACTICE.value: _l("Buona pratica"),
                  SubjectType.MEETING.value: _l("Incontro")}


def cycle_name(cycle: str) -> str:
    return str(forms.CYCLE_NAMES.get(cycle, cycle))


def subject_label(subject_type: str | None) -> str:
    return str(SUBJECT_LABELS.get(subject_type, ""))


def subject_url(story: ValueStory) -> str | None:
    if story.subject_type == SubjectType.THREAD.value:
        return _thread_url(story)
    if story.subject_type == SubjectType.PRACTICE.value:
        return url_for("practices.show", practice_id=story.subject_id)
    if story.subject_type == SubjectType.MEETING.value:
        return url_for("meetings.show", meeting_id=story.subject_id)
    return None


def _thread_url(story: ValueStory) -> str:
    thread = db.session.get(Thread, story.subject_id)  # identity map: checked when loading
    slug = db.session.get(Space, thread.space_id).slug if thread is not None else ""
    return url_for("discussions.thread", slug=slug, thread_id=story.subject_id)


def _has_happened(subject_type: str, subject) -> bool:
    """Whether there is something yet to tell about: a meeting that has started, a thread
    somebody answered. A brand-new thread or a future meeting does not ask for a story."""
    if subject_type == SubjectType.MEETING.value:
        return subject.has_started(utcnow())
    if subject_type == SubjectType.THREAD.value:
        return subject.reply_count > 0
    return True


def stories_about(subject) -> dict:
    """For a thread, practice or meeting page: how many stories the reader may read about it
    (a look at the index, then one statement if there are any), whether they may tell one,
    and the links."""
    subject_type = services.subject_type_of(subject)
    space = db.session.get(Space, subject.space_id)
    # Most subjects have no story: a look at the index spares building the access filter.
    count = db.session.scalar(queries.subject_story_count(current_user, subject_type, subject.id)) \
        if facts.about(subject)["any_story"] else 0
    may_tell = _has_happened(subject_type, subject) and \
        access.may_tell_story(current_user, space, subject)
    return {"count": count, "may_tell": may_tell,
            "list_url": url_for("stories.space_stories", slug=space.slug, su=subject_type,
                                id=subject.id),
            "new_url": url_for("stories.new", slug=space.slug, su=subject_type, id=subject.id)}


@bp.record_once
def _add_globals(state):
    state.app.jinja_env.globals.update(stories_about=stories_about, cycle_name=cycle_name,
                                       story_subject_label=subject_label)


def _requested_subject(space: Space):
    """The subject named by ?su=<type>&id=<n>: None if none is named; 404 if it is not one of
    this space's, or the reader may not see it."""
    subject_type = request.args.get("su", "")
    if not subject_type:
        return None
    subject_id = request.args.get("id", type=database_int)
    if subject_type not in SUBJECT_TYPES or not subject_id or not 0 < subject_id < 2**31:
        abort(404)
    subject = access.load_story_subject(subject_type, subject_id)
    if subject is None or subject.space_id != space.id or \
            not access.can(current_user, access.VIEW, subject):
        abort(404)
    return subject


def _in_this_space(story: ValueStory) -> bool:
    return story.space_id == g.space.id


def _input(form: forms.StoryForm) -> services.StoryInput:
    return services.StoryInput(cycle=form.cycle.data, title=form.title.data or "",
                               body=form.body.data or "")


@bp.route("/spazi/<slug>/storie/")
def space_stories(slug=None):
    space = g.space
    cycle = request.args.get("ciclo", "")
    cycle = cycle if cycle in queries.CYCLE_ORDER else ""
    subject = _requested_subject(space)
    subject_key = (services.subject_type_of(subject), subject.id) if subject is not None else None
    page = window_by_ids(queries.space_story_ids(current_user, space.id, cycle, subject_key),
                         queries.load_stories)
    counts = dict(db.session.execute(queries.stories_by_cycle(space.id, current_user)).all())
    return render_template("stories/space_list.html", space=space, page=page, cycle=cycle,
                           subject=subject, subject_type=subject_key[0] if subject_key else None,
                           counts=counts, cycles=forms.CYCLE_CHOICES,
                           may_tell=access.may_tell_story(current_user, space))


@bp.route("/spazi/<slug>/storie/nuova", methods=["GET", "POST"])
def new(slug=None):
    space = g.space
    subject = _requested_subject(space)
    if not access.may_tell_story(current_user, space, subject):
        abort(403)
    form = forms.StoryForm()
    if form.validate_on_submit():
        if done := commit_or_explain(
                lambda: services.tell_story(space, current_user, _input(form), subject),
                _("Grazie: la tua storia è pubblicata.")):
            return redirect(url_for("stories.show", story_id=done.value.id))
    return render_template("stories/form.html", space=space, form=form, story=None,
                           subject=subject,
                           subject_type=services.subject_type_of(subject) if subject else None), \
        400 if form.errors else 200


@bp.route("/spazi/<slug>/storie/<int:story_id>")
def show(story_id, slug=None):
    story = access.get_or_404(ValueStory, story_id, options=queries.story_page(),
                              belongs=_in_this_space)
    return render_template("stories/show.html", space=g.space, story=story,
                           subject_link=subject_url(story), form=ConfirmForm(formdata=None),
                           may_edit=access.can(current_user, access.EDIT_STORY, story))


@bp.route("/spazi/<slug>/storie/<int:story_id>/modifica", methods=["GET", "POST"])
def edit(story_id, slug=None):
    story = access.get_or_404(ValueStory, story_id, access.EDIT_STORY,
                              options=queries.story_page(), belongs=_in_this_space)
    form = forms.StoryForm(obj=story)
    if form.validate_on_submit():
        if commit_or_explain(lambda: services.update_story(story, _input(form)),
                             _("Storia aggiornata.")):
            return redirect(url_for("stories.show", story_id=story.id))
    return render_template("stories/form.html", space=g.space, form=form, story=story,
                           subject=None, subject_type=story.subject_type), \
        400 if form.errors else 200


@bp.route("/spazi/<slug>/storie/<int:story_id>/elimina", methods=["POST"])
def delete(story_id, slug=None):
    story = access.get_or_404(ValueStory, story_id, access.DELETE_STORY,
                              options=queries.story_page(), belongs=_in_this_space)
    if not ConfirmForm().validate_on_submit():
        flash(_("Il modulo è scaduto: riprova."), "danger")
    elif commit_or_explain(lambda: services.delete_story(story), _("Storia eliminata.")):
        return redirect(url_for("stories.space_stories"))
    return redirect(url_for("stories.show", story_id=story_id))
