"""Visit statistics and post views ("Lượt xem"), one job a module.

A visitor is a browser holding a random long-lived cookie; only a hash of it is stored. A visit
is one visitor on one day in Asia/Ho_Chi_Minh.

- `rules`: what counts (crawlers, pages), the visitor's hash, days and weeks in Vietnam;
- `stores`: the database side and the Redis side;
- `buffer`: one process's buffer, its flusher thread, the figures read back (`counter()`);
- `web`: the Flask glue — counting each page view, the widget's figures as late fills of the
  page cache, the `/stats/visits` blueprint, `init_app`.
"""

from bulletin.visits.buffer import counter
from bulletin.visits.rules import COOKIE_NAME, is_bot, local_day
from bulletin.visits.stores import post_views
from bulletin.visits.web import bp, current_stats, init_app, note_view

__all__ = ["COOKIE_NAME", "bp", "counter", "current_stats", "init_app", "is_bot", "local_day",
           "note_view", "post_views"]
