"""Site administration: organizations and branches, categories, the site's identity, backups
and the audit log, all under /admin/ (plus the logo the site serves).

One blueprint, `admin`, made here; `organizations`, `categories`, `identity`, `backups` and
`audit_log` add their routes to it when the app factory imports them. Staff accounts, logins
and two-factor stay in `bulletin.auth`.
"""

from flask import Blueprint

bp = Blueprint("admin", __name__)
