"""`{% load money %}`: `{{ amount|yuan }}` shows an amount the one way (civic.money.format_yuan)."""

from django import template

from civic.money import format_yuan

register = template.Library()


@register.filter
def yuan(amount) -> str:
    return format_yuan(amount)
