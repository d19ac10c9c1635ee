"""State that several processes (or machines) must share: the cache, rate limits, sessions and
login lockouts.

With REDIS_URL the default cache is Django's RedisCache, so a value written by one gunicorn worker
(or one machine) is read and counted by all of them, rate limits and django-axes lockouts
included. Sessions live in the database, which every process shares already. The Redis tests
use the real server at ``REDIS_TEST_URL`` (default: database 15 of 127.0.0.1:6379) under a key
prefix of their own, and fail in CI when it cannot be reached.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.test import override_settings

from tests.instances import ROOT, clean_env, python

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_url():
    import redis

    try:
        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis is not reachable at {REDIS_TEST_URL}: {exc}")
    return REDIS_TEST_URL


@pytest.fixture
def prefix():
    """A key prefix of this test's own; its keys are removed afterwards (never FLUSHDB)."""
    value = f"esa-test-{uuid.uuid4().hex[:12]}"
    yield value
    import redis

    client = redis.Redis.from_url(REDIS_TEST_URL)
    keys = list(client.scan_iter(f"{value}:*"))
    if keys:
        client.delete(*keys)


def redis_settings(url: str, prefix: str) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    }


@pytest.mark.redis
def test_two_connections_see_each_others_values_and_counts(redis_url, prefix):
    with override_settings(CACHES=redis_settings(redis_url, prefix)):
        first = caches.create_connection("default")
        second = RedisCache(redis_url, {"KEY_PREFIX": prefix})
        assert first._cache is not second._cache  # separate clients and connection pools

        first.set("office-name", "สพป.ฉะเชิงเทรา เขต ๑", timeout=60)
        assert second.get("office-name") == "สพป.ฉะเชิงเทรา เขต ๑"

        assert first.add("published", 0, timeout=60)
        assert not second.add("published", 99, timeout=60)
        assert second.incr("published") == 1
        assert first.incr("published", 5) == 6
        second.delete("office-name")
        assert first.get("office-name") is None


@pytest.mark.redis
def test_processes_incrementing_at_once_lose_no_count(redis_url, prefix):
    rounds = 200
    env = clean_env(REDIS_URL=redis_url, CACHE_KEY_PREFIX=prefix)
    code = (
        "import sys, time, django\n"
        "django.setup()\n"
        "from django.core.cache import cache\n"
        "cache.add('hits', 0, timeout=120)\n"
        "start = float(sys.argv[1])\n"
        "time.sleep(max(0, start - time.time()))\n"
        f"for _ in range({rounds}):\n"
        "    cache.incr('hits')\n"
    )
    import time

    start = str(time.time() + 3)  # both processes begin counting at the same moment
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", code, start],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for process in processes:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    with override_settings(CACHES=redis_settings(redis_url, prefix)):
        assert caches.create_connection("default").get("hits") == 2 * rounds


def test_redis_url_switches_the_default_cache_to_redis(tmp_path):
    show = (
        "from django.conf import settings\n"
        "c = settings.CACHES['default']\n"
        "print(c['BACKEND'], c.get('LOCATION', ''), c.get('KEY_PREFIX', ''))\n"
    )
    shared = python(
        clean_env(REDIS_URL="redis://cache.internal:6379/2", CACHE_KEY_PREFIX="chachoengsao1"),
        show,
    )
    assert shared.returncode == 0, shared.stderr
    assert shared.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://cache.internal:6379/2",
        "chachoengsao1",
    ]
    alone = python(clean_env(), show)
    assert alone.stdout.split() == ["django.core.cache.backends.locmem.LocMemCache"]


def test_sessions_are_kept_in_the_shared_database_and_lockouts_without_redis(settings):
    from axes.handlers.database import AxesDatabaseHandler
    from axes.handlers.proxy import AxesProxyHandler

    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert isinstance(AxesProxyHandler.get_implementation(), AxesDatabaseHandler)


def test_redis_url_moves_login_lockouts_into_redis():
    show = "from django.conf import settings\nprint(settings.AXES_HANDLER)\n"
    shared = python(clean_env(REDIS_URL="redis://cache.internal:6379/2"), show)
    assert shared.returncode == 0, shared.stderr
    assert shared.stdout.strip() == "esa_publish.lockouts.RedisLockoutHandler"
    alone = python(clean_env(), show)
    assert alone.stdout.strip() == "axes.handlers.database.AxesDatabaseHandler"


