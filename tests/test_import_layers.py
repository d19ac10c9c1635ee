"""Layers that point one way: the import-linter contract in pyproject.toml holds (``make lint``
runs it too), and no import inside a function reaches into another app to hide a cycle."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings
from importlinter.cli import lint_imports

APPS = ("approvals", "catalog", "requests", "esa_publish", "notify", "outreach")
# gunicorn reads its configuration before Django is set up: its hooks import the apps when run.
ENTRY_POINTS = {"esa_publish/gunicorn_conf.py"}


def test_the_layers_contract_is_kept(monkeypatch):
    base = Path(settings.BASE_DIR)
    monkeypatch.chdir(base)
    assert lint_imports(str(base / "pyproject.toml"), no_cache=True, no_logo=True) == 0


def test_no_function_level_import_reaches_into_another_app():
    base = Path(settings.BASE_DIR)
    found = []
    for app in APPS:
        for path in (base / app).rglob("*.py"):
            if "migrations" in path.parts or str(path.relative_to(base)) in ENTRY_POINTS:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                for inner in ast.walk(node):
                    if isinstance(inner, ast.ImportFrom) and inner.module:
                        target = inner.module.split(".")[0]
                        if target in APPS and target != app:
                            found.append(f"{path.relative_to(base)}:{inner.lineno} {inner.module}")
    assert found == []
