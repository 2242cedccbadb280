"""Residents' satisfaction ratings (满意度) of an accepted project."""

import rules
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic.errors import Conflict, InvalidInput, NotAllowed
from civic.text import clean_text

from ..models import MicroProject, SatisfactionLevel, SatisfactionRating
from ..selectors.projects import rating_period
from .common import RATING_COMMENT_MAX


def rating_allowed(*, user, project) -> None:
    """Who may rate this project, asked before anything the rater sent is read (API and service)."""
    if not rules.has_perm("funding.rate_project", user, project):  # the rule itself: no superuser bypass
        raise NotAllowed("not_eligible", _("Only verified residents of this area can rate its projects."))


@transaction.atomic
def rating_submit(*, user, project, level, comment: str = "") -> SatisfactionRating:
    """An eligible resident rates an accepted project in the rating period; one rating, changed at most once."""
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
        existing.save(update_fields=["level", "comment", "changed_at"])
        return existing
    try:
        with transaction.atomic():
            return SatisfactionRating.objects.create(project=project, user=user, level=level, comment=comment)
    except IntegrityError:
        raise Conflict("rated_already", _("You have already rated this project.")) from None
