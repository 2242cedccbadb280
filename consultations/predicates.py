"""Who may do what with consultations (django-rules predicates); `rules.py` names the permissions.

- The drafters of a consultation are the officials of its area (and of every area above it) and the
  staff they named on it; they prepare the text, publish, extend the window and answer the opinions.
- Staff who enter opinions that came in offline: the drafters and the organisers of the area.
- Who may comment depends on the consultation: residents verified in its area, or everyone signed in;
  where organisations take part, the representatives of an organisation that serves the area speak for it.
- Opinions are read by everyone when the consultation says so, and by everyone once every opinion is
  answered; until then, where the consultation keeps them to the drafters, by the drafters and the author.
"""

import rules

from civic.models import AreaRoleKind
from civic.predicates import covers, holds_role_anywhere
from civic.selectors import is_eligible, organisations_represented

from .models import ConsultationState, Participation


def organisation_serves(organisation, area) -> bool:
    return any(served.contains(area) or area.contains(served) for served in organisation.areas.all())


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def named_drafter(user, consultation) -> bool:
    if not _active(user):
        return False
    cache = getattr(user, "_consultation_drafter_of", None)
    if cache is None:
        cache = set(
            consultation.drafters.through.objects.filter(user_id=user.pk).values_list("consultation_id", flat=True)
        )
        user._consultation_drafter_of = cache
    return consultation.pk in cache


@rules.predicate
def is_official_of(user, area):
    return covers(user, AreaRoleKind.OFFICIAL, area)


@rules.predicate
def is_drafter(user, consultation):
    return covers(user, AreaRoleKind.OFFICIAL, consultation.area) or named_drafter(user, consultation)


@rules.predicate
def is_organiser_of_consultation_area(user, consultation):
    return covers(user, AreaRoleKind.ORGANISER, consultation.area)


@rules.predicate
def is_official_anywhere(user):
    return holds_role_anywhere(user, AreaRoleKind.OFFICIAL)


@rules.predicate
def is_published(user, consultation):
    return consultation.state != ConsultationState.DRAFT


@rules.predicate
def may_take_part(user, consultation):
    """The participation rule of the consultation (the window and the state are the service's to judge)."""
    if not _active(user):
        return False
    if consultation.participation == Participation.SIGNED_IN:
        return True
    if is_eligible(user, consultation.area):
        return True
    return consultation.organisations_take_part and speaks_for_organisation_in(user, consultation.area)


def speaks_for_organisation_in(user, area) -> bool:
    if not _active(user):
        return False
    organisations = organisations_represented(user).prefetch_related("areas")
    return any(organisation_serves(organisation, area) for organisation in organisations)


@rules.predicate
def opinions_readable(user, consultation):
    return consultation.state != ConsultationState.DRAFT and (
        consultation.opinions_public or consultation.state in (ConsultationState.ANSWERED, ConsultationState.CONCLUDED)
    )


@rules.predicate
def opinion_public(user, opinion):
    return not opinion.is_hidden and opinions_readable(user, opinion.consultation)


@rules.predicate
def is_opinion_author(user, opinion):
    return _active(user) and opinion.author_id == user.pk


@rules.predicate
def is_opinion_drafter(user, opinion):
    return is_drafter(user, opinion.consultation)


@rules.predicate
def may_support(user, opinion):
    """Supports are for public opinions written online, by someone else, from a person who may take part."""
    return (
        opinion.source == "online"
        and opinion_public(user, opinion)
        and not is_opinion_author(user, opinion)
        and may_take_part(user, opinion.consultation)
    )


@rules.predicate
def is_active_person(user):
    return _active(user)
