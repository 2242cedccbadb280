"""Proposal images and attachments: checked by content, images re-encoded without their metadata."""

import io

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from civic.errors import InvalidInput
from civic.uploads import sniff

MAX_SIDE = 2400


def prepare(upload) -> tuple[str, ContentFile]:
    """Return (kind, clean file) for an upload, or raise a translated error naming the file."""
    name = (getattr(upload, "name", "") or "file").rsplit("/", 1)[-1][-100:]
    if upload.size > settings.PROPOSAL_ATTACHMENT_MAX_BYTES:
        raise InvalidInput(
            "upload_too_large",
            _("%(name)s is too large: at most %(mb)s MB.")
            % {"name": name, "mb": settings.PROPOSAL_ATTACHMENT_MAX_BYTES // (1024 * 1024)},
            field="files",
        )
    upload.seek(0)
    kind = sniff(upload.read(16))
    upload.seek(0)
    if kind == "application/pdf":
        return "document", ContentFile(upload.read(), name=name)
    if kind not in ("image/jpeg", "image/png"):
        raise InvalidInput(
            "upload_type",
            _("%(name)s: only JPEG or PNG photos and PDF files can be attached.") % {"name": name},
            field="files",
        )
    try:
        with Image.open(upload) as image:
            image = ImageOps.exif_transpose(image)  # keep the orientation, then drop every tag
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            clean = Image.new(image.mode if image.mode in ("RGB", "L") else "RGB", image.size)
            clean.paste(image.convert(clean.mode))
            buffer = io.BytesIO()
            clean.save(buffer, "JPEG", quality=85, optimize=True)
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise InvalidInput(
            "upload_damaged", _("%(name)s is damaged or not really an image.") % {"name": name}, field="files"
        ) from error
    stem = name.rsplit(".", 1)[0] or "image"
    return "image", ContentFile(buffer.getvalue(), name=f"{stem}.jpg")
