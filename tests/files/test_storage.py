"""Storing, deleting and moving attachments, and keeping the folder in step with the database."""
from __future__ import annotations

import hashlib
import io
import os
import time
from datetime import timedelta

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from cop.auth.models import User
from cop.errors import ServiceError
from cop.extensions import db
from cop.files import queries, services
from cop.files.models import Attachment
from tests.files import samples


def upload(filename: str, data: bytes) -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=filename,
                       content_type="application/octet-stream")  # what browsers send is ignored


def store(app, space_id, user_id, files, owner_id=1, owner_type="test") -> list[int]:
    with app.app_context():
        stored = services.store_uploads(files, space_id=space_id, owner_type=owner_type,
                                        owner_id=owner_id, user=db.session.get(User, user_id))
        db.session.commit()
        return [a.id for a in stored]


def files_in(folder) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_stored_files_keep_their_bytes_under_a_random_name(app, world, upload_folder):
    [pdf_id, csv_id] = store(app, world.reserved.id, world.member.id, [
        upload("../Verbale 12 marzo.pdf", samples.PDF), upload("elenco.csv", samples.CSV_LATIN1),
        upload("", b""),  # an untouched file input
    ])
    with app.app_context():
        pdf, csv = db.session.get(Attachment, pdf_id), db.session.get(Attachment, csv_id)
        assert (pdf.filename, pdf.extension, pdf.content_type, pdf.size) == \
            ("Verbale 12 marzo.pdf", "pdf", "application/pdf", len(samples.PDF))
        assert csv.content_type == "text/csv; charset=iso-8859-1"
        assert (pdf.space_id, pdf.owner_type, pdf.owner_id, pdf.uploaded_by_id) == \
            (world.reserved.id, "test", 1, world.member.id)
        assert "Verbale" not in pdf.storage_key and ".." not in pdf.storage_key
        assert services.path_of(pdf).read_bytes() == samples.PDF
        assert services.path_of(pdf).is_relative_to(upload_folder)
        assert pdf.sha256 == hashlib.sha256(samples.PDF).hexdigest()
        assert files_in(upload_folder) == sorted([pdf.storage_key, csv.storage_key])


def test_one_refused_file_stores_nothing(app, world, upload_folder):
    with app.test_request_context("/"):
        with pytest.raises(ServiceError) as refused:
            services.store_uploads(
                [upload("ok.pdf", samples.PDF), upload("finto.pdf", samples.png())],
                space_id=world.reserved.id, owner_type="test", owner_id=1, user=None)
        assert "«finto.pdf» non è un PDF valido" in refused.value.message
        db.session.rollback()
        assert db.session.scalars(select(Attachment)).all() == []
    assert files_in(upload_folder) == []


def test_the_count_limit_includes_the_files_already_there(app, world):
    store(app, world.reserved.id, world.member.id,
          [upload(f"parte {n}.pdf", samples.PDF) for n in range(3)])
    with app.test_request_context("/"):
        with pytest.raises(ServiceError) as refused:
            services.store_uploads([upload(f"altro {n}.pdf", samples.PDF) for n in range(3)],
                                   space_id=world.reserved.id, owner_type="test", owner_id=1,
                                   user=None)
        assert refused.value.message == "Puoi allegare al massimo 5 file: ce ne sono già 3."
        db.session.rollback()
    # Two more fit; another owner has its own count.
    assert len(store(app, world.reserved.id, world.member.id,
                     [upload(f"altro {n}.pdf", samples.PDF) for n in range(2)])) == 2
    assert len(store(app, world.reserved.id, world.member.id,
                     [upload(f"altro {n}.pdf", samples.PDF) for n in range(5)], owner_id=2)) == 5


def test_the_size_limit_comes_from_the_configuration(make_app, world, tmp_path):
    small = make_app(UPLOAD_FOLDER=str(tmp_path / "small"), ATTACHMENT_MAX_BYTES=100)
    with small.test_request_context("/"):
        with pytest.raises(ServiceError) as refused:
            services.store_uploads([upload("relazione.pdf", samples.PDF + b" " * 100)],
                                   space_id=world.reserved.id, owner_type="test", owner_id=1,
                                   user=None)
        assert refused.value.message == "Il file «relazione.pdf» supera il limite di 100 byte."


def test_files_of_a_rolled_back_transaction_are_deleted(app, world, upload_folder):
    with app.app_context():
        services.store_uploads([upload("a.pdf", samples.PDF), upload("b.png", samples.png())],
                               space_id=world.reserved.id, owner_type="test", owner_id=1,
                               user=None)
        assert len(files_in(upload_folder)) == 2  # written with the rows, before the commit
        db.session.rollback()
        assert files_in(upload_folder) == []


