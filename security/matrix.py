"""The expected answer to a GET of every named URL, for every role.

Each URL is opened with agency A's object (see :mod:`security.urlmap`). The roles are
those of the root ``conftest.py``: agency A's petugas and pejabat, agency B's petugas, the
Diskominfo evaluator, the Pimpinan (the Bupati's office), the administrator and a
signed-in user with no role; and an anonymous visitor.

Outcomes: an HTTP status, or :data:`LOGIN` (302 to the portal's sign-in page, with
``next``), :data:`ADMIN_LOGIN` (302 to the admin's), :data:`REDIRECT` (302 to a page of
the portal that is not a sign-in page).

Every expectation below was written from the regulation and the role rules of
``accounts/access.py``, not copied from the app: agency roles read and write their own
agency only (another agency's object does not exist for them: 404); the evaluator and the
Pimpinan read every agency and write none (403 on a write page); the administrator does
everything; a user with no role sees nothing; state changes are POST-only (405 on GET).
"""

from dataclasses import dataclass

from .constants import ROLES

LOGIN = "login"
ADMIN_LOGIN = "admin-login"
REDIRECT = "redirect"


def row(*outcomes) -> dict[str, object]:
    """Outcomes in the order of :data:`ROLES`."""
    return dict(zip(ROLES, outcomes, strict=True))


#                 anon   off_a pej_a off_b eval  pimp  admin outsider
SIGNED_IN = row(LOGIN, 200, 200, 200, 200, 200, 200, 200)
# One of agency A's objects: A reads it, B and the roleless do not see it exist.
READ_A = row(LOGIN, 200, 200, 404, 200, 200, 200, 404)
# A write page of one of agency A's objects: read-only roles are refused.
EDIT_A = row(LOGIN, 200, 200, 404, 403, 403, 200, 404)
# A page that creates a record for the user's own agency (the administrator chooses one).
CREATE = row(LOGIN, 200, 200, 200, 403, 403, 200, 403)
# A state change: POST only, and the sign-in comes first.
POST_ONLY = row(LOGIN, 405, 405, 405, 405, 405, 405, 405)
# The regency's own pages (dashboard, Pimpinan view, regency report).
REGENCY = row(LOGIN, 403, 403, 403, 200, 200, 200, 403)
# Diskominfo's evaluation work and settings.
EVALUATOR = row(LOGIN, 403, 403, 403, 200, 403, 200, 403)
# Subject requests of citizens (UU 27/2022): Diskominfo's evaluators alone.
EVALUATOR_ONLY = row(LOGIN, 403, 403, 403, 200, 403, 403, 403)
# Public pages (tracking, the API's schema and documentation).
PUBLIC = row(200, 200, 200, 200, 200, 200, 200, 200)
# The integration API: no token is 401; a portal session is refused (403, no CSRF risk).
API = row(401, 403, 403, 403, 403, 403, 403, 403)
# Pages of an agency's own integration tokens: its petugas and pejabat only.
TOKENS = row(LOGIN, 200, 200, 200, 403, 403, 403, 403)
# The admin: staff only (only the administrator is staff in the cast).
ADMIN = row(
    ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200, ADMIN_LOGIN
)


@dataclass(frozen=True)
class Expect:
    outcomes: dict[str, object]
    query: str = ""  # added to the address (a required parameter)
    note: str = ""


