"""Every folder with tests is collected by ``make test``: a new app's tests cannot be
left out of pytest.ini's ``testpaths`` unnoticed."""

import configparser
from pathlib import Path

from django.conf import settings


def test_every_tests_folder_is_in_testpaths():
    root = Path(settings.BASE_DIR)
    config = configparser.ConfigParser()
    config.read(root / "pytest.ini")
    listed = set(config["pytest"]["testpaths"].split())
    with_tests = {path.parent.parent.name for path in root.glob("*/tests/__init__.py")} | {
        path.parent.name for path in root.glob("*/test_*.py")
    }
    assert with_tests - listed == set()
