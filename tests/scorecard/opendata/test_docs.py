"""docs/open-data.md documents every dataset and field exactly as the code declares them."""

import re
from pathlib import Path

from django.conf import settings

from scorecard import opendata
from tests.scorecard.opendata.world import (
    DATASETS,
)

DOC = Path(settings.BASE_DIR) / "docs" / "open-data.md"


def _doc_tables() -> dict[str, list[tuple[str, str]]]:
    tables, current = {}, None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^### `([a-z_]+)`", line)
        if heading:
            current = tables.setdefault(heading.group(1), [])
            continue
        cell = re.match(r"^\| `([a-z_]+)` \| ([a-z]+) \|", line)
        if cell and current is not None:
            current.append((cell.group(1), cell.group(2)))
    return tables


def test_docs_document_every_dataset_and_field_as_defined():
    tables = _doc_tables()
    assert list(tables) == DATASETS
    for name, d in opendata.DATASETS.items():
        assert tables[name] == [(f.name, f.type) for f in d.fields], name
    # the whole section is the generated one, meanings and examples included
    assert opendata.fields_markdown() in DOC.read_text(encoding="utf-8")
    for kind in opendata.TYPES:
        assert f"`{kind}`" in DOC.read_text(encoding="utf-8")
