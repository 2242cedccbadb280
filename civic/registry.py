"""What later stages plug into the civic core, without the core importing them.

- notification kinds: a key, a label people see on their preferences page, and a default delivery;
- timeline verbs: a message rendered in the reader's language from the entry's params;
- moderated content: how to find a reported object's area, author, excerpt and page, and how to hide it;
- notice kinds: what a published notice (公告) can be about, and where the decisions of that kind that still
  wait for a notice are found; and the rule that sets how many working days publication may take;
- assisted actions: what staff may do for a resident in person, and how the resident's history names it.

Each app registers its own in its AppConfig.ready().
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

NOTIFICATION_KINDS: dict[str, tuple[Promise, str]] = {}
TICK_JOBS: dict[str, Callable[[], int]] = {}
DEMO_SEEDERS: list[Callable[[dict, dict], None]] = []
DEMO_STORY_DATES: dict[str, str] = {}
SCALE_SEEDERS: list[Callable[[dict], None]] = []
TIMELINE_VERBS: dict[str, Promise] = {}
# Audit actions that staff may do for a resident in person (代办), with the line the resident's history
# ("done in my name") shows for them. civic registers its own; each stage adds its acts.
ASSISTED_ACTIONS: dict[str, Promise] = {
    "assisted.registered": _("Registered in person"),
    "assisted.claim_code_issued": _("Claim code handed over"),
    "assisted.claimed": _("Account claimed"),
}

TIMELINE_PARAMS: dict[str, Callable[[dict], dict]] = {}


def notification_kind(key: str, label: Promise, default: str = "immediate") -> None:
    NOTIFICATION_KINDS[key] = (label, default)


def tick_job(name: str, job: Callable[[], int]) -> None:
    """A time-driven side effect that `manage.py tick` runs; it must be idempotent."""
    TICK_JOBS[name] = job


def demo_story_dates(dates: dict[str, str]) -> None:
    """For the demo: which date of a timeline line's subject says when it happened (verb → attribute), so
    the seeded story is dated as it would have happened (civic.demo.story)."""
    DEMO_STORY_DATES.update(dates)


def demo_seeder(seeder: Callable[[dict, dict], None]) -> None:
    """A later stage's part of `seed_demo`; called with the demo people and areas, must be idempotent."""
    if seeder not in DEMO_SEEDERS:
        DEMO_SEEDERS.append(seeder)


def scale_seeder(seeder: Callable[[dict], None]) -> None:
    """A later stage's part of `seed_scale` (the city-sized benchmark data set); called with the sizes and
    the ids already made (areas, people), in app order; bulk SQL, PostgreSQL only."""
    if seeder not in SCALE_SEEDERS:
        SCALE_SEEDERS.append(seeder)


def timeline_verb(verb: str, message: Promise, params: Callable[[dict], dict] | None = None) -> None:
    """A timeline line's message; `params`, if given, turns the stored parameters (codes of fixed
    vocabularies) into the words shown, in the reader's language, when the line is read."""
    TIMELINE_VERBS[verb] = message
    if params is not None:
        TIMELINE_PARAMS[verb] = params


def assisted_action(action: str, label: Promise) -> None:
    """An audit action a stage records with `assisted_by` (e.g. "proposal.endorsed"), and its history line."""
    ASSISTED_ACTIONS[action] = label


@dataclass(frozen=True)
class Moderated:
    area: Callable[[models.Model], object]
    author: Callable[[models.Model], object]
    excerpt: Callable[[models.Model], str]
    url: Callable[[models.Model], str]
    hidden_field: str = "is_hidden"


MODERATED: dict[type[models.Model], Moderated] = {}


def moderated(model: type[models.Model], adapter: Moderated) -> None:
    MODERATED[model] = adapter


def moderation_adapter(model: type[models.Model]) -> Moderated | None:
    return MODERATED.get(model)


# --- outcome notices (公告) ---------------------------------------------------------------------------------

NOTICE_OTHER = "other"  # the civic core's own kind: a notice about no decision recorded on the platform


