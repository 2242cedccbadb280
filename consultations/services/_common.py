"""What the consultation services share: the row lock, the move between states, telling people."""

from django.contrib.auth import get_user_model
from django.db.models import F, Q

from civic.services import notify, timeline_record

from ..models import MACHINE, AreaSubscription, Consultation, Follow

User = get_user_model()

TITLE_MAX = 120
BACKGROUND_MAX = 10000
ORIGINATOR_MAX = 120
REASON_MAX = 1000  # an extension's reason
SOURCE_MAX = 200000  # an imported text
UNIT_TEXT_MAX = 20000
QUESTION_MAX = 300
OPTION_MAX = 200
PLACE_MAX = 120
NOTE_MAX = 500
SUBMITTER_MAX = 60
GROUP_TITLE_MAX = 120


def locked(consultation) -> Consultation:
    return Consultation.objects.select_for_update(of=("self",)).select_related("area").get(pk=consultation.pk)


def move(consultation: Consultation, target: str, *, actor, verb: str, params=None, fields=()) -> None:
    """One transition of the state machine (guard, write, audit), then the timeline entry."""
    MACHINE.move(consultation, target, actor=actor, area=consultation.area, fields=fields)
    record(consultation, verb, actor=actor, params=params)


def record(consultation: Consultation, verb: str, *, actor=None, params=None) -> None:
    timeline_record(
        subject=consultation,
        verb=verb,
        params={"title": consultation.title, **(params or {})},
        url=consultation.get_absolute_url(),
        actor=actor,
        area=consultation.area,
    )


def tell_followers(consultation, *, kind, title, body="", params=None, exclude=(), url="") -> int:
    """`title` is a lazy translation: `notify` renders it with `params` in each follower's language."""
    followers = User.objects.filter(
        pk__in=Follow.objects.filter(consultation=consultation).values("user"), is_active=True
    )
    followers = followers.exclude(pk__in=[u.pk for u in exclude if u])
    params = {"title": consultation.title, **(params or {})}
    told = 0
    for person in followers:
        notify(
            recipient=person,
            kind=kind,
            title=title,
            body=body,
            params=params,
            url=url or consultation.get_absolute_url(),
        )
        told += 1
    return told


def subscribers(consultation) -> list:
    """The people who asked to hear of consultations in its area: subscribed to the area, to an area above
    it, or to an area inside it."""
    path = consultation.area_path
    ancestors = [path[: i + 1] for i, ch in enumerate(path) if ch == "/"]
    matching = AreaSubscription.objects.filter(Q(area_path__in=ancestors) | Q(area_path__startswith=path))
    return list(User.objects.filter(pk__in=matching.values("user"), is_active=True))


def follow(user, consultation) -> bool:
    _obj, created = Follow.objects.get_or_create(consultation=consultation, user=user)
    if created:
        Consultation.objects.filter(pk=consultation.pk).update(follower_count=F("follower_count") + 1)
    return created
