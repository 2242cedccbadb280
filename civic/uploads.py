"""Uploaded files, one policy for every app (proofs of residence, proposal attachments, project photos and
whatever a later stage takes):

- the size is checked against one limit (settings.UPLOAD_MAX_BYTES, 10 MiB by default);
- the type is what the content is, found by parsing the whole file — never the name or the browser's word:
  an image must open and decode with Pillow, a PDF must parse with pypdf and have at least one page;
- images are re-encoded (orientation applied, every metadata tag such as GPS dropped, at most MAX_SIDE
  pixels on a side) as JPEG;
- every stored file gets a generated name with the extension of its verified type, so nothing a client
  names reaches the disk or a Content-Type header.
"""

from __future__ import annotations

import io
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import InvalidInput

IMAGE, DOCUMENT = "image", "document"
MAX_SIDE = 2400
CONTENT_TYPES = {IMAGE: "image/jpeg", DOCUMENT: "application/pdf"}
EXTENSIONS = {IMAGE: "jpg", DOCUMENT: "pdf"}


@dataclass(frozen=True)
class CleanUpload:
    kind: str  # IMAGE or DOCUMENT
    file: ContentFile  # generated name, verified extension
    original_name: str  # as the client named it, trimmed: for display only

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.kind]


def sniff(head: bytes) -> str | None:
    """A first guess from the leading bytes; `accept_upload` then parses the whole file to confirm it."""
    if head.startswith(b"\xff\xd8\xff"):
        return IMAGE
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return IMAGE
    if head.startswith(b"%PDF-"):
        return DOCUMENT
    return None


def _display_name(upload) -> str:
    return (getattr(upload, "name", "") or "file").replace("\\", "/").rsplit("/", 1)[-1][-100:]


def _generated(kind: str, data: bytes) -> ContentFile:
    return ContentFile(data, name=f"{uuid.uuid4().hex}.{EXTENSIONS[kind]}")


def _reencode_image(upload) -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(upload) as opened:
            opened.load()
            image = ImageOps.exif_transpose(opened)  # keep the orientation, then drop every tag
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    clean = Image.new(image.mode if image.mode in ("RGB", "L") else "RGB", image.size)
    clean.paste(image.convert(clean.mode))
    buffer = io.BytesIO()
    clean.save(buffer, "JPEG", quality=85, optimize=True)
    return buffer.getvalue()


def _parsed_pdf(data: bytes) -> bytes:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data), strict=True)
        if len(reader.pages) < 1:
            raise ValueError("no pages")
        reader.pages[0].mediabox  # noqa: B018 - reading the first page proves the page tree is sound
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as error:
        raise _Damaged from error
    return data


class _Damaged(Exception):
    pass


def accept_upload(upload, *, field: str, kinds=(IMAGE, DOCUMENT), max_bytes: int | None = None) -> CleanUpload:
    """The cleaned file for one upload, or InvalidInput naming `field` and the file
    (`upload_too_large`, `upload_type`, `upload_damaged`)."""
    name = _display_name(upload)
    limit = max_bytes or settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise InvalidInput(
            "upload_too_large",
            _("%(name)s is too large: at most %(mb)s MB.") % {"name": name, "mb": limit // (1024 * 1024) or 1},
            field=field,
        )
    upload.seek(0)
    kind = sniff(upload.read(16))
    upload.seek(0)
    if kind not in kinds:
        if kinds == (IMAGE,):
            message = _("%(name)s: only JPEG or PNG photos can be added here.") % {"name": name}
        else:
            message = _("%(name)s: only JPEG or PNG photos and PDF files can be attached.") % {"name": name}
        raise InvalidInput("upload_type", message, field=field)
    try:
        data = _reencode_image(upload) if kind == IMAGE else _parsed_pdf(upload.read())
    except (
        _Damaged,
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as error:
        raise InvalidInput(
            "upload_damaged",
            _("%(name)s is damaged or not really what it claims to be.") % {"name": name},
            field=field,
        ) from error
    finally:
        upload.seek(0)
    return CleanUpload(kind=kind, file=_generated(kind, data), original_name=name)


def accept_uploads(files, *, field: str, kinds=(IMAGE, DOCUMENT), max_files: int) -> list[CleanUpload]:
    """Several uploads at once: refused whole (nothing kept) when there are too many or one is refused."""
    files = [f for f in (files or []) if f]
    if len(files) > max_files:
        raise InvalidInput("too_many_files", _("At most %(n)s files at a time.") % {"n": max_files}, field=field)
    return [accept_upload(f, field=field, kinds=kinds) for f in files]
