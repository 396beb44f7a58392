"""Uploaded files: photos validated by content and re-encoded, attachments checked by type.

Photos are decoded with Pillow, turned upright, stripped of every metadata block (EXIF with
GPS, XMP, ICC) by re-encoding, and kept in two sizes: `large` (at most IMAGE_LARGE_SIZE on the
long side) and `thumb`. Attachments are allow-listed by their first bytes, never by name.
"""

import io
import os
import re
import uuid
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from flask import current_app

from bulletin.text import clean_line

if TYPE_CHECKING:  # Pillow is loaded by the first photo a worker handles, not by every worker
    from PIL import Image

IMAGE_SIZES = ("large", "thumb")
# Copies made from `large` when first asked for (so photos stored before them have them too):
# a middle size for phones, and WebP for browsers that take it. They live in renditions/,
# apart from the stored sizes, and can always be made again.
MEDIUM_SIDE = 1000
RENDITIONS = {("medium", "jpg"), ("medium", "webp"), ("large", "webp"), ("thumb", "webp")}
ALLOWED_IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF"}

# Attachments allowed, by their real type: (mime type, extension).
PDF = ("application/pdf", "pdf")
DOCX = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx")
XLSX = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
PPTX = ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx")
ODT = ("application/vnd.oasis.opendocument.text", "odt")
ODS = ("application/vnd.oasis.opendocument.spreadsheet", "ods")
JPEG = ("image/jpeg", "jpg")
PNG = ("image/png", "png")
MAX_ZIP_UNCOMPRESSED = 200 * 1024 * 1024


class UploadError(ValueError):
    """A file that cannot be accepted; the message is shown to the user."""


@dataclass
class StoredImage:
    """What was kept of an uploaded photo."""

    file_key: str
    width: int
    height: int
    thumb_width: int
    thumb_height: int


@dataclass
class StoredFile:
    """What was kept of an uploaded attachment."""

    stored_name: str
    mime_type: str
    size_bytes: int


def upload_root() -> Path:
    """Return the folder that holds every upload."""
    return Path(current_app.config["UPLOAD_DIR"])


def image_path(file_key: str, size: str) -> Path:
    """Return where one size of a photo is kept."""
    if size not in IMAGE_SIZES:
        raise ValueError(size)
    return upload_root() / "images" / file_key[:2] / f"{file_key}_{size}.jpg"


def attachment_path(stored_name: str) -> Path:
    """Return where an attachment is kept."""
    return upload_root() / "files" / stored_name[:2] / stored_name


def open_image(data: bytes, draft_size: int | None = None) -> "Image.Image":
    """Decode a photo, refusing non-images and, from the header, before any decoding,
    pictures of more than MAX_IMAGE_PIXELS (decompression bombs).

    With `draft_size`, a large JPEG is decoded straight at a reduced scale no smaller
    than that on either side (much faster; the result is resized anyway)."""
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = current_app.config["MAX_IMAGE_PIXELS"]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in ALLOWED_IMAGE_FORMATS:
                raise UploadError("unsupported image format")
            if image.width * image.height > current_app.config["MAX_IMAGE_PIXELS"]:
                raise UploadError("image too large")
            if draft_size and image.format == "JPEG":
                image.draft("RGB", (draft_size, draft_size))
            image.load()
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning,
            OSError, SyntaxError, ValueError) as error:
        if isinstance(error, UploadError):
            raise
        raise UploadError("not a readable image") from error
    return image


def image_pixels(data: bytes) -> int:
    """Return the pixel count a photo's header declares (0 when it is not an image)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                return image.width * image.height
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError,
            ValueError):
        return 0


def _flatten(image: "Image.Image") -> "Image.Image":
    """Return an RGB copy, transparent areas painted white."""
    from PIL import Image

    if image.mode in ("RGBA", "LA", "P"):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _save_jpeg(image: "Image.Image", path: Path) -> None:
    """Write a JPEG with no metadata at all, atomically (nothing is left when it fails)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    try:
        image.save(tmp, "JPEG", quality=85, optimize=True, progressive=True)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def store_image(data: bytes) -> StoredImage:
    """Validate, orient, strip and resize a photo; keep a large copy and a thumbnail."""
    from PIL import Image, ImageOps

    large_side = current_app.config["IMAGE_LARGE_SIZE"]
    image = _flatten(ImageOps.exif_transpose(open_image(data, draft_size=large_side)))
    key = uuid.uuid4().hex
    large = image.copy()
    large.thumbnail((large_side, large_side), Image.Resampling.LANCZOS)
    thumb = image.copy()
    thumb.thumbnail(tuple(current_app.config["IMAGE_THUMB_SIZE"]), Image.Resampling.LANCZOS)
    try:
        _save_jpeg(large, image_path(key, "large"))
        _save_jpeg(thumb, image_path(key, "thumb"))
    except BaseException:
        remove_image(key)
        raise
    return StoredImage(key, large.width, large.height, thumb.width, thumb.height)


def remove_image(file_key: str) -> None:
    """Delete every size of a photo (one whose row was never committed, or is gone)."""
    for size in IMAGE_SIZES:
        image_path(file_key, size).unlink(missing_ok=True)
    for size, ext in RENDITIONS:
        rendition_path(file_key, size, ext).unlink(missing_ok=True)


