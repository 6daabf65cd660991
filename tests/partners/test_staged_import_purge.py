"""Uploaded spreadsheets carry residents' contact details: their rows go STAGED_IMPORT_DAYS after upload."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kehila.celery import app
from partners import services
from partners.models import StagedImport
from tests.partners.factories import staged_import

pytestmark = pytest.mark.django_db

ROWS = [{"full_name": "דנה לוי", "phone": "050-1234567"}]


def _aged(staged, days):
    StagedImport.objects.filter(pk=staged.pk).update(
        created_at=timezone.now() - timedelta(days=days)
    )


def test_old_uploads_lose_their_rows_and_keep_the_record(municipality):
    old = staged_import(municipality, rows=ROWS)
    _aged(old, services.STAGED_IMPORT_DAYS + 1)
    fresh = StagedImport.objects.create(
        municipality=municipality, user=old.user, filename="new.csv", rows=ROWS
    )
    assert services.staged_imports_purge() == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.rows == [] and old.purged_at is not None and old.filename == "x.csv"
    assert fresh.rows == ROWS and fresh.purged_at is None
    assert services.staged_imports_purge() == 0  # once


def test_the_purge_runs_every_night():
    entries = [e["task"] for e in app.conf.beat_schedule.values()]
    assert "partners.tasks.purge_staged_imports" in entries


def test_the_task_purges(municipality):
    from partners.tasks import purge_staged_imports

    old = staged_import(municipality, rows=ROWS)
    _aged(old, services.STAGED_IMPORT_DAYS + 1)
    assert purge_staged_imports.delay().get() == 1


def test_a_purged_upload_explains_itself(municipality, manager, client_for):
    staged = StagedImport.objects.create(
        municipality=municipality, user=manager, filename="old.csv", rows=ROWS
    )
    _aged(staged, services.STAGED_IMPORT_DAYS + 1)
    services.staged_imports_purge()
    client = client_for(manager)
    base = f"/m/{municipality.slug}/partners/import/{staged.pk}/"
    for response in [client.get(base), client.post(base), client.get(base + "rows/1/")]:
        assert response.status_code == 302
        assert response["Location"] == f"/m/{municipality.slug}/partners/import/"
    page = client.get(base, follow=True).content.decode()
    assert "יש להעלות את הקובץ שוב" in page
    assert "דנה לוי" not in page
