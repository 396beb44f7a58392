"""Uploads accepted before a form is saved: kept across a failed validation.

When a post form comes back with an error, the photos and files already accepted are stored
on disk and listed in a signed hidden field, so the editor does not have to pick them again.
"""

from dataclasses import asdict, dataclass, field

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

SALT = "pending-uploads"


@dataclass
class PendingImage:
    """A photo stored on disk, not yet attached to a post."""

    file_key: str
    width: int
    height: int
    thumb_width: int
    thumb_height: int
    original_name: str
    caption: str = ""


@dataclass
class PendingFile:
    """An attachment stored on disk, not yet attached to a post."""

    stored_name: str
    mime_type: str
    size_bytes: int
    original_name: str


@dataclass
class Pending:
    """Everything accepted so far for one form."""

    images: list[PendingImage] = field(default_factory=list)
    files: list[PendingFile] = field(default_factory=list)

    def dump(self) -> str:
        """Serialise and sign for the hidden field."""
        data = {"images": [asdict(i) for i in self.images],
                "files": [asdict(f) for f in self.files]}
        return _serializer().dumps(data) if (self.images or self.files) else ""

    @classmethod
    def load(cls, token: str | None) -> "Pending":
        """Read the hidden field back; a forged or broken token counts as nothing."""
        if not token:
            return cls()
        try:
            data = _serializer().loads(token)
            return cls(images=[PendingImage(**i) for i in data.get("images", [])],
                       files=[PendingFile(**f) for f in data.get("files", [])])
        except (BadSignature, TypeError, AttributeError):
            return cls()


def _serializer() -> URLSafeSerializer:
    """Return the signer of pending-upload tokens."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)
