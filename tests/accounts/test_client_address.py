"""The client's address behind the TLS proxy: taken from the trusted proxies' part of X-Forwarded-For, never
from an entry a visitor wrote, and used by the public forms' rate limits."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from committees.models import Application
from kehila.net import client_ip
from tests.pilots.factories import HackathonFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
APPLY = {
    "full_name": "רונית כהן",
    "sector": "residents",
    "is_resident": "on",
    "motivation": "אני פעילה בשכונה",
}


def _request(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_peer_is_the_client_and_the_header_is_ignored(settings):
    settings.KEHILA_TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_one_proxy_gives_the_address_it_appended(settings):
    settings.KEHILA_TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request(PROXY, "203.0.113.9")) == "203.0.113.9"


def test_a_forged_leading_entry_changes_nothing(settings):
    settings.KEHILA_TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request(PROXY, "1.2.3.4, 203.0.113.9")) == "203.0.113.9"
    assert client_ip(_request(PROXY, "1.2.3.4, 5.6.7.8, 203.0.113.9")) == "203.0.113.9"


def test_two_proxies_give_the_address_the_outer_one_saw(settings):
    settings.KEHILA_TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request(PROXY, "1.2.3.4, 203.0.113.9, 10.0.0.1")) == "203.0.113.9"


def test_a_malformed_entry_falls_back_to_the_peer(settings):
    settings.KEHILA_TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request(PROXY, "1.2.3.4, not-an-address")) == PROXY


def _apply(client, municipality, visitor, n, *, forged=None):
    forwarded = f"{forged}, {visitor}" if forged else visitor
    return client.post(
        reverse("committees_public:apply", kwargs={"slug": municipality.slug}),
        {**APPLY, "email": f"applicant{n}@example.org"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_two_visitors_behind_the_proxy_are_limited_separately(client, municipality, settings):
    settings.KEHILA_TRUSTED_PROXY_COUNT = 1
    for n in range(5):
        assert _apply(client, municipality, "203.0.113.9", n).status_code == 302
    assert _apply(client, municipality, "203.0.113.9", 5).status_code == 429
    # Another resident behind the same proxy is not closed out by the first one.
    assert _apply(client, municipality, "198.51.100.7", 6).status_code == 302
    assert Application.objects.count() == 6


def test_a_visitor_cannot_escape_the_limit_by_forging_the_header(client, municipality, settings):
    settings.KEHILA_TRUSTED_PROXY_COUNT = 1
    for n in range(5):
        _apply(client, municipality, "203.0.113.9", n, forged=f"192.0.2.{n}")
    response = _apply(client, municipality, "203.0.113.9", 5, forged="192.0.2.99")
    assert response.status_code == 429
    assert Application.objects.count() == 5


def test_the_pilot_forms_count_per_visitor_too(client, settings, municipality):
    settings.KEHILA_TRUSTED_PROXY_COUNT = 1
    hackathon = HackathonFactory(municipality=municipality)
    url = reverse("pilots_public:register", kwargs={"hackathon_id": hackathon.pk})

    def register(visitor, n):
        data = {"full_name": "דנה", "email": f"d{n}@example.org", "website": ""}
        return client.post(url, data, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=visitor)

    for n in range(5):
        assert register("203.0.113.9", n).status_code == 302
    assert register("203.0.113.9", 5).status_code == 429
    assert register("198.51.100.7", 6).status_code == 302


def test_a_request_without_an_address_has_none(settings):
    # axes stores the address in an inet column on PostgreSQL: a placeholder word would not fit.
    settings.KEHILA_TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request("")) is None
    settings.KEHILA_TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request("", "garbage")) is None
