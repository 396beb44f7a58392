"""Writing and editing posts: permissions, uploads, sanitising, scheduling, revisions."""

import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from PIL import Image

from bulletin.extensions import db
from bulletin.i18n import TIMEZONE
from bulletin.models import AuditEntry, Post, PostRevision, utcnow
from bulletin.uploads import image_path


@pytest.fixture
def editor(make, auth):
    """An editor of Hội LHPN, logged in."""
    make.user("bientap", role="editor", orgs=["hoi-lhpn"], full_name="Nguyễn Thu Hà")
    assert auth.login("bientap").status_code == 302
    return auth


def token(client, path="/posts/new"):
    """Return the CSRF token of a form page."""
    html = client.get(path).get_data(as_text=True)
    tag = re.search(r'<input[^>]*name="csrf_token"[^>]*>', html).group(0)
    return re.search(r'value="([^"]+)"', tag).group(1)


def form(client, path="/posts/new", **fields):
    """Return valid post form data, overridden by `fields`."""
    data = {"csrf_token": token(client, path), "title": "Hội nghị Ban Chấp hành Hội LHPN",
            "summary": "Sáng 20/11, Hội LHPN thị trấn tổ chức hội nghị.",
            "body": "<p>Hội nghị đã đánh giá kết quả công tác năm.</p>",
            "organization": "hoi-lhpn", "category": "tin-hoat-dong", "status": "published",
            "byline": "Nguyễn Thu Hà, Chủ tịch Hội LHPN"}
    data.update(fields)
    return data


def jpeg(width=800, height=600, exif=None) -> bytes:
    """Return JPEG bytes, with EXIF when given."""
    buffer = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    Image.new("RGB", (width, height), (30, 120, 200)).save(buffer, "JPEG", **kwargs)
    return buffer.getvalue()


def gps_exif() -> Image.Exif:
    """EXIF with a camera model and a GPS position."""
    exif = Image.Exif()
    exif[0x0110] = "Camera XYZ"
    exif[0x8825] = {1: "N", 2: (21.0, 1.0, 30.0), 3: "E", 4: (105.0, 51.0, 0.0)}
    return exif


