"""The commendation cycle's forms: an organization's proposal with its rows, the council's
verdicts on them, a proposal sent back, and the council's meeting.

A proposal's rows are the decision form's rows (`RecipientRow`), named `recipients-N-<field>`
as on /awards/decisions/new, so the paste box, the defaults and the rules' warnings read them
the same way.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from bulletin.awards.forms import MAX_ROWS, ROW_STEP, RecipientRow
from bulletin.forms import BaseForm, SlugSelectField, WTFormsTranslations, clean_text, strip_line

VERDICT_LABELS = {
    "pending": _l("Chưa xét"),
    "accepted": _l("Đồng ý đề nghị"),
    "refused": _l("Không đề nghị"),
}
STATE_LABELS = {
    "draft": _l("Bản nháp"),
    "submitted": _l("Đã gửi Hội đồng"),
    "returned": _l("Bị trả lại"),
    "decided": _l("Đã có quyết định"),
}


class ProposalForm(BaseForm):
    """An organization's proposal (tờ trình and danh sách đề nghị) with its rows."""

    organization = SlugSelectField(_l("Tổ chức đề nghị"), validate_choice=False)
    year = StringField(_l("Năm thành tích"), filters=[strip_line])
    kind = SlugSelectField(_l("Hình thức khen thưởng (mặc định)"), validate_choice=False)
    achievement = TextAreaField(_l("Thành tích (mặc định)"), filters=[clean_text])
    amount = StringField(_l("Tiền thưởng mỗi dòng (mặc định)"), filters=[strip_line])
    campaign = StringField(_l("Phong trào, đợt thi đua"), filters=[strip_line],
                           validators=[Length(max=300)])
    number = StringField(_l("Số tờ trình"), filters=[strip_line], validators=[Length(max=60)])
    dated = StringField(_l("Ngày tờ trình"), filters=[strip_line])
    signer = StringField(_l("Người ký tờ trình"), filters=[strip_line],
                         validators=[Length(max=200)])
    signer_title = StringField(_l("Chức vụ người ký"), filters=[strip_line],
                               validators=[Length(max=200)])
    scan = FileField(_l("Bản chụp tờ trình hoặc biên bản đã ký (PDF, JPG, PNG)"))
    paste = TextAreaField(_l("Dán danh sách từ Excel"))
    fill_rows = SubmitField(_l("Điền vào các dòng"))
    fill_amounts = SubmitField(_l("Điền tiền thưởng theo quy định"))
    recipients = FieldList(FormField(RecipientRow), min_entries=ROW_STEP, max_entries=MAX_ROWS)
    add_rows = SubmitField(_l("Thêm dòng"))
    check_rules = SubmitField(_l("Kiểm tra theo quy định"))

    def add_empty_rows(self) -> None:
        """Offer more empty rows, keeping what was typed."""
        for _ in range(min(ROW_STEP, MAX_ROWS - len(self.recipients.entries))):
            self.recipients.append_entry()


class ReasonForm(BaseForm):
    """Send a proposal back to its organization, saying why."""

    reason = TextAreaField(_l("Lý do trả lại"), filters=[clean_text], validators=[
        DataRequired(_l("Nhập lý do trả lại để tổ chức biết cần sửa gì.")), Length(max=2000)])


class MeetingForm(BaseForm):
    """The council's meeting: when, where, who; the votes per row are read beside it."""

    held_on = StringField(_l("Ngày họp"), filters=[strip_line])
    place = StringField(_l("Địa điểm"), filters=[strip_line], validators=[Length(max=200)])
    chair = StringField(_l("Chủ trì"), filters=[strip_line], validators=[
        DataRequired(_l("Nhập người chủ trì cuộc họp.")), Length(max=200)])
    clerk = StringField(_l("Thư ký cuộc họp"), filters=[strip_line],
                        validators=[Length(max=200)])
    members_present = TextAreaField(_l("Thành viên có mặt (mỗi người một dòng)"),
                                    validators=[Length(max=5000)])
    members_total = IntegerField(_l("Tổng số thành viên Hội đồng"),
                                 validators=[Optional(), NumberRange(1, 200)])
    notes = TextAreaField(_l("Ý kiến, kết luận"), filters=[clean_text],
                          validators=[Length(max=5000)])


class _RowForm(Form):
    """A line of a table form (no CSRF of its own), in the reader's language."""

    class Meta:
        """Speak the reader's language, like BaseForm (rows are plain forms)."""

        def get_translations(self, form):
            """Return the translations for this request."""
            return WTFormsTranslations()


class VerdictRow(_RowForm):
    """The council's verdict on one proposed row."""

    row_id = HiddenField()
    verdict = SelectField(_l("Ý kiến Hội đồng"), validate_choice=False, choices=[
        SelectChoice(code, label) for code, label in VERDICT_LABELS.items()])
    reason = StringField(_l("Lý do không đề nghị"), filters=[strip_line],
                         validators=[Length(max=2000)])


class VerdictForm(BaseForm):
    """Every row of one proposal judged at once."""

    rows = FieldList(FormField(VerdictRow), max_entries=MAX_ROWS)


class VoteRow(_RowForm):
    """The council's vote on one row, at its meeting."""

    row_id = HiddenField()
    votes_for = IntegerField(_l("Tán thành"), validators=[Optional(), NumberRange(0, 200)])
    votes_against = IntegerField(_l("Không tán thành"),
                                 validators=[Optional(), NumberRange(0, 200)])


class VotesForm(MeetingForm):
    """A meeting with the votes on every row it considered."""

    votes = FieldList(FormField(VoteRow), max_entries=2000)
