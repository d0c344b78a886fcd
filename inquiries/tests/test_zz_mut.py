from inquiries.tests.test_concurrency import *  # noqa
from inquiries import flow as _flow
from inquiries.models import Inquiry as _I

def test_mut(inquiry, officer_a, officer_a2, agency_b, agency_c, monkeypatch):
    monkeypatch.setattr(_flow, "_locked", lambda inq: _I.objects.get(pk=inq.pk))
    test_two_forwards_to_different_agencies.__wrapped__ if hasattr(test_two_forwards_to_different_agencies, "__wrapped__") else None
    test_two_forwards_to_different_agencies(together, inquiry, officer_a, officer_a2, agency_b, agency_c)
