"""Per-visitor limits on the public search and JSON API (esa_publish/throttle.py), and the client
address behind the reverse proxy that they and the login lockouts count (client_address.py).

The limits are set small here to reach them; production values come from RATELIMIT_SEARCH and
RATELIMIT_API. The Redis tests at the end run against the real server, as in test_cache_redis.
"""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.test import Client, override_settings
from django.urls import reverse

from esa_publish.env import SettingsError, env_rate
from tests.factories import PASSWORD, UserFactory
from tests.instances import clean_env, python

pytestmark = pytest.mark.django_db

SEARCH = reverse("search:results")
API_CATEGORIES = reverse("catalog:api_categories")
API_ITEMS = reverse("catalog:api_items")


def search(client, query="ประชาสัมพันธ์", **extra):
    return client.get(SEARCH, {"q": query}, **extra)


def test_search_answers_429_with_a_thai_page_once_a_visitor_passes_the_limit(settings):
    settings.RATELIMIT_SEARCH = "3/m"
    citizen = Client(REMOTE_ADDR="203.0.113.5")
    assert [search(citizen).status_code for _ in range(3)] == [200, 200, 200]

    refused = search(citizen)
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "คำขอถี่เกินไป" in page
    assert "กรุณารอประมาณ" in page
    assert '<html lang="th">' in page
    wait = int(refused["Retry-After"])
    assert 1 <= wait <= 60
    assert f"{wait} วินาที" in page
    assert "no-store" in refused["Cache-Control"]


def test_other_visitors_keep_searching_while_one_is_limited(settings):
    settings.RATELIMIT_SEARCH = "2/m"
    busy, other = Client(REMOTE_ADDR="203.0.113.5"), Client(REMOTE_ADDR="203.0.113.6")
    for _ in range(2):
        search(busy)
    assert search(busy).status_code == 429
    assert search(other).status_code == 200


def test_the_api_is_limited_across_its_endpoints_and_answers_in_json(settings):
    settings.RATELIMIT_API = "2/m"
    harvester = Client(REMOTE_ADDR="198.51.100.7")
    assert harvester.get(API_CATEGORIES).status_code == 200
    assert harvester.get(API_ITEMS).status_code == 200

    refused = harvester.get(reverse("catalog:api_item", args=[1]))
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/json"
    assert "กรุณารอประมาณ" in refused.json()["detail"]
    assert 1 <= int(refused["Retry-After"]) <= 60
    # The cached list is refused too: the count comes before the page cache.
    assert harvester.get(API_CATEGORIES).status_code == 429


def test_search_and_api_are_counted_apart(settings):
    settings.RATELIMIT_SEARCH = "1/m"
    settings.RATELIMIT_API = "1/m"
    visitor = Client(REMOTE_ADDR="203.0.113.5")
    assert search(visitor).status_code == 200
    assert search(visitor).status_code == 429
    assert visitor.get(API_CATEGORIES).status_code == 200


def test_the_refusal_is_english_on_english_pages(settings):
    settings.RATELIMIT_SEARCH = "1/m"
    settings.RATELIMIT_API = "1/m"
    visitor = Client(REMOTE_ADDR="203.0.113.5", HTTP_ACCEPT_LANGUAGE="en")
    search(visitor)
    page = search(visitor).content.decode()
    assert "Too many requests" in page
    assert "please wait about" in page
    visitor.get(API_ITEMS)
    assert "please wait about" in visitor.get(API_ITEMS).json()["detail"]


def test_signed_in_staff_are_counted_by_account_not_by_the_office_address(settings):
    settings.RATELIMIT_SEARCH = "2/m"
    first, second = Client(REMOTE_ADDR="10.0.0.1"), Client(REMOTE_ADDR="10.0.0.1")
    first.force_login(UserFactory())
    second.force_login(UserFactory())
    for _ in range(2):
        assert search(first).status_code == 200
    assert search(first).status_code == 429
    assert search(second).status_code == 200


def test_an_ipv6_visitor_is_counted_by_its_64_network(settings):
    settings.RATELIMIT_SEARCH = "2/m"
    assert search(Client(REMOTE_ADDR="2001:db8:1:2::10")).status_code == 200
    assert search(Client(REMOTE_ADDR="2001:db8:1:2:ffff::1")).status_code == 200
    assert search(Client(REMOTE_ADDR="2001:db8:1:2::99")).status_code == 429
    assert search(Client(REMOTE_ADDR="2001:db8:1:3::10")).status_code == 200


def test_the_cache_keeps_no_visitor_address(settings, rf):
    """PDPA: the counts are keyed by an HMAC under SECRET_KEY; neither the address nor a plain
    hash of it (which anyone could compute for every IPv4 address) is in the cache."""
    import hashlib

    from esa_publish.throttle import visitor, visitor_identity

    settings.RATELIMIT_SEARCH = "5/m"
    cache = caches["default"]
    assert isinstance(cache, LocMemCache)
    search(Client(REMOTE_ADDR="203.0.113.77"))
    keys = [key for key in cache._cache if "rl:" in key]
    assert keys
    assert not [key for key in keys if "203.0.113.77" in key]

    request = rf.get("/", REMOTE_ADDR="203.0.113.77")
    identity = visitor_identity(request)
    assert identity == "address:203.0.113.77"
    key = visitor("search", request)
    assert "203.0.113.77" not in key
    assert key != hashlib.sha256(identity.encode()).hexdigest()
    settings.SECRET_KEY = "another-office-" + "x" * 50
    assert visitor("search", request) != key


