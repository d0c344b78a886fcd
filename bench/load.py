"""Bounded load test on loopback (issue 9): gunicorn with 2 workers on PostgreSQL with
the benchmark data, and wrk with 8 connections for 30 s on each of the inbox, an
inquiry's detail page and the API list. Zero errors expected; requests/s and p50/p95
written to ``docs/benchmarks.md`` (the ``load`` section) and the raw figures to
``var/bench/load.json``.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/katingan .venv/bin/python bench/load.py

It creates (and drops again) its own database ``<name>_bench`` next to the one in
DATABASE_URL, fills it with ``generate_bench_data`` (LOAD_INQUIRIES, default 100,000),
and runs gunicorn with production settings (DEBUG off) except plain HTTP on loopback.
Needs Debian's ``wrk`` (``apt-get install wrk``). wrk runs on the same 2 cores as
gunicorn and PostgreSQL, so the figures are a floor, not a ceiling.
"""

import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import benchdb  # puts the project on sys.path

INQUIRIES = int(os.environ.get("LOAD_INQUIRIES", 100_000))
SECONDS = int(os.environ.get("LOAD_SECONDS", 30))
CONNECTIONS = 8
WORKERS = 2
MARKER = "load"
LUA = benchdb.ROOT / "bench" / "load.lua"


# gunicorn's settings, and this process's too: the session cookie made here must be valid
# there (same secret key), or every request would be a redirect to the sign-in page.
PRODUCTION = {
    "DJANGO_DEBUG": "False",
    "DJANGO_SECRET_KEY": "load-test-" + "x" * 50,
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DJANGO_SECURE_SSL_REDIRECT": "False",
    "DJANGO_SESSION_COOKIE_SECURE": "False",
    "DJANGO_CSRF_COOKIE_SECURE": "False",
    # One integration token is far over its production limit (120/min) here: the
    # throttle is lifted to measure the list itself, not the 429 answers.
    "API_RATE_PER_TOKEN": "1000000/min",
}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect (to the sign-in page, say) is an answer, not the page


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, headers: dict) -> None:
    """Until gunicorn answers ``url`` with the page itself (200, no redirect)."""
    opener = urllib.request.build_opener(_NoRedirect)
    for _ in range(100):
        try:
            request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback
            with opener.open(request, timeout=2) as response:
                if response.status == 200:
                    return
        except urllib.error.HTTPError as error:
            sys.exit(f"{url} answered {error.code} ({error.headers.get('Location')}), not 200")
        except OSError:
            time.sleep(0.2)
    sys.exit(f"gunicorn did not answer {url}")


def _wrk(url: str, headers: dict) -> dict:
    args = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--timeout", "5s", "-s", str(LUA)]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    output = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    figures["errors"] = sum(
        figures[k]
        for k in ("status_errors", "connect_errors", "read_errors", "write_errors", "timeouts")
    )
    return figures


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    load = os.getloadavg()[0]
    os.environ.update(PRODUCTION)
    admin_url, name = benchdb.setup()
    server = None
    try:
        from django.db import connection
        from django.test import Client
        from django.urls import reverse
        from django.utils import timezone

        from benchdata.generate import generate
        from inquiries.models import Inquiry
        from katingan_sosmed import clock

        now = clock.now()
        data = generate(agencies=40, inquiries=INQUIRIES, now=now)
        print(f"generated {INQUIRIES:,} inquiries in {data.seconds:.0f} s")
        client = Client()
        client.force_login(data.officer)
        cookie = f"sessionid={client.cookies['sessionid'].value}"
        detail = (
            Inquiry.objects.filter(agency=data.officer.agency, forwarded_at__isnull=False)
            .order_by("-received_at")
            .values_list("pk", flat=True)
            .first()
        )
        pages = {
            "inbox": (reverse("inquiries:inbox"), {"Cookie": cookie}),
            "detail": (reverse("inquiries:detail", args=[detail]), {"Cookie": cookie}),
            "api_list": ("/api/v1/inquiries/", {"Authorization": f"Bearer {data.api_key}"}),
        }
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            pg_version = cursor.fetchone()[0].split(",")[0]
        port = _free_port()
        env = {**os.environ, **PRODUCTION}
        # DEBUG off serves the hashed static files of the manifest: collect them first.
        subprocess.run(
            [
                str(benchdb.ROOT / ".venv" / "bin" / "python"),
                "manage.py",
                "collectstatic",
                "--noinput",
                "-v0",
            ],
            cwd=benchdb.ROOT,
            env=env,
            check=True,
        )
        server = subprocess.Popen(
            [
                str(benchdb.ROOT / ".venv" / "bin" / "gunicorn"),
                "katingan_sosmed.wsgi",
                "-w",
                str(WORKERS),
                "-b",
                f"127.0.0.1:{port}",
                "--access-logfile",
                "/dev/null",
            ],
            cwd=benchdb.ROOT,
            env=env,
        )
        base = f"http://127.0.0.1:{port}"
        results = {}
        for key, (path, headers) in pages.items():
            _wait(base + path, headers)
            results[key] = {"path": path, **_wrk(base + path, headers)}
            _wait(base + path, headers)  # still the page, not a redirect, after the load
            r = results[key]
            print(
                f"{key}: {r['rps']:.1f} req/s, p50 {r['p50'] / 1000:.1f} ms, "
                f"p95 {r['p95'] / 1000:.1f} ms, errors {r['errors']}"
            )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        benchdb.drop(admin_url, name)

    raw = benchdb.ROOT / "var" / "bench"
    raw.mkdir(parents=True, exist_ok=True)
    (raw / "load.json").write_text(
        json.dumps({"inquiries": INQUIRIES, "seconds": SECONDS, "results": results}, indent=2)
    )
    rows = "\n".join(
        f"| {key} (`{r['path']}`) | {r['requests']:,} | **{r['rps']:.1f}** | "
        f"{r['p50'] / 1000:.1f} ms | {r['p95'] / 1000:.1f} ms | {r['p99'] / 1000:.1f} ms | "
        f"{r['errors']} |"
        for key, r in results.items()
    )
    section = f"""<!-- {MARKER}:start -->
## Load on loopback: gunicorn, 2 workers, 8 connections

`python bench/load.py`, run {timezone.localdate()} on {os.cpu_count()} cores (load average
{load:.1f} at the start), {pg_version}, Python {platform.python_version()}. Data:
`generate_bench_data --agencies 40 --inquiries {INQUIRIES:,}` (generated in
{data.seconds:.0f} s). gunicorn {WORKERS} sync workers with production settings (DEBUG off,
plain HTTP on loopback); wrk with 2 threads and {CONNECTIONS} connections for {SECONDS} s per
page, on the same machine (it takes CPU from gunicorn and PostgreSQL). The inbox and the
detail page as the petugas of the busiest agency (its default view), the API list with that
agency's integration token.

| Page | Requests | Requests/s | p50 | p95 | p99 | Errors |
|---|---|---|---|---|---|---|
{rows}

Errors count non-2xx/3xx answers, timeouts (5 s) and socket errors; zero is required.
Before and after each run the page is fetched without following redirects and must answer
200 (the figures of 2026-12-02, 484 requests/s for the inbox, measured the redirect to the
sign-in page: the session had been signed with another secret key).
<!-- {MARKER}:end -->"""
    benchdb.write_section(f"<!-- {MARKER}:start -->", f"<!-- {MARKER}:end -->", section)
    print("written to docs/benchmarks.md (load section)")
    failed = [key for key, r in results.items() if r["errors"]]
    if failed:
        sys.exit(f"errors under load: {failed}")


if __name__ == "__main__":
    main()
