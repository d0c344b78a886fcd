"""The scale benchmark of issue 11: every page and job the issue lists, at each size.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/katingan \\
    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python bench/scale.py [100000 1000000]

Not a test. For each size it creates its own database ``<name>_bench`` next to the one
in DATABASE_URL (dropped again), generates ``generate_bench_data --agencies 40
--inquiries N`` (benchdata.generate) and measures, through Django's WSGI handler in this
process as gunicorn would call it (no network; production settings, DEBUG off,
plain HTTP):

* the inbox as the busiest agency's petugas: its default view (every status, most
  urgent first), one status, a text search, page 40; and the regency-wide inbox of a
  Diskominfo evaluator (every agency, every status);
* the API list (that agency's integration token) and the detail page of the inquiry
  with the longest history;
* the regency dashboard (evaluator, this year);
* the annual report: compile (sections a–h) and the PDF of the busiest agency;
* the deadline sweep: nothing due, 10,000 due, a 4,000-row catch-up (open forwardings
  whose notices were never sent: a beat that was down);
* the CSV import of 2,000 inquiries (rows per second).

Pages: median and p95 of 20 requests after 2 warm-ups, the number of queries, and the
EXPLAIN (ANALYZE, BUFFERS) of the slowest query. The figures go to ``docs/benchmarks.md``
(the ``scale`` section) and, raw, to ``var/bench/scale-<N>.json``.
"""

import datetime as dt
import json
import os
import platform
import statistics
import sys
import time

import benchdb  # puts the project on sys.path
from dashboard import _p95, _profile

NOW = dt.datetime(2026, 11, 30, 3, 0, tzinfo=dt.UTC)  # Monday 10:00 WIB
RUNS, WARMUPS = 20, 2
AGENCIES = 40
SIZES = [int(arg.replace("_", "")) for arg in sys.argv[1:]] or [100_000, 1_000_000]
MARKER = "scale"
HOST = "localhost"
TARGETS = {
    100_000: {"inbox_ms": 20, "inbox_queries": 10, "detail_ms": 25, "detail_queries": 15},
    1_000_000: {
        "inbox_ms": 50,
        "dashboard_ms": 300,
        "compile_s": 2,
        "sweep_idle_ms": 100,
        "sweep_catch_up_s": 5,
    },
}


