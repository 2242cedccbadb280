from django import template

from ..models import AdvanceCondition
from ..models import percent as _percent

register = template.Library()


@register.filter
def percent(share):
    """A share (0.3) as per cent without trailing zeros ("30")."""
    return _percent(share)


@register.filter
def advance_schedule(policy):
    """[(condition label, cumulative share)] for the policy's advances, in order."""
    return [(AdvanceCondition(condition).label, share) for condition, share in policy.advances]
