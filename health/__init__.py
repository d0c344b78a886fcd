"""Operational health: the beat heartbeat and ``/healthz``.

A separate app because it belongs to no domain: it needs a model (the heartbeat row
that beat's task writes, shared by every web process through the database), a task
and a view, and every other app is a part of the regulation.
"""
