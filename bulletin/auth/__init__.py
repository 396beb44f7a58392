"""Staff login, sessions and accounts, and the admin pages for accounts and the audit log.

One blueprint, `auth`, made here; `views` (login, own account) and `admin` (`/admin/…`) add
their routes to it when the app factory imports them.
"""

from flask import Blueprint

bp = Blueprint("auth", __name__)
