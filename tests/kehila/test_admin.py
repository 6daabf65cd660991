import pytest
from django.contrib.auth import get_user_model

from kehila.models import AuditLog, Membership, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(client):
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw-123-xyz")
    client.force_login(admin)
    return client


def test_every_core_model_has_an_admin_page_in_hebrew(admin_client_):
    page = admin_client_.get("/admin/").content.decode()
    for label in ("רשויות מקומיות", "חברויות", "יומן ביקורת"):
        assert label in page
    for path in ("municipality", "program", "membership", "auditlog"):
        assert admin_client_.get(f"/admin/kehila/{path}/").status_code == 200


def test_a_role_change_in_the_admin_is_audited(admin_client_, manager, municipality):
    membership = Membership.objects.get(user=manager)
    response = admin_client_.post(
        f"/admin/kehila/membership/{membership.pk}/change/",
        {"user": manager.pk, "municipality": municipality.pk, "role": Role.TEAM, "track": ""},
    )
    assert response.status_code == 302
    entry = AuditLog.objects.get(action="membership.changed")
    assert entry.data["role"] == Role.TEAM
    assert entry.municipality == municipality


def test_nobody_edits_the_audit_trail(admin_client_):
    assert admin_client_.get("/admin/kehila/auditlog/add/").status_code == 403


def test_every_model_of_the_portal_is_in_the_admin(admin_client_):
    from django.apps import apps
    from django.contrib import admin

    from kehila.admin_fallback import PORTAL_APPS

    for label in PORTAL_APPS:
        for model in apps.get_app_config(label).get_models():
            assert admin.site.is_registered(model), model
            url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
            assert admin_client_.get(url).status_code == 200, url
