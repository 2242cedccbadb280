"""A council's rules of order through the services: the one check, translated refusals, rules frozen when a
session opens, the chair as the rules say, the agenda in the organiser's order, and old sessions that keep
loading and replaying."""

import importlib

import pytest
from django.apps import apps
from django.utils import translation

from civic.errors import Conflict, InvalidInput, NotAllowed
from deliberation import procedure, selectors, services
from deliberation.models import Session
from tests.deliberation.session_setup import make_council, make_session, run
from tests.world import fresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def council(world):
    return make_council(world)


def _set(world, council, preset="nantang", **overrides):
    changed = services.council_rules_set(
        actor=fresh(world["organiser_here"]), council=council, preset=preset, overrides=overrides
    )
    council.refresh_from_db()
    return changed


@pytest.mark.parametrize(
    ("overrides", "field", "zh", "en"),
    [
        (
            {"speech_seconds": 5},
            "speech_seconds",
            "“每次发言时长”须是 10 到 3600 之间的整数。",
            "the length of a speech must be a whole number from 10 to 3600.",
        ),
        ({"chair_mode": "king"}, "chair_mode", "主持人可以是正式成员、仅在一票决定结果时表决的成员，或非成员。", None),
        ({"thresholds": {"main": "most"}}, "thresholds", "未知的通过标准：most。", "Unknown threshold: most."),
        ({"quorum_kind": "share", "quorum_value": "5/3"}, "quorum_value", None, None),
        ({"speech_minutes": 3}, "speech_minutes", "未知的设置：speech_minutes。", "Unknown setting: speech_minutes."),
    ],
)
def test_bad_settings_are_refused_with_the_setting_named_in_either_language(world, council, overrides, field, zh, en):
    for language, expected in (("zh-hans", zh), ("en", en)):
        with translation.override(language), pytest.raises(InvalidInput) as refused:
            _set(world, council, **overrides)
        assert refused.value.code == "rules_invalid" and refused.value.field == field
        if expected is not None:
            assert str(refused.value.message) == expected
    council.refresh_from_db()
    assert council.overrides == {}


def test_only_the_areas_organisers_change_the_rules(world, council):
    with pytest.raises(NotAllowed):
        services.council_rules_set(
            actor=fresh(world["resident_elsewhere"]), council=council, preset="roberts", overrides={}
        )
    with pytest.raises(InvalidInput) as refused:
        _set(world, council, preset="chaos")
    assert refused.value.code == "preset_unknown"


def test_rules_are_frozen_when_the_session_opens(world, council):
    chair, people = fresh(world["organiser_here"]), council.people
    first = make_session(world, council)
    for person in (chair, *people[:3]):
        run(first, person, "check_in")
    run(first, chair, "open_session")
    first.refresh_from_db()
    assert first.rules["chair_mode"] == "casting" and first.rules["revision"] == procedure.REVISION

    _set(world, council, chair_mode="outside", thresholds={"main": "two_thirds_members"}, speech_seconds=300)
    first.refresh_from_db()
    assert selectors.session_rules(first).threshold("main") == "majority_cast"  # the open session keeps its rules
    assert selectors.session_rules(first).speech_seconds == 120
    run(first, people[0], "make_motion", kind="main", text="同意加装电梯")
    run(first, people[1], "second")
    run(first, chair, "open_vote")
    for person in people[:3]:
        run(first, person, "cast_vote", choice="yes")
    closed = run(first, chair, "close_vote")[-1]
    assert closed["threshold"] == "majority_cast" and closed["adopted"] is True

    second = make_session(world, council)  # the next session gets the new rules, and the chair is outside
    assert selectors.session_rules(second).threshold("main") == "two_thirds_members"
    assert str(chair.pk) not in procedure.state_from_json(second.state).members
    for person in people[:2]:
        run(second, person, "check_in")
    with pytest.raises(Conflict) as refused:  # 5 members: quorum 3, and the chair does not count
        run(second, chair, "open_session")
    assert refused.value.code == "no_quorum"
    with pytest.raises(NotAllowed) as refused:
        run(second, chair, "check_in")
    assert refused.value.code == "not_a_member"
    run(second, people[2], "check_in")
    opened = run(second, chair, "open_session")[-1]
    assert opened["quorum"] == 3
    second.refresh_from_db()
    assert second.rules["chair_mode"] == "outside"
    assert selectors.session_replay(second) == procedure.state_from_json(second.state)


