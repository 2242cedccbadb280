"""The wire formats of GeoReport v2: JSON and XML with the specification's element names, dates in ISO 8601
with an offset, and errors as a list of code and description."""

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from xml.etree import ElementTree as ET

from django.http import HttpResponse
from django.utils import timezone

FORMATS = ("json", "xml")
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}


def iso(moment: datetime | None) -> str:
    """'2026-03-02T09:15:00+08:00': seconds, in Beijing time, with the offset the specification requires."""
    if moment is None:
        return ""
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return iso(value)
    return str(value)


def _json_value(value):
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Mapping):
        return {key: _json_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value(item) for item in value]
    return value


# Lists inside an element: the list's element name and the name of each item in it.
XML_ITEMS = {"attributes": "attribute", "values": "value", "endpoints": "endpoint", "formats": "format"}


def _element(parent: ET.Element, name: str, value) -> None:
    node = ET.SubElement(parent, name)
    if isinstance(value, Mapping):
        for key, item in value.items():
            _element(node, key, item)
    elif isinstance(value, list | tuple):
        for item in value:
            _element(node, XML_ITEMS.get(name, "item"), item)
    else:
        node.text = _text(value)


def xml_document(root: str, item: str | None, content) -> bytes:
    """<root><item>…</item>…</root> for a list (or <root>…</root> for one mapping), UTF-8 with the declaration."""
    top = ET.Element(root)
    if item is None:
        for key, value in content.items():
            _element(top, key, value)
    else:
        for row in content:
            _element(top, item, row)
    return ET.tostring(top, encoding="UTF-8", xml_declaration=True)


def respond(fmt: str, root: str, item: str | None, content, status: int = 200) -> HttpResponse:
    """The answer in `fmt`: JSON (a list, or one object where the specification has one) or XML."""
    if fmt == "xml":
        body = xml_document(root, item, content)
    else:
        body = json.dumps(_json_value(content if item is None else list(content)), ensure_ascii=False).encode()
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def error_response(fmt: str, status: int, errors: Iterable[str]) -> HttpResponse:
    """[{"code": 400, "description": "…"}] or <errors><error><code>400</code><description>…</description>…"""
    rows = [{"code": status, "description": str(description)} for description in errors]
    return respond(fmt if fmt in FORMATS else "xml", "errors", "error", rows, status=status)
