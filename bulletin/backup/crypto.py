"""Backups encrypted with a passphrase (BACKUP_PASSPHRASE): AES-256-GCM in 1 MiB chunks.

An encrypted backup is the same tar archive, streamed through `EncryptingWriter`:

    header   MAGIC, a random 16-byte salt, scrypt's log2(n), r and p, a 16-byte check value
    chunks   1 byte "last" flag, 4 bytes ciphertext length, ciphertext with its GCM tag

The key comes from the passphrase and the salt (scrypt, so guessing costs memory and time),
and so does the check value, which tells a wrong passphrase from a damaged file;
each chunk's nonce is its number and its flag, and the header is authenticated with every
chunk, so a chunk moved, dropped, changed or cut off is refused, as is a wrong passphrase.
The library is `cryptography` (pyca), never a hand-made cipher.
"""

import hmac
import os
import struct
from pathlib import Path
from typing import BinaryIO

from bulletin.backup.errors import BackupError

MAGIC = b"BTENC\x01\r\n"
SALT_BYTES = 16
SCRYPT = (15, 8, 1)  # log2(n), r, p: 32 MiB and about 0.1 s per backup
CHECK_BYTES = 16
HEADER = struct.Struct(f">{len(MAGIC)}s{SALT_BYTES}sBBB{CHECK_BYTES}s")
CHUNK_HEAD = struct.Struct(">BI")
CHUNK = 1024 * 1024
TAG = 16


def is_encrypted(path: Path) -> bool:
    """Return True when the file starts like an encrypted backup."""
    with open(path, "rb") as raw:
        return raw.read(len(MAGIC)) == MAGIC


def derive_key(passphrase: str, salt: bytes, log_n: int, r: int, p: int) -> tuple[bytes, bytes]:
    """Return the AES key and the check value of a passphrase and a salt."""
    if not 10 <= log_n <= 22 or not 1 <= r <= 32 or not 1 <= p <= 16:
        raise BackupError("the encrypted backup's header is damaged")
    # cryptography (about 8 MB) is loaded by an encrypted backup, not by every worker.
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    derived = Scrypt(salt=salt, length=32 + CHECK_BYTES, n=2 ** log_n, r=r,
                     p=p).derive(passphrase.encode())
    return derived[:32], derived[32:]


def nonce(number: int, last: bool) -> bytes:
    """Return a chunk's nonce: its number and whether it is the last one."""
    return number.to_bytes(11, "big") + bytes([last])


class EncryptingWriter:
    """A write-only file that encrypts what is written into `raw`; close() ends it."""

    def __init__(self, raw: BinaryIO, passphrase: str):
        salt = os.urandom(SALT_BYTES)
        key, check = derive_key(passphrase, salt, *SCRYPT)
        self.header = HEADER.pack(MAGIC, salt, *SCRYPT, check)
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self.aead = AESGCM(key)
        self.raw = raw
        self.raw.write(self.header)
        self.buffer = bytearray()
        self.number = 0
        self.written = 0

    def write(self, data: bytes) -> int:
        """Encrypt whole chunks as they fill up."""
        self.buffer += data
        self.written += len(data)
        while len(self.buffer) > CHUNK:
            self._chunk(bytes(self.buffer[:CHUNK]), last=False)
            del self.buffer[:CHUNK]
        return len(data)

    def tell(self) -> int:
        """Return how many plain bytes were written (tarfile asks)."""
        return self.written

    def close(self) -> None:
        """Write the last chunk (possibly empty), which marks the end."""
        if self.buffer is not None:
            self._chunk(bytes(self.buffer), last=True)
            self.buffer = None

    def _chunk(self, plain: bytes, last: bool) -> None:
        """Encrypt and write one chunk."""
        sealed = self.aead.encrypt(nonce(self.number, last), plain, self.header)
        self.raw.write(CHUNK_HEAD.pack(last, len(sealed)) + sealed)
        self.number += 1


class DecryptingReader:
    """A read-only file giving back the plain bytes of an encrypted backup in `raw`."""

    def __init__(self, raw: BinaryIO, passphrase: str | None):
        self.raw = raw
        self.header = raw.read(HEADER.size)
        if len(self.header) != HEADER.size:
            raise BackupError("the encrypted backup is incomplete")
        magic, salt, log_n, r, p, check = HEADER.unpack(self.header)
        if magic != MAGIC:
            raise BackupError("it is not an encrypted Bảng tin backup")
        if not passphrase:
            raise BackupError("the backup is encrypted: give its passphrase (BACKUP_PASSPHRASE)")
        key, expected = derive_key(passphrase, salt, log_n, r, p)
        if not hmac.compare_digest(check, expected):
            raise BackupError("cannot decrypt the backup: wrong passphrase")
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self.aead = AESGCM(key)
        self.buffer = b""
        self.number = 0
        self.ended = False

    def read(self, size: int = -1) -> bytes:
        """Return up to `size` plain bytes (all that is left when size < 0)."""
        while (size < 0 or len(self.buffer) < size) and not self.ended:
            self.buffer += self._chunk()
        if size < 0:
            size = len(self.buffer)
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def tell(self) -> int:
        """Return how far into the encrypted file reading has gone (for progress bars)."""
        return self.raw.tell()

    def _chunk(self) -> bytes:
        """Read, check and decrypt the next chunk."""
        head = self.raw.read(CHUNK_HEAD.size)
        if len(head) != CHUNK_HEAD.size:
            raise BackupError("the encrypted backup is incomplete (cut short)")
        last, length = CHUNK_HEAD.unpack(head)
        sealed = self.raw.read(length) if last in (0, 1) and length <= CHUNK + TAG else b""
        if len(sealed) != length:
            raise BackupError("the encrypted backup is incomplete (cut short)")
        from cryptography.exceptions import InvalidTag

        try:
            plain = self.aead.decrypt(nonce(self.number, bool(last)), sealed, self.header)
        except InvalidTag:
            raise BackupError("cannot decrypt the backup: the file is damaged") from None
        self.number += 1
        if last:
            self.ended = True
            if self.raw.read(1):
                raise BackupError("the encrypted backup has bytes after its end")
        return plain
