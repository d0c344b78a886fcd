"""The regulation itself, Perbup Katingan 55/2022, article by article: what each
provision asks, which features carry it out and which tests prove it.

Its own app because it belongs to no feature: every app is traced to it, and none of
them should own the map (``provisions.py``), the page ``/regulasi/`` or the check that
keeps the map true (``checks.py``).
"""
