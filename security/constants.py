"""Constants shared by the security suite's fixtures and tests."""

import datetime as dt

# Monday 2 November 2026, 10:00 WIB: agency A's decrees (valid through 2026) are in force,
# the 2026 report may be drafted and the 2025 one is under evaluation.
NOW = dt.datetime(2026, 11, 2, 3, 0, tzinfo=dt.UTC)

SECRET_A = "RAHASIA-A"
MARK_B = "MILIK-B"
SHARED_AB = "TERUSAN-AB"

ROLES = (
    "anonymous",
    "officer_a",
    "pejabat_a",
    "officer_b",
    "evaluator",
    "pimpinan",
    "administrator",
    "outsider",
)
