"""Streamed CSV for spreadsheet users, shared by every download (the ledger, the open data)."""

import csv
from collections.abc import Iterable, Iterator

BOM = "\ufeff"  # spreadsheet programs read UTF-8 only when the file starts with it


def spreadsheet_text(value):
    """Text a spreadsheet would run as a formula (=, +, -, @ …) gets a leading apostrophe so it stays text.
    Only for text columns: amounts such as -36000.00 are numbers and are written as they are."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


class _Echo:
    def write(self, value):
        return value


def csv_lines(header: list[str], rows: Iterable[list], *, batch: int = 500) -> Iterator[str]:
    """The BOM and the header row, then the rows, a few hundred per chunk (for a StreamingHttpResponse)."""
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow(header)
    chunk = []
    for cells in rows:
        chunk.append(writer.writerow(cells))
        if len(chunk) >= batch:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)
