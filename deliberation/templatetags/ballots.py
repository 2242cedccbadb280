"""Template filters of the ballot pages."""

from django import template

from ..selectors import imported_source as _imported_source

register = template.Library()


@register.filter
def imported_source(box):
    """Where an imported election comes from (deliberation.selectors.imported_source), or None."""
    return _imported_source(box)
