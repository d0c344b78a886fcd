"""Log filters: a request line is logged without its query string.

A search typed into the inbox (``?q=Budi Santoso``) or the subject request board is a
citizen's name in the address; the portal's own links carry none (see
``security/test_personal_data.py``), and this keeps typed ones out of the logs.
"""

import logging
import re

_QUERY = re.compile(r"\?[^\s\"]*")


def strip_query(text: str) -> str:
    """``GET /pertanyaan/?q=Budi HTTP/1.1`` → ``GET /pertanyaan/?… HTTP/1.1``."""
    return _QUERY.sub("?…", text)


class StripQueryString(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            record.msg = strip_query(record.getMessage())
            record.args = ()
        else:
            record.msg = strip_query(str(record.msg))
        return True