def test_files_of_a_transaction_never_committed_are_deleted(app, world, upload_folder):
    with app.app_context():
        services.store_uploads([upload("a.pdf", samples.PDF)], space_id=world.reserved.id,
                               owner_type="test", owner_id=1, user=None)
    # The app context ended: the session was closed without a commit.
    assert files_in(upload_folder) == []


def test_a_savepoint_rolled_back_leaves_the_decision_to_the_outer_transaction(
        app, world, upload_folder):
    with app.app_context():
        savepoint = db.session.begin_nested()
        services.store_uploads([upload("a.pdf", samples.PDF)], space_id=world.reserved.id,
                               owner_type="test", owner_id=1, user=None)
        savepoint.rollback()
        assert len(files_in(upload_folder)) == 1
        db.session.rollback()
        assert files_in(upload_folder) == []


def test_a_deleted_attachment_loses_its_file_only_when_the_deletion_commits(
        app, world, upload_folder):
    [attachment_id] = store(app, world.reserved.id, world.member.id,
                            [upload("a.pdf", samples.PDF)])
    with app.app_context():
        services.delete_attachment(db.session.get(Attachment, attachment_id))
        db.session.rollback()
        assert len(files_in(upload_folder)) == 1
        services.delete_attachment(db.session.get(Attachment, attachment_id))
        db.session.commit()
        assert files_in(upload_folder) == []
        assert db.session.get(Attachment, attachment_id) is None


def test_deleting_owners_deletes_their_attachments(app, world, upload_folder):
    store(app, world.reserved.id, world.member.id, [upload("a.pdf", samples.PDF)], owner_id=1)
    store(app, world.reserved.id, world.member.id, [upload("b.pdf", samples.PDF)], owner_id=2)
    [kept] = store(app, world.reserved.id, world.member.id, [upload("c.pdf", samples.PDF)],
                   owner_id=3)
    with app.app_context():
        assert services.delete_owner_attachments("test", [1, 2]) == 2
        db.session.commit()
        assert [a.id for a in db.session.scalars(select(Attachment))] == [kept]
        assert files_in(upload_folder) == [db.session.get(Attachment, kept).storage_key]


def test_moving_owners_to_another_space_takes_their_files_along(app, world):
    moved = store(app, world.reserved.id, world.member.id,
                  [upload("a.pdf", samples.PDF), upload("b.pdf", samples.PDF)], owner_id=1)
    [stays] = store(app, world.reserved.id, world.member.id, [upload("c.pdf", samples.PDF)],
                    owner_id=2)
    [other_type] = store(app, world.reserved.id, world.member.id,
                         [upload("d.pdf", samples.PDF)], owner_id=1, owner_type="altro")
    with app.app_context():
        services.move_owner_space("test", [1], world.regional.id)
        db.session.commit()
        spaces = {a.id: a.space_id for a in db.session.scalars(select(Attachment))}
    assert spaces == {moved[0]: world.regional.id, moved[1]: world.regional.id,
                      stays: world.reserved.id, other_type: world.reserved.id}


def test_orphan_files_are_removed_once_old_enough(app, world, upload_folder):
    [kept] = store(app, world.reserved.id, world.member.id, [upload("a.pdf", samples.PDF)])
    old_orphan = upload_folder / "ab" / ("ab" + "0" * 30)
    new_orphan = upload_folder / "cd" / ("cd" + "0" * 30)
    for path in (old_orphan, new_orphan):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"left by a crash")
    two_hours_ago = time.time() - 7200
    os.utime(old_orphan, (two_hours_ago, two_hours_ago))
    with app.app_context():
        kept_key = db.session.get(Attachment, kept).storage_key
        path = services.path_of(db.session.get(Attachment, kept))
        os.utime(path, (two_hours_ago, two_hours_ago))  # old, but still an attachment's
        assert services.remove_orphan_files(timedelta(hours=1)) == ["ab/ab" + "0" * 30]
    assert files_in(upload_folder) == sorted([kept_key, "cd/cd" + "0" * 30])


def test_attachments_by_owner_in_one_query(app, world, count_queries):
    first = store(app, world.reserved.id, world.member.id,
                  [upload("a.pdf", samples.PDF), upload("b.pdf", samples.PDF)], owner_id=10)
    second = store(app, world.reserved.id, world.member.id, [upload("c.pdf", samples.PDF)],
                   owner_id=11)
    store(app, world.reserved.id, world.member.id, [upload("d.pdf", samples.PDF)], owner_id=10,
          owner_type="altro")
    with app.app_context():
        with count_queries() as statements:
            found = queries.attachments_by_owner("test", [10, 11, 12, 10])
        assert [s.split()[0] for s in statements if not s.startswith("BEGIN")] == ["SELECT"]
        assert {k: [a.id for a in v] for k, v in found.items()} == \
            {10: first, 11: second, 12: []}
        with count_queries() as statements:
            assert queries.attachments_by_owner("test", []) == {}
        assert statements == []
