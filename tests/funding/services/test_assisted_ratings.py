"""Rating a project with a resident in person (代办): their one rating, with the staff member recorded."""

import pytest

from civic.errors import NotAllowed
from civic.models import AuditEntry
from funding import services
from funding.models import SatisfactionRating
from tests.civic.assisted import register
from tests.funding.services.test_projects import accept
from tests.world import fresh


def test_an_assisted_rating_is_the_residents_and_counts(fworld, project):
    w = fworld
    accept(w, project)
    person = register(w)
    rating = services.rating_submit(
        user=person, project=project, level=4, comment="灯很亮", assisted_by=fresh(w["organiser_here"])
    )
    rating = SatisfactionRating.objects.get(pk=rating.pk)
    assert (rating.user, rating.level, rating.channel, rating.assisted_by) == (
        person,
        4,
        "assisted",
        w["organiser_here"],
    )
    assert AuditEntry.objects.get(action="project.rated").assisted_by == w["organiser_here"]
    with pytest.raises(NotAllowed):
        services.rating_submit(user=person, project=project, level=2, assisted_by=fresh(w["organiser_elsewhere"]))
    changed = services.rating_submit(user=person, project=project, level=2)  # later, by themselves, online
    assert (changed.level, changed.channel, changed.assisted_by) == (2, "online", None)