MATRIX: dict[str, Expect] = {
    # --- accounts/urls.py ------------------------------------------------------------
    "home": Expect(SIGNED_IN),
    # Signed-in users are sent on to the home page.
    "login": Expect(row(200, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT)),
    # The second step of signing in (evaluators, administrators): only during a pending
    # sign-in; otherwise back to the password form.
    "login_code": Expect(row(LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN)),
    "login_enrol": Expect(row(LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN)),
    "logout": Expect(row(405, 405, 405, 405, 405, 405, 405, 405), note="POST only (Django 5)"),
    "password_change": Expect(SIGNED_IN),
    "password_change_done": Expect(SIGNED_IN),
    # --- accounts/registry_urls.py ---------------------------------------------------
    "accounts:agency_list": Expect(SIGNED_IN),
    "accounts:agency_detail": Expect(READ_A),
    # Petugas and pejabat keep their agency's profile (Pasal 1 angka 4).
    "accounts:agency_edit": Expect(EDIT_A),
    "accounts:account_list": Expect(SIGNED_IN),
    "accounts:account_create": Expect(CREATE),
    "accounts:account_edit": Expect(EDIT_A),
    "accounts:account_status": Expect(POST_ONLY),
    "accounts:decree_list": Expect(SIGNED_IN),
    "accounts:decree_create": Expect(CREATE),
    "accounts:decree_detail": Expect(READ_A),
    "accounts:decree_edit": Expect(EDIT_A),
    "accounts:decree_file": Expect(READ_A),
    "accounts:appointment_list": Expect(SIGNED_IN),
    "accounts:appointment_create": Expect(CREATE),
    "accounts:appointment_end": Expect(POST_ONLY),
    "accounts:sop_list": Expect(SIGNED_IN),
    "accounts:sop_create": Expect(CREATE),
    "accounts:sop_file": Expect(READ_A),
    # Every visible agency (none for the roleless): the content is scoped, not the page.
    "accounts:registry_export": Expect(SIGNED_IN),
    "accounts:ethics": Expect(SIGNED_IN),
    # --- health -----------------------------------------------------------------------
    "healthz": Expect(PUBLIC, note="operations: states only, no data"),
    # --- notifications ---------------------------------------------------------------
    "notifications:list": Expect(SIGNED_IN),
    "notifications:read": Expect(POST_ONLY),
    "notifications:read_all": Expect(POST_ONLY),
    # --- inquiries/token_urls.py -----------------------------------------------------
    "tokens:list": Expect(TOKENS),
    "tokens:create": Expect(POST_ONLY),
    # Only a pejabat revokes; a petugas is refused before the token is looked up, so
    # agency B's petugas learns nothing from the id (403 for any id).
    "tokens:revoke": Expect(row(LOGIN, 403, 200, 403, 403, 403, 403, 403)),
    # --- inquiries/urls.py ---------------------------------------------------------
    "inquiries:inbox": Expect(SIGNED_IN),
    "inquiries:deadline_board": Expect(SIGNED_IN),
    "inquiries:deadline_calendar": Expect(EVALUATOR),
    "inquiries:deadline_list": Expect(SIGNED_IN),
    "inquiries:create": Expect(CREATE),
    "inquiries:import": Expect(CREATE),
    # A blank template with the user's own agency's account as the example: no data of
    # another agency, so every signed-in user may download it.
    "inquiries:import_template": Expect(SIGNED_IN),
    "inquiries:detail": Expect(READ_A),
    "inquiries:answer_directly": Expect(POST_ONLY),
    "inquiries:forward": Expect(POST_ONLY),
    "inquiries:reply": Expect(POST_ONLY),
    "inquiries:reroute": Expect(POST_ONLY),
    "inquiries:answer_public": Expect(POST_ONLY),
    "inquiries:close": Expect(POST_ONLY),
    "inquiries:dismiss": Expect(POST_ONLY),
    # Citizens masked; each role exports its own scope (the roleless has none).
    "inquiries:export": Expect(row(LOGIN, 200, 200, 200, 200, 200, 200, 403)),
    # With names and contacts: evaluators only, for a stated reason (UU 27/2022).
    "inquiries:export_personal": Expect(EVALUATOR_ONLY),
    "inquiries:reveal_contact": Expect(POST_ONLY),
    "inquiries:answer_list": Expect(SIGNED_IN),
    "inquiries:answer_create": Expect(CREATE),
    "inquiries:answer_edit": Expect(EDIT_A),
    "inquiries:answer_approve": Expect(POST_ONLY),
    # --- publications/urls.py ------------------------------------------------------
    "publications:post_list": Expect(SIGNED_IN),
    "publications:post_export": Expect(SIGNED_IN),
    "publications:post_create": Expect(CREATE),
    "publications:calendar": Expect(SIGNED_IN),
    "publications:import": Expect(CREATE),
    "publications:import_template": Expect(CREATE),
    # The fixture post is published, so the regency roles see it.
    "publications:post_detail": Expect(READ_A),
    "publications:post_edit": Expect(EDIT_A),
    "publications:post_submit": Expect(POST_ONLY),
    "publications:post_approve": Expect(POST_ONLY),
    "publications:post_return": Expect(POST_ONLY),
    "publications:post_publish": Expect(POST_ONLY),
    "publications:post_metric": Expect(POST_ONLY),
    # The agency's approval setting: its petugas sees it, its pejabat changes it.
    "publications:policy": Expect(CREATE),
    "publications:audience_list": Expect(SIGNED_IN),
    "publications:audience_create": Expect(CREATE),
    "publications:feedback": Expect(SIGNED_IN),
    "publications:recommendation_list": Expect(SIGNED_IN),
    # Recommendations are the pejabat's (Pasal 8 huruf h-j); the administrator first
    # chooses the agency.
    "publications:recommendation_create": Expect(row(LOGIN, 403, 200, 403, 403, 403, 200, 403)),
    "publications:recommendation_edit": Expect(row(LOGIN, 403, 200, 404, 403, 403, 200, 404)),
    # --- reports/urls.py -----------------------------------------------------------
    "reports:report_list": Expect(SIGNED_IN),
    # GET only shows the list again (the form is on the list): a writer is sent there.
    "reports:report_create": Expect(row(LOGIN, REDIRECT, REDIRECT, REDIRECT, 403, 403, 200, 403)),
    "reports:report_detail": Expect(READ_A),
    "reports:report_edit": Expect(EDIT_A),
    "reports:report_submit": Expect(POST_ONLY),
    "reports:evaluation_start": Expect(POST_ONLY),
    "reports:evaluation_edit": Expect(EVALUATOR),
    "reports:report_return": Expect(POST_ONLY),
    "reports:report_send": Expect(POST_ONLY),
    "reports:file_request": Expect(POST_ONLY),
    "reports:file_status": Expect(READ_A),
    "reports:file_download": Expect(READ_A),
    "reports:dashboard": Expect(REGENCY),
    "reports:dashboard_inquiries": Expect(REGENCY, query="?angka=diterima"),
    "reports:pimpinan": Expect(REGENCY),
    "reports:regency": Expect(REGENCY),
    "reports:regency_export": Expect(REGENCY),
    "reports:regency_file_request": Expect(POST_ONLY),
    "reports:regency_file_status": Expect(REGENCY),
    "reports:table_export": Expect(READ_A),
    # --- privacy/urls.py: subject requests are the evaluators' (UU 27/2022) ----------
    "privacy:request_list": Expect(EVALUATOR_ONLY),
    "privacy:request_create": Expect(EVALUATOR_ONLY),
    "privacy:request_detail": Expect(EVALUATOR_ONLY),
    "privacy:request_export": Expect(EVALUATOR_ONLY),
    "privacy:request_correct": Expect(POST_ONLY),
    "privacy:request_erase": Expect(POST_ONLY),
    "privacy:request_close": Expect(POST_ONLY),
    # The record of processing is for everyone signed in.
    "privacy:processing_record": Expect(SIGNED_IN),
    "privacy:processing_record_pdf": Expect(SIGNED_IN),
    # --- regulation/urls.py: the regulation article by article, for everyone signed in
    "regulation:regulation": Expect(SIGNED_IN),
    # --- audit/urls.py ---------------------------------------------------------------
    "audit:log": Expect(EVALUATOR),
    # --- inquiries/public_urls.py: no sign-in, nothing personal (see test_privacy) ----
    "tracking:form": Expect(PUBLIC),
    "tracking:detail": Expect(PUBLIC),
    # --- inquiries/api ---------------------------------------------------------------
    "api:v1:inquiry-list": Expect(API),
    "api:v1:inquiry-detail": Expect(API),
    "api:v1:channel-list": Expect(API),
    "api:schema": Expect(PUBLIC, note="describes the API, holds no data"),
    "api:docs": Expect(PUBLIC),
    # --- katingan_sosmed/urls.py ---------------------------------------------------
    # GET changes nothing and goes back (the language is set by POST).
    "set_language": Expect(
        row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT)
    ),
    # The admin's entry points; every other admin:* name is covered by ADMIN_GROUP.
    # The admin signs in through the portal's login (with its second factor); a signed-in
    # user without admin access is refused rather than sent round in a loop.
    "admin:login": Expect(row(LOGIN, 403, 403, 403, 403, 403, REDIRECT, 403)),
    # Django's admin sends non-staff from its logout to its index; staff must POST.
    "admin:logout": Expect(
        row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, 405, REDIRECT)
    ),
    "admin:index": Expect(ADMIN),
}

# Every other name in the admin's namespace: staff only (non-staff are sent to the admin's
# sign-in before any object is looked up).
ADMIN_GROUP = "admin:"
