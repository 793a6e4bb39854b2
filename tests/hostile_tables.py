"""Hostile uploads for the tests, made on the fly: a CSV of millions of tiny rows that is never
held in memory, and XLSX workbooks written part by part (a zip bomb, a sheet declaring a
million rows). Nothing here is stored in the repository."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

OPEN_XML = "http://schemas.openxmlformats.org"
RELATIONSHIPS = f"{OPEN_XML}/officeDocument/2006/relationships"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
CONTENT_TYPES = (
    f'<Types xmlns="{OPEN_XML}/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{SHEET_TYPE}.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    f'ContentType="{SHEET_TYPE}.worksheet+xml"/>'
    "</Types>"
)
PACKAGE_RELS = (
    f'<Relationships xmlns="{OPEN_XML}/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    f'<workbook xmlns="{OPEN_XML}/spreadsheetml/2006/main" xmlns:r="{RELATIONSHIPS}">'
    '<sheets><sheet name="grades" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    f'<Relationships xmlns="{OPEN_XML}/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)


def tiny_rows_csv(rows: int) -> Iterator[bytes]:
    """Yield a CSV of a header and ``rows`` rows of one letter, a chunk at a time."""
    yield b"email\n"
    chunk = 10_000
    for start in range(0, rows, chunk):
        yield b"a\n" * min(chunk, rows - start)


class GeneratedFile(io.RawIOBase):
    """A seekable binary file whose bytes come from a generator, made again when rewound."""

    def __init__(self, chunks: Callable[[], Iterator[bytes]]) -> None:
        self._chunks = chunks
        self.seek(0)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if (offset, whence) != (0, io.SEEK_SET):
            raise io.UnsupportedOperation("a generated file can only be rewound")
        self._source, self._pending, self._position = self._chunks(), b"", 0
        return 0

    def tell(self) -> int:
        return self._position

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while not self._pending:
            self._pending = next(self._source, b"")
            if not self._pending:
                return 0
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        self._position += size
        return size


def generated_file(chunks: Callable[[], Iterator[bytes]]) -> io.BufferedReader:
    """Return ``chunks`` as a buffered binary file, as the CLI's open file would be."""
    return io.BufferedReader(GeneratedFile(chunks))


def write_xlsx(path: Path, rows: int, dimension: str | None = None) -> Path:
    """Write a one-sheet workbook of a header and ``rows`` one-cell rows, streamed into the zip.

    ``dimension`` is the size the sheet declares (``A1:A1000000``); None writes none.
    """
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", PACKAGE_RELS)
        zf.writestr("xl/workbook.xml", WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for part in _sheet_xml(rows, dimension):
                sheet.write(part)
    return path


def _sheet_xml(rows: int, dimension: str | None) -> Iterator[bytes]:
    yield (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    )
    if dimension:
        yield f'<dimension ref="{dimension}"/>'.encode()
    yield b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>email</t></is></c></row>'
    chunk = 10_000
    for start in range(2, rows + 2, chunk):
        yield "".join(
            f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>a</t></is></c></row>'
            for n in range(start, min(start + chunk, rows + 2))
        ).encode()
    yield b"</sheetData></worksheet>"
