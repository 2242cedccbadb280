"""Residents' satisfaction ratings (满意度) of an accepted project."""

import rules
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic.errors import Conflict, InvalidInput, NotAllowed
from civic.services import assisted_channel, audit_record
from civic.text import clean_text

from ..models import MicroProject, SatisfactionLevel, SatisfactionRating
from ..selectors.projects import rating_period
from .common import RATING_COMMENT_MAX


def rating_allowed(*, user, project) -> None:
    """Who may rate this project, asked before anything the rater sent is read (API and service)."""
    if not rules.has_perm("funding.rate_project", user, project):  # the rule itself: no superuser bypass
        raise NotAllowed("not_eligible", _("Only verified residents of this area can rate its projects."))


@transaction.atomic
def rating_submit(*, user, project, level, comment: str = "", assisted_by=None) -> SatisfactionRating:
    """An eligible resident rates an accepted project in the rating period; one rating, changed at most once.
    `assisted_by`: the staff member recording the resident's rating with them in person (代办)."""
    channel = assisted_channel(resident=user, assisted_by=assisted_by)
    project = MicroProject.objects.select_related("area").get(pk=project.pk)
    now = timezone.now()
    if not rating_period(project, now)["open"]:
        raise Conflict(
            "rating_closed", _("This project cannot be rated now: ratings open for a set period after acceptance.")
        )
    rating_allowed(user=user, project=project)
    try:
        level = int(level)
    except (TypeError, ValueError):
        level = 0
    if level not in SatisfactionLevel.values:
        raise InvalidInput("level_invalid", _("Choose one of the five levels."), field="level")
    comment = clean_text(comment, field="comment", limit=RATING_COMMENT_MAX)
    existing = SatisfactionRating.objects.select_for_update().filter(project=project, user=user).first()
    if existing is not None:
        if existing.changed_at is not None:
            raise Conflict("rating_changed_already", _("You have already changed your rating once."))
        existing.level, existing.comment, existing.changed_at = level, comment, now
        existing.channel, existing.assisted_by = channel, assisted_by
        existing.save(update_fields=["level", "comment", "changed_at", "channel", "assisted_by"])
        rating = existing
    else:
        try:
            with transaction.atomic():
                rating = SatisfactionRating.objects.create(
                    project=project, user=user, level=level, comment=comment, channel=channel, assisted_by=assisted_by
                )
        except IntegrityError:
            raise Conflict("rated_already", _("You have already rated this project.")) from None
    if assisted_by is not None:
        audit_record(actor=user, action="project.rated", obj=project, area=project.area, assisted_by=assisted_by)
    return rating
