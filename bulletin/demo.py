"""Demo content (placeholder)."""

import click


@click.command("seed-demo")
@click.option("--posts", default=30)
@click.option("--awards", default=0)
def seed_demo(posts, awards):
    """Create the standard organizations and sample content."""
    raise click.ClickException("not yet")
