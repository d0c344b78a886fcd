"""gunicorn's settings for production: ``gunicorn -c katingan_sosmed/gunicorn.conf.py
katingan_sosmed.wsgi``. The access log names the path without its query string, where a
typed search could hold a citizen's name (UU 27/2022)."""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
accesslog = "-"
# %(U)s is the path alone; %(q)s, the query string, is left out on purpose.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
