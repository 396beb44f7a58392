"""The registry's forms: one award, a whole decision with its recipients, the list filters,
and the catalogue of award kinds.

The award fields are plain text where the registry reads them itself (`reading`, with the
parsers of `parsing`), so a wrong value comes back exactly as typed, with the registry's own
Vietnamese message.
"""

import re
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from bulletin.awards import issuers
from bulletin.awards.labels import (
    CATEGORY_LABELS,
    DECISION_TYPE_LABELS,
    RECIPIENT_LABELS,
    SEX_LABELS,
    SIGNING_LABELS,
)
from bulletin.awards.parsing import ValueProblem, parse_amount, parse_date
from bulletin.awards.rules import BODY_LABELS, RULE_LABELS
from bulletin.extensions import db
from bulletin.forms import (
    FALSE_VALUES,
    BaseForm,
    SlugSelectField,
    WTFormsTranslations,
    clean_text,
    strip_line,
)
from bulletin.models import AwardKind, BaseSalary, Post
from bulletin.permissions import can_view_post
from bulletin.security import MAX_ID, parse_int

RECIPIENT_CHOICES = [SelectChoice(value, label) for value, label in RECIPIENT_LABELS.items()]

# How many empty recipient rows a new decision starts with, and "Thêm dòng" adds.
ROW_STEP = 5
MAX_ROWS = 300

_POST_LINK_RE = re.compile(r"/posts/(\d{1,9})(?:[/?#]|$)")


class RecipientFields:
    """Who received what: the fields one award and one row of a decision share."""

    recipient_type = SelectField(_l("Đối tượng"), choices=RECIPIENT_CHOICES,
                                 default="individual", validate_choice=False)
    recipient_name = StringField(_l("Họ và tên / tên tập thể, hộ"), filters=[strip_line])
    recipient_title = StringField(_l("Chức vụ"), filters=[strip_line])
    organization = SlugSelectField(_l("Tổ chức"), validate_choice=False)
    kind = SlugSelectField(_l("Hình thức khen thưởng"), validate_choice=False)
    year = StringField(_l("Năm thành tích"), filters=[strip_line])
    achievement = TextAreaField(_l("Thành tích"), filters=[clean_text])
    amount = StringField(_l("Tiền thưởng (đồng)"), filters=[strip_line])
    # For the statistics the level above asks for (a person only; may stay empty).
    sex = SelectField(_l("Giới tính"), default="", validate_choice=False,
                      choices=[SelectChoice("", _l("—")),
                               *(SelectChoice(code, label) for code, label in SEX_LABELS.items())])
    ethnicity = StringField(_l("Dân tộc"), filters=[strip_line], validators=[Length(max=60)])


def level_field() -> SelectField:
    """The issuing body's level: chosen, or left to be read from the typed issuer."""
    return SelectField(_l("Cấp của cơ quan quyết định"), default="", validate_choice=False,
                       choices=level_choices(None))


def level_choices(on) -> list[SelectChoice]:
    """The levels a decision signed on `on` may have (no district after 30/06/2025)."""
    return [SelectChoice("", _l("— Theo tên cơ quan ghi ở trên —")),
            *(SelectChoice(code, issuers.LEVEL_LABELS[code])
              for code in issuers.valid_levels(on))]


def offer_levels(form) -> None:
    """Offer the levels of the date typed on the form (all of them while it is unreadable)."""
    try:
        on = parse_date(form.decision_date.data)
    except ValueProblem:
        on = None
    form.issuer_level.choices = level_choices(on)


