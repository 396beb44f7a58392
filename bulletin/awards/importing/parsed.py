"""A sheet as the dry run read it, written as JSON (never pickle) for its confirm.

Cells hold text, numbers, booleans, None, dates and times (what the readers give): JSON
keeps the first ones as they are; a date or time goes as a one-item object naming its type
({"dt": "2024-12-20T00:00:00"}), which no cell holds otherwise.
"""

from collections import Counter
from datetime import date, datetime, time, timedelta

from bulletin.awards.importing.workbook import Sheet, SheetRow

_TO_TEXT = ((datetime, "dt", datetime.isoformat), (date, "d", date.isoformat),
            (time, "t", time.isoformat))
_FROM_TEXT = {"dt": datetime.fromisoformat, "d": date.fromisoformat,
              "t": time.fromisoformat, "td": lambda seconds: timedelta(seconds=seconds)}


def _cell_to_json(value):
    """One cell as JSON."""
    if value is None or isinstance(value, str | int | float):
        return value
    for kind, tag, write in _TO_TEXT:
        if isinstance(value, kind):
            return {tag: write(value)}
    if isinstance(value, timedelta):
        return {"td": value.total_seconds()}
    return str(value)


def _cell_from_json(value):
    """One cell back from JSON."""
    if isinstance(value, dict):
        (tag, text), = value.items()
        return _FROM_TEXT[tag](text)
    return value


def sheet_to_json(sheet: Sheet) -> dict:
    """A sheet as JSON-ready values."""
    return {"title": sheet.title, "header_row": sheet.header_row, "columns": sheet.columns,
            "rows": [[row.number, {k: _cell_to_json(v) for k, v in row.cells.items()},
                      row.converted] for row in sheet.rows],
            "skipped": sheet.skipped,
            "encodings": {k: dict(v) for k, v in sheet.encodings.items()},
            "as_typed": sorted(sheet.as_typed), "tails": sheet.tails, "in_tail": sheet.in_tail}


def sheet_from_json(data: dict) -> Sheet:
    """A sheet back from `sheet_to_json`."""
    return Sheet(
        data["title"], data["header_row"], data["columns"],
        [SheetRow(number, {k: _cell_from_json(v) for k, v in cells.items()},
                  [tuple(item) for item in converted])
         for number, cells, converted in data["rows"]],
        data["skipped"], {k: Counter(v) for k, v in data["encodings"].items()},
        frozenset(data["as_typed"]), data["tails"], data["in_tail"])
