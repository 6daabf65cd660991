"""Uploaded files go through Django's storage API (issue 14 §5): the file system by default, an
S3-compatible bucket in production, so that several web and worker machines share them.

The S3 path runs against moto's S3 server, started by the test on a free port of 127.0.0.1 with a bucket
the test makes. Either way a file is reached only through the permission-checked view: an outsider gets
404, a role that may not change the agenda 403, and nothing in the database or the storage changes.
"""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from committees.models import AgendaItem
from partners.models import StagedImport
from tests import s3
from tests.committees.factories import MeetingFactory

# The S3 server and bucket fixtures (tests/s3.py).
s3_endpoint, bucket = s3.s3_endpoint, s3.bucket

PAPER = "%PDF-1.4\n% סדר היום של הוועדה\n".encode() + b"x" * 4096


@pytest.fixture(params=["filesystem", "s3"])
def storage_keys(request, settings):
    """The stored file names, whichever storage the test runs on."""
    if request.param == "s3":
        keys = request.getfixturevalue("bucket")
    else:

        def keys() -> list[str]:
            root = settings.MEDIA_ROOT
            return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())

    return keys


def media_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _add_url(meeting):
    return reverse(
        "committees:agenda_add",
        kwargs={"slug": meeting.municipality.slug, "meeting_id": meeting.pk},
    )


def _item_url(name, item):
    return reverse(name, kwargs={"slug": item.municipality.slug, "item_id": item.pk})


def _add_paper(client, meeting, content=PAPER):
    return client.post(
        _add_url(meeting),
        {
            "title": "תקציב שנתי",
            "presenter": "",
            "minutes_allotted": 15,
            "guiding_questions": "",
            "attachment": SimpleUploadedFile("budget.pdf", content, "application/pdf"),
        },
    )


@pytest.mark.django_db
def test_an_agenda_paper_is_stored_and_served_only_through_the_view(
    storage_keys, client_for, municipality, manager, committee_member, settings
):
    meeting = MeetingFactory(committee__municipality=municipality)
    response = _add_paper(client_for(manager), meeting)
    assert response.status_code == 302
    item = AgendaItem.objects.get(meeting=meeting)
    assert storage_keys() == [item.attachment.name]
    assert item.attachment.name.startswith("agenda/")
    assert default_storage.exists(item.attachment.name)
    if settings.STORAGES["default"]["BACKEND"].endswith("S3Storage"):
        assert media_files(settings) == []  # nothing on this machine's disk

    client = client_for(committee_member)
    download = client.get(_item_url("committees:agenda_attachment", item))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PAPER
    assert "budget" in download["Content-Disposition"]
    # The meeting page links to the view, never to the storage.
    page = client.get(
        reverse("committees:meeting", kwargs={"slug": municipality.slug, "meeting_id": meeting.pk})
    ).content.decode()
    assert _item_url("committees:agenda_attachment", item) in page
    assert item.attachment.name not in page


@pytest.mark.django_db
def test_an_outsider_gets_404_and_a_member_403_and_the_paper_stays(
    bucket, client_for, municipality, manager, committee_member, outsider
):
    meeting = MeetingFactory(committee__municipality=municipality)
    _add_paper(client_for(manager), meeting)
    item = AgendaItem.objects.get(meeting=meeting)
    before = bucket()

    client = client_for(outsider)
    assert client.get(_item_url("committees:agenda_attachment", item)).status_code == 404
    assert client.post(_item_url("committees:agenda_delete", item)).status_code == 404
    assert _add_paper(client, meeting, b"outsider").status_code == 404

    client = client_for(committee_member)
    assert client.post(_item_url("committees:agenda_delete", item)).status_code == 403
    assert _add_paper(client, meeting, b"member").status_code == 403

    assert bucket() == before
    assert list(AgendaItem.objects.values_list("pk", "attachment")) == [
        (item.pk, item.attachment.name)
    ]


@pytest.mark.django_db
def test_removing_an_agenda_item_removes_its_paper_once_committed(
    bucket, client_for, municipality, manager, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(committee__municipality=municipality)
    client = client_for(manager)
    _add_paper(client, meeting)
    item = AgendaItem.objects.get(meeting=meeting)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(_item_url("committees:agenda_delete", item))
    assert not AgendaItem.objects.exists()
    assert bucket() == [item.attachment.name]  # not before the commit
    for callback in callbacks:
        callback()
    assert bucket() == []


@pytest.mark.django_db
def test_an_import_leaves_no_file_in_the_bucket_or_on_disk(
    bucket, client_for, municipality, manager, settings
):
    """An import's rows are held in the database (and purged after 14 days); the uploaded file, full of
    residents' contact details, is parsed from the request and kept nowhere."""
    upload = SimpleUploadedFile(
        "people.csv", "full_name,email\nדנה כהן,dana@example.org\n".encode(), "text/csv"
    )
    response = client_for(manager).post(
        reverse("partners:import", kwargs={"slug": municipality.slug}), {"file": upload}
    )
    assert response.status_code == 302
    assert StagedImport.objects.get().rows[0]["full_name"] == "דנה כהן"
    assert bucket() == []
    assert media_files(settings) == []


STORAGE_PROBE = """
import json
from kehila import settings
print(json.dumps(settings.STORAGES["default"]))
"""


def _settings_with(env_overrides):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    return subprocess.run(  # noqa: S603 - our own settings module with a fixed argument list
        [sys.executable, "-c", STORAGE_PROBE],
        cwd=root,
        env={
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONPATH": str(root),
            "KEHILA_VAR_DIR": os.environ.get("KEHILA_VAR_DIR", str(root / "var")),
            **env_overrides,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_storage_is_the_file_system_unless_s3_is_asked_for():
    import json

    result = _settings_with({})
    assert json.loads(result.stdout)["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    result = _settings_with(
        {
            "KEHILA_STORAGE": "s3",
            "AWS_STORAGE_BUCKET_NAME": "kehila",
            "AWS_S3_ENDPOINT_URL": "http://minio:9000",
            "AWS_ACCESS_KEY_ID": "kehila",
            "AWS_SECRET_ACCESS_KEY": "secret",
        }
    )
    default = json.loads(result.stdout)
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert default["OPTIONS"]["bucket_name"] == "kehila"
    assert default["OPTIONS"]["endpoint_url"] == "http://minio:9000"
    # Private objects, signed links only, no upload replacing another.
    assert default["OPTIONS"]["default_acl"] is None
    assert default["OPTIONS"]["querystring_auth"] is True
    assert default["OPTIONS"]["file_overwrite"] is False
    assert default["OPTIONS"]["max_memory_size"] == 2 * 1024 * 1024


def test_s3_without_a_bucket_refuses_to_start_naming_the_variable():
    result = _settings_with({"KEHILA_STORAGE": "s3"})
    assert result.returncode != 0
    assert "AWS_STORAGE_BUCKET_NAME" in result.stderr


@pytest.mark.django_db
def test_an_attachment_over_the_limit_is_refused_and_nothing_is_stored(
    bucket, client_for, municipality, manager, monkeypatch
):
    from committees import services

    monkeypatch.setattr(services.meetings, "MAX_ATTACHMENT_BYTES", 1024 * 1024)
    meeting = MeetingFactory(committee__municipality=municipality)
    response = _add_paper(client_for(manager), meeting, b"x" * (1024 * 1024 + 1))
    assert response.status_code == 200
    assert "הקובץ המצורף גדול מ־1 MB." in response.content.decode()
    assert not AgendaItem.objects.exists()
    assert bucket() == []