def test_an_ipv4_visitor_on_a_dual_stack_socket_is_counted_by_its_ipv4_address(rf):
    """::ffff:a.b.c.d all share ::/64: taken as IPv6, every IPv4 visitor would share one count."""
    from esa_publish.throttle import visitor_identity

    mapped = rf.get("/", REMOTE_ADDR="::ffff:203.0.113.5")
    assert visitor_identity(mapped) == "address:203.0.113.5"
    assert (
        visitor_identity(rf.get("/", REMOTE_ADDR="2001:db8:1:2::7")) == "address:2001:db8:1:2::/64"
    )


def test_limits_can_be_turned_off(settings):
    settings.RATELIMIT_SEARCH = "1/m"
    settings.RATELIMIT_ENABLE = False
    visitor = Client(REMOTE_ADDR="203.0.113.5")
    assert [search(visitor).status_code for _ in range(3)] == [200, 200, 200]


def test_an_unreachable_cache_leaves_the_catalog_working(settings, caplog):
    """A Redis outage must not take the public catalog down: searches are served uncounted,
    cached pages are served uncached, a takedown's cache invalidation does not fail, and each is
    logged. Port 9 on loopback has nothing listening: a real connection refused."""
    from catalog.cache import bump_version

    settings.RATELIMIT_SEARCH = "1/m"
    down = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    with override_settings(CACHES=down):
        visitor = Client(REMOTE_ADDR="203.0.113.5")
        assert [search(visitor).status_code for _ in range(2)] == [200, 200]
        assert visitor.get(reverse("home")).status_code == 200
        assert visitor.get(API_CATEGORIES).status_code == 200
        bump_version()  # as a publication or a takedown does
    assert "rate limit not counted: the cache is unreachable" in caplog.text
    assert "page served uncached: the cache is unreachable" in caplog.text
    assert "page cache version not raised: the cache is unreachable" in caplog.text


# --- who the visitor is, behind the proxy ---------------------------------------------------


def behind_proxy(forwarded: str) -> Client:
    return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)


def test_behind_the_proxy_visitors_are_told_apart_by_the_address_it_appended(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.RATELIMIT_SEARCH = "1/m"
    assert search(behind_proxy("203.0.113.5")).status_code == 200
    assert search(behind_proxy("203.0.113.6")).status_code == 200
    # A visitor cannot escape the count by sending an X-Forwarded-For of its own: nginx appends
    # the real address after it, and only that last entry is read.
    assert search(behind_proxy("192.0.2.1, 203.0.113.5")).status_code == 429


def test_without_a_trusted_proxy_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.RATELIMIT_SEARCH = "1/m"
    first = search(Client(REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="1.1.1.1"))
    assert first.status_code == 200
    refused = search(Client(REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="2.2.2.2"))
    assert refused.status_code == 429


@pytest.mark.parametrize(
    ("hops", "forwarded", "expected"),
    [
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "192.0.2.1, 203.0.113.5", "203.0.113.5"),
        (2, "203.0.113.5, 10.1.1.1", "203.0.113.5"),  # load balancer, then nginx
        (2, "203.0.113.5", "127.0.0.1"),  # fewer entries than proxies: not through them
        (1, "not-an-address", "127.0.0.1"),
        (1, "", "127.0.0.1"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_reads_as_many_entries_from_the_right_as_there_are_proxies(
    rf, settings, hops, forwarded, expected
):
    from esa_publish.client_address import client_ip

    settings.TRUSTED_PROXY_COUNT = hops
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_behind_the_proxy_a_login_lockout_is_per_visitor_address(settings):
    """Lockouts count user name and address together: with the proxy's address for everyone, an
    attacker's failures would have locked the real owner out too."""
    settings.TRUSTED_PROXY_COUNT = 1
    user = UserFactory()
    url = reverse("login")
    attacker, owner = behind_proxy("198.51.100.66"), behind_proxy("203.0.113.5")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attacker.post(url, {"username": user.username, "password": "wrong-password"})
    attempt = attacker.post(url, {"username": user.username, "password": PASSWORD})
    assert attempt.status_code == 429
    assert owner.post(url, {"username": user.username, "password": PASSWORD}).status_code == 302


# --- settings ----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["120/m", "1000/h", "500/5m", "10/s", "20000/d"])
def test_a_rate_setting_accepts_a_count_per_period(monkeypatch, value):
    monkeypatch.setenv("RATELIMIT_TEST", value)
    assert env_rate("RATELIMIT_TEST", "1/m") == value


@pytest.mark.parametrize("value", ["120", "120/min", "0/m", "120/0m", "-1/m", "m/120", "1.5/m"])
def test_a_malformed_rate_stops_the_settings_with_a_clear_message(monkeypatch, value):
    monkeypatch.setenv("RATELIMIT_TEST", value)
    with pytest.raises(SettingsError, match="RATELIMIT_TEST must be a count per period"):
        env_rate("RATELIMIT_TEST", "1/m")


def test_the_production_limits_are_generous_and_come_from_the_environment():
    show = (
        "from django.conf import settings\nprint(settings.RATELIMIT_SEARCH, settings.RATELIMIT_API)"
    )
    default = python(clean_env(), show)
    assert default.stdout.split() == ["120/m", "300/m"]
    chosen = python(clean_env(RATELIMIT_SEARCH="30/m", RATELIMIT_API="2000/h"), show)
    assert chosen.stdout.split() == ["30/m", "2000/h"]
    broken = python(clean_env(RATELIMIT_SEARCH="lots"), show)
    assert broken.returncode != 0
    assert "RATELIMIT_SEARCH must be a count per period" in broken.stderr
