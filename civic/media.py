"""Handing out stored files, one way for every view (proofs of residence, proposal attachments, public photos).

What a response says about a file comes from what `civic.uploads` verified, never from a client:

- `Content-Type` is that of the verified kind (a stored kind, or the extension of the generated name);
  a file of no known kind goes out as `application/octet-stream`;
- documents are downloads (`Content-Disposition: attachment`), images may be shown inline; the file name
  offered is the display name with the verified extension, encoded per RFC 6266;
- every file carries `X-Content-Type-Options: nosniff` and `Content-Security-Policy: sandbox;
  default-src 'none'`, so even a file that slipped past the checks cannot run script on the site's origin.

Views check who may see a file and then call `file_response`. Django streams the file itself unless
`settings.MEDIA_ACCEL` is on: then the answer has no body and an `X-Accel-Redirect` to nginx's internal
location (`MEDIA_ACCEL_PREFIX` + `media/` or `private/` + the stored name), and nginx delivers the bytes
(docs/deploy.md).
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header

from .uploads import CONTENT_TYPES, DOCUMENT, EXTENSIONS, IMAGE

KIND_BY_EXTENSION = {extension: kind for kind, extension in EXTENSIONS.items()}
SANDBOX = "sandbox; default-src 'none'"
PRIVATE_CACHE = "private, no-store"
PUBLIC_CACHE = "public, max-age=2592000, immutable"  # generated names never change content
_UNSAFE_IN_NAME = re.compile(r"[\x00-\x1f\x7f/\\]+")


def kind_of(name: str) -> str | None:
    """The verified kind of a stored file, read from the extension `civic.uploads` gave its generated name."""
    return KIND_BY_EXTENSION.get(posixpath.splitext(name or "")[1].lstrip(".").lower())


def download_name(display_name: str, kind: str | None) -> str:
    """The name a browser is offered: the display name's stem (no control characters or path) with the
    verified extension, whatever extension the client's name had."""
    stem = _UNSAFE_IN_NAME.sub(" ", display_name or "").strip()
    stem = posixpath.splitext(stem)[0].strip(" .") or "file"
    return f"{stem[:100]}.{EXTENSIONS[kind]}" if kind in EXTENSIONS else stem[:100]


def file_response(
    storage,
    name: str,
    *,
    kind: str | None = None,
    display_name: str = "",
    private: bool = True,
    cache: str | None = None,
) -> HttpResponse:
    """The response handing out the file stored as `name` in `storage` (a FileField's `.storage` and
    `.name`); `kind` defaults to the one the stored name shows. Http404 when there is none."""
    if not name or not storage.exists(name):
        raise Http404
    kind = kind if kind in CONTENT_TYPES else kind_of(name)
    content_type = CONTENT_TYPES.get(kind, "application/octet-stream")
    inline = kind == IMAGE
    if getattr(settings, "MEDIA_ACCEL", False):
        root = "private/" if private else "media/"
        response = HttpResponse(b"", content_type=content_type)
        response["X-Accel-Redirect"] = quote(f"{settings.MEDIA_ACCEL_PREFIX}{root}{name}")
    else:
        response = FileResponse(storage.open(name, "rb"), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=not inline, filename=download_name(display_name, kind)
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX
    response["Cache-Control"] = cache or (PRIVATE_CACHE if private else PUBLIC_CACHE)
    return response


def public_media_response(path: str) -> HttpResponse:
    """The file stored as `path` under MEDIA_ROOT if it lies in a public folder (settings.PUBLIC_MEDIA_FOLDERS)
    and has a verified kind; Http404 otherwise (files that need a permission have their own views)."""
    clean = posixpath.normpath(path or "")
    if clean != path or clean.startswith(("/", "..")) or "\\" in clean or "\x00" in clean:
        raise Http404
    if not clean.startswith(tuple(settings.PUBLIC_MEDIA_FOLDERS)) or kind_of(clean) is None:
        raise Http404
    return file_response(default_storage, clean, private=False, display_name=posixpath.basename(clean))


__all__ = ["DOCUMENT", "IMAGE", "download_name", "file_response", "kind_of", "public_media_response"]
