"""A read API for the Region: JSON under /api/v1/ for spaces, published practices, meetings
(their decisions and actions) and the dashboards' figures, opened with personal access tokens
that a person makes, lists and revokes from their account (/profilo/token-api). The same access
rules as the pages: a token reads what its owner may read, and only within its scopes."""
