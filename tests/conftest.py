"""Shared fixtures: a municipality with one user per role, and an outsider from another municipality."""

import pytest

from kehila.celery import app as celery_app
from kehila.models import Role
from tests.factories import MunicipalityFactory, member

PASSWORD = "secret-pass-123"


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # The production hasher costs a second of CPU per user on a busy machine; tests need no such cost.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    # Celery read its configuration once; unit tests run tasks in-process (one test uses a real worker).
    celery_app.conf.task_always_eager = True


class DrainingOutbox(list):
    """`django.core.mail.outbox` that first sends what the portal's outbox holds, in this process.

    The portal queues e-mail as rows and a task sends them after the commit; inside a test's
    transaction no commit happens, so a test that reads the sent e-mails (`mail.outbox` or pytest-django's
    `mailoutbox`, the same list) drains the outbox first, through the same code a worker runs. The
    real path (a worker, a broker, an SMTP server) is proved by tests/kehila/test_outbox_worker.py."""

    _draining = False

    def _drain(self):
        if DrainingOutbox._draining:
            return
        from django.utils import timezone

        from kehila.mail import outbox_drain
        from kehila.models import SentMessage

        DrainingOutbox._draining = True
        try:
            # A test that queued e-mail while travelling to a later day reads it back today: an e-mail
            # never tried is due at once. Retries keep their backoff.
            now = timezone.now()
            SentMessage.objects.filter(state="queued", attempts=0, next_attempt_at__gt=now).update(
                next_attempt_at=now
            )
            outbox_drain()
        except RuntimeError as error:
            if "Database access not allowed" not in str(error):
                raise
        finally:
            DrainingOutbox._draining = False


def _reading(name):
    method = getattr(list, name)

    def read(self, *args, **kwargs):
        self._drain()
        return method(self, *args, **kwargs)

    read.__name__ = name
    return read


for _name in (
    "__len__", "__iter__", "__getitem__", "__contains__", "__eq__", "__repr__", "__reversed__",
    "count", "index", "copy",
):  # fmt: skip
    setattr(DrainingOutbox, _name, _reading(_name))


@pytest.fixture(autouse=True)
def _draining_outbox():
    from django.core import mail

    mail.outbox = DrainingOutbox()
    yield
    mail.outbox = DrainingOutbox()


@pytest.fixture
def mailoutbox(_draining_outbox):
    """pytest-django's fixture, on the draining list (see DrainingOutbox)."""
    from django.core import mail

    return mail.outbox


@pytest.fixture(autouse=True)
def _force_login_passes_two_factor():
    """`client.force_login(user)` and `client.login(...)` skip the login form, so they skip the second
    step too: for a user whose role requires two-factor they also give the session a verified
    authenticator, as a real login with a code would. The two-factor tests use the real login form and
    are not affected. A patch of its own, not the test's `monkeypatch`: a test that calls
    `monkeypatch.undo()` must not undo this one."""
    from django.test import Client

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        verify_session(self, user)

    def login(self, **credentials):
        # Django's Client.login, with the request axes needs to count a failure against an address.
        from django.contrib.auth import authenticate
        from django.http import HttpRequest

        request = HttpRequest()
        request.META["REMOTE_ADDR"] = "127.0.0.1"
        user = authenticate(request, **credentials)
        if user is None:
            return False
        self._login(user)
        verify_session(self, user)
        return True

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Client, "force_login", force_login)
        patch.setattr(Client, "login", login)
        yield


def verify_session(client, user):
    """Mark `client`'s session as verified with an authenticator (made for the user if they have none)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from kehila.accounts import requires_two_factor

    user._kehila_memberships = None  # a fixture may have added roles since they were read
    if not requires_two_factor(user):
        return
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test authenticator", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def municipality(db):
    return MunicipalityFactory(name="עין הגליל", slug="ein-hagalil")


@pytest.fixture
def other_municipality(db):
    return MunicipalityFactory(name="נווה הדרים", slug="neve-hadarim")


@pytest.fixture
def manager(municipality):
    return member(municipality, Role.MANAGER, user__username="manager")


@pytest.fixture
def team_member(municipality):
    return member(municipality, Role.TEAM, user__username="team")


@pytest.fixture
def mayor_office(municipality):
    return member(municipality, Role.MAYOR_OFFICE, user__username="mayor")


@pytest.fixture
def track_lead(municipality):
    return member(municipality, Role.TRACK_LEAD, user__username="tracklead", track="social")


@pytest.fixture
def committee_member(municipality):
    return member(municipality, Role.COMMITTEE_MEMBER, user__username="member")


@pytest.fixture
def hq_user(db):
    return member(None, Role.HQ, user__username="hq")


@pytest.fixture
def outsider(other_municipality):
    """The manager of another municipality: must never see or change this one's data."""
    return member(other_municipality, Role.MANAGER, user__username="outsider")


@pytest.fixture
def users_by_role(
    manager, team_member, mayor_office, track_lead, committee_member, hq_user, outsider
):
    return {
        "manager": manager,
        "team": team_member,
        "mayor_office": mayor_office,
        "track_lead": track_lead,
        "committee_member": committee_member,
        "hq": hq_user,
        "outsider": outsider,
    }


@pytest.fixture
def client_for(client):
    def make(user):
        client.force_login(user)
        return client

    return make


@pytest.fixture(autouse=True)
def _empty_cache():
    """Test databases reuse primary keys after a rollback: no test may see another's cached fragment."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the portal's default language and leaves no other behind: a request answered
    in Arabic leaves Arabic active in the thread (LocaleMiddleware activates, nothing deactivates), and
    the next test would read Arabic where it expects Hebrew."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def in_english(settings):
    """For tests whose assertions read English sentences: pages without a language cookie and code
    outside a request speak English (the Hebrew catalogue is held complete by tests/kehila/test_i18n.py)."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
