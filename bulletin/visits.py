"""Visit statistics (placeholder until the visits module lands)."""

from flask import Blueprint, Flask, jsonify

bp = Blueprint("visits", __name__)


def current_stats() -> dict:
    """Return the widget figures."""
    return {"online": 0, "today": 0, "week": 0, "total": 0}


@bp.get("/stats/visits")
def stats():
    """The widget's figures as JSON."""
    return jsonify(current_stats())


def init_app(app: Flask) -> None:
    """Install the visit counter."""
