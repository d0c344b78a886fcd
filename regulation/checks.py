"""Keeps :mod:`regulation.provisions` true: every provision is there, every feature it
names exists, every test it names exists, and the obligations are proven through a view
or a task. ``problems()`` returns what is wrong, in words; the test asserts it is empty.
"""

import ast
import functools
from collections.abc import Iterable
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from .provisions import Provision

EXPECTED_KEYS = [f"pasal-{number}" for number in range(1, 19)] + ["lampiran-a", "lampiran-b"]

# What a test that goes through a view or a task mentions: a test client (Django's, the
# security suite's ``fetch`` or a browser page), or a task, command or sweep being run.
THROUGH_VIEWS = ("client", "new_page", "page.goto", "fetch(")
THROUGH_TASKS = (".delay(", ".apply(", "call_command(", "sweep(", "_reminders(", "tasks.")


def url_names(resolver: URLResolver | None = None, prefix: str = "") -> set[str]:
    """Every ``namespace:name`` of the URL conf."""
    resolver = resolver or get_resolver()
    names = set()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            names |= url_names(entry, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(prefix + entry.name)
    return names


def task_names() -> set[str]:
    from katingan_sosmed.celery import app

    app.loader.import_default_modules()
    return set(app.tasks)


@functools.cache
def _tree(path: Path) -> ast.Module | None:
    return ast.parse(path.read_text()) if path.exists() else None


def test_source(node_id: str, root: Path) -> str | None:
    """The source of the test ``node_id`` names (parameters stripped), or None."""
    file, *names = node_id.split("[")[0].split("::")
    tree = _tree(root / file)
    if tree is None or not names:
        return None
    scope: list[ast.stmt] = tree.body
    found = None
    for name in names:
        found = next(
            (
                node
                for node in scope
                if isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name == name
            ),
            None,
        )
        if found is None:
            return None
        scope = getattr(found, "body", [])
    return ast.get_source_segment((root / file).read_text(), found)


def exercises_views_or_tasks(source: str) -> bool:
    return any(marker in source for marker in THROUGH_VIEWS + THROUGH_TASKS)


def problems(provisions: Iterable[Provision], root: Path | None = None) -> list[str]:
    root = root or Path(settings.BASE_DIR)
    provisions = list(provisions)
    found: list[str] = []
    keys = [provision.key for provision in provisions]
    if keys != EXPECTED_KEYS:
        missing = [key for key in EXPECTED_KEYS if key not in keys]
        extra = [key for key in keys if key not in EXPECTED_KEYS]
        found.append(f"provisions out of order or incomplete: missing {missing}, extra {extra}")
    urls, tasks = url_names(), task_names()
    for provision in provisions:
        where = provision.title
        features = provision.urls + provision.models + provision.tasks
        if provision.no_software:
            if provision.obligations:
                found.append(f"{where}: has obligations, so it cannot be 'no software'")
        else:
            if not features:
                found.append(f"{where}: no implementing feature")
            if not provision.tests:
                found.append(f"{where}: no test")
        if not provision.summary.strip():
            found.append(f"{where}: no summary")
        for name in provision.urls:
            if name not in urls:
                found.append(f"{where}: URL name {name!r} does not resolve")
        for label in provision.models:
            try:
                apps.get_model(label)
            except (LookupError, ValueError):
                found.append(f"{where}: model {label!r} does not exist")
        for name in provision.tasks:
            if name not in tasks:
                found.append(f"{where}: task {name!r} is not registered")
        sources = {}
        for node_id in provision.tests:
            source = test_source(node_id, root)
            if source is None:
                found.append(f"{where}: test {node_id!r} does not exist")
            else:
                sources[node_id] = source
        if (
            provision.obligations
            and sources
            and not any(exercises_views_or_tasks(source) for source in sources.values())
        ):
            found.append(f"{where}: no test goes through a view or a task")
    return found
