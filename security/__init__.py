"""The security suite (issue 9): permissions of every URL, agency isolation, allow-listed
parameters, CSRF, safe redirects, escaping, privacy of public and error pages, security
headers and uploads."""
