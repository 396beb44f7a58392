"""Certificates (giấy khen): one A4 landscape page per recipient in force, on plain paper
with every text, or onto bought pre-printed blanks with only the variable texts, each at a
position the secretary adjusts (millimetres from the page's top, plus a shift of the whole
print), remembered in the site settings (`certificate_layout`, a JSON map).
"""

import json
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DecimalField
from wtforms.validators import InputRequired, NumberRange

from bulletin.awards.letterhead import authority, dated, upper
from bulletin.forms import BaseForm
from bulletin.models import Award, SiteSettings
from bulletin.permissions import can_use_registry, registry_org_ids

# The texts a blank certificate receives, top to bottom, with their default height on an
# A4 landscape page (mm from the top edge) and the label the form gives them.
FIELDS = {
    "authority": (52, _l("Cơ quan tặng (CHỦ TỊCH …)")),
    "name": (86, _l("Tên người, tập thể được khen")),
    "unit": (100, _l("Chức vụ, đơn vị")),
    "achievement": (112, _l("Thành tích")),
    "decision": (172, _l("Số, ngày quyết định (bên trái)")),
    "place_date": (150, _l("Nơi, ngày tháng (bên phải)")),
    "signer": (158, _l("Chức danh người ký (bên phải)")),
    "signer_name": (190, _l("Họ tên người ký (bên phải)")),
}
SHIFT_LIMIT = 40
PAGE_HEIGHT = 210


def can_adjust_certificates(user) -> bool:
    """The registry's own secretaries (made without --org) and admins set the positions."""
    return can_use_registry(user) and registry_org_ids(user) is None


def layout_of(row: SiteSettings | None) -> dict[str, float]:
    """The remembered positions, defaults for any missing or unreadable value."""
    try:
        stored = json.loads(row.certificate_layout) if row is not None else {}
    except (TypeError, ValueError):
        stored = {}
    if not isinstance(stored, dict):
        stored = {}
    layout = {"dx": 0.0, "dy": 0.0} | {key: float(top) for key, (top, _label) in FIELDS.items()}
    for key in layout:
        value = stored.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            layout[key] = float(value)
    return layout


class MillimetreField(DecimalField):
    """A number of millimetres, read with a decimal comma too ("3,5")."""

    def process_formdata(self, valuelist):
        """Read "3,5" as 3.5 before the usual parsing."""
        super().process_formdata([value.replace(",", ".").strip() for value in valuelist])


def _number(label, low: float, high: float) -> DecimalField:
    """A millimetre field between low and high, with its Vietnamese message."""
    return MillimetreField(label, places=1, validators=[
        InputRequired(_l("Nhập một số milimét.")),
        NumberRange(low, high, _l("Nhập một số từ %(min)s đến %(max)s mm."))])


class CertificateLayoutForm(BaseForm):
    """Where the texts land on a pre-printed certificate (mm)."""

    dx = _number(_l("Dịch cả trang sang phải (mm, âm: sang trái)"), -SHIFT_LIMIT, SHIFT_LIMIT)
    dy = _number(_l("Dịch cả trang xuống dưới (mm, âm: lên trên)"), -SHIFT_LIMIT, SHIFT_LIMIT)
    authority = _number(FIELDS["authority"][1], 0, PAGE_HEIGHT)
    name = _number(FIELDS["name"][1], 0, PAGE_HEIGHT)
    unit = _number(FIELDS["unit"][1], 0, PAGE_HEIGHT)
    achievement = _number(FIELDS["achievement"][1], 0, PAGE_HEIGHT)
    decision = _number(FIELDS["decision"][1], 0, PAGE_HEIGHT)
    place_date = _number(FIELDS["place_date"][1], 0, PAGE_HEIGHT)
    signer = _number(FIELDS["signer"][1], 0, PAGE_HEIGHT)
    signer_name = _number(FIELDS["signer_name"][1], 0, PAGE_HEIGHT)

    def layout(self) -> dict[str, float]:
        """The checked values as the settings keep them."""
        return {key: float(getattr(self, key).data) for key in ("dx", "dy", *FIELDS)}


def save_layout(row: SiteSettings, layout: dict[str, float]) -> None:
    """Remember the positions on the settings row (the view commits)."""
    row.certificate_layout = json.dumps(layout, sort_keys=True)


@dataclass
class Certificate:
    """The texts of one recipient's certificate."""

    award: Award
    heading_word: str
    title_word: str
    kind_line: str
    authority: str
    name: str
    unit: str
    achievement: str
    decision_line: str


def _greeting(award: Award) -> str:
    """ "Ông"/"Bà" before a person's name when the sex is recorded."""
    if award.recipient_type != "individual":
        return ""
    return {"male": _("Ông"), "female": _("Bà")}.get(award.sex or "", "")


def _achievement(text: str) -> str:
    """The achievement as the certificate words it: "Đã có thành tích …"."""
    text = " ".join((text or "").split()).rstrip(".")
    if not text:
        return ""
    if text.lower().startswith(("đã ", "đạt ")):
        return text[0].upper() + text[1:] + "."
    if text.lower().startswith("có "):
        return _("Đã %(a)s.", a=text[0].lower() + text[1:])
    return _("Đã có thành tích %(a)s.", a=text[0].lower() + text[1:])


def certificate(award: Award) -> Certificate:
    """One recipient's certificate: the heading word of the kind, who, for what, which decision."""
    decision = award.decision
    title = award.kind.category == "emulation_title"
    unit = ", ".join(part for part in (award.recipient_title, award.organization.name) if part)
    name = " ".join(part for part in (_greeting(award), award.recipient_name) if part)
    return Certificate(
        award=award,
        heading_word=_("CÔNG NHẬN DANH HIỆU") if title else _("TẶNG"),
        title_word=upper(award.kind.name),
        kind_line=_("Năm %(y)s", y=award.year) if title and award.kind.is_yearly else "",
        authority=authority(decision), name=name, unit=unit,
        achievement=_achievement(award.achievement),
        decision_line=_("Quyết định số %(n)s %(d)s", n=decision.number,
                        d=dated(decision.signed_on)))
