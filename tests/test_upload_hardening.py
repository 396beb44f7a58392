"""Requests that would hold a worker, metadata in attached pictures, private files, and links
that browsers read differently from the sanitiser."""

import io
import os
import stat
import zipfile

import pytest
from PIL import Image
from PIL.ImageFile import ImageFile
from werkzeug.datastructures import MultiDict

from bulletin import create_app
from bulletin.extensions import db
from bulletin.models import Attachment, Post
from bulletin.posts import saving
from bulletin.posts.forms import MAX_ROWS, EditPostForm
from bulletin.sanitize import clean_html
from bulletin.uploads import attachment_path, reencode_image, store_attachment, store_image
from tests.conftest import BASE_CONFIG, AuthActions
from tests.test_editor import docx_bytes, form, gps_exif, jpeg

GPS_TAG = 0x8825
MODEL_TAG = 0x0110


@pytest.fixture(autouse=True)
def pillow_limit_restored(monkeypatch):
    """The app sets Pillow's global pixel limit from its config: put it back afterwards."""
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", Image.MAX_IMAGE_PIXELS)


def editor_client(app, make):
    """A client logged in as an editor of Hội LHPN."""
    with app.app_context():
        make.user("bientap", role="editor", orgs=["hoi-lhpn"])
    client = app.test_client()
    assert AuthActions(client).login("bientap").status_code == 302
    return client


# --- finding 7: one request must not hold a worker ---------------------------------------

def test_an_urlencoded_body_over_the_form_memory_limit_is_refused_with_413(app, client):
    body = "username=a&password=" + "x" * app.config["MAX_FORM_MEMORY_SIZE"]
    response = client.post("/login", data=body,
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert "Tệp quá lớn" in response.get_data(as_text=True)


def test_an_urlencoded_form_with_too_many_fields_is_refused_with_413(client):
    body = "&".join(f"photos-{n}-id={n}" for n in range(5000))  # ~80 KB, 5,000 fields
    response = client.post("/login", data=body,
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413


def test_a_multipart_form_with_too_many_parts_is_refused_with_413(client):
    data = {f"photos-{n}-id": str(n) for n in range(1500)}
    response = client.post("/login", data=data, content_type="multipart/form-data")
    assert response.status_code == 413


def test_the_edit_form_reads_at_most_max_rows_photo_and_file_rows(app):
    rows = MultiDict([(f"photos-{n}-id", str(n)) for n in range(MAX_ROWS + 500)]
                     + [(f"files-{n}-id", str(n)) for n in range(MAX_ROWS + 500)]
                     + [("photos-²-id", "1"), ("photos-99999999999999999999-id", "2")])
    with app.test_request_context(method="POST"):
        edit_form = EditPostForm(formdata=rows, meta={"csrf": False})
    assert len(edit_form.photos.entries) == MAX_ROWS
    assert len(edit_form.files.entries) == MAX_ROWS


def test_photos_past_the_request_pixel_budget_are_refused_without_decoding(make_app, make,
                                                                         monkeypatch):
    app = make_app(MAX_REQUEST_PIXELS=2_000_000)
    client = editor_client(app, make)
    decoded = []
    monkeypatch.setattr(saving, "store_image", lambda data: decoded.append(data)
                        or store_image(data))
    photos = [(io.BytesIO(jpeg(1000, 800)), f"anh{n}.jpg") for n in range(1, 4)]
    response = client.post("/posts/new", data=form(client, images=photos),
                           content_type="multipart/form-data")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Ảnh “anh3.jpg” chưa được nhận" in html and "anh1.jpg” chưa" not in html
    assert len(decoded) == 2  # the third was judged by its header alone


def test_a_photo_over_the_pixel_limit_is_refused_from_its_header(make_app, make, monkeypatch):
    app = make_app(MAX_IMAGE_PIXELS=1_000_000)
    client = editor_client(app, make)
    monkeypatch.setattr(ImageFile, "load", lambda self: pytest.fail("decoded"))
    data = form(client, images=[(io.BytesIO(jpeg(1100, 1000)), "lon.jpg")])
    response = client.post("/posts/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "lon.jpg" in response.get_data(as_text=True)


# --- finding 11: metadata in attached pictures -------------------------------------------

def exif_of(data: bytes) -> Image.Exif:
    """Return a picture's EXIF block."""
    with Image.open(io.BytesIO(data)) as image:
        return image.getexif()


def png_with_text() -> bytes:
    """A PNG with an EXIF block holding a GPS position and a text chunk."""
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "chụp tại nhà riêng")
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), (10, 200, 30)).save(buffer, "PNG", pnginfo=info,
                                                      exif=gps_exif())
    return buffer.getvalue()


