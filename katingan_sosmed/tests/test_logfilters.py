"""A typed search never reaches the request logs with its query string."""

import logging
import runpy
from pathlib import Path

from django.conf import settings

from katingan_sosmed.logfilters import StripQueryString, strip_query


def test_the_query_string_of_a_request_line_is_cut():
    line = '"GET /pertanyaan/?q=Budi+Santoso&kotak=semua HTTP/1.1" 200 5120'
    assert strip_query(line) == '"GET /pertanyaan/?… HTTP/1.1" 200 5120'
    assert strip_query('"GET /pertanyaan/ HTTP/1.1" 200') == '"GET /pertanyaan/ HTTP/1.1" 200'


def test_the_development_server_logs_through_the_filter(caplog):
    record = logging.LogRecord(
        "django.server", logging.INFO, __file__, 1, '"%s" %s', ("GET /?q=Budi HTTP/1.1", 200), None
    )
    assert StripQueryString().filter(record)
    assert record.getMessage() == '"GET /?… HTTP/1.1" 200'
    assert settings.LOGGING["loggers"]["django.server"]["handlers"] == ["requests"]
    assert settings.LOGGING["handlers"]["requests"]["filters"] == ["no_query"]


def test_gunicorns_access_log_leaves_the_query_string_out():
    config = runpy.run_path(str(Path(settings.BASE_DIR) / "katingan_sosmed" / "gunicorn.conf.py"))
    assert "%(U)s" in config["access_log_format"]
    assert "%(q)s" not in config["access_log_format"] and "%(r)s" not in config["access_log_format"]
