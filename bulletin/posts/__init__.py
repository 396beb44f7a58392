"""Posts: public reading (`views`, `feeds`) and staff editing (`editor`, `saving`).

One blueprint, `posts`, made here; `views` and `editor` add their routes to it when the app
factory imports them.
"""

from flask import Blueprint

bp = Blueprint("posts", __name__)