def rendition_path(file_key: str, size: str, ext: str) -> Path:
    """Return where a made-on-demand copy of a photo is kept."""
    if (size, ext) not in RENDITIONS:
        raise ValueError((size, ext))
    return upload_root() / "renditions" / file_key[:2] / f"{file_key}_{size}.{ext}"


def ensure_rendition(file_key: str, size: str, ext: str) -> Path | None:
    """Return the path of a rendition, making it from the large JPEG the first time; None
    when the photo's large copy is gone."""
    path = rendition_path(file_key, size, ext)
    if path.is_file():
        return path
    source = image_path(file_key, "thumb" if size == "thumb" else "large")
    if not source.is_file():
        return None
    from PIL import Image

    with Image.open(source) as opened:
        image = opened.convert("RGB")
    if size == "medium":
        image.thumbnail((MEDIUM_SIDE, MEDIUM_SIDE), Image.Resampling.LANCZOS)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{uuid.uuid4().hex}.tmp")  # two workers may race
    try:
        if ext == "webp":
            image.save(tmp, "WEBP", quality=80, method=4)
        else:
            image.save(tmp, "JPEG", quality=82, optimize=True, progressive=True)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path



def remove_attachment(stored_name: str) -> None:
    """Delete an attachment file (one whose row was never committed, or is gone)."""
    attachment_path(stored_name).unlink(missing_ok=True)


def sniff_attachment(data: bytes) -> tuple[str, str]:
    """Return (mime type, extension) of an allowed document, judged by its content."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    raise UploadError("file type not allowed")


def _sniff_zip(data: bytes) -> tuple[str, str]:
    """Tell an Office or OpenDocument file from any other zip."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if sum(info.file_size for info in archive.infolist()) > MAX_ZIP_UNCOMPRESSED:
                raise UploadError("archive expands too much")
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                for kind in (ODT, ODS):
                    if mimetype == kind[0]:
                        return kind
    except zipfile.BadZipFile as error:
        raise UploadError("damaged document") from error
    if "[Content_Types].xml" in names:
        if any(name.startswith("word/") for name in names):
            return DOCX
        if any(name.startswith("xl/") for name in names):
            return XLSX
        if any(name.startswith("ppt/") for name in names):
            return PPTX
    raise UploadError("file type not allowed")


def reencode_image(data: bytes, image_format: str) -> bytes:
    """Return a JPEG or PNG re-encoded without EXIF (GPS, camera), XMP or comments, turned
    upright, at its full size. Raises UploadError for a picture that cannot be read."""
    from PIL import ImageOps

    image = ImageOps.exif_transpose(open_image(data))
    if image_format == "JPEG" and image.mode not in ("RGB", "L", "CMYK"):
        image = _flatten(image)
    buffer = io.BytesIO()
    if image_format == "JPEG":
        image.save(buffer, "JPEG", quality=92, optimize=True)
    else:
        image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def store_attachment(data: bytes) -> StoredFile:
    """Check an attachment's real type and keep it under a server-made name.

    JPEG and PNG files are re-encoded without metadata like photos (scans of papers and
    pictures attached as files carry GPS and camera data too); documents are kept as sent."""
    if not data:
        raise UploadError("empty file")
    mime_type, extension = sniff_attachment(data)
    if (mime_type, extension) in (JPEG, PNG):
        data = reencode_image(data, "JPEG" if extension == "jpg" else "PNG")
    stored_name = f"{uuid.uuid4().hex}.{extension}"
    path = attachment_path(stored_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return StoredFile(stored_name, mime_type, len(data))


def type_label(mime_type: str) -> str:
    """A short name for a file type, as shown next to an attachment."""
    labels = {PDF[0]: "PDF", DOCX[0]: "Word", XLSX[0]: "Excel", PPTX[0]: "PowerPoint",
              ODT[0]: "ODT", ODS[0]: "ODS", JPEG[0]: "JPG", PNG[0]: "PNG"}
    return labels.get(mime_type, mime_type)


def content_disposition(name: str, ascii_name: str | None = None) -> str:
    """A download header keeping a Vietnamese file name (RFC 6266 / 5987), with an ASCII
    fallback for old clients."""
    fallback = ascii_name or name.encode("ascii", "ignore").decode()
    fallback = re.sub(r'["\\\r\n]', "", fallback).strip() or "download"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def safe_filename(name: str | None, fallback: str) -> str:
    """Keep a readable original name (Vietnamese kept) without any path."""
    name = clean_line((name or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"|?*')
    return name[:200] or fallback


class UploadRefused(ValueError):
    """An upload that was not kept: its safe name, and why (an UploadError's text)."""

    def __init__(self, name: str, reason: str):
        super().__init__(reason)
        self.name, self.reason = name, reason


TOO_LARGE = "too large"


def accept_upload(upload, fallback_name: str, limit: int, store, check=None):
    """Read one uploaded file (at most `limit` bytes), let `check` look at it, keep it.

    `store` checks the content (not the name) and writes it: `store_image`, `store_attachment`
    or a caller's own. Returns (the safe original name, what `store` returned); raises
    UploadRefused naming the file and the reason, with nothing left on disk.
    """
    name = safe_filename(upload.filename, fallback_name)
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        raise UploadRefused(name, TOO_LARGE)
    try:
        if check is not None:
            check(data)
        return name, store(data)
    except UploadError as error:
        raise UploadRefused(name, str(error)) from error

