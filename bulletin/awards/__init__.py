"""The commendation registry (sổ theo dõi thi đua, khen thưởng).

One blueprint, `awards`, made here. Its view modules add routes to it when the app factory
imports them: `views` (the list and one award), `decisions`, `scans`, `kinds`, `io_views`
(export and import) and `honour` (the public honour roll). They share services, never each
other: `scope` (what the account may see), `records` (checking awards; the one module that
writes them and their history), `reading` (one row read into checked values), `batches` (a
decision typed with its recipients), `queries`, `history`, `catalog`, `labels`, `forms`,
`spreadsheets` and the `importing` package.
"""

from flask import Blueprint

bp = Blueprint("awards", __name__)
