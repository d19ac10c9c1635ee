"""Our ``requests`` app shadows the PyPI package: no dependency may import the latter."""

import importlib
import importlib.metadata
import subprocess
import sys
from pathlib import Path

import django
import pytest

ROOT = Path(__file__).resolve().parent.parent

# Every runtime and test dependency's importable modules, including the lazily loaded parts.
DEPENDENCY_MODULES = [
    "django_fsm",
    "guardian",
    "guardian.shortcuts",
    "PIL.Image",
    "weasyprint",
    "pythainlp",
    "pythainlp.util",
    "pythainlp.tokenize",
    "fontpkg_sarabun",
    "psycopg",
    "whitenoise",
    "whitenoise.middleware",
    "gunicorn.app.wsgiapp",
    "axes",
    "axes.handlers.database",
    "csp",
    "csp.middleware",
    # Shared cache and object storage. redis.ocsp (OCSP stapling checks, off unless asked for)
    # would import PyPI `requests`; nothing here turns it on.
    "redis",
    "redis.connection",
    "django.core.cache.backends.redis",
    "storages.backends.s3",
    "boto3",
    "botocore.session",
    "botocore.client",
    "botocore.endpoint",
    "botocore.httpsession",
    "s3transfer.manager",
    "pytest_django",
    "factory",
    "playwright.sync_api",
    "pypdf",
    "hypothesis",
    "openpyxl",
]


def test_the_requests_module_is_our_app_after_everything_is_loaded():
    django.setup()
    for name in DEPENDENCY_MODULES:
        importlib.import_module(name)
    module = sys.modules["requests"]
    assert Path(module.__file__).resolve() == ROOT / "requests" / "__init__.py"


def test_no_dependency_imports_pypi_requests_on_its_own():
    """Without the project on the path, loading every dependency must not touch ``requests``."""
    code = (
        "import importlib, sys, django\n"
        "from django.conf import settings\n"
        "settings.configure(INSTALLED_APPS=['django.contrib.contenttypes',"
        " 'django.contrib.auth', 'guardian', 'axes'])\n"
        "django.setup()\n"
        f"for name in {DEPENDENCY_MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "assert 'requests' not in sys.modules, sys.modules['requests']\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd="/",
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHAINLP_READ_ONLY": "1", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr


def test_pypi_requests_is_not_installed():
    with pytest.raises(importlib.metadata.PackageNotFoundError):
        importlib.metadata.distribution("requests")
