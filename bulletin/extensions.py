"""Flask extensions, created unbound here and bound to the app in `create_app`.

Flask-Migrate is bound by `bulletin.migrating`, which imports it only when it is used.
"""

from flask_babel import Babel
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from bulletin.models.base import Base

db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
