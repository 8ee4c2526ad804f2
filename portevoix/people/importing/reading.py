"""Reading a CSV or XLSX file into rows of text cells, each with the line the user sees."""

import csv
import datetime
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

if TYPE_CHECKING:
    from _csv import Reader

    from openpyxl.workbook.workbook import Workbook

_XLSX_MAGIC = b"PK\x03\x04"
_DELIMITERS = (",", ";", "\t")


class UnreadableFile(Exception):
    """The file cannot be read at all; `line` is set when the problem has a place."""

    def __init__(self, message: str, *, line: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True)
class RawRow:
    line: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    estimated_rows: int
    rows: Iterator[RawRow]


def is_xlsx(*, content: bytes, file_name: str) -> bool:
    return content.startswith(_XLSX_MAGIC) or file_name.lower().endswith(".xlsx")


def read_table(*, content: bytes, file_name: str) -> Table:
    """Open a CSV (UTF-8, with or without BOM, `,` `;` or tab) or XLSX file; rows are read lazily."""
    if not content:
        raise UnreadableFile(_("The file is empty."))
    if file_name.lower().endswith(".xls") or content.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFile(_("Old Excel files (.xls) are not supported: save the file as .xlsx or CSV."))
    if is_xlsx(content=content, file_name=file_name):
        return _read_xlsx(content)
    return _read_csv(content)


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise UnreadableFile(
            _("The file is not UTF-8 text. Save it as “CSV UTF-8” (or as XLSX) and upload it again."), line=line
        ) from None


def _read_csv(content: bytes) -> Table:
    text = _decode(content)
    first_line = text.split("\n", 1)[0]
    delimiter = max(_DELIMITERS, key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise UnreadableFile(_("The header line cannot be read: %(reason)s") % {"reason": error}, line=1) from None
    if header is None or not any(cell.strip() for cell in header):
        raise UnreadableFile(_("The file has no header line."), line=1)
    return Table(header=tuple(header), estimated_rows=text.count("\n"), rows=_csv_rows(reader))


def _csv_rows(reader: "Reader") -> Iterator[RawRow]:
    while True:
        # A quoted cell may span several lines: a record is numbered by the line it starts on.
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise UnreadableFile(_("This line cannot be read: %(reason)s") % {"reason": error}, line=line) from None
        if any(cell.strip() for cell in cells):
            yield RawRow(line=line, cells=tuple(cells))


def _read_xlsx(content: bytes) -> Table:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise UnreadableFile(_("The file cannot be read as an Excel workbook (.xlsx).")) from None
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(min_row=1, values_only=True)
    header_cells = next(rows, None)
    if header_cells is None or not any(_cell_text(value) for value in header_cells):
        workbook.close()
        raise UnreadableFile(_("The file has no header line."), line=1)
    estimated = sheet.max_row or 0
    return Table(
        header=tuple(_cell_text(value) for value in header_cells),
        estimated_rows=estimated,
        rows=_xlsx_rows(rows, workbook),
    )


def _xlsx_rows(rows: Iterator[tuple[object, ...]], workbook: "Workbook") -> Iterator[RawRow]:
    try:
        for line, values in enumerate(rows, start=2):
            cells = tuple(_cell_text(value) for value in values)
            if any(cell for cell in cells):
                yield RawRow(line=line, cells=cells)
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        # Spreadsheets store employee numbers typed as 1042 as the float 1042.0.
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()