def test_a_jpeg_attachment_is_kept_without_gps_or_camera(client, make, auth):
    make.user("bientap", role="editor", orgs=["hoi-lhpn"])
    auth.login("bientap")
    original = jpeg(1200, 900, gps_exif())
    assert GPS_TAG in exif_of(original)
    data = form(client, attachments=[(io.BytesIO(original), "bien-ban.jpg")])
    assert client.post("/posts/new", data=data,
                       content_type="multipart/form-data").status_code == 303
    attachment = db.session.scalar(db.select(Attachment))
    kept = attachment_path(attachment.stored_name).read_bytes()
    assert attachment.mime_type == "image/jpeg"
    assert GPS_TAG not in exif_of(kept) and MODEL_TAG not in exif_of(kept)
    with Image.open(io.BytesIO(kept)) as image:
        assert image.size == (1200, 900)  # full size: an attachment is not a thumbnail
    assert attachment.size_bytes == len(kept)


def test_a_png_attachment_is_kept_without_exif_or_text(app):
    original = png_with_text()
    kept = attachment_path(store_attachment(original).stored_name).read_bytes()
    with Image.open(io.BytesIO(kept)) as image:
        assert image.format == "PNG" and image.size == (300, 200)
        assert "Comment" not in image.info and GPS_TAG not in image.getexif()


def test_documents_are_kept_byte_for_byte(app):
    pdf = b"%PDF-1.4\n% Author: Nguyen Van A\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    for document in (pdf, docx_bytes()):
        stored = store_attachment(document)
        assert attachment_path(stored.stored_name).read_bytes() == document


def test_reencode_image_turns_the_picture_upright(app):
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to view"
    buffer = io.BytesIO()
    Image.new("RGB", (400, 100), (200, 0, 0)).save(buffer, "JPEG", exif=exif)
    with Image.open(io.BytesIO(reencode_image(buffer.getvalue(), "JPEG"))) as image:
        assert image.size == (100, 400) and 0x0112 not in image.getexif()


# --- finding 11: the database and the uploads are private --------------------------------

def mode_of(path) -> int:
    """Return a file's permission bits."""
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_sqlite_database_and_the_upload_folder_are_private(tmp_path):
    instance = tmp_path / "instance"
    app = create_app({**BASE_CONFIG, "DATABASE_URL": f"sqlite:///{instance / 'bulletin.db'}",
                      "UPLOAD_DIR": str(instance / "uploads"), "AUTO_MIGRATE": True})
    with app.app_context():
        db.session.execute(db.select(Post).limit(1)).all()  # opens the database: WAL files
        assert mode_of(instance / "bulletin.db") == 0o600
        for extra in ("bulletin.db-wal", "bulletin.db-shm"):
            if (instance / extra).exists():
                assert mode_of(instance / extra) == 0o600
        db.engine.dispose()
    assert mode_of(instance / "uploads") == 0o700


# --- finding 11: links that browsers read as another site --------------------------------

@pytest.mark.parametrize("href", ["/\\evil.example", "\\\\evil.example", "/\t/evil.example",
                                  "/\n/evil.example", " //evil.example", "\\/evil.example",
                                  "/\\/evil.example"])
def test_links_browsers_read_as_protocol_relative_are_dropped(href):
    html = clean_html(f'<p><a href="{href}">xem</a></p>')
    assert "evil" not in html and "href" not in html


@pytest.mark.parametrize("href", ["/posts/1", "https://mttq.vn/tin", "#phan-2",
                                  "mailto:vanphong@xa.vn", "/org/hoi-lhpn?page=2"])
def test_ordinary_links_are_kept(href):
    assert f'href="{href}"' in clean_html(f'<a href="{href}">xem</a>')


def test_a_zip_that_is_not_an_office_file_is_still_refused(app):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("evil.exe", b"MZ")
    with pytest.raises(ValueError):
        store_attachment(buffer.getvalue())


# --- Issue 20: photos of a post that stops being public ------------------------------------

def test_a_public_posts_photo_is_cached_briefly_and_revalidated(client, make):
    photo = make.photo(make.post())
    response = client.get(f"/images/{photo.id}/large.jpg", buffered=True)
    assert response.status_code == 200
    cache = response.cache_control
    assert not cache.immutable and cache.must_revalidate
    assert cache.public and 0 < cache.max_age <= 300
    assert response.headers.get("ETag")


def test_unpublishing_a_post_takes_its_photos_back_at_the_next_revalidation(client, make):
    post = make.post()
    photo = make.photo(post)
    first = client.get(f"/images/{photo.id}/large.jpg", buffered=True)
    again = client.get(f"/images/{photo.id}/large.jpg", buffered=True,
                       headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304  # a cache's copy is confirmed while the post is public
    post.status = "draft"
    db.session.commit()
    after = client.get(f"/images/{photo.id}/large.jpg", buffered=True,
                       headers={"If-None-Match": first.headers["ETag"]})
    assert after.status_code == 404
