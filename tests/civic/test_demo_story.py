"""The demo tells a story: its timeline is dated as things happened (not all at the moment of seeding), and
what the README says one can do with it holds."""

from datetime import timedelta
from itertools import pairwise

import pytest
import rules
from django.core.management import call_command
from django.utils import timezone

from civic.models import TimelineEntry, User
from deliberation.models import Session
from deliberation.procedure.rules import PRESETS
from funding.models import MicroProject
from funding.selectors.projects import rating_period
from proposals.models import Proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo", quiet_logins=True)


def test_the_timeline_tells_a_story(demo):
    lines = list(TimelineEntry.objects.order_by("subject_type", "subject_id", "id"))
    days = {line.created_at.date() for line in lines}
    assert len(days) > 30  # not one moment of seeding
    assert all(line.created_at <= timezone.now() for line in lines)
    for earlier, later in pairwise(lines):
        if (earlier.subject_type_id, earlier.subject_id) == (later.subject_type_id, later.subject_id):
            assert earlier.created_at < later.created_at, (earlier.verb, later.verb)
    # a proposal's publication is dated as the proposal records it (those published today may sit a few
    # minutes earlier, before the later steps of their story that happened today too)
    earlier = Proposal.objects.filter(published_at__lt=timezone.now() - timedelta(days=1))
    assert earlier.count() > 10
    for proposal in earlier:
        published = TimelineEntry.objects.get(verb="proposal.published", subject_id=proposal.pk)
        assert published.created_at == proposal.published_at
    expired = Proposal.objects.get(state="expired")
    assert timezone.now() - expired.published_at > timedelta(days=30)


def test_what_the_readme_says_holds(demo):
    rater = User.objects.get(email="resident3@yunhe.example")
    project = MicroProject.objects.get(title="望湖花园楼道扶手加装")
    assert rater.display_name == "张敏" and rules.has_perm("funding.rate_project", rater, project)
    assert rating_period(project)["open"]
    session = Session.objects.get(council__name="湖滨街道居民议事会", phase="scheduled")
    members = set(
        User.objects.filter(pk__in=[int(m) for m in session.state["members"]]).values_list("display_name", flat=True)
    )
    assert members == {"刘芳", "王秀英", "李建国", "张敏", "周强", "孙丽"}
    assert PRESETS[session.council.preset].quorum(len(members)) == 4
