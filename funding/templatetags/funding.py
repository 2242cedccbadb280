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


@register.filter
def yuan(amount):
    """An amount in yuan as people read it: ¥100,000.00, and −¥60.00 for a negative one."""
    if amount is None:
        return ""
    if amount < 0:
        return f"−¥{-amount:,.2f}"
    return f"¥{amount:,.2f}"