def test_a_change_before_the_opening_applies_to_the_scheduled_session(world, council):
    chair, people = fresh(world["organiser_here"]), council.people
    session = make_session(world, council)
    assert session.rules == {}
    _set(world, council, chair_mode="outside")
    for person in people[:3]:
        run(session, person, "check_in")
    session = Session.objects.select_related("council").get(pk=session.pk)
    assert selectors.session_snapshot(session, chair)["quorum"] == 3  # 5 members without the chair
    run(session, chair, "open_session")
    session.refresh_from_db()
    assert session.rules["chair_mode"] == "outside"


def test_the_agenda_follows_the_order_the_organiser_sets(world, council, make_proposal):
    chair = fresh(world["organiser_here"])
    session = make_session(world, council, make_proposal)
    first, second = session.items.order_by("position")
    items = services.session_agenda_order(actor=chair, session=session, order=[second.pk, first.pk])
    assert [i.pk for i in items] == [second.pk, first.pk]
    session.refresh_from_db()
    assert procedure.state_from_json(session.state).items == (second.title, first.title)
    with pytest.raises(InvalidInput) as refused:
        services.session_agenda_order(actor=chair, session=session, order=[first.pk])
    assert refused.value.code == "agenda_order_invalid"
    with pytest.raises(NotAllowed):
        services.session_agenda_order(actor=council.people[0], session=session, order=[first.pk, second.pk])
    for person in (chair, *council.people[:3]):
        run(session, person, "check_in")
    run(session, chair, "open_session")
    assert selectors.session_snapshot(session, chair)["items"][0] == second.title
    run(session, chair, "next_item")
    session.refresh_from_db()
    assert selectors.session_replay(session) == procedure.state_from_json(session.state)
    with pytest.raises(Conflict) as refused:
        services.session_agenda_order(actor=chair, session=session, order=[first.pk, second.pk])
    assert refused.value.code == "agenda_fixed"


def test_sessions_opened_before_frozen_rules_are_migrated_to_revision_1_and_still_replay(world, council):
    chair, people = fresh(world["organiser_here"]), council.people
    session = make_session(world, council)
    for person in (chair, *people[:4]):
        run(session, person, "check_in")
    run(session, chair, "open_session")
    run(session, people[0], "make_motion", kind="main", text="同意")
    run(session, people[1], "second")
    run(session, people[2], "request_floor", side="for")
    run(session, people[3], "make_motion", kind="previous_question")
    run(session, people[0], "second")
    # as a session recorded before this change: no frozen rules, and a stored state of the old shape
    state = dict(Session.objects.get(pk=session.pk).state)
    state.pop("interrupted")
    state["queue"] = [{k: v for k, v in r.items() if k != "motion"} for r in state["queue"]]
    Session.objects.filter(pk=session.pk).update(rules={}, state=state)
    scheduled = make_session(world, council)

    migration = importlib.import_module("deliberation.migrations.0005_session_frozen_rules")
    migration.freeze_opened_sessions(apps, None)
    session.refresh_from_db()
    scheduled.refresh_from_db()
    assert session.rules["revision"] == 1 and session.rules["chair_mode"] == "casting"
    assert scheduled.rules == {}  # frozen when it opens
    # under revision 1 the vote clears the queue, as it did when the session was held
    run(session, chair, "open_vote")
    session.refresh_from_db()
    assert procedure.state_from_json(session.state).queue == ()
    assert selectors.session_snapshot(session, chair)["phase"] == "open"
