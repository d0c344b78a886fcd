"""Posts of the official accounts and their reach (Pasal 8 huruf e, 10 and 15 ayat 3).

Its own app because posts are a capability of their own, beside the registry
(``accounts``) and the public's inquiries (``inquiries``): what the agency publishes,
who approved it, and the figures the annual report counts. It stands on ``accounts``
and imports neither ``inquiries`` nor ``reports``.
"""
