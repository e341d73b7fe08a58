"""How the learning routes answer each kind of person (merged into tests/core/test_route_access.py).

GET_ROUTES / POST_ROUTES: endpoint -> class, as in that file; route_args() returns URL arguments
that exist: a published path of the `world` fixture's reserved space, with a handout module
(its PDF as `file_id`).
"""
from __future__ import annotations

from sqlalchemy import select

from cop.extensions import db
from cop.files.models import Attachment
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
    return {"path_id": path_id, "module_id": module_id, "file_id": file_id}
