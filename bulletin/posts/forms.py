"""The post form shared by /posts/new and /posts/<id>/edit."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    MultipleFileField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, Length, NumberRange, Optional

from bulletin.forms import (
    FALSE_VALUES,
    BaseForm,
    RowList,
    SlugSelectField,
    clean_text,
    strip_line,
)
from bulletin.i18n import TIMEZONE

# The edit form takes at most this many photo rows and file rows (a post never has more).
MAX_ROWS = 300

# The editor's buttons ("Lưu nháp", "Đăng ngay", "Hẹn giờ đăng", and the two answers when a
# time is set on a draft); a form sent without one uses the `status` field, as the contract says.
INTENTS = ("draft", "draft_only", "publish", "schedule")

STATUS_CHOICES = (
    SelectChoice("draft", _l("Bản nháp")),
    SelectChoice("published", _l("Đăng")),
    SelectChoice("archived", _l("Lưu trữ (gỡ xuống)")),
)


class PostForm(BaseForm):
    """Title, lead, body, where it belongs, its state, byline, photos and files."""

    title = StringField(_l("Tiêu đề"), filters=[strip_line],
                        validators=[DataRequired(_l("Nhập tiêu đề bài viết.")), Length(max=300)])
    summary = TextAreaField(
        _l("Tóm tắt (sapo)"), filters=[clean_text],
        validators=[Length(max=2000, message=_l("Tóm tắt tối đa 2.000 ký tự."))],
    )
    body = TextAreaField(_l("Nội dung"), filters=[clean_text],
                         validators=[Length(max=500_000)])
    organization = SlugSelectField(_l("Tổ chức"), validate_choice=True,
                                   validators=[DataRequired(_l("Chọn tổ chức đăng bài."))])
    category = SlugSelectField(_l("Chuyên mục"), validate_choice=True)
    status = SelectField(_l("Trạng thái"), choices=STATUS_CHOICES, default="draft")
    publish_at = DateTimeLocalField(_l("Hẹn giờ đăng"), format=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
                                    validators=[Optional()])
    pinned = BooleanField(_l("Ghim lên đầu trang chủ"), false_values=FALSE_VALUES)
    byline = StringField(_l("Tác giả, chức danh"), filters=[strip_line],
                         validators=[Length(max=300)])
    images = MultipleFileField(_l("Ảnh"))
    image_captions = TextAreaField(_l("Chú thích ảnh mới (mỗi dòng một ảnh)"), filters=[clean_text],
                                   validators=[Length(max=20_000)])
    attachments = MultipleFileField(_l("Tài liệu đính kèm"))
    pending_uploads = HiddenField()
    intent = StringField(validators=[Optional(), AnyOf(INTENTS)])
    # Set when a time was given on a draft: the page asks which was meant before saving.
    ask_schedule = False

    def publish_moment(self) -> datetime | None:
        """Return the scheduled time as an aware datetime (typed in Vietnam's time)."""
        if not self.publish_at.data:
            return None
        return self.publish_at.data.replace(tzinfo=TIMEZONE)


class OrderField(IntegerField):
    """A photo's place shown and typed from 1, kept from 0 as the model counts."""

    def _value(self) -> str:
        """Show the stored place plus one (the raw input when the form is redisplayed)."""
        if self.raw_data:
            return self.raw_data[0]
        return str(self.data + 1) if self.data is not None else ""

    def process_formdata(self, valuelist) -> None:
        """Read the typed place and store it counted from 0."""
        super().process_formdata(valuelist)
        if self.data is not None:
            self.data -= 1


class PhotoRow(Form):
    """One existing photo on the edit form: its caption, order, or removal."""

    id = HiddenField()
    caption = StringField(_l("Chú thích"), filters=[strip_line], validators=[Length(max=500)])
    position = OrderField(_l("Thứ tự"), validators=[
        Optional(), NumberRange(0, 998, message=_l("Thứ tự là một số từ 1 đến 999."))])
    remove = BooleanField(_l("Bỏ ảnh này"), false_values=FALSE_VALUES)


class FileRow(Form):
    """One existing attachment on the edit form: keep or remove."""

    id = HiddenField()
    remove = BooleanField(_l("Bỏ tệp này"), false_values=FALSE_VALUES)


class EditPostForm(PostForm):
    """The post form with the post's current photos and files."""

    photos = RowList(FormField(PhotoRow), max_entries=MAX_ROWS)
    files = RowList(FormField(FileRow), max_entries=MAX_ROWS)