class AwardForm(RecipientFields, BaseForm):
    """One award with its decision: /awards/new and /awards/<id>/edit."""

    decision_number = StringField(_l("Số quyết định"), filters=[strip_line])
    decision_date = StringField(_l("Ngày quyết định"), filters=[strip_line])
    issuer = StringField(_l("Cơ quan, cấp quyết định"), filters=[strip_line])
    issuer_level = level_field()
    signer = StringField(_l("Người ký"), filters=[strip_line])
    confirm_duplicate = BooleanField(_l("Vẫn ghi: tôi đã xem, đây không phải ghi trùng"),
                                     false_values=FALSE_VALUES)
    initiative = StringField(_l("Sáng kiến được công nhận"), filters=[strip_line],
                             validators=[Length(max=500)])
    birth_year = StringField(_l("Năm sinh"), filters=[strip_line])
    note = TextAreaField(_l("Ghi chú khi ghi sổ"), filters=[clean_text],
                         validators=[Length(max=2000)])
    check_rules = SubmitField(_l("Kiểm tra trước khi lưu"))


class RecipientRow(RecipientFields, Form):
    """One recipient line of a decision typed at once.

    Its organization left at "— như trên —" takes the decision's default organization.
    """

    birth_year = StringField(_l("Năm sinh"), filters=[strip_line])
    initiative = StringField(_l("Sáng kiến, đề tài"), filters=[strip_line],
                             validators=[Length(max=500)])

    class Meta:
        """Speak the reader's language, like BaseForm (rows are plain forms)."""

        def get_translations(self, form):
            """Return the translations for this request."""
            return WTFormsTranslations()

    def is_blank(self) -> bool:
        """A row nobody typed in: it is ignored."""
        typed = (self.recipient_name, self.recipient_title, self.birth_year, self.year,
                 self.achievement, self.amount, self.initiative, self.organization, self.kind,
                 self.sex, self.ethnicity)
        return not any((field.data or "").strip() for field in typed)


class DecisionForm(BaseForm):
    """A decision's own fields: /awards/decisions/<id>/edit (and the top of a new one)."""

    decision_number = StringField(_l("Số quyết định"), filters=[strip_line])
    decision_date = StringField(_l("Ngày quyết định"), filters=[strip_line])
    issuer = StringField(_l("Cơ quan, cấp quyết định"), filters=[strip_line])
    issuer_level = level_field()
    signer = StringField(_l("Người ký"), filters=[strip_line])
    signer_title = StringField(_l("Chức vụ người ký"), filters=[strip_line],
                               validators=[Length(max=200)])
    subject = TextAreaField(_l("Trích yếu"), filters=[clean_text], validators=[Length(max=2000)])
    # Not required: a decision posted without them (an older form) is direct, of no type.
    signing_mode = SelectField(_l("Thẩm quyền ký"), validate_choice=False, default="", choices=[
        SelectChoice(code, label) for code, label in SIGNING_LABELS.items()])
    decision_type = SelectField(_l("Loại khen thưởng"), validate_choice=False, default="",
                                choices=[SelectChoice(code, label)
                                         for code, label in DECISION_TYPE_LABELS.items()])
    campaign = StringField(_l("Phong trào thi đua"), filters=[strip_line],
                           validators=[Length(max=300)])
    legal_grounds = TextAreaField(_l("Căn cứ"), filters=[clean_text],
                                  validators=[Length(max=5000)])
    is_public = BooleanField(_l("Công bố trên bảng vinh danh"), false_values=FALSE_VALUES)
    post = StringField(_l("Bài viết liên quan"), filters=[strip_line])

    def linked_post(self, user) -> Post | None:
        """Read the post field (a post number or its address); note an error if unknown.

        A post `user` may not read is answered like a missing one: linking must not tell
        a draft's title to someone who cannot see it.
        """
        raw = self.post.data or ""
        if not raw:
            return None
        match = _POST_LINK_RE.search(raw)
        post_id = parse_int(raw if match is None else match.group(1), high=MAX_ID)
        post = db.session.get(Post, post_id) if post_id is not None else None
        if post is not None and not can_view_post(user, post):
            post = None
        if post is None:
            self.post.errors.append(_l("Không tìm thấy bài viết này. Nhập số bài hoặc dán "
                                       "đường dẫn của bài, ví dụ /posts/12."))
        return post


