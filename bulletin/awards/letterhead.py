"""What every paper of the registry prints at its top and bottom (Nghị định 30/2020, Phụ lục I).

The heading block: the issuing body in upper case, in two lines ("ỦY BAN NHÂN DÂN" over
"XÃ TÂN LẬP"; or the governing body over the issuing one), the national heading and motto, the
number, the place and date; at the bottom the signature block (TM./KT./Q./TL., the title, the
name). Decisions give a typed issuer ("Chủ tịch UBND xã Tân Lập"); reports give the site's
identity and an organization. Pure text functions: the views and templates share them.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from bulletin.models import Decision, Organization
from bulletin.site import Identity

MODE_HEADS = {"TM": "TM.", "KT": "KT.", "Q": "Q.", "TL": "TL."}
# Abbreviations a secretary types, as a heading spells them out.
_EXPANSIONS = (
    (r"\bUBND\b", "Ủy ban nhân dân"),
    (r"\bHĐND\b", "Hội đồng nhân dân"),
    (r"\b(UB|Ủy ban)\s+MTTQ(\s+(VN|Việt Nam))?\b", "Ủy ban Mặt trận Tổ quốc Việt Nam"),
    (r"\bMTTQ(\s+(VN|Việt Nam))?\b", "Mặt trận Tổ quốc Việt Nam"),
    (r"\bBCH\b", "Ban Chấp hành"),
)
# The words a place name starts with: the heading's second line starts there.
_PLACE = re.compile(r"\s(?=(xã|phường|đặc khu|thị trấn|huyện|quận|thị xã|tỉnh|thành phố)\s)",
                    re.IGNORECASE)
_TITLES = ("Chủ tịch ", "Phó Chủ tịch ", "Trưởng ban ", "Bí thư ", "Giám đốc ")


@dataclass
class Heading:
    """The heading block's left column: a governing body (regular) over the issuing body
    (bold, one or two lines)."""

    body_lines: list[str]
    parent: str = ""

    @property
    def body_name(self) -> str:
        """The issuing body on one line (for the title bar and older includes)."""
        return " ".join(self.body_lines)


@dataclass
class Signature:
    """The signature block of a paper: its mode line, the title, the name."""

    mode_line: str
    title: str
    name: str
    others: list[str] = field(default_factory=list)


def upper(text: str) -> str:
    """Upper case as printed headings are (Vietnamese letters included)."""
    return (text or "").upper()


def spelled_out(text: str) -> str:
    """A typed body with its abbreviations spelled out: "UBND xã X" → "Ủy ban nhân dân xã X"."""
    text = " ".join((text or "").split())
    for pattern, words in _EXPANSIONS:
        text = re.sub(pattern, words, text)
    return text


def issuing_body(issuer: str) -> str:
    """The issuing body as the heading names it: "Chủ tịch UBND xã X" → "UBND xã X"."""
    text = (issuer or "").strip()
    for title in _TITLES:
        if text.lower().startswith(title.lower()):
            return text[len(title):]
    return text


def heading_body(issuer: str) -> str:
    """The body a heading names: the issuing body, a standing committee's own committee
    ("Ban Thường trực Ủy ban MTTQ xã X" → "Ủy ban MTTQ xã X")."""
    text = issuing_body(issuer)
    for collective in ("Ban Thường trực ", "Thường trực "):
        if text.lower().startswith(collective.lower()):
            return text[len(collective):]
    return text


def split_name(name: str) -> list[str]:
    """A body's name over two lines, cut before its place: ["Ủy ban nhân dân", "xã Tân Lập"]."""
    text = spelled_out(name)
    match = _PLACE.search(text)
    if match is None or match.start() == 0:
        return [text] if text else []
    return [text[:match.start()], text[match.end():]]


def decision_heading(decision: Decision) -> Heading:
    """The heading of a decision's papers, from its typed issuer."""
    return Heading(split_name(heading_body(decision.issuer)))


def site_heading(site: Identity, org: Organization | None = None) -> Heading:
    """The heading of a report: the site's committee and commune, or an organization under
    them (the organization is the issuing body, the committee its governing body)."""
    lines = [part for part in (site.committee_name, site.locality_name) if part.strip()]
    if org is None:
        return Heading([spelled_out(line) for line in lines] or [""])
    parent = spelled_out(" ".join(lines))
    if org.parent is not None:
        parent = org.parent.name
    return Heading(split_name(org.name) if _PLACE.search(org.name) else [org.name], parent)


def place_name(heading: Heading, site: Identity | None = None) -> str:
    """The place a paper is dated at: "xã Tân Lập" → "Tân Lập"."""
    candidates = [heading.body_lines[-1] if heading.body_lines else ""]
    if site is not None:
        candidates.append(site.locality_name)
    for text in candidates:
        match = re.match(r"^\s*(xã|phường|đặc khu|thị trấn|huyện|quận|thị xã|tỉnh|thành phố)\s+"
                         r"(.+)$", text or "", re.IGNORECASE)
        if match:
            return match.group(2).strip()
    return ""


def dated(day: date) -> str:
    """The date as a paper writes it: days below 10 and months 1–2 take a leading zero."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_and_date(place: str, day: date) -> str:
    """ "Tân Lập, ngày 20 tháng 01 năm 2026" (the date alone when the place is unknown)."""
    text = dated(day)
    return f"{place}, {text}" if place else text[0].upper() + text[1:]


def authority(decision: Decision) -> str:
    """Who decides, as the line under the title says it: "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ X"."""
    return upper(spelled_out(decision.issuer))


def signature(decision: Decision) -> Signature:
    """The signing mode line (TM./KT./Q./TL.), the signer's title and name."""
    title = decision.signer_title or ""
    mode = decision.signing_mode
    if mode == "TM":
        line = f"TM. {upper(spelled_out(issuing_body(decision.issuer)))}"
    elif mode == "KT":
        line = f"KT. {upper(title.removeprefix('Phó ').removeprefix('phó '))}"
    elif mode in MODE_HEADS:
        line = f"{MODE_HEADS[mode]} {upper(title)}"
        title = ""
    else:
        line = ""
    return Signature(line, upper(title), decision.signer)
