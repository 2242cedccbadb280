"""Public stored files (project photos) at /media/: only the public folders, through the one serving helper."""

from django.views.decorators.http import require_safe

from ..media import public_media_response


@require_safe
def media_public(request, path):
    return public_media_response(path)


__all__ = ["media_public"]
