"""Citizens' personal data under UU 27/2022: subject requests, retention, the record of
processing, and exports of personal data.

Its own app because these duties belong to the regency as data controller, not to any
one step of the work: they read and change the inquiries, write the audit trail, and
describe the settings of every other app. Masking itself stays with the inquiries
(``inquiries.privacy``), where the data is shown.
"""
