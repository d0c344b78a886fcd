"""The audit trail: who did what to which record, when, and why.

Its own app because every other app writes to it (registry, inquiries, reports)
and it must import none of them; it is append-only, which is easier to guarantee
in one small place.
"""
