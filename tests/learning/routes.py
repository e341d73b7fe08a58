"""How the learning routes answer each kind of person (merged into tests/core/test_route_access.py).

GET_ROUTES / POST_ROUTES: endpoint -> class, as in that file; route_args() returns URL arguments
that exist: a published path of the `world` fixture's reserved space, with a handout module
(its PDF as `file_id`), completed by the member: their attestation (`attestation_id`, only
theirs and the admins' to open) and its public `code`.
"""
from __future__ import annotations

from sqlalchemy import select

from cop.auth.models import User
from cop.extensions import db
from cop.files.models import Attachment
from cop.learning import services
from cop.learning.models import Attestation, LearningModule
from tests.learning.helpers import Paths

LOGIN = "login"

GET_ROUTES: dict = {
    "learning.index": "signed_in",
    "learning.space_paths": "member",
    "learning.new_path": "coordinator",
    "learning.path": "member",
    "learning.edit_path": "coordinator",
    "learning.new_module": "coordinator",
    "learning.module": "member",
    "learning.edit_module": "coordinator",
    "learning.attestations": "signed_in",  # one's own
    # the member's attestation: the path's coordinator does not see it either
    "learning.attestation": (LOGIN, 404, 200, 404, 200),
    "learning.attestation_pdf": (LOGIN, 404, 200, 404, 200),
    "verification.form": "public",
    "verification.show": "public",
}
POST_ROUTES: dict = {
    **{name: "coordinator" for name in (
        "learning.publish", "learning.unpublish", "learning.delete_path",
        "learning.move_module", "learning.remove_module", "learning.remove_file")},
    "learning.mark_done": "member",
    "learning.mark_undone": "member",
}


def route_args(app, world, factory) -> dict:
    paths = Paths(app)
    path_id = paths.make(world.reserved.slug, world.coordinator.id, modules=2, handout=True)
    module_id = paths.module_ids(path_id)[0]
    with app.app_context():
        file_id = db.session.scalar(select(Attachment.id).where(
            Attachment.owner_type == "learning_module", Attachment.owner_id == module_id))
        member = db.session.get(User, world.member.id)
        for module in db.session.scalars(select(LearningModule).where(
                LearningModule.path_id == path_id)):
            services.mark_done(module, member)
        attestation = db.session.scalar(select(Attestation).where(
            Attestation.user_id == member.id))
        db.session.commit()
        attestation_id, code = attestation.id, services.format_code(attestation.code)
    return {"path_id": path_id, "module_id": module_id, "file_id": file_id,
            "attestation_id": attestation_id, "code": code}
