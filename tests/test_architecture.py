"""The modular monolith's rules, checked on the source: apps call only downward, and only
through another app's services, selectors, permissions and models (for types and choices)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Lowest layer first; an app may import only apps listed before it.
LAYERS = [
    "core", "ledger", "directory", "accounts", "licenses", "ratings", "catalog", "cases", "hotline",
    "portal",
]  # fmt: skip
# "registry": hooks a lower app offers, e.g. the ledger learning to recompute payloads.
PUBLIC_MODULES = {"services", "selectors", "permissions", "models", "errors", "registry"}


def imports_of(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module


def app_sources(root: Path, app: str):
    for path in sorted((root / app).rglob("*.py")):
        if "migrations" in path.parts or "tests" in path.parts:
            continue
        yield path


def violations(root: Path, app: str) -> list[str]:
    rank = LAYERS.index(app)
    problems = []
    for path in app_sources(root, app):
        for line, module in imports_of(path):
            top, _, rest = module.partition(".")
            if top not in LAYERS or top == app:
                continue
            where = f"{path.relative_to(root)}:{line} imports {module}"
            if LAYERS.index(top) > rank:
                problems.append(f"{where} (upward)")
            elif top != "core" and rest.split(".")[0] not in PUBLIC_MODULES:
                problems.append(f"{where} (not a public module)")
    return problems


@pytest.mark.parametrize("app", LAYERS)
def test_apps_import_only_downward_through_public_modules(app):
    assert violations(ROOT, app) == []


def test_core_has_no_tables():
    """core may hold abstract models every app shares, never a table of its own."""
    from django.apps import apps

    assert list(apps.get_app_config("core").get_models()) == []


def test_the_rule_catches_bad_imports(tmp_path):
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "bad.py").write_text("from accounts.models import User\n")
    (tmp_path / "portal").mkdir()
    (tmp_path / "portal" / "bad.py").write_text("import accounts.views\n")
    assert violations(tmp_path, "core") == ["core/bad.py:1 imports accounts.models (upward)"]
    assert violations(tmp_path, "portal") == [
        "portal/bad.py:1 imports accounts.views (not a public module)"
    ]
