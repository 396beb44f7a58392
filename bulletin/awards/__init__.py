"""The commendation registry (sổ theo dõi thi đua, khen thưởng).

One blueprint, `awards`, made here. Its view modules add routes to it when the app factory
imports them: `views` (the list and one award), `decisions`, `scans`, `kinds`, `io_views`
(export and import) and `honour` (the public honour roll). They share services, never each
other: `scope` (what the account may see), `records` (checking and writing awards), `queries`,
`history`, `forms`, `spreadsheets` and the `importing` package.
"""

from flask import Blueprint

bp = Blueprint("awards", __name__)