class NewDecisionForm(DecisionForm):
    """A whole decision with many recipients, saved all together or not at all."""

    organization = SlugSelectField(_l("Tổ chức (mặc định cho các dòng)"), validate_choice=False)
    kind = SlugSelectField(_l("Hình thức khen thưởng (mặc định)"), validate_choice=False)
    year = StringField(_l("Năm thành tích (mặc định)"), filters=[strip_line])
    achievement = TextAreaField(_l("Thành tích (mặc định)"), filters=[clean_text])
    amount = StringField(_l("Tiền thưởng mỗi dòng (mặc định)"), filters=[strip_line])
    paste = TextAreaField(_l("Dán danh sách từ Excel"))
    fill_rows = SubmitField(_l("Điền vào các dòng"))
    fill_amounts = SubmitField(_l("Điền tiền thưởng theo quy định"))
    note = TextAreaField(_l("Ghi chú khi ghi sổ"), filters=[clean_text],
                         validators=[Length(max=2000)])
    recipients = FieldList(FormField(RecipientRow), min_entries=ROW_STEP, max_entries=MAX_ROWS)
    confirm_duplicate = BooleanField(_l("Vẫn ghi: tôi đã xem, đây không phải ghi trùng"),
                                     false_values=FALSE_VALUES)
    add_rows = SubmitField(_l("Thêm dòng"))
    check_rules = SubmitField(_l("Kiểm tra trước khi lưu"))
    # The proposal whose accepted rows filled the form (its rows are linked once saved).
    proposal = HiddenField()

    def add_empty_rows(self) -> None:
        """Offer more empty rows, keeping what was typed."""
        for _ in range(min(ROW_STEP, MAX_ROWS - len(self.recipients.entries))):
            self.recipients.append_entry()


class FilterForm(BaseForm):
    """The registry list's filters: a GET form, no CSRF (it changes nothing)."""

    class Meta:
        """Filters are links: no CSRF token in the address."""

        csrf = False

    year = SelectField(_l("Năm"), validate_choice=False)
    org = SlugSelectField(_l("Tổ chức"), validate_choice=False)
    kind = SlugSelectField(_l("Hình thức"), validate_choice=False)
    recipient_type = SelectField(_l("Đối tượng"), validate_choice=False, choices=[
        SelectChoice("", _l("— Tất cả —")), *RECIPIENT_CHOICES])
    q = StringField(_l("Tìm kiếm"))
    # Named as its query parameter (`all=1`): without it `q` looks at names, positions and
    # decision numbers only, so a name is not found in other people's achievements.
    all = BooleanField(_l("Tìm trong mọi cột (cả thành tích)"))
    # Kept while the list shows one import (`?batch=N`), so narrowing it stays inside it.
    batch = HiddenField()


