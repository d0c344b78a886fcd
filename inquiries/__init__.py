"""Inquiries from the public and their forwarding between agencies (Lampiran B)."""
