"""Staff login, sessions, two-factor login and accounts (the account pages under /admin/).

One blueprint, `auth`, made here; `views` (login, own account), `two_factor_views` and
`account_views` (`/admin/accounts…`) add their routes to it when the app factory imports them.
The rest of the site administration (organizations, categories, the site's identity, backups,
the audit log) is `bulletin.admin`.
"""

from flask import Blueprint

bp = Blueprint("auth", __name__)
