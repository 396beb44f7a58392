"""Rows copied from Excel (tab-separated) and pasted into the decision form, read as
recipients: name, position, achievement, amount; a leading STT column is dropped.
"""

from bulletin.awards.parsing import ValueProblem, parse_amount
from bulletin.text import clean_line, fold

MAX_PASTED = 300
# Folded first words that name a collective rather than a person.
COLLECTIVE_WORDS = ("chi hoi", "chi doan", "to ", "ban ", "thon", "khu ", "tap the",
                    "cong doan", "hoi ", "doan ", "truong", "phong", "xom", "ap ")
HEADER_WORDS = ("ho va ten", "ho ten", "ten", "ten tap the", "stt", "tt")


def recipient_type_of(name: str) -> str:
    """Guess whether a pasted name is a household, a collective or a person."""
    folded = fold(name) + " "
    if folded.startswith("ho "):
        return "household"
    if folded.startswith(COLLECTIVE_WORDS):
        return "collective"
    return "individual"


def parse_pasted(text: str) -> list[dict]:
    """Each non-empty line as a row's fields; header lines are skipped."""
    rows = []
    for line in (text or "").replace("\r\n", "\n").split("\n"):
        cells = [clean_line(cell) for cell in line.split("\t")]
        if cells and cells[0].rstrip(".").isdigit():
            cells = cells[1:]
        if not cells or not cells[0] or fold(cells[0]) in HEADER_WORDS:
            continue
        rows.append(_row(cells))
        if len(rows) >= MAX_PASTED:
            break
    return rows


def _row(cells: list[str]) -> dict:
    """One pasted line's cells as recipient fields."""
    row = {"recipient_name": cells[0], "recipient_type": recipient_type_of(cells[0]),
           "recipient_title": "", "achievement": "", "amount": ""}
    rest = cells[1:]
    if rest and _is_amount(rest[-1]):
        row["amount"] = rest.pop()
    if row["recipient_type"] == "individual" and rest:
        row["recipient_title"] = rest.pop(0)
    row["achievement"] = " ".join(cell for cell in rest if cell)
    return row


def _is_amount(cell: str) -> bool:
    """Whether a cell holds money (300000, 300.000)."""
    try:
        return parse_amount(cell) is not None
    except ValueProblem:
        return False
