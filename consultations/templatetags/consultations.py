"""{% load consultations %}: an opinion's author as shown, and the character diff of two texts."""

from django import template
from django.utils.safestring import mark_safe

from ..selectors import author_label
from ..textdiff import diff_html

register = template.Library()


@register.simple_tag
def opinion_author(opinion) -> str:
    return author_label(opinion)


@register.simple_tag
def char_diff(old: str, new: str):
    """`<del>`/`<ins>` marked HTML; every piece of text in it is escaped by `diff_html`."""
    return mark_safe(diff_html(old or "", new or ""))
