"""`flask --app app user …`: create, list, disable, enable and reset staff accounts."""

import click
from flask import current_app
from flask.cli import AppGroup

from bulletin import audit
from bulletin.auth import accounts, throttle, two_factor
from bulletin.auth.forms import USERNAME_RE
from bulletin.auth.passwords import MIN_PASSWORD_LENGTH, password_problem
from bulletin.extensions import db
from bulletin.i18n import TIMEZONE
from bulletin.models import ROLES, Organization, User
from bulletin.text import clean_line, name_sort_key

user_group = AppGroup("user", help="Manage staff accounts.")


def _organizations(slugs: tuple[str, ...]) -> list[Organization]:
    """Return the organizations named by slug, or stop with a message listing the valid ones."""
    found = []
    for slug in slugs:
        org = db.session.scalar(db.select(Organization).where(Organization.slug == slug))
        if org is None:
            raise click.BadParameter(f"no organization with slug '{slug}'. The organizations "
                                     f"are: {', '.join(_valid_slugs())}", param_hint="--org")
        found.append(org)
    return found


def _valid_slugs() -> list[str]:
    """Return the slugs of the organizations in use, in the board's order."""
    return list(db.session.scalars(
        db.select(Organization.slug).where(Organization.is_archived.is_(False))
        .order_by(Organization.position, Organization.id)))


def _local_time(moment) -> str:
    """Return a stored UTC time as the pages show it: dd/mm/yyyy HH:MM in Vietnam."""
    return f"{moment.astimezone(TIMEZONE):%d/%m/%Y %H:%M} (UTC+7)" if moment else "-"


def _password(password: str | None, username: str, prompt: str) -> str:
    """Return an acceptable password: the option's, or one asked for until it passes."""

    def check(value: str) -> str:
        """Refuse a password the policy rejects (click asks again at the prompt)."""
        # The messages are translated; the locale needs a request, so make a bare one.
        with current_app.test_request_context():
            problem = password_problem(value, username)
        if problem:
            raise click.BadParameter(problem, param_hint="--password")
        return value

    if password is not None:
        return check(password)
    click.echo(f"The password needs at least {MIN_PASSWORD_LENGTH} characters; "
               "Vietnamese letters and spaces are fine.")
    return click.prompt(prompt, hide_input=True, confirmation_prompt=True, value_proc=check)


@user_group.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True, help="The account's role.")
@click.option("--org", "orgs", multiple=True, help="Organization slug (repeatable).")
@click.option("--password", help="The password; asked for when absent.")
@click.option("--name", "full_name", default="", help="Full name shown on posts.")
def create_user(username, role, orgs, password, full_name):
    """Create a staff account."""
    username = clean_line(username)
    if not USERNAME_RE.match(username):
        raise click.BadParameter(
            "use 1-80 unaccented letters, digits and . _ - @", param_hint="USERNAME"
        )
    if accounts.find_account(username) is not None:
        raise click.ClickException(f"the account '{username}' already exists")
    organizations = _organizations(orgs)
    password = _password(password, username, "Password")
    user = User(username=username, full_name=clean_line(full_name), role=role,
                organizations=organizations)
    accounts.set_password(user, password)
    db.session.add(user)
    db.session.flush()
    audit.record("account.create", "user", user.id, f"{username}: {role}; {', '.join(orgs) or '-'}")
    db.session.commit()
    click.echo(f"created {role} '{username}'")
    if role in ("editor", "secretary") and not orgs:
        note = "cannot write posts yet" if role == "editor" else "manages every organization"
        click.echo(f"note: without --org this {role} {note}")


@user_group.command("list")
def list_users():
    """List the accounts: username, role, state, organizations, full name, last login (in
    Vietnam's time, as the pages show it)."""
    users = sorted(db.session.scalars(db.select(User)).all(),
                   key=lambda u: (name_sort_key(u.full_name or u.username), u.id))
    for user in users:
        orgs = ",".join(org.slug for org in user.organizations) or "-"
        last = _local_time(user.last_login_at)
        state = "enabled" if user.is_enabled else "disabled"
        click.echo("\t".join([user.username, user.role, state, orgs,
                              user.full_name or "-", last]))
    if not users:
        click.echo("no accounts yet")


@user_group.command("disable")
@click.argument("username")
def disable_user(username):
    """Disable an account and end its sessions."""
    user = _get(username)
    accounts.disable(user)
    audit.record("account.disable", "user", user.id, user.username)
    db.session.commit()
    click.echo(f"disabled '{user.username}'")


@user_group.command("enable")
@click.argument("username")
def enable_user(username):
    """Let a disabled account log in again."""
    user = _get(username)
    accounts.enable(user)
    audit.record("account.enable", "user", user.id, user.username)
    db.session.commit()
    click.echo(f"enabled '{user.username}'")


@user_group.command("reset-password")
@click.argument("username")
@click.option("--password", help="The new password; asked for when absent.")
def reset_password(username, password):
    """Set a new password and end the account's sessions."""
    user = _get(username)
    accounts.set_password(user, _password(password, user.username, "New password"))
    audit.record("account.password_reset", "user", user.id, user.username)
    db.session.commit()
    click.echo(f"password of '{user.username}' changed")


@user_group.command("reset-2fa")
@click.argument("username")
def reset_two_factor(username):
    """Remove an account's two-factor app and recovery codes (it logs in with its password)."""
    user = _get(username)
    two_factor.turn_off(user)
    audit.record("account.2fa_reset", "user", user.id, user.username)
    db.session.commit()
    click.echo(f"two-factor login of '{user.username}' reset")


def _get(username: str) -> User:
    """Return the account or stop with a clear message."""
    user = accounts.find_account(username)
    if user is None:
        raise click.ClickException(f"no account '{username}'")
    return user


@user_group.command("unlock")
@click.argument("username", required=False)
@click.option("--address", default=None, help="Lift only the locks of this address.")
def unlock_user(username, address):
    """Lift the login locks of an account (USERNAME), an address (--address), or both."""
    if not (username or address):
        raise click.UsageError("give a USERNAME, an --address, or both")
    forgotten = throttle.unlock(username, address)
    audit.record("login.unlock", "user", detail=f"{username or '*'} @ {address or '*'}")
    db.session.commit()
    click.echo(f"unlocked {username or 'every account'} from {address or 'every address'} "
               f"({forgotten} failed attempts forgotten)")
