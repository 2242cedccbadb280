"""Outcome notices (公告): who publishes, what is checked, corrections, append-only."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from civic.errors import Conflict, InvalidInput, NotAllowed
from civic.models import AuditEntry, OutcomeNotice, TimelineEntry
from tests.civic.notices import at, make_answer, publish

# --- publishing ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_official_publishes_a_notice_of_a_decision_with_audit_and_timeline(world):
    answer = make_answer(world)
    notice = publish(
        world,
        kind="answer",
        title="关于楼道灯建议的答复",
        source_key=f"answer:{answer.pk}",
        decided_at=at(2024, 3, 5),  # the answer's own record says when it was given
    )
    notice.refresh_from_db()
    assert notice.area == world["C1"] and notice.area_path == world["C1"].path
    assert notice.decided_at == at(2024, 3, 4)
    assert notice.source_url == f"/proposals/{answer.proposal_id}/"
    assert notice.published_by == world["official_here"]
    audit = AuditEntry.objects.get(action="notice.published")
    assert audit.object_id == str(notice.pk) and audit.after["source_key"] == f"answer:{answer.pk}"
    line = TimelineEntry.objects.get(verb="notice.published")
    assert line.subject_id == world["C1"].pk and line.url == f"/notices/{notice.pk}/"
    assert line.params == {"title": "关于楼道灯建议的答复"}


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["official_city", "admin"])
def test_officials_above_and_admins_may_publish(world, who):
    assert publish(world, who=who).published_by == world[who]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who", ["resident", "organiser_here", "moderator_here", "official_elsewhere", "representative"]
)
def test_others_may_not_publish_and_nothing_is_written(world, who):
    with pytest.raises(NotAllowed) as error:
        publish(world, who=who)
    assert error.value.code == "not_allowed"
    assert not OutcomeNotice.objects.exists()
    assert not AuditEntry.objects.filter(action="notice.published").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes,code,field",
    [
        ({"title": "  "}, "required", "title"),
        ({"title": "长" * 121}, "too_long", "title"),
        ({"body": ""}, "required", "body"),
        ({"body": "字" * 10001}, "too_long", "body"),
        ({"kind": "rumour"}, "kind_unknown", "kind"),
        ({"decided_at": timezone.now() + timedelta(days=1)}, "decided_in_future", "decided_at"),
        ({"decided_at": "yesterday"}, "date_invalid", "decided_at"),
        ({"decided_at": datetime(1, 1, 1, tzinfo=ZoneInfo("UTC"))}, "decided_too_early", "decided_at"),
        ({"decided_at": datetime(1, 1, 1)}, "decided_too_early", "decided_at"),
        ({"decided_at": at(1999, 12, 31, hour=23)}, "decided_too_early", "decided_at"),
        ({"source_url": "https://example.com/x"}, "source_url_invalid", "source_url"),
        ({"source_url": "//example.com/x"}, "source_url_invalid", "source_url"),
        ({"source_url": "proposals/1/"}, "source_url_invalid", "source_url"),
        ({"source_key": "award:abc", "kind": "award"}, "source_key_invalid", "source_key"),
        ({"source_key": "award:1", "kind": "payment"}, "source_key_invalid", "source_key"),
        ({"source_key": "award:999999", "kind": "award"}, "source_unknown", "source_key"),
    ],
)
def test_bad_input_is_refused_with_its_code_and_nothing_is_written(world, changes, code, field):
    with pytest.raises(InvalidInput) as error:
        publish(world, **changes)
    assert (error.value.code, error.value.field) == (code, field)
    assert not OutcomeNotice.objects.exists()
    assert not TimelineEntry.objects.filter(verb="notice.published").exists()


@pytest.mark.django_db
def test_a_decision_of_another_area_cannot_be_published_here(world):
    answer = make_answer(world, area="C2")
    with pytest.raises(InvalidInput) as error:
        publish(world, kind="answer", source_key=f"answer:{answer.pk}")
    assert error.value.code == "source_unknown"
    # the district above the decision's community may publish it
    assert publish(world, who="official_elsewhere", area="D2", kind="answer", source_key=f"answer:{answer.pk}")


@pytest.mark.django_db
def test_a_decision_is_published_once_then_only_corrected(world):
    answer = make_answer(world)
    key = f"answer:{answer.pk}"
    first = publish(world, kind="answer", source_key=key)
    with pytest.raises(Conflict) as error:
        publish(world, kind="answer", source_key=key, title="再发一次")
    assert error.value.code == "already_published"
    correction = publish(world, kind="answer", source_key=key, title="更正：楼道灯答复", corrects=first)
    assert correction.corrects == first
    assert OutcomeNotice.objects.filter(source_key=key).count() == 2


@pytest.mark.django_db
def test_a_correction_names_the_old_notice_which_stays_unchanged_and_the_chain_goes_on(world):
    first = publish(world, title="原公告")
    before = OutcomeNotice.objects.filter(pk=first.pk).values().get()
    second = publish(world, title="更正公告", corrects=first)
    third = publish(world, title="再次更正", corrects=second)
    assert OutcomeNotice.objects.filter(pk=first.pk).values().get() == before
    assert [n.title for n in first.corrections.all()] == ["更正公告"]
    assert third.corrects.corrects == first
    with pytest.raises(Conflict) as error:
        publish(world, title="另一个更正", corrects=first)
    assert error.value.code == "already_corrected"
    assert OutcomeNotice.objects.count() == 3


@pytest.mark.django_db
def test_a_correction_stays_in_the_area_of_the_notice_it_corrects(world):
    first = publish(world, area="C1")
    with pytest.raises(InvalidInput) as error:
        publish(world, who="official_city", area="C2", corrects=first)
    assert error.value.code == "corrects_other_area"
    assert OutcomeNotice.objects.count() == 1


# --- append-only -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_published_notice_is_never_changed_or_deleted_through_the_orm(world):
    notice = publish(world, title="原公告")
    notice.title = "改过的"
    with pytest.raises(ProtectedError):
        notice.save()
    with pytest.raises(ProtectedError):
        notice.delete()
    with pytest.raises(ProtectedError):
        OutcomeNotice.objects.filter(pk=notice.pk).update(title="改过的")
    with pytest.raises(ProtectedError):
        OutcomeNotice.objects.all().delete()
    assert OutcomeNotice.objects.get(pk=notice.pk).title == "原公告"


@pytest.mark.django_db
def test_the_database_refuses_to_change_a_published_notice(world):
    notice = publish(world, title="原公告")
    for sql in (
        "UPDATE civic_outcomenotice SET title = 'x' WHERE id = %s",
        "DELETE FROM civic_outcomenotice WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [notice.pk])
    assert OutcomeNotice.objects.get(pk=notice.pk).title == "原公告"