@dataclass(frozen=True)
class NoticeKind:
    """What a notice can be about. `decisions(path, pk=None, unpublished=True)` yields the stage's decisions
    of this kind (`civic.selectors.Decision`) in the area at `path` and below: only the one with that `pk`
    when given, only those no notice names yet when `unpublished`. A kind without it has no source key.
    `stamp()`, when given, returns a line that publication appends to every notice of this kind, computed
    at that moment (funding: the head of the ledger's hash chain, so copies people keep can be compared).
    `waiting(path)`, when given, yields only (area path, decided at) of the decisions `decisions(path)` yields
    (those no notice names yet), in one query of two columns: what counting them needs (the scorecard's
    notices on time), without making a Decision of each; without it, they are read from `decisions`."""

    key: str
    label: Promise
    decisions: Callable[..., Iterable] | None = None
    stamp: Callable[[], str] | None = None
    waiting: Callable[[str], Iterable] | None = None


NOTICE_KINDS: dict[str, NoticeKind] = {}
# Returns [(area path, working days allowed)], the rule that wins first, for the areas with these codes.
NOTICE_DEADLINES: list[Callable[[set[str], object], list[tuple[str, int]]]] = []
# Returns the next moment after `now` at which those rules change by themselves (a rule coming into force),
# or None: a cached notice board holds until then (civic.pagecache `valid_until`).
NOTICE_DEADLINE_CHANGES: list[Callable[[object], object]] = []


def notice_kind(
    key: str,
    label: Promise,
    decisions: Callable[..., Iterable] | None = None,
    stamp: Callable[[], str] | None = None,
    waiting: Callable[[str], Iterable] | None = None,
) -> None:
    NOTICE_KINDS[key] = NoticeKind(key, label, decisions, stamp, waiting)


def notice_deadlines(
    rules: Callable[[set[str], object], list[tuple[str, int]]], changes_at: Callable[[object], object] | None = None
) -> None:
    """The publication deadline of the areas on some paths (one stage sets it: the last one registered).
    `changes_at(now)`: when the rules next change without a write. A write that changes them bumps the page
    cache's scope `notice-deadlines` (the notice boards show how fast each notice followed its decision)."""
    NOTICE_DEADLINES[:] = [rules]
    NOTICE_DEADLINE_CHANGES[:] = [changes_at] if changes_at is not None else []


def notice_kind_choices() -> list[tuple[str, Promise]]:
    """Every registered kind of notice in the order the stages registered them, the core's "other" last."""
    kinds = sorted(NOTICE_KINDS.values(), key=lambda kind: kind.key == NOTICE_OTHER)
    return [(kind.key, kind.label) for kind in kinds]


def register_civic() -> None:
    """The civic core's own kinds, verbs and moderated content."""
    from django.urls import reverse

    from .models import Organisation, User

    notification_kind("verification.requested", _("A resident asks to be verified in your area"), "daily")
    notification_kind("verification.decided", _("Decisions on your residency verification"))
    notification_kind("organisation.confirmed", _("Your organisation was confirmed"))
    notification_kind("organisation.request", _("Requests to join and invitations"))
    notification_kind("role.changed", _("Roles given to you or taken back"))
    notification_kind("moderation.reported", _("Content reported in an area you moderate"), "daily")
    notification_kind("moderation.decided", _("Moderation of what you wrote"))

    timeline_verb("organisation.registered", _("%(organisation)s registered on the platform"))
    timeline_verb("organisation.confirmed", _("%(organisation)s was confirmed by %(official)s"))
    timeline_verb("organisation.member_joined", _("%(person)s joined %(organisation)s"))
    timeline_verb("area.role_granted", _("%(person)s became %(role)s of %(area)s"))
    timeline_verb("area.role_revoked", _("%(person)s is no longer %(role)s of %(area)s"))
    timeline_verb("notice.published", _("Notice published: %(title)s"))

    notice_kind(NOTICE_OTHER, _("other notice"))

    moderated(
        Organisation,
        Moderated(
            area=lambda o: o.areas.order_by("depth").first(),
            author=lambda o: (
                o.memberships.filter(role="representative").first().user
                if o.memberships.filter(role="representative").exists()
                else None
            ),
            excerpt=lambda o: f"{o.name}: {o.description}"[:300],
            url=lambda o: reverse("civic:organisation-detail", args=[o.pk]),
        ),
    )
    moderated(
        User,
        Moderated(
            area=lambda u: None,
            author=lambda u: u,
            excerpt=lambda u: f"{u.display_name}: {u.bio}"[:300],
            url=lambda u: reverse("civic:person-detail", args=[u.pk]),
        ),
    )
