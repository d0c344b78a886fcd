"""Benchmark and load-test data for the whole portal (issue 11).

Its own app because the data spans every other app (agencies, people, decrees,
accounts, inquiries with their history and forwardings, posts, audience) and belongs
to none of them; it holds only the generator and its command, no models, and refuses
to write into a database that already holds inquiries.
"""
