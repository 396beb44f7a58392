"""`flask --app app user …`: create, disable and reset staff accounts."""

import click
from flask.cli import AppGroup

from bulletin.auth.passwords import hash_password
from bulletin.extensions import db
from bulletin.models import ROLES, Organization, User
from bulletin.models.user import new_session_token
from bulletin.text import clean_line

user_group = AppGroup("user", help="Manage staff accounts.")

MIN_PASSWORD_LENGTH = 8


def _organizations(slugs: tuple[str, ...]) -> list[Organization]:
    """Return the organizations named by slug, or stop with a clear message."""
    found = []
    for slug in slugs:
        org = db.session.scalar(db.select(Organization).where(Organization.slug == slug))
        if org is None:
            raise click.BadParameter(f"no organization with slug '{slug}'", param_hint="--org")
        found.append(org)
    return found


def _check_password(password: str) -> str:
    """Refuse passwords that are too short."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.BadParameter(
            f"the password needs at least {MIN_PASSWORD_LENGTH} characters",
            param_hint="--password",
        )
    return password


@user_group.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES[1:]), required=True, help="The account's role.")
@click.option("--org", "orgs", multiple=True, help="Organization slug (repeatable).")
@click.option("--password", help="The password; asked for when absent.")
@click.option("--name", "full_name", default="", help="Full name shown on posts.")
def create_user(username, role, orgs, password, full_name):
    """Create a staff account."""
    username = clean_line(username)
    if not username:
        raise click.BadParameter("the username is empty", param_hint="USERNAME")
    if db.session.scalar(db.select(User).where(db.func.lower(User.username) == username.lower())):
        raise click.ClickException(f"the account '{username}' already exists")
    organizations = _organizations(orgs)
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    user = User(
        username=username,
        full_name=clean_line(full_name),
        role=role,
        password_hash=hash_password(_check_password(password)),
        organizations=organizations,
    )
    db.session.add(user)
    db.session.commit()
    click.echo(f"created {role} '{username}'")


@user_group.command("disable")
@click.argument("username")
def disable_user(username):
    """Disable an account and end its sessions."""
    user = _get(username)
    user.is_enabled = False
    user.session_token = new_session_token()
    db.session.commit()
    click.echo(f"disabled '{user.username}'")


@user_group.command("reset-password")
@click.argument("username")
@click.option("--password", help="The new password; asked for when absent.")
def reset_password(username, password):
    """Set a new password and end the account's sessions."""
    user = _get(username)
    if password is None:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    user.password_hash = hash_password(_check_password(password))
    user.session_token = new_session_token()
    db.session.commit()
    click.echo(f"password of '{user.username}' changed")


def _get(username: str) -> User:
    """Return the account or stop with a clear message."""
    user = db.session.scalar(
        db.select(User).where(db.func.lower(User.username) == clean_line(username).lower())
    )
    if user is None:
        raise click.ClickException(f"no account '{username}'")
    return user
