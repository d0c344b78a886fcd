"""Notices to people: one row per (recipient, deduplication key), shown in the portal
and sent by e-mail from a task.

Its own app because deadlines, decree reminders and report reminders all use it,
and it must import none of them: a notice names its recipient, a key and a link.
"""
