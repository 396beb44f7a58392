"""Flask-Migrate, bound to the app only when a migration or `flask db` needs it.

Flask-Migrate imports Alembic, and Alembic imports Mako and Pygments: about 11 MB in every
gunicorn worker, for code a worker never runs once the schema is current (`database.prepare`
checks that with one query). The app starts with a stand-in for Flask-Migrate's settings that
binds the real extension the first time anything reads them (an upgrade, `env.py`); an app
loaded by the command line binds it at once, so `flask db …` is there.
"""

import click
from flask import Flask

from bulletin.extensions import db


class LazySettings:
    """Stands in for `app.extensions["migrate"]` until something reads it."""

    def __init__(self, app: Flask, **options):
        self.app = app
        self.options = options

    def __getattr__(self, name: str):
        """Bind Flask-Migrate, then answer from its own settings."""
        return getattr(bind(self.app), name)


def init_app(app: Flask, **options) -> None:
    """Give the app Flask-Migrate's settings without importing it (the command line: at once)."""
    app.extensions["migrate"] = LazySettings(app, **options)
    if click.get_current_context(silent=True) is not None:
        bind(app)


def bind(app: Flask):
    """Bind Flask-Migrate to `app` once (which adds `flask db`); return its settings."""
    settings = app.extensions.get("migrate")
    if isinstance(settings, LazySettings):
        from flask_migrate import Migrate

        Migrate(app, db, **settings.options)
        settings = app.extensions["migrate"]
    return settings
