"""Learning paths for tests, written through the services (the pages are tested elsewhere)."""
from __future__ import annotations

from io import BytesIO

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from cop.auth.models import User
from cop.extensions import db
from cop.learning import services
from cop.spaces.models import Space

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


def pdf(name: str = "dispensa.pdf") -> FileStorage:
    return FileStorage(BytesIO(PDF), name, content_type="application/pdf")


class Paths:
    def __init__(self, app):
        self.app = app

    def make(self, space_slug: str, author_id: int, *, title: str = "Lavoro agile in pratica",
             modules: int = 3, publish: bool = True, handout: bool = False) -> int:
        """A path of `modules` readings (the first a handout with a PDF when `handout`)."""
        with self.app.app_context():
            space = db.session.scalar(select(Space).where(Space.slug == space_slug))
            author = db.session.get(User, author_id)
            path = services.create_path(space, author, title, "Un percorso **breve**.")
            for n in range(1, modules + 1):
                if n == 1 and handout:
                    services.add_module(path, author, services.ModuleInput(
                        kind="dispensa", title="La dispensa", minutes=10), [pdf()])
                else:
                    services.add_module(path, author, services.ModuleInput(
                        kind="lettura", title=f"Lettura {n}", minutes=15,
                        body=f"Il testo della lettura {n}."))
            if publish and modules:
                services.publish_path(path)
            db.session.commit()
            return path.id

    def module_ids(self, path_id: int) -> list[int]:
        from cop.learning.models import LearningModule

        with self.app.app_context():
            return list(db.session.scalars(select(LearningModule.id).where(
                LearningModule.path_id == path_id).order_by(LearningModule.position)))
