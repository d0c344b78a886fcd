"""The REST API for integrations (social listening tools), version 1 under ``/api/v1/``.

It acts for the agency of an integration token and nothing else: there is no
signed-in person, a portal session is refused (403), and every query is narrowed
to the token's agency before anything is read.
"""
