"""A council with five members and a session with two agenda items, for the session tests in every room."""

from datetime import timedelta

from django.utils import timezone

from deliberation import services
from proposals.models import Proposal
from tests.factories import UserFactory
from tests.world import fresh, verify


def make_council(world):
    council = services.council_create(actor=fresh(world["organiser_here"]), area=world["S1"], name="一街道议事会")
    people = [UserFactory(display_name=f"委员{i}") for i in range(5)]
    for person in people:
        verify(person, world["c1a"])
        services.council_member_add(actor=fresh(world["organiser_here"]), council=council, user=person)
    council.people = people
    return council


def make_session(world, council, make_proposal=None, *, public=True):
    """A session chaired by the area's organiser; its first item is a proposal when `make_proposal` is given."""
    items = [("其他事项", None, 10)]
    if make_proposal is not None:
        proposal = make_proposal(title="加装电梯的建议")
        Proposal.objects.filter(pk=proposal.pk).update(state="qualified")
        items.insert(0, ("", Proposal.objects.get(pk=proposal.pk), 30))
    return services.session_schedule(
        actor=fresh(world["organiser_here"]),
        council=council,
        title="十二月议事会",
        starts_at=timezone.now() + timedelta(days=1),
        public=public,
        items=items,
    )


def run(session, user, command, **args):
    return services.session_command(user=user, session=session, command={"type": command, **args})


# Commands that never reach the engine, with the code each is refused with. Shared by the service, the
# REST endpoint and the WebSocket tests, so the three ways in are held to one schema.
MALFORMED = [
    (None, "command_invalid"),
    ("check_in", "command_invalid"),
    (["check_in"], "command_invalid"),
    (42, "command_invalid"),
    ({}, "command_invalid"),
    ({"type": None}, "command_invalid"),
    ({"type": ["check_in"]}, "command_invalid"),
    ({"type": "dance"}, "unknown_command"),
    ({"type": "check_in", "actor": "1"}, "command_unknown_field"),
    ({"type": "check_in", "now": 0}, "command_unknown_field"),
    ({"type": "make_motion", "kind": "main", "text": "同意", "colour": "red"}, "command_unknown_field"),
    ({"type": "make_motion", "kind": ["main"], "text": "同意"}, "command_invalid"),
    ({"type": "make_motion", "kind": "main", "text": 5}, "command_invalid"),
    ({"type": "make_motion", "kind": "main", "text": "同意\x00"}, "text_invalid"),
    ({"type": "make_motion", "kind": "main", "text": "同意\x1b[2J"}, "text_invalid"),
    ({"type": "make_motion", "kind": "main", "text": "同意\ud800"}, "text_invalid"),
    ({"type": "make_motion", "kind": "main", "text": "长" * 2001}, "too_long"),
    ({"type": "point_of_order", "text": "x" * 2001}, "too_long"),
    ({"type": "point_of_order", "text": {"a": 1}}, "command_invalid"),
    ({"type": "extend_time", "seconds": "60"}, "command_invalid"),
    ({"type": "extend_time", "seconds": 60.5}, "command_invalid"),
    ({"type": "extend_time", "seconds": True}, "command_invalid"),
    ({"type": "extend_time", "seconds": float("nan")}, "command_invalid"),
    ({"type": "extend_time", "seconds": float("inf")}, "command_invalid"),
    ({"type": "rule_on_point", "upheld": "yes"}, "command_invalid"),
    ({"type": "rule_on_point", "upheld": 1}, "command_invalid"),
    ({"type": "hand_over_chair", "member": 7}, "command_invalid"),
    ({"type": "cast_vote", "choice": None}, "command_invalid"),
    ({"type": "request_floor", "side": {"for": True}}, "command_invalid"),
]