def _timed(function, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def _wsgi_get(handler, environ: dict) -> int:
    """One request through Django's WSGI handler, as gunicorn would send it."""
    status = []
    body = handler(dict(environ), lambda code, headers, exc_info=None: status.append(code))
    b"".join(body)
    if hasattr(body, "close"):
        body.close()
    return int(status[0].split()[0])


def _page(client, url: str, **headers) -> dict:
    """Server time through the WSGI handler (the test client's template and context
    capture would add its own work), queries and EXPLAIN through the test client."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import RequestFactory

    cookie = "; ".join(f"{key}={morsel.value}" for key, morsel in client.cookies.items())
    environ = RequestFactory().get(url, HTTP_HOST=HOST, HTTP_COOKIE=cookie, **headers).environ
    handler = WSGIHandler()
    for _ in range(WARMUPS):
        code = _wsgi_get(handler, environ)
        assert code == 200, (url, code)
    times = _timed(lambda: _wsgi_get(handler, environ), RUNS)
    profile = _profile_with(client, url, headers)
    slowest = profile["queries"][0] if profile["queries"] else None
    return {
        "url": url,
        "median_ms": statistics.median(times),
        "p95_ms": _p95(times),
        "queries": profile["count"],
        "slowest_sql_ms": slowest["explain_ms"] if slowest else 0,
        "slowest_sql": slowest["sql"] if slowest else "",
        "slowest_plan": slowest["plan"] if slowest else "",
    }


def _profile_with(client, url, headers):
    if not headers:
        return _profile(client, url)
    original = client.get

    def get(path, **kwargs):
        return original(path, **(headers | kwargs))

    client.get = get
    try:
        return _profile(client, url)
    finally:
        client.get = original


def _sweep_figures(Forwarding, deadline_sweep) -> dict:
    from django.db import connection

    open_ids = list(
        Forwarding.objects.filter(status="open").order_by("pk").values_list("pk", flat=True)
    )
    # Settle: whatever the generator left due is swept first.
    deadline_sweep(now=NOW)
    idle = _timed(lambda: deadline_sweep(now=NOW), 30)
    result = {"open_forwardings": len(open_ids), "idle_median_ms": statistics.median(idle)}
    # Disjoint sets of open forwardings, so the catch-up finds its notices unsent.
    for name, start, wanted in (("due_10000", 0, 10_000), ("catch_up_4000", 10_000, 4_000)):
        ids = open_ids[start : start + wanted]
        with connection.cursor() as cursor:
            # Due now, with the notices never sent: the sweep sends the nearest one.
            cursor.execute(
                "UPDATE inquiries_forwarding SET next_notice_at = %s WHERE id = ANY(%s)",
                [NOW - dt.timedelta(minutes=1), ids],
            )
        started = time.perf_counter()
        sent = deadline_sweep(now=NOW)
        seconds = time.perf_counter() - started
        again = deadline_sweep(now=NOW)
        result[name] = {
            "rows": len(ids),
            "seconds": seconds,
            "notices": sum(sent.values()),
            "by_kind": sent,
            "second_sweep_notices": sum(again.values()),
        }
    return result


def _import_rate(agency, officer) -> dict:
    from inquiries.imports import import_rows, parse_csv, validate_rows

    channel = agency.accounts.filter(status="active").first()
    lines = ["channel,platform,kind,author,contact,text,source_url,received_at,topics"]
    for n in range(2_000):
        lines.append(
            f"{channel.handle},{channel.platform},pertanyaan,Warga Impor {n},,"
            f"Pertanyaan impor nomor {n} tentang jadwal posyandu?,,"
            f"2026-11-29 10:{n % 60:02d},posyandu"
        )
    data = ("\n".join(lines) + "\n").encode()
    started = time.perf_counter()
    parsed = parse_csv(data)
    validated = validate_rows(parsed, agency=agency, now=NOW)
    assert not validated.errors, validated.errors[:3]
    result = import_rows(validated, parsed=parsed, agency=agency, by=officer, now=NOW)
    seconds = time.perf_counter() - started
    return {"rows": result.created, "seconds": seconds, "rows_per_second": result.created / seconds}


def measure(size: int) -> dict:
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from benchdata.generate import generate
    from inquiries.deadlines import deadline_sweep
    from inquiries.models import Forwarding, Inquiry
    from katingan_sosmed import clock
    from reports.compile import compile_report
    from reports.pdf import html_to_pdf
    from reports.services import report_create

    clock.now = lambda: NOW
    data = generate(agencies=AGENCIES, inquiries=size, now=NOW)
    print(f"{size:,}: generated in {data.seconds:.0f} s", flush=True)
    officer, evaluator, agency = data.officer, data.evaluator, data.officer.agency
    hosts = settings.ALLOWED_HOSTS
    host = "testserver" if "testserver" in hosts or "*" in hosts else HOST
    officer_client, evaluator_client = Client(HTTP_HOST=host), Client(HTTP_HOST=host)
    officer_client.force_login(officer)
    evaluator_client.force_login(evaluator)
    inbox = reverse("inquiries:inbox")
    longest = (
        Inquiry.objects.filter(agency=agency)
        .annotate(steps=Count("events"))
        .order_by("-steps", "pk")
        .values_list("pk", "steps")
        .first()
    )
    pages = {
        "inbox_default": (officer_client, inbox, {}),
        "inbox_status": (officer_client, f"{inbox}?status=answered", {}),
        "inbox_search": (officer_client, f"{inbox}?q=Warga+12345", {}),
        "inbox_page_40": (officer_client, f"{inbox}?halaman=40", {}),
        "inbox_regency": (evaluator_client, inbox, {}),
        "api_list": (
            Client(HTTP_HOST=host),
            reverse("api:v1:inquiry-list"),
            {"HTTP_AUTHORIZATION": f"Bearer {data.api_key}"},
        ),
        "detail": (officer_client, reverse("inquiries:detail", args=[longest[0]]), {}),
        "dashboard": (evaluator_client, reverse("reports:dashboard") + "?periode=tahun", {}),
    }
    figures: dict = {"size": size, "generated_s": data.seconds, "detail_history_rows": longest[1]}
    for name, (client, url, headers) in pages.items():
        figures[name] = _page(client, url, **headers)
        print(
            f"  {name}: {figures[name]['median_ms']:.1f} ms median, "
            f"{figures[name]['p95_ms']:.1f} ms p95, {figures[name]['queries']} queries",
            flush=True,
        )
    compile_times = _timed(lambda: compile_report(agency, 2026, now=NOW), 5)
    report = report_create(agency=agency, year=2026, by=officer, now=NOW)
    from reports.pdf import annual_report_html

    pdf_times = _timed(lambda: html_to_pdf(annual_report_html(report, now=NOW)), 3)
    figures["compile"] = {
        "median_ms": statistics.median(compile_times),
        "max_ms": max(compile_times),
    }
    figures["pdf"] = {"median_ms": statistics.median(pdf_times), "max_ms": max(pdf_times)}
    print(
        f"  compile {figures['compile']['median_ms']:.0f} ms, "
        f"pdf {figures['pdf']['median_ms']:.0f} ms",
        flush=True,
    )
    figures["sweep"] = _sweep_figures(Forwarding, deadline_sweep)
    print(f"  sweep {figures['sweep']}", flush=True)
    figures["import"] = _import_rate(agency, officer)
    print(f"  import {figures['import']['rows_per_second']:.0f} rows/s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        figures["postgresql"] = cursor.fetchone()[0].split(",")[0]
    return figures


def _verdict(value: float, target: float | None) -> str:
    if target is None:
        return ""
    return f" ({'meets' if value <= target else 'MISSES'} ≤ {target:g})"


def _section(results: list[dict]) -> str:
    lines = [
        f"<!-- {MARKER}:start -->",
        "## Scale: 100,000 and 1,000,000 inquiries (issue 11)",
        "",
        "`python bench/scale.py` (part of `make bench`), run "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d} on "
        f"{os.cpu_count()} cores, {results[0]['postgresql']}, Python {platform.python_version()}. "
        "Data: `generate_bench_data --agencies 40 --inquiries N`. In the benchmark's "
        "process: pages go through Django's WSGI handler as gunicorn would send "
        "them (server time, no network), queries are counted and EXPLAINed through the test "
        "client; median and p95 of 20 requests after 2 warm-ups. Raw figures: "
        "`var/bench/scale-<N>.json`.",
        "",
    ]
    for result in results:
        size = result["size"]
        target = TARGETS.get(size, {})
        lines += [
            f"### {size:,} inquiries (generated in {result['generated_s']:.0f} s)",
            "",
            "| Page | Median | p95 | Queries |",
            "|---|---|---|---|",
        ]
        for name in (
            "inbox_default",
            "inbox_status",
            "inbox_search",
            "inbox_page_40",
            "inbox_regency",
            "api_list",
            "detail",
            "dashboard",
        ):
            page = result[name]
            if name.startswith("inbox"):
                ms, queries = target.get("inbox_ms"), target.get("inbox_queries")
            elif name == "detail":
                ms, queries = target.get("detail_ms"), target.get("detail_queries")
            elif name == "dashboard":
                ms, queries = target.get("dashboard_ms"), None
            else:
                ms = queries = None
            lines.append(
                f"| {name} (`{page['url']}`) "
                f"| {page['median_ms']:.1f} ms{_verdict(page['median_ms'], ms)} "
                f"| {page['p95_ms']:.1f} ms "
                f"| {page['queries']}{_verdict(page['queries'], queries)} |"
            )
        sweep = result["sweep"]
        compile_s = result["compile"]["median_ms"] / 1000
        lines += [
            "",
            "- Detail page: the inquiry with the longest history "
            f"({result['detail_history_rows']} steps).",
            f"- Annual report compile (sections a–h, busiest agency): {compile_s:.2f} s"
            f"{_verdict(compile_s, target.get('compile_s'))}; its PDF: "
            f"{result['pdf']['median_ms'] / 1000:.2f} s.",
            f"- Sweep with nothing due: {sweep['idle_median_ms']:.1f} ms median of 30"
            f"{_verdict(sweep['idle_median_ms'], target.get('sweep_idle_ms'))}.",
        ]
        limit = target.get("sweep_catch_up_s")
        for name, label in (("due_10000", "due at once"), ("catch_up_4000", "catch-up")):
            run = sweep[name]
            lines.append(
                f"- Sweep, {run['rows']:,} forwardings {label}: {run['seconds']:.2f} s"
                f"{_verdict(run['seconds'], limit if name == 'catch_up_4000' else None)}, "
                f"{run['notices']:,} notices; the sweep right after sends "
                f"{run['second_sweep_notices']}."
            )
        lines.append(
            f"- CSV import: {result['import']['rows']:,} inquiries in "
            f"{result['import']['seconds']:.1f} s "
            f"({result['import']['rows_per_second']:.0f} rows/s)."
        )
        slowest = max(
            (
                name
                for name in result
                if isinstance(result[name], dict) and "slowest_sql_ms" in result[name]
            ),
            key=lambda name: result[name]["slowest_sql_ms"],
        )
        lines += [
            "",
            f"Slowest query of the slowest page here ({slowest}, "
            f"{result[slowest]['slowest_sql_ms']:.1f} ms under EXPLAIN ANALYZE):",
            "",
            "```",
            result[slowest]["slowest_sql"][:1500],
            "```",
            "",
            "```",
            result[slowest]["slowest_plan"],
            "```",
            "",
        ]
        lines.append("<details><summary>The slowest query of every page</summary>\n")
        for name in result:
            if isinstance(result[name], dict) and "slowest_plan" in result[name]:
                lines += [
                    f"**{name}** ({result[name]['slowest_sql_ms']:.1f} ms)",
                    "",
                    "```",
                    result[name]["slowest_plan"],
                    "```",
                    "",
                ]
        lines.append("</details>\n")
    lines.append(f"<!-- {MARKER}:end -->")
    return "\n".join(lines)


def main() -> None:
    # Production settings, but plain HTTP for the test client.
    os.environ.update(
        {
            "DJANGO_DEBUG": "False",
            "DJANGO_SECRET_KEY": "scale-bench-" + "x" * 50,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "False",
            "DJANGO_SESSION_COOKIE_SECURE": "False",
            "DJANGO_CSRF_COOKIE_SECURE": "False",
        }
    )
    results = []
    admin_url, name = benchdb.setup()
    try:
        from django.core.management import call_command
        from django.db import connections

        call_command("collectstatic", "--noinput", verbosity=0)  # DEBUG off: the manifest
        for number, size in enumerate(SIZES):
            if number:  # a fresh database for each size
                connections.close_all()
                benchdb._recreate(admin_url, name)
                call_command("migrate", verbosity=0)
            results.append(measure(size))
            out = benchdb.ROOT / "var" / "bench"
            out.mkdir(parents=True, exist_ok=True)
            (out / f"scale-{size}.json").write_text(json.dumps(results[-1], indent=2, default=str))
    finally:
        benchdb.drop(admin_url, name)
    benchdb.write_section(f"<!-- {MARKER}:start -->", f"<!-- {MARKER}:end -->", _section(results))
    print("written to docs/benchmarks.md (scale section)")


if __name__ == "__main__":
    main()
