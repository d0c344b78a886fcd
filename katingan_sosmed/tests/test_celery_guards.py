"""Guards on how tasks are scheduled (RELIABILITY 30): no task relies on a long ETA
or countdown, because the Redis visibility timeout redelivers such messages and a
lost one is a lost deadline. Deadlines live in the database and are swept."""

import ast
from pathlib import Path

from django.conf import settings

from notifications.tasks import _backoff

LONGEST_COUNTDOWN = 300  # seconds
SOURCES = [
    path
    for path in Path(settings.BASE_DIR).rglob("*.py")
    if not {".venv", "var", "migrations", "tests", "bench"} & set(path.parts)
]


def scheduling_keywords():
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if keyword.arg in {"eta", "countdown"}:
                        yield path, node.lineno, keyword


def test_the_guard_reads_the_sources():
    names = {path.name for path in SOURCES}
    assert {"tasks.py", "deadlines.py", "services.py"} <= names


def test_no_task_is_scheduled_with_an_eta():
    found = [(str(p), line) for p, line, k in scheduling_keywords() if k.arg == "eta"]
    assert found == []


def test_every_countdown_is_short():
    for path, line, keyword in scheduling_keywords():
        if keyword.arg != "countdown":
            continue
        value = keyword.value
        if isinstance(value, ast.Constant):
            assert value.value <= LONGEST_COUNTDOWN, f"{path}:{line}"
        else:
            # The only computed countdown is the e-mail retry backoff.
            assert ast.unparse(value).startswith("_backoff("), f"{path}:{line}"


def test_the_retry_backoff_is_capped():
    assert max(_backoff(retries) for retries in range(20)) <= LONGEST_COUNTDOWN + 10
    assert _backoff(0) >= 30