def docx_bytes() -> bytes:
    """A minimal Word file."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_editor_publishes_a_post_with_captioned_photos_and_an_attachment(client, editor):
    data = form(client, images=[(io.BytesIO(jpeg(3000, 2000, gps_exif())), "anh1.jpg"),
                                (io.BytesIO(jpeg()), "anh2.jpg")],
                image_captions="Đại biểu dự hội nghị\nTrao giấy khen",
                attachments=[(io.BytesIO(docx_bytes()), "Báo cáo tổng kết năm 2025.docx")])
    response = client.post("/posts/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 303
    post = db.session.scalar(db.select(Post))
    assert response.headers["Location"].endswith(f"/posts/{post.id}/{post.slug}")
    assert [i.caption for i in post.images] == ["Đại biểu dự hội nghị", "Trao giấy khen"]
    assert post.author.username == "bientap"
    assert post.attachments[0].original_name == "Báo cáo tổng kết năm 2025.docx"
    assert post.attachments[0].mime_type.endswith("wordprocessingml.document")
    client.post("/logout", data={"csrf_token": token(client, "/")})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Hội nghị Ban Chấp hành Hội LHPN" in page
    assert "Đại biểu dự hội nghị" in page


def test_published_photo_carries_no_gps_or_camera_data_and_is_resized(client, editor, app):
    data = form(client, images=[(io.BytesIO(jpeg(3000, 2000, gps_exif())), "gps.jpg")])
    client.post("/posts/new", data=data, content_type="multipart/form-data")
    image = db.session.scalar(db.select(Post)).images[0]
    for size in ("large", "thumb"):
        with client.get(f"/images/{image.id}/{size}.jpg") as served:
            assert served.status_code == 200
            data = served.data
        with Image.open(io.BytesIO(data)) as photo:
            assert not photo.getexif()
            assert "exif" not in photo.info and "xmp" not in photo.info
            assert max(photo.size) <= 2000
    assert (image.width, image.height) == (2000, 1333)


def test_editor_cannot_write_for_another_organization(client, editor):
    data = form(client, organization="doan-tncs", title="Bài cho Đoàn")
    response = client.post("/posts/new", data=data)
    assert response.status_code == 422
    assert db.session.scalar(db.select(Post)) is None
    assert "Bài cho Đoàn" in response.get_data(as_text=True)


def test_editor_cannot_edit_other_organizations_post(client, editor, make):
    other = make.post(title="Tin của Đoàn", organization="doan-tncs")
    assert client.get(f"/posts/{other.id}/edit").status_code == 403
    data = form(client, title="Chiếm quyền", organization="hoi-lhpn")
    assert client.post(f"/posts/{other.id}/edit", data=data).status_code == 403
    db.session.refresh(other)
    assert other.title == "Tin của Đoàn"


@pytest.mark.parametrize("role", ["secretary", "reader"])
def test_roles_without_posts_cannot_open_the_editor(client, make, auth, role):
    make.user("user1", role=role)
    auth.login("user1")
    assert client.get("/posts/new").status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get("/posts/new")
    assert response.status_code == 302
    assert "/login?next=" in response.headers["Location"]


def test_organization_can_be_given_by_id(client, editor, make):
    data = form(client, organization=str(make.org("hoi-lhpn").id))
    response = client.post("/posts/new", data=data)
    assert response.status_code == 303
    post = db.session.scalar(db.select(Post))
    assert response.headers["Location"].endswith(f"/posts/{post.id}/{post.slug}")
    assert post.organization.slug == "hoi-lhpn"
    assert (post.title, post.summary, post.byline) == (
        data["title"], data["summary"], data["byline"])
    assert post.body == data["body"]
    assert (post.category.slug, post.status, post.author.username) == (
        "tin-hoat-dong", "published", "bientap")


def test_missing_title_keeps_everything_typed_and_the_accepted_photo(client, editor):
    data = form(client, title="", summary="Tóm tắt đã gõ <giữ nguyên>",
                images=[(io.BytesIO(jpeg()), "hoi-nghi.jpg")], image_captions="Toàn cảnh")
    response = client.post("/posts/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Nhập tiêu đề bài viết." in html
    assert "Tóm tắt đã gõ &lt;giữ nguyên&gt;" in html
    assert "hoi-nghi.jpg" in html
    pending = re.search(r'name="pending_uploads" type="hidden" value="([^"]+)"', html).group(1)
    data = form(client, pending_uploads=pending)
    assert client.post("/posts/new", data=data).status_code == 303
    post = db.session.scalar(db.select(Post))
    assert [i.caption for i in post.images] == ["Toàn cảnh"]
    assert image_path(post.images[0].file_key, "large").is_file()


def test_forged_pending_uploads_are_ignored(client, editor):
    data = form(client, pending_uploads="eyJpbWFnZXMiOltdfQ.forged")
    assert client.post("/posts/new", data=data).status_code == 303
    assert db.session.scalar(db.select(Post)).images == []


@pytest.mark.parametrize("payload,name", [
    (b"<script>alert(1)</script>", "anh-gia.jpg"),
    (b"GIF89a" + b"\x00" * 20, "hong.gif"),
    (b"", "rong.png"),
])
def test_fake_or_broken_image_is_refused_with_the_form_kept(client, editor, payload, name):
    data = form(client, title="Tiêu đề giữ lại", images=[(io.BytesIO(payload), name)])
    response = client.post("/posts/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "bị từ chối" in html and name in html
    assert 'value="Tiêu đề giữ lại"' in html
    assert db.session.scalar(db.select(Post)) is None


def test_decompression_bomb_is_refused(client, editor):
    buffer = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, "PNG")  # ~50 KB file, 400 megapixels
    data = form(client, images=[(io.BytesIO(buffer.getvalue()), "bom.png")])
    response = client.post("/posts/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "bom.png" in response.get_data(as_text=True)


def test_attachment_type_is_judged_by_content_not_name(client, editor):
    data = form(client, attachments=[(io.BytesIO(b"MZ\x90\x00 windows exe"), "bao-cao.pdf")])
    response = client.post("/posts/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "bao-cao.pdf" in response.get_data(as_text=True)


def test_oversized_photo_is_refused_with_the_form_kept(make_app, make):
    app = make_app(MAX_IMAGE_BYTES=10_000)
    client = app.test_client()
    with app.app_context():
        make.user("bientap", role="editor", orgs=["hoi-lhpn"])
    from tests.conftest import AuthActions

    AuthActions(client).login("bientap")
    data = form(client, title="Ảnh quá lớn", images=[(io.BytesIO(jpeg(2000, 2000)), "lon.jpg")])
    response = client.post("/posts/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "quá lớn" in response.get_data(as_text=True)


def test_request_over_the_size_limit_gets_413_with_a_message(make_app, make):
    app = make_app(MAX_CONTENT_LENGTH=50_000)
    client = app.test_client()
    with app.app_context():
        make.user("bientap", role="editor", orgs=["hoi-lhpn"])
    from tests.conftest import AuthActions

    AuthActions(client).login("bientap")
    data = form(client, images=[(io.BytesIO(b"x" * 60_000), "to.jpg")])
    response = client.post("/posts/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 413
    assert "Tệp quá lớn" in response.get_data(as_text=True)


def test_hostile_html_is_cleaned_and_formatting_kept(client, editor):
    body = ('<h2>Kết quả</h2><p onclick="x()">Đoạn <b>đậm</b> <i>nghiêng</i></p>'
            '<script>alert(1)</script><a href="javascript:alert(1)">xấu</a>'
            '<a href="https://example.org/tai-lieu">tốt</a><img src="http://evil/x.png">'
            '<img src="x" onerror="alert(1)"><iframe src="/"></iframe>'
            '<table><tr><td>Ô 1</td></tr></table><ul><li>Mục</li></ul>')
    client.post("/posts/new", data=form(client, body=body))
    saved = db.session.scalar(db.select(Post)).body
    for kept in ("<h2>Kết quả</h2>", "<b>đậm</b>", "<i>nghiêng</i>", "<td>Ô 1</td>",
                 "<li>Mục</li>", 'href="https://example.org/tai-lieu"'):
        assert kept in saved
    for dropped in ("<script", "onclick", "javascript:", "onerror", "<iframe", "evil"):
        assert dropped not in saved


def test_text_pasted_from_word_comes_out_clean(client, editor):
    word = ('<p class=MsoNormal style="margin:0cm;mso-line-height-alt:12pt">'
            '<span style="font-family:Times New Roman;mso-fareast-language:VI">Hội nghị '
            '<b><span style="font-size:14pt">tổng kết</span></b></span><o:p></o:p></p>'
            '<!--[if gte mso 9]><xml><w:WordDocument></w:WordDocument></xml><![endif]-->'
            '<style>p.MsoNormal{margin:0}</style>')
    client.post("/posts/new", data=form(client, body=word))
    saved = db.session.scalar(db.select(Post)).body
    assert saved == "<p>Hội nghị <b>tổng kết</b></p>"


def test_scheduled_post_appears_on_time_and_not_before(client, editor):
    moment = (utcnow() + timedelta(hours=3)).astimezone(TIMEZONE)
    data = form(client, title="Thông báo hẹn giờ", publish_at=moment.strftime("%Y-%m-%dT%H:%M"))
    assert client.post("/posts/new", data=data).status_code == 303
    post = db.session.scalar(db.select(Post))
    assert post.published_at == moment.replace(second=0, microsecond=0)
    anonymous = client.application.test_client()
    assert anonymous.get(f"/posts/{post.id}").status_code == 404
    assert "Thông báo hẹn giờ" not in anonymous.get("/").get_data(as_text=True)
    post.published_at = utcnow() - timedelta(seconds=1)  # the time has come
    db.session.commit()
    assert "Thông báo hẹn giờ" in anonymous.get("/").get_data(as_text=True)


def test_every_save_keeps_a_revision_with_who_and_when(client, editor):
    client.post("/posts/new", data=form(client, title="Bản đầu", status="draft"))
    post = db.session.scalar(db.select(Post))
    path = f"/posts/{post.id}/edit"
    assert client.post(path, data=form(client, path, title="Bản sửa")).status_code == 303
    revisions = db.session.scalars(db.select(PostRevision).order_by(PostRevision.id)).all()
    assert [r.title for r in revisions] == ["Bản đầu", "Bản sửa"]
    assert revisions[0].editor.username == "bientap"
    listing = client.get(f"/posts/{post.id}/revisions").get_data(as_text=True)
    assert "Bản đầu" in listing and "Nguyễn Thu Hà" in listing
    shown = client.get(f"/posts/{post.id}/revisions/{revisions[0].id}")
    assert "Bản đầu" in shown.get_data(as_text=True)


def test_publish_and_archive_are_audited_and_archive_keeps_the_post(client, editor):
    client.post("/posts/new", data=form(client))
    post = db.session.scalar(db.select(Post))
    response = client.post(f"/posts/{post.id}/archive",
                           data={"csrf_token": token(client, "/posts/manage")})
    assert response.status_code == 303
    db.session.refresh(post)
    assert post.status == "archived"
    actions = db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert "post.publish" in actions and "post.archive" in actions
    assert client.application.test_client().get(f"/posts/{post.id}").status_code == 404


def test_edit_changes_captions_order_and_removes_a_photo(client, editor, make):
    post = make.post(organization="hoi-lhpn")
    first = make.photo(post, caption="Một", position=0)
    second = make.photo(post, caption="Hai", position=1)
    path = f"/posts/{post.id}/edit"
    html = client.get(path).get_data(as_text=True)
    assert 'value="Một"' in html
    data = form(client, path, **{
        "photos-0-id": str(first.id), "photos-0-caption": "Ảnh một", "photos-0-position": "5",
        "photos-1-id": str(second.id), "photos-1-caption": "Ảnh hai", "photos-1-position": "1",
    })
    assert client.post(path, data=data).status_code == 303
    db.session.expire_all()
    assert [i.caption for i in post.images] == ["Ảnh hai", "Ảnh một"]
    data = form(client, path, **{"photos-0-id": str(second.id), "photos-0-remove": "y"})
    client.post(path, data=data)
    db.session.expire_all()
    assert [i.caption for i in post.images] == ["Ảnh một"]


def test_desk_lists_drafts_of_own_organizations_only(client, editor, make):
    make.post(title="Nháp của Hội Phụ nữ", status="draft", organization="hoi-lhpn")
    make.post(title="Nháp của Đoàn", status="draft", organization="doan-tncs")
    html = client.get("/posts/manage?tab=draft").get_data(as_text=True)
    assert "Nháp của Hội Phụ nữ" in html
    assert "Nháp của Đoàn" not in html


def test_editor_sees_own_draft_but_readers_do_not(client, editor, make):
    draft = make.post(title="Bản nháp riêng", status="draft", organization="hoi-lhpn")
    own = client.get(f"/posts/{draft.id}/{draft.slug}")
    assert own.status_code == 200
    assert "Bản nháp riêng" in own.get_data(as_text=True)
    reader = client.application.test_client()
    for path in (f"/posts/{draft.id}", f"/posts/{draft.id}/{draft.slug}"):
        response = reader.get(path)
        assert response.status_code == 404
        assert "Bản nháp riêng" not in response.get_data(as_text=True)


def test_category_may_be_left_out_and_pinned_zero_means_not_pinned(client, editor):
    data = form(client, pinned="0")
    del data["category"]
    assert client.post("/posts/new", data=data).status_code == 303
    post = db.session.scalar(db.select(Post))
    assert post.category is None and post.is_pinned is False


def test_pinned_post_goes_first_on_home(client, editor, make):
    make.post(title="Tin mới hơn", age_minutes=0)
    client.post("/posts/new", data=form(client, title="Tin được ghim", pinned="y"))
    html = client.get("/").get_data(as_text=True)
    assert html.index("Tin được ghim") < html.index("Tin mới hơn")


def test_wrong_values_get_vietnamese_messages_next_to_the_field(client, editor):
    data = form(client, title="Giữ tiêu đề", publish_at="ngày mai", status="xoa-het",
                organization="khong-co")
    response = client.post("/posts/new", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Thời điểm không hợp lệ." in html
    assert "Lựa chọn không hợp lệ." in html
    assert "Not a valid" not in html
    assert 'value="Giữ tiêu đề"' in html


def test_photo_order_is_shown_and_typed_from_one(client, editor, make):
    post = make.post(organization="hoi-lhpn")
    first = make.photo(post, caption="Một", position=0)
    make.photo(post, caption="Hai", position=1)
    path = f"/posts/{post.id}/edit"
    html = client.get(path).get_data(as_text=True)
    assert re.search(r'name="photos-0-position"[^>]*value="1"', html)
    assert re.search(r'name="photos-1-position"[^>]*value="2"', html)
    data = form(client, path, **{"photos-0-id": str(first.id), "photos-0-caption": "Một",
                                 "photos-0-position": "0"})
    response = client.post(path, data=data)
    assert response.status_code == 422
    assert "Thứ tự là một số từ 1 đến 999." in response.get_data(as_text=True)


@pytest.mark.parametrize(("typed", "saved"), [
    # Chromium's contenteditable makes a <div> per line when nothing tells it otherwise.
    ("<div>Kết quả năm 2026.</div><div>Năm 2026 tiếp tục.</div><div><br></div>",
     "<p>Kết quả năm 2026.</p><p>Năm 2026 tiếp tục.</p>"),
    # The plain textarea without JavaScript: blank lines part paragraphs.
    ("Kết quả năm 2026.\r\n\r\nNăm 2026 tiếp tục.\r\nDòng hai.",
     "<p>Kết quả năm 2026.</p><p>Năm 2026 tiếp tục.<br>Dòng hai.</p>"),
    ("<p>Một</p><p><br></p><p>Hai</p>", "<p>Một</p><p>Hai</p>"),
])
def test_paragraphs_survive_saving_whichever_way_they_were_typed(client, editor, typed, saved):
    response = client.post("/posts/new", data=form(client, body=typed, title="Hai đoạn"))
    assert response.status_code == 303
    assert db.session.scalar(db.select(Post.body).where(Post.title == "Hai đoạn")) == saved


def test_editor_toolbar_labels_come_from_the_catalog(client, editor):
    html = client.get("/posts/new").get_data(as_text=True)
    labels = re.search(r'<script type="application/json" id="editor-labels">(.*?)</script>',
                       html).group(1)
    assert json.loads(labels)["createLink"] == "Chèn liên kết"
    assert '<button type="button" class="button secondary" id="preview-button" hidden>' in html


# --- Issue 21: publishing buttons, a time on a draft, the script's save, previews ----------

def test_publish_now_button_publishes_whatever_the_status_field_says(client, editor):
    data = form(client, status="draft", intent="publish")
    assert client.post("/posts/new", data=data).status_code == 303
    post = db.session.scalar(db.select(Post))
    assert post.status == "published" and post.published_at <= utcnow()


def test_save_draft_button_keeps_the_post_unpublished(client, editor):
    assert client.post("/posts/new", data=form(client, intent="draft")).status_code == 303
    assert db.session.scalar(db.select(Post)).status == "draft"


def test_schedule_button_needs_a_time_to_come(client, editor):
    response = client.post("/posts/new", data=form(client, intent="schedule"))
    assert response.status_code == 422
    assert "Chọn ngày và giờ đăng sắp tới" in response.get_data(as_text=True)
    past = (utcnow() - timedelta(hours=1)).astimezone(TIMEZONE).strftime("%Y-%m-%dT%H:%M")
    response = client.post("/posts/new", data=form(client, intent="schedule", publish_at=past))
    assert "Giờ hẹn đã qua" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Post)) is None
    moment = (utcnow() + timedelta(days=1)).astimezone(TIMEZONE)
    data = form(client, status="draft", intent="schedule",
                publish_at=moment.strftime("%Y-%m-%dT%H:%M"))
    assert client.post("/posts/new", data=data).status_code == 303
    post = db.session.scalar(db.select(Post))
    assert post.status == "published"
    assert post.published_at == moment.replace(second=0, microsecond=0)


def test_a_time_set_on_a_draft_asks_which_was_meant(client, editor):
    moment = (utcnow() + timedelta(days=1)).astimezone(TIMEZONE)
    typed = moment.strftime("%Y-%m-%dT%H:%M")
    response = client.post("/posts/new", data=form(client, status="draft", publish_at=typed,
                                                   title="Hẹn mà để nháp"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "bản nháp thì không bao giờ tự đăng" in html
    assert f"Hẹn giờ đăng lúc {moment:%H:%M %d/%m/%Y}" in html
    assert 'value="Hẹn mà để nháp"' in html  # nothing typed is lost
    assert db.session.scalar(db.select(Post)) is None
    # Answer "only a draft": saved, no time kept.
    data = form(client, status="draft", publish_at=typed, intent="draft_only")
    assert client.post("/posts/new", data=data).status_code == 303
    post = db.session.scalar(db.select(Post))
    assert post.status == "draft" and post.published_at is None


def test_the_editors_script_gets_the_posts_address_and_the_message_waits(client, editor):
    response = client.post("/posts/new", data=form(client, intent="publish"),
                           headers={"X-Requested-With": "XMLHttpRequest"})
    post = db.session.scalar(db.select(Post))
    assert response.status_code == 200
    assert response.json == {"location": f"/posts/{post.id}/{post.slug}"}
    assert "Đã đăng bài." in client.get(response.json["location"]).get_data(as_text=True)


def test_the_form_states_the_photo_limits(client, editor):
    html = client.get("/posts/new").get_data(as_text=True)
    assert "tối đa 20 MB mỗi ảnh và 64 MB cho cả một lần lưu" in html
    assert 'data-max-request="67108864"' in html


def test_new_photo_previews_may_be_blob_images_and_nothing_else_loosens(client, editor):
    policy = client.get("/posts/new").headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["img-src"] == "'self' data: blob:"
    assert "blob:" not in policy.replace(directives["img-src"], "")


def test_desk_lists_scheduled_posts_with_their_time(client, editor, make):
    soon = utcnow() + timedelta(hours=5)
    make.post(title="Thông báo sắp đăng", organization="hoi-lhpn", published_at=soon)
    make.post(title="Tin đã đăng", organization="hoi-lhpn")
    html = client.get("/posts/manage").get_data(as_text=True)
    box = html[html.index('class="scheduled-box"'):]
    box = box[:box.index("</section>")]
    assert "Thông báo sắp đăng" in box and "Tin đã đăng" not in box
    assert soon.astimezone(TIMEZONE).strftime("%H:%M %d/%m/%Y") in box


def test_revisions_say_what_changed_in_vietnamese_words(client, editor):
    client.post("/posts/new", data=form(client, title="Bản đầu", status="draft",
                                        body="<p>Đoạn một.</p><p>Đoạn hai cũ.</p>"))
    post = db.session.scalar(db.select(Post))
    path = f"/posts/{post.id}/edit"
    client.post(path, data=form(client, path, title="Bản sửa", status="published",
                                body="<p>Đoạn một.</p><p>Đoạn hai mới.</p><p>Đoạn ba.</p>"))
    listing = client.get(f"/posts/{post.id}/revisions").get_data(as_text=True)
    assert "Tạo bài" in listing and "Đăng bài, sửa tiêu đề, nội dung" in listing
    assert "Bản nháp" in listing and "Đã đăng" in listing
    assert ">published<" not in listing and ">draft<" not in listing
    newest = db.session.scalars(db.select(PostRevision).order_by(PostRevision.id.desc())).first()
    html = client.get(f"/posts/{post.id}/revisions/{newest.id}").get_data(as_text=True)
    assert "<del>Bản đầu</del> → <ins>Bản sửa</ins>" in html
    assert "<del>Bản nháp</del> → <ins>Đã đăng</ins>" in html
    assert 'class="diff-changed">Đoạn hai <del>cũ.</del> <ins>mới.</ins>' in html
    assert 'class="diff-added"><ins>Đoạn ba.</ins>' in html


def test_restoring_a_revision_brings_its_text_back_as_a_new_revision(client, editor):
    client.post("/posts/new", data=form(client, title="Tiêu đề gốc", body="<p>Gốc.</p>"))
    post = db.session.scalar(db.select(Post))
    path = f"/posts/{post.id}/edit"
    client.post(path, data=form(client, path, title="Tiêu đề sai", body="<p>Sai.</p>"))
    first = db.session.scalars(db.select(PostRevision).order_by(PostRevision.id)).first()
    page = client.get(f"/posts/{post.id}/revisions/{first.id}").get_data(as_text=True)
    assert "Khôi phục phiên bản này" in page
    restore = f"/posts/{post.id}/revisions/{first.id}/restore"
    assert client.post(restore, data={}).status_code == 400  # no CSRF token: nothing happens
    response = client.post(restore, data={"csrf_token": token(client, path)})
    assert response.status_code == 303 and response.headers["Location"].endswith(path)
    db.session.refresh(post)
    assert (post.title, post.body, post.status) == ("Tiêu đề gốc", "<p>Gốc.</p>", "published")
    assert post.slug == "tieu-de-goc"
    titles = db.session.scalars(db.select(PostRevision.title).order_by(PostRevision.id)).all()
    assert titles == ["Tiêu đề gốc", "Tiêu đề sai", "Tiêu đề gốc"]
    assert "Đã khôi phục phiên bản" in client.get(path).get_data(as_text=True)
    again = client.get(f"/posts/{post.id}/revisions/{first.id}").get_data(as_text=True)
    assert "Bài hiện tại giống phiên bản này." in again


def test_another_organizations_editor_cannot_restore(client, editor, make, auth):
    other = make.post(title="Bài của MTTQ", organization="mttq")
    revision = PostRevision(post_id=other.id, title="Cũ", status="draft",
                            organization_id=other.organization_id)
    db.session.add(revision)
    db.session.commit()
    response = client.post(f"/posts/{other.id}/revisions/{revision.id}/restore",
                           data={"csrf_token": token(client)})
    assert response.status_code == 403
    db.session.refresh(other)
    assert other.title == "Bài của MTTQ"


def test_a_revision_says_what_happened_to_the_photos(client, editor):
    data = form(client, images=[(io.BytesIO(jpeg()), "mot.jpg"), (io.BytesIO(jpeg()), "hai.jpg"),
                                (io.BytesIO(jpeg()), "ba.jpg")],
                image_captions="Khai mạc\nThảo luận\nBế mạc")
    client.post("/posts/new", data=data, content_type="multipart/form-data")
    post = db.session.scalar(db.select(Post))
    one, two, three = post.images
    path = f"/posts/{post.id}/edit"
    rows = {"photos-0-id": str(one.id), "photos-0-caption": "Khai mạc", "photos-0-position": "2",
            "photos-1-id": str(two.id), "photos-1-caption": "Thảo luận sôi nổi",
            "photos-1-position": "1",
            "photos-2-id": str(three.id), "photos-2-caption": "Bế mạc", "photos-2-remove": "y"}
    assert client.post(path, data=form(client, path, **rows)).status_code == 303
    newest = db.session.scalars(db.select(PostRevision).order_by(PostRevision.id.desc())).first()
    html = client.get(f"/posts/{post.id}/revisions/{newest.id}").get_data(as_text=True)
    assert "Bỏ 1 ảnh (Bế mạc)" in html
    assert "Đổi chú thích ảnh: “Thảo luận” → “Thảo luận sôi nổi”" in html
    assert "Đổi thứ tự ảnh" in html
    listing = client.get(f"/posts/{post.id}/revisions").get_data(as_text=True)
    assert "Sửa ảnh" in listing