class KindForm(BaseForm):
    """One award kind of the catalogue (admins only)."""

    name = StringField(_l("Tên"), filters=[strip_line], validators=[
        DataRequired(_l("Nhập tên hình thức khen thưởng.")), Length(max=200)])
    slug = StringField(_l("Mã (dùng trong địa chỉ và tệp Excel)"), filters=[strip_line],
                       validators=[Length(max=80)])
    category = SelectField(_l("Loại"), choices=[
        SelectChoice(value, label) for value, label in CATEGORY_LABELS.items()])
    recipient_types = SelectMultipleField(
        _l("Dùng cho"), choices=RECIPIENT_CHOICES,
        widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
        validators=[DataRequired(_l("Chọn ít nhất một loại đối tượng."))])
    is_yearly = BooleanField(_l("Xét tặng hằng năm"), false_values=FALSE_VALUES)
    conferred_by = SelectMultipleField(
        _l("Cơ quan có thẩm quyền tặng"),
        choices=[SelectChoice(code, label) for code, label in BODY_LABELS.items()],
        widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    owner = SelectField(_l("Danh hiệu riêng của tổ chức"), validate_choice=False, default="")
    legal_basis = TextAreaField(_l("Căn cứ pháp lý"), filters=[clean_text],
                                validators=[Length(max=2000)])
    is_active = BooleanField(_l("Đang dùng (bỏ chọn để ngừng dùng; không bao giờ xóa)"),
                             false_values=FALSE_VALUES, default=True)
    position = IntegerField(_l("Thứ tự"), default=0,
                            validators=[Optional(), NumberRange(0, 9999)])


class VoidForm(BaseForm):
    """Void an award: it stays in the registry, struck through, with the reason."""

    reason = TextAreaField(_l("Lý do hủy"), filters=[clean_text], validators=[
        DataRequired(_l("Nhập lý do hủy (ví dụ: nhập sai, quyết định bị thu hồi).")),
        Length(max=2000)])


class VoidBatchForm(BaseForm):
    """Void every award an import wrote, with one reason (a mistaken file)."""

    reason = TextAreaField(_l("Lý do hủy cả lần nhập"), filters=[clean_text], validators=[
        DataRequired(_l("Nhập lý do hủy (ví dụ: nhập nhầm tệp, trùng với sổ đã có).")),
        Length(max=2000)])


class ScanForm(BaseForm):
    """One file: the decision as signed (PDF, JPG or PNG)."""

    scan = FileField(_l("Bản chụp quyết định (PDF, JPG, PNG)"))


def _date_or_error(field, required: bool):
    """The dd/mm/yyyy date a field holds, noting an error on it when unreadable."""
    try:
        day = parse_date(field.data)
    except ValueProblem as problem:
        field.errors.append(str(problem))
        return None
    if day is None and required:
        field.errors.append(str(_l("Nhập ngày (dd/mm/yyyy).")))
    return day


class RuleForm(BaseForm):
    """One dated rule of commendation (admins only)."""

    kind = SlugSelectField(_l("Danh hiệu / hình thức"), validate_choice=False,
                           validators=[DataRequired(_l("Chọn danh hiệu hoặc hình thức."))])
    rule_type = SelectField(_l("Loại quy định"), choices=[
        SelectChoice(code, label) for code, label in RULE_LABELS.items()])
    valid_from = StringField(_l("Hiệu lực từ ngày"), filters=[strip_line])
    valid_to = StringField(_l("Đến hết ngày (để trống: còn hiệu lực)"), filters=[strip_line])
    legal_basis = TextAreaField(_l("Căn cứ pháp lý"), filters=[clean_text], validators=[
        DataRequired(_l("Ghi căn cứ: luật, nghị định, điều, khoản.")), Length(max=2000)])
    required_kind = SlugSelectField(_l("Cần có danh hiệu"), validate_choice=False)
    years = IntegerField(_l("Số năm liên tục"), default=1,
                         validators=[Optional(), NumberRange(1, 20)])
    needs_initiative = BooleanField(_l("Cần sáng kiến được công nhận"),
                                    false_values=FALSE_VALUES)
    bodies = SelectMultipleField(
        _l("Cơ quan được tặng"),
        choices=[SelectChoice(code, label) for code, label in BODY_LABELS.items()],
        widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    recipient_type = SelectField(_l("Đối tượng (tiền thưởng)"), choices=[
        SelectChoice("", _l("— Không —")), *RECIPIENT_CHOICES])
    coefficient = StringField(_l("Hệ số × lương cơ sở"), filters=[strip_line])

    def validate(self, extra_validators=None) -> bool:
        """The fields, then what each type of rule needs."""
        ok = super().validate(extra_validators)
        self.start = _date_or_error(self.valid_from, required=True)
        self.end = _date_or_error(self.valid_to, required=False)
        if self.start and self.end and self.end < self.start:
            self.valid_to.errors.append(str(_l("Ngày hết hiệu lực phải sau ngày bắt đầu.")))
        self.factor = None
        if self.rule_type.data == "money":
            self.factor = self._coefficient()
        if self.rule_type.data in ("prerequisite", "streak") and not self.required_kind.data \
                and not self.needs_initiative.data:
            self.required_kind.errors.append(str(_l("Chọn danh hiệu cần có trước.")))
        if self.rule_type.data == "authority" and not self.bodies.data:
            self.bodies.errors.append(str(_l("Chọn ít nhất một cơ quan.")))
        return ok and not any(f.errors for f in self)

    def _coefficient(self):
        """The money coefficient typed as 0,3 or 0.3; an error when missing or not a number."""
        if not self.recipient_type.data:
            self.recipient_type.errors.append(str(_l("Chọn đối tượng được thưởng.")))
        try:
            factor = Decimal((self.coefficient.data or "").replace(",", "."))
        except InvalidOperation:
            factor = None
        if factor is None or not 0 <= factor < 1000:
            self.coefficient.errors.append(str(_l("Ghi hệ số, ví dụ 0,3.")))
            return None
        return factor

    def apply(self, rule) -> None:
        """Copy the checked form onto a rule."""
        rule.kind = _kind(self.kind.data)
        rule.rule_type = self.rule_type.data
        rule.valid_from, rule.valid_to = self.start, self.end
        rule.legal_basis = self.legal_basis.data
        rule.required_kind = _kind(self.required_kind.data) if self.required_kind.data else None
        rule.years = self.years.data or 1
        rule.needs_initiative = bool(self.needs_initiative.data)
        rule.bodies = ",".join(c for c in BODY_LABELS if c in (self.bodies.data or []))
        rule.recipient_type = self.recipient_type.data or ""
        rule.coefficient = self.factor


def _kind(slug: str) -> AwardKind | None:
    """The kind with this slug."""
    return db.session.scalar(db.select(AwardKind).where(AwardKind.slug == slug))


class BaseSalaryForm(BaseForm):
    """The base salary from a date on (admins only)."""

    valid_from = StringField(_l("Áp dụng từ ngày"), filters=[strip_line])
    amount = StringField(_l("Mức lương cơ sở (đồng/tháng)"), filters=[strip_line])
    round_up_to = IntegerField(_l("Làm tròn tiền thưởng lên bội số của (đồng)"),
                               default=10_000, validators=[NumberRange(1, 1_000_000)])
    legal_basis = TextAreaField(_l("Căn cứ pháp lý"), filters=[clean_text], validators=[
        DataRequired(_l("Ghi căn cứ, ví dụ Nghị định 73/2024/NĐ-CP.")), Length(max=2000)])

    def validate(self, extra_validators=None) -> bool:
        """The fields, a real date and a positive amount."""
        ok = super().validate(extra_validators)
        self.start = _date_or_error(self.valid_from, required=True)
        try:
            self.money = parse_amount(self.amount.data)
        except ValueProblem as problem:
            self.amount.errors.append(str(problem))
            self.money = None
        if not self.money and not self.amount.errors:
            self.amount.errors.append(str(_l("Nhập mức lương cơ sở, ví dụ 2.340.000.")))
        return ok and not any(f.errors for f in self)

    def check_unique(self, salary) -> bool:
        """A date has one base salary: another row on the same date is refused."""
        taken = db.session.scalar(db.select(BaseSalary).where(
            BaseSalary.valid_from == self.start))
        if taken is not None and taken is not salary:
            self.valid_from.errors.append(str(_l("Đã có mức lương cơ sở từ ngày này.")))
            return False
        return True

    def apply(self, salary) -> None:
        """Copy the checked form onto a base salary row."""
        salary.valid_from = self.start
        salary.amount = self.money
        salary.round_up_to = self.round_up_to.data
        salary.legal_basis = self.legal_basis.data
