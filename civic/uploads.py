"""Checks for uploaded files: the content must be what the name claims, within the size limit."""

from django.conf import settings
from django.utils.translation import gettext as _

from .errors import InvalidInput


def sniff(head: bytes) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def check_proof(upload) -> str:
    """Return the real content type of a proof of residence, or raise a translated error."""
    limit = settings.RESIDENCY_PROOF_MAX_BYTES
    if upload.size > limit:
        raise InvalidInput(
            "upload_too_large",
            _("The file is too large: at most %(mb)s MB.") % {"mb": limit // (1024 * 1024)},
            field="proof",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = sniff(head)
    if kind is None:
        raise InvalidInput("upload_type", _("Only JPEG or PNG photos and PDF files can be uploaded."), field="proof")
    if kind.startswith("image/"):
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(upload) as image:
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            raise InvalidInput(
                "upload_damaged", _("The image is damaged or not really an image."), field="proof"
            ) from error
        finally:
            upload.seek(0)
    return kind
