import pytest

from civic import services
from civic.errors import Conflict, InvalidInput, NotAllowed
from civic.models import ModerationCase, Notification, Organisation
from civic.selectors import moderation_queue, organisation_list
from tests.factories import UserFactory
from tests.world import fresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(world):
    org = world.organisation
    org.confirmed_at = org.created_at
    org.save()
    return org


def test_reports_open_a_case_for_the_areas_moderators(world, org, settings):
    settings.MODERATION_AUTO_HIDE_REPORTS = 3
    services.content_report(reporter=world["resident"], obj=org, reason="false", text="名不副实")
    case = ModerationCase.objects.get()
    assert case.area == world["C1"] and case.report_count == 1 and case.status == "open"
    assert case.author == world["representative"]
    assert list(moderation_queue(fresh(world["moderator_here"]))) == [case]
    assert list(moderation_queue(fresh(world["moderator_elsewhere"]))) == []
    assert Notification.objects.filter(recipient=world["moderator_here"], kind="moderation.reported").exists()
    assert not Notification.objects.filter(recipient=world["moderator_elsewhere"]).exists()


def test_enough_distinct_reports_hide_until_reviewed(world, org, settings):
    settings.MODERATION_AUTO_HIDE_REPORTS = 3
    reporters = [UserFactory() for _ in range(3)]
    services.content_report(reporter=reporters[0], obj=org, reason="spam")
    with pytest.raises(Conflict):
        services.content_report(reporter=reporters[0], obj=org, reason="spam")
    services.content_report(reporter=reporters[1], obj=org, reason="spam")
    assert not Organisation.objects.get(pk=org.pk).is_hidden
    services.content_report(reporter=reporters[2], obj=org, reason="other", text="广告")
    assert Organisation.objects.get(pk=org.pk).is_hidden
    assert org not in organisation_list()
    case = ModerationCase.objects.get()
    assert case.auto_hidden and case.report_count == 3 and case.needs_review
    assert Notification.objects.filter(recipient=world["representative"], kind="moderation.decided").exists()


def test_moderator_restores_with_a_reason_and_the_author_is_told(world, org, settings):
    settings.MODERATION_AUTO_HIDE_REPORTS = 1
    services.content_report(reporter=world["resident"], obj=org, reason="abuse")
    case = ModerationCase.objects.get()
    with pytest.raises(NotAllowed):
        services.moderation_decide(actor=fresh(world["moderator_elsewhere"]), case=case, hide=False, reason="没问题")
    with pytest.raises(InvalidInput):
        services.moderation_decide(actor=fresh(world["moderator_here"]), case=case, hide=False, reason="")
    services.moderation_decide(actor=fresh(world["moderator_here"]), case=case, hide=False, reason="内容属实，无违规")
    assert not Organisation.objects.get(pk=org.pk).is_hidden
    note = Notification.objects.filter(recipient=world["representative"], kind="moderation.decided").latest("id")
    assert note.body == "内容属实，无违规"
    assert not ModerationCase.objects.get().needs_review
    # a new report after the decision reopens the case, but does not hide it again on its own
    services.content_report(reporter=world["member"], obj=org, reason="abuse")
    case = ModerationCase.objects.get()
    assert case.needs_review and not Organisation.objects.get(pk=org.pk).is_hidden


def test_bad_reports(world, org):
    with pytest.raises(InvalidInput) as raised:
        services.content_report(reporter=world["resident"], obj=org, reason="boring")
    assert raised.value.code == "reason_unknown"
    with pytest.raises(InvalidInput) as raised:
        services.content_report(reporter=world["resident"], obj=org, reason="other", text=" ")
    assert raised.value.code == "details_missing"
    with pytest.raises(InvalidInput) as raised:
        services.content_report(reporter=world["representative"], obj=org, reason="spam")
    assert raised.value.code == "own_content"
    with pytest.raises(InvalidInput):
        services.content_report(reporter=world["resident"], obj=world["C1"], reason="spam")  # areas are not content
    assert not ModerationCase.objects.exists()
