"""`flask --app app seed-demo`: the command's options.

The demo's texts, drawn photos (Pillow) and generated documents are loaded when the command
runs, not by every worker that registers the command.
"""

import click
from flask.cli import with_appcontext

DEMO_AWARDS = 80  # sample commendations in the registry by default


@click.command("seed-demo")
@click.option("--posts", type=click.IntRange(min=0), show_default="every handwritten post",
              help="How many posts to add; beyond the handwritten ones they are generated.")
@click.option("--awards", default=DEMO_AWARDS, show_default=True, type=click.IntRange(min=0),
              help="How many sample commendations to record in the registry.")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has posts.")
@click.option("--remove", is_flag=True,
              help="Take away everything the demo made (posts, photos, attachments, awards, "
                   "decisions, proposals), keeping what staff wrote, the organizations, kinds "
                   "and accounts.")
@with_appcontext
def seed_demo(posts: int | None, awards: int, if_empty: bool, remove: bool) -> None:
    """Create the standard organizations and sample content (large --posts for benchmarks),
    or with --remove take the sample content away again."""
    from bulletin.demo import seed

    seed.seed_demo(posts, awards, if_empty, remove)
