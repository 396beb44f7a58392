"""Backup and restore (placeholder)."""

import click


@click.command("backup")
@click.argument("dest")
def backup_command(dest):
    """Write one file holding the database and the uploads."""
    raise click.ClickException("not yet")


@click.command("restore")
@click.argument("src")
@click.option("--yes", is_flag=True)
def restore_command(src, yes):
    """Put a backup back."""
    raise click.ClickException("not yet")
