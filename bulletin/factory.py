"""The application factory: settings, extensions, blueprints, hooks, commands, database."""

from flask import Flask

from bulletin import (
    caching,
    database,
    errors,
    i18n,
    logs,
    media,
    migrating,
    search,
    search_views,
    security,
    sweep,
    templating,
    visits,
)
from bulletin import config as config_module
from bulletin.admin import audit_log as admin_audit_log
from bulletin.admin import backups as admin_backups
from bulletin.admin import bp as admin_bp
from bulletin.admin import categories as admin_categories
from bulletin.admin import identity as admin_identity
from bulletin.admin import organizations as admin_organizations
from bulletin.auth import account_views as auth_account_views
from bulletin.auth import bp as auth_bp
from bulletin.auth import cli as auth_cli
from bulletin.auth import passwords, secret_box, sessions
from bulletin.auth import two_factor_views as auth_two_factor
from bulletin.auth import views as auth_views
from bulletin.awards import bp as awards_bp
from bulletin.awards import council as award_council
from bulletin.awards import decisions as award_decisions
from bulletin.awards import honour as award_honour
from bulletin.awards import io_views as award_io_views
from bulletin.awards import kinds as award_kinds
from bulletin.awards import papers as award_papers
from bulletin.awards import people_views as award_people_views
from bulletin.awards import proposal_views as award_proposal_views
from bulletin.awards import reports as award_reports
from bulletin.awards import rule_views as award_rule_views
from bulletin.awards import scans as award_scans
from bulletin.awards import views as award_views
from bulletin.backup.restoring import restore_command
from bulletin.backup.writing import backup_command
from bulletin.demo.command import seed_demo
from bulletin.extensions import babel, csrf, db, login_manager
from bulletin.posts import bp as posts_bp
from bulletin.posts import editor as posts_editor
from bulletin.posts import views as posts_views

# The modules that add routes to the feature blueprints when imported.
ROUTE_MODULES = {
    posts_bp: (posts_views, posts_editor),
    auth_bp: (auth_views, auth_account_views, auth_two_factor),
    admin_bp: (admin_organizations, admin_categories, admin_identity, admin_backups,
               admin_audit_log),
    awards_bp: (award_views, award_decisions, award_scans, award_kinds, award_io_views,
                award_honour, award_people_views, award_rule_views, award_reports,
                award_papers, award_proposal_views, award_council),
}


def create_app(config: dict | None = None) -> Flask:
    """Create the app: defaults, then the environment, then `config`; bind and register.

    `config` may name INSTANCE_PATH, the folder for the instance's own files (the embedded
    database, keys, markers) instead of `instance/` beside the code: tests keep theirs apart.
    """
    app = Flask(__name__, instance_relative_config=True, template_folder="../templates",
                instance_path=(config or {}).get("INSTANCE_PATH"))
    app.config.from_mapping(config_module.defaults(app.instance_path))
    app.config.from_mapping(config_module.from_environment())
    app.config.from_mapping(config or {})
    finish_config(app)
    security.install_converters(app)
    app.request_class = security.BoundedRequest

    register_extensions(app)
    register_blueprints(app)
    register_hooks(app)
    register_cli(app)
    database.prepare(app)
    return app


def finish_config(app: Flask) -> None:
    """Derive the settings that depend on others."""
    app.config["SQLALCHEMY_DATABASE_URI"] = config_module.database_uri(
        app.config["DATABASE_URL"]
    )
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config_module.instance_secret_key(app.instance_path)
    if app.config["SECURE_COOKIES"]:
        app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = True


def register_extensions(app: Flask) -> None:
    """Bind the unbound extensions to this app."""
    db.init_app(app)
    migrating.init_app(app, directory=database.MIGRATIONS_DIR,
                       include_name=database.include_in_autogenerate)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    login_manager.init_app(app)
    sessions.init_app(app)
    passwords.init_app(app)


def register_blueprints(app: Flask) -> None:
    """Register the feature blueprints and the small cross-cutting ones."""
    for blueprint in ROUTE_MODULES:
        app.register_blueprint(blueprint)
    app.register_blueprint(media.bp)
    app.register_blueprint(visits.bp)
    app.register_blueprint(i18n.bp)
    app.register_blueprint(search_views.bp)
    app.add_url_rule("/healthz", "health", database.healthz)


def register_hooks(app: Flask) -> None:
    """Install request hooks, error pages, template helpers and security headers."""
    security.init_app(app)
    templating.init_app(app)
    errors.init_app(app)
    logs.init_app(app)
    visits.init_app(app)
    caching.init_app(app)  # after visits: its hooks must see the page first


def register_cli(app: Flask) -> None:
    """Add the project's commands to `flask --app app …`."""
    app.cli.add_command(auth_cli.user_group)
    app.cli.add_command(secret_box.rotate_key_command)
    app.cli.add_command(search.search_group)
    app.cli.add_command(seed_demo)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(sweep.sweep_command)
