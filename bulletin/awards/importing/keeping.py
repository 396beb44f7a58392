"""The uploaded workbook kept between its dry run and its confirm, named by a signed token."""

import hashlib
import json
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer

from bulletin.awards.importing import parsed
from bulletin.awards.importing.workbook import ImportFileError, Sheet
from bulletin.models import User
from bulletin.uploads import upload_root

KEEP_SECONDS = 24 * 3600
CONFIRM_SALT = "awards-import"

@dataclass
class KeptFile:
    """An uploaded workbook waiting for its confirm."""

    name: str
    digest: str
    original_name: str
    sheet_digest: str = ""

    @property
    def path(self) -> Path:
        """Where the file waits."""
        return imports_dir() / f"{self.name}.xlsx"

    @property
    def sheet_path(self) -> Path:
        """Where the dry run's reading of the file waits (JSON), if it was kept."""
        return imports_dir() / f"{self.name}.sheet.json"


def imports_dir() -> Path:
    """The shared folder (under UPLOAD_DIR) for workbooks awaiting confirmation."""
    return upload_root() / "imports"


def _serializer() -> URLSafeTimedSerializer:
    """The signer of import tokens."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=CONFIRM_SALT)


def keep_file(data: bytes, user: User, original_name: str, sheet: Sheet | None = None) -> str:
    """Keep an uploaded workbook for its confirm, and the dry run's reading of it (`sheet`,
    as JSON, its digest signed in the token) so that the confirm need not read it again;
    return the signed token naming them."""
    remove_stale()
    folder = imports_dir()
    folder.mkdir(parents=True, exist_ok=True)
    name = secrets.token_hex(16)
    fields = {"f": name, "u": user.id, "h": hashlib.sha256(data).hexdigest(),
              "n": original_name}
    if sheet is not None:
        text = json.dumps(parsed.sheet_to_json(sheet), ensure_ascii=False,
                          separators=(",", ":")).encode()
        _write(folder / f"{name}.sheet.json", text)
        fields["s"] = hashlib.sha256(text).hexdigest()
    _write(folder / f"{name}.xlsx", data)
    return _serializer().dumps(fields)


def _write(path: Path, data: bytes) -> None:
    """Write a file whole or not at all (a temporary file renamed)."""
    tmp = path.with_name(f"{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def kept_sheet(kept: KeptFile, as_typed: frozenset[str]) -> Sheet | None:
    """The dry run's reading of the kept file, if it was kept unchanged and read with the same
    columns left as typed; None otherwise (the file is read again)."""
    if not kept.sheet_digest:
        return None
    try:
        text = kept.sheet_path.read_bytes()
    except FileNotFoundError:
        return None
    if hashlib.sha256(text).hexdigest() != kept.sheet_digest:
        return None
    try:
        sheet = parsed.sheet_from_json(json.loads(text))
    except (KeyError, TypeError, ValueError):  # written by another version of this code
        return None
    return sheet if sheet.as_typed == frozenset(as_typed) else None


def forget_sheet(kept: KeptFile) -> None:
    """Delete the kept reading once the file is imported."""
    kept.sheet_path.unlink(missing_ok=True)


def load_token(token: str, user: User) -> KeptFile:
    """Read a confirm token; refuse a forged, expired or someone else's one."""
    try:
        data = _serializer().loads(token or "", max_age=KEEP_SECONDS)
        kept = KeptFile(str(data["f"]), str(data["h"]), str(data.get("n", "")),
                        str(data.get("s", "")))
        owner = data["u"]
    except (BadSignature, KeyError, TypeError) as error:
        raise ImportFileError(_("Phiên nhập không hợp lệ hoặc đã hết hạn. Hãy tải tệp lên "
                                "lại.")) from error
    if owner != user.id or not re.fullmatch(r"[0-9a-f]{32}", kept.name):
        raise ImportFileError(_("Phiên nhập không hợp lệ. Hãy tải tệp lên lại."))
    return kept


def claim(kept: KeptFile) -> tuple[Path, bytes]:
    """Take the kept file for this confirm only (an atomic rename); refuse a second confirm."""
    claimed = kept.path.with_name(f"{kept.name}.claimed-{secrets.token_hex(4)}")
    try:
        os.rename(kept.path, claimed)
    except FileNotFoundError as error:
        raise ImportFileError(_("Tệp này đã được nhập rồi, hoặc đã quá hạn xác nhận: không "
                                "ghi thêm gì. Muốn nhập lại, hãy tải tệp lên lần nữa.")) \
            from error
    data = claimed.read_bytes()
    if hashlib.sha256(data).hexdigest() != kept.digest:
        claimed.unlink(missing_ok=True)
        raise ImportFileError(_("Tệp chờ nhập đã bị thay đổi. Hãy tải tệp lên lại."))
    return claimed, data


def read_kept(kept: KeptFile) -> bytes:
    """The kept file's bytes, without claiming it (to show its dry run again)."""
    try:
        data = kept.path.read_bytes()
    except FileNotFoundError as error:
        raise ImportFileError(_("Tệp này đã được nhập rồi, hoặc đã quá hạn xác nhận. Hãy tải "
                                "tệp lên lần nữa.")) from error
    if hashlib.sha256(data).hexdigest() != kept.digest:
        raise ImportFileError(_("Tệp chờ nhập đã bị thay đổi. Hãy tải tệp lên lại."))
    return data


def release(kept: KeptFile, claimed: Path) -> None:
    """Put a claimed file back (the confirm failed for a reason other than the file)."""
    if claimed.exists():
        os.replace(claimed, kept.path)


def remove_stale(max_age: float = KEEP_SECONDS) -> None:
    """Delete kept files older than a day: dry runs that were never confirmed."""
    folder = imports_dir()
    if not folder.is_dir():
        return
    limit = time.time() - max_age
    for path in folder.iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except FileNotFoundError:  # another worker removed it meanwhile
            continue