@pytest.mark.redis
@pytest.mark.django_db
def test_a_lockout_counted_by_other_processes_holds_here(redis_url, prefix, settings):
    """Failed logins reported in two other processes (two workers, or two machines) add up in
    Redis; here the account is then locked out for that address through the real login page,
    and for another address it is not."""
    from django.test import Client
    from django.urls import reverse

    from tests.factories import PASSWORD, UserFactory

    user = UserFactory()
    env = clean_env(REDIS_URL=redis_url, CACHE_KEY_PREFIX=prefix, AXES_FAILURE_LIMIT="4")
    fail_twice = (
        "from axes.handlers.proxy import AxesProxyHandler\n"
        "from django.contrib.auth.signals import user_login_failed\n"
        "from django.test import RequestFactory\n"
        "for _ in range(2):\n"
        "    request = RequestFactory().post('/accounts/login/', REMOTE_ADDR='198.51.100.66')\n"
        "    AxesProxyHandler.update_request(request)\n"
        "    user_login_failed.send(\n"
        f"        sender=None, credentials={{'username': {user.username!r}}}, request=request\n"
        "    )\n"
    )
    for _ in range(2):  # as django.contrib.auth reports a wrong password
        failed = python(env, fail_twice)
        assert failed.returncode == 0, failed.stderr

    settings.AXES_FAILURE_LIMIT = 4
    with (
        override_settings(CACHES=redis_settings(redis_url, prefix)),
        override_settings(AXES_HANDLER="axes.handlers.cache.AxesCacheHandler"),
    ):
        credentials = {"username": user.username, "password": PASSWORD}
        attacker = Client(REMOTE_ADDR="198.51.100.66")
        refused = attacker.post(reverse("login"), credentials)
        assert refused.status_code == 429
        assert "บัญชีถูกระงับชั่วคราว" in refused.content.decode()
        owner = Client(REMOTE_ADDR="203.0.113.5")
        assert owner.post(reverse("login"), credentials).status_code == 302


@pytest.mark.redis
@pytest.mark.django_db
def test_axes_reset_lifts_every_lockout_of_this_office_only(redis_url, prefix, settings):
    """Issue 14.14: with Redis, ``manage.py axes_reset`` raised NotImplementedError."""
    import io

    import redis
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from tests.factories import PASSWORD, UserFactory

    neighbour = RedisCache(redis_url, {"KEY_PREFIX": f"{prefix}-neighbour"})
    neighbour.set("axes-0123", 3, timeout=60)  # another office sharing the server
    settings.AXES_FAILURE_LIMIT = 2
    users = [UserFactory(), UserFactory()]
    clients = [Client(REMOTE_ADDR="198.51.100.7"), Client(REMOTE_ADDR="198.51.100.8")]
    try:
        with (
            override_settings(CACHES=redis_settings(redis_url, prefix)),
            override_settings(AXES_HANDLER="esa_publish.lockouts.RedisLockoutHandler"),
        ):
            for user, client in zip(users, clients, strict=True):
                for _ in range(2):
                    client.post(reverse("login"), {"username": user.username, "password": "x"})
                credentials = {"username": user.username, "password": PASSWORD}
                assert client.post(reverse("login"), credentials).status_code == 429
            out = io.StringIO()
            call_command("axes_reset", stdout=out)
            assert "attempts removed" in out.getvalue()
            for user, client in zip(users, clients, strict=True):
                credentials = {"username": user.username, "password": PASSWORD}
                assert client.post(reverse("login"), credentials).status_code == 302
        assert neighbour.get("axes-0123") == 3
    finally:
        client = redis.Redis.from_url(redis_url)
        keys = list(client.scan_iter(f"{prefix}-neighbour:*"))
        if keys:
            client.delete(*keys)


@pytest.mark.redis
@pytest.mark.django_db
def test_rate_limits_are_counted_together_by_every_process(redis_url, prefix, settings):
    """Two other processes (two gunicorn workers, or two machines) count a visitor's searches
    into Redis; this process then refuses the visitor's next search through the real page."""
    from django.test import Client
    from django.urls import reverse

    env = clean_env(
        REDIS_URL=redis_url,
        CACHE_KEY_PREFIX=prefix,
        RATELIMIT_SEARCH="5/d",
        SECRET_KEY=settings.SECRET_KEY,  # the visitor key is an HMAC under it, as in production
    )
    count = (
        "from django.test import RequestFactory\n"
        "from django.conf import settings\n"
        "from esa_publish.throttle import seconds_to_wait\n"
        "request = RequestFactory().get('/search/', REMOTE_ADDR='203.0.113.5')\n"
        "print([seconds_to_wait(request, 'search', settings.RATELIMIT_SEARCH) for _ in range(2)])\n"
    )
    for _ in range(2):  # 4 searches counted elsewhere, none refused
        counted = python(env, count)
        assert counted.returncode == 0, counted.stderr
        assert counted.stdout.strip() == "[None, None]"

    settings.RATELIMIT_SEARCH = "5/d"
    settings.RATELIMIT_CACHE_PREFIX = "rl:"  # as in the other processes (the test's own Redis
    # key prefix keeps it apart from anything else)
    with override_settings(CACHES=redis_settings(redis_url, prefix)):
        visitor = Client(REMOTE_ADDR="203.0.113.5")
        assert visitor.get(reverse("search:results"), {"q": "ประชุม"}).status_code == 200
        assert visitor.get(reverse("search:results"), {"q": "ประชุม"}).status_code == 429
        other = Client(REMOTE_ADDR="203.0.113.6")
        assert other.get(reverse("search:results"), {"q": "ประชุม"}).status_code == 200
