"""Which cached page parts (civic.pagecache) a write to consultations changes, and the scopes each page reads.

- `consultations:CODE` — the consultation lists of area CODE (every area above a consultation's area lists
  it too) and `consultations:*`, the list of every area: a consultation's row and its opinion count.
- `consultation:PK` — the consultation itself: its row (state, window, answer date, result), the text of
  each version, extensions, questions, symposiums. Every page of the consultation reads it.
- `opinions:PK` — the consultation's opinions taken together: the lists, the counts per unit, the latest
  opinions, the answering progress, the feedback report (new opinions, supports, answers, groups,
  moderation).
- `opinion:PK` — one opinion's page (its row, its supports, its answer and group).
- shared with other apps: `areas`, `organisations`, `people` (names shown), the consultation's timeline.

What a person may read of the opinions differs (opinions kept to the drafters until they are answered;
hidden ones; one's own): a part that shows opinions is kept per *view* — `public` (what everyone may read)
or `all` (the drafters'); a reader who sees more than the public but is no drafter (their own opinion
kept to the drafters, or hidden) gets the page rendered for them, never a kept one.
"""

from django.contrib.contenttypes.models import ContentType

from civic import pagecache

from .models import (
    Consultation,
    ConsultationState,
    Extension,
    Opinion,
    OpinionGroup,
    OpinionSupport,
    Question,
    QuestionOption,
    Symposium,
    TextUnit,
    TextVersion,
)

COMMON = ("areas", "organisations", "people")
PUBLIC = "public"  # what everyone may read
ALL = "all"  # what the drafters read: every opinion, hidden ones too


def list_scopes(area) -> list[str]:
    return [f"consultations:{area.code}" if area is not None else "consultations:*", "areas"]


def _timeline(pk: int) -> str:
    subject = ContentType.objects.get_for_model(Consultation).pk  # cached by Django after the first call
    return f"timeline:{subject}:{pk}"


def detail_scopes(pk: int) -> list[str]:
    return [f"consultation:{pk}", f"opinions:{pk}", _timeline(pk), *COMMON]


def opinions_scopes(pk: int) -> list[str]:
    return [f"consultation:{pk}", f"opinions:{pk}", *COMMON]


def opinion_scopes(pk: int, opinion_pk: int) -> list[str]:
    return [f"consultation:{pk}", f"opinion:{opinion_pk}", *COMMON]


def result_scopes(pk: int) -> list[str]:
    return [f"consultation:{pk}", f"opinions:{pk}", "areas"]


def in_lists(area_path: str) -> list[str]:
    return ["consultations:*", *pagecache.area_scopes("consultations", area_path)]


def view_of(user, consultation) -> str | None:
    """Which kept rendering of the opinions `user` may be shown: `all` for the drafters, `public` for a
    reader who sees exactly what everyone sees, None for one who sees more (their own opinion that is not
    public): theirs is rendered for them alone."""
    from .selectors import is_drafter, sees_all_opinions

    if consultation.state == ConsultationState.DRAFT:
        return None
    if is_drafter(user, consultation):
        return ALL
    if not getattr(user, "is_authenticated", False):
        return PUBLIC
    own = Opinion.objects.filter(consultation=consultation, author=user)
    if sees_all_opinions(user, consultation):
        own = own.filter(is_hidden=True)
    return None if own.exists() else PUBLIC


# --- what each write changes ---------------------------------------------------------------------------


def _consultation(row: Consultation) -> list[str]:
    return [f"consultation:{row.pk}", *in_lists(row.area_path)]


def _of_consultation(row) -> list[str]:
    return [f"consultation:{row.consultation_id}"]


def _opinion(row: Opinion) -> list[str]:
    return [f"opinions:{row.consultation_id}", f"opinion:{row.pk}"]


def _support(row: OpinionSupport) -> list[str]:
    consultation_id = Opinion.objects.filter(pk=row.opinion_id).values_list("consultation_id", flat=True).first()
    return [f"opinions:{consultation_id}", f"opinion:{row.opinion_id}"]


def bump_opinions(consultation_id: int, opinion_ids=()) -> None:
    """For writes to opinions through QuerySet.update (answers, groups, support counts)."""
    pagecache.bump(f"opinions:{consultation_id}", *(f"opinion:{pk}" for pk in opinion_ids))


def bump_count(consultation) -> None:
    """A consultation's opinion count changed (an update): its lists and its page show it."""
    pagecache.bump(f"opinions:{consultation.pk}", *in_lists(consultation.area_path))


def watch() -> None:
    pagecache.watch(Consultation, _consultation)
    for model in (TextVersion, Extension, Question, Symposium):
        pagecache.watch(model, _of_consultation)
    pagecache.watch(TextUnit, lambda row: [f"consultation:{row.version.consultation_id}"])
    pagecache.watch(QuestionOption, lambda row: [f"consultation:{row.question.consultation_id}"])
    pagecache.watch(Opinion, _opinion)
    pagecache.watch(OpinionSupport, _support)
    # a group's answer is shown on the answered opinions' pages and the lists (its opinions are bumped by
    # the service, which moves them with an update)
    pagecache.watch(
        OpinionGroup, lambda row: [f"consultation:{row.consultation_id}", f"opinions:{row.consultation_id}"]
    )
