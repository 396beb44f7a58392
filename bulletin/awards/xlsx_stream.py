"""Stream an .xlsx that openpyxl laid out, with one sheet's many rows written in as they come.

openpyxl saves a write-only workbook holding everything but the data rows: styles, the
workbook and its print titles, the sheet's title and header rows, widths and page setup. That
small package is zipped again into a stream, member by member, and the sheet's rows (worksheet
XML text made by the caller) go in just before its `</sheetData>`. zipfile writes to a stream
it cannot seek (sizes in data descriptors), so the first bytes leave once the first rows are
read, and the worker never holds more than a batch of rows and the small package.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator

SHEET_DATA_END = b"</sheetData>"


class _Sink:
    """A stream zipfile writes to and cannot seek: it keeps the bytes until they are taken."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def write(self, data) -> int:
        """Keep one piece of the package."""
        self._chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        """Nothing to do: the bytes wait for `take`."""

    def take(self) -> bytes:
        """Everything written since the last call."""
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def _split_sheet(xml: bytes) -> tuple[bytes, bytes]:
    """The sheet's XML before and from its `</sheetData>` (openpyxl writes it once)."""
    cut = xml.rindex(SHEET_DATA_END)
    return xml[:cut], xml[cut:]


def stream(workbook, sheet, rows: Iterable[str]) -> Iterator[bytes]:
    """Yield the workbook as an .xlsx, `rows` (worksheet XML, in order, numbered after the
    rows openpyxl wrote) appended to `sheet`'s data; the workbook is saved, so closed."""
    # The first rows before the first byte: a query that fails then gets an error page, not a
    # cut file.
    rows = iter(rows)
    first = next(rows, "")
    laid_out = io.BytesIO()
    workbook.save(laid_out)
    sheet_name = sheet.path.lstrip("/")  # numbered when saved
    sink = _Sink()
    # zlib's default level, as openpyxl's: level 1 would save a second per 100,000 rows and
    # send a file half as large again, slower to download on a commune's line.
    with zipfile.ZipFile(laid_out) as source, \
            zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as package:
        for info in source.infolist():
            if info.filename != sheet_name:
                package.writestr(info, source.read(info))
        head, tail = _split_sheet(source.read(sheet_name))
        yield sink.take()
        sheet_info = zipfile.ZipInfo(sheet_name, source.getinfo(sheet_name).date_time)
        sheet_info.compress_type = zipfile.ZIP_DEFLATED
        with package.open(sheet_info, "w") as member:
            member.write(head + first.encode("utf-8"))
            for text in rows:
                member.write(text.encode("utf-8"))
                if chunk := sink.take():
                    yield chunk
            member.write(tail)
    yield sink.take()
