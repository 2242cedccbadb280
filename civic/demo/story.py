"""The demo's story, dated: timeline lines written while seeding all carry the moment of seeding; this pass
dates each line from its subject's own record (a proposal's publication, a project's acceptance: the verbs
each stage names with `civic.registry.demo_story_dates`), and the lines in between at one-day steps after
the line before, keeping each subject's order. Lines of subjects with no dated step go back to the city's
start on the platform. Nothing is later than now."""

from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from civic.models import TimelineEntry
from civic.registry import DEMO_STORY_DATES

START_DAYS_AGO = 120
STEP = timedelta(days=1)
TICK = timedelta(minutes=1)


def _moment(value) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return timezone.make_aware(datetime.combine(value, time(10)))
    return None


def date_the_story(since: datetime) -> int:
    """Date the timeline lines written since `since`; returns how many were dated."""
    now = timezone.now()
    start = now - timedelta(days=START_DAYS_AGO)
    lines = list(TimelineEntry.objects.filter(created_at__gte=since).order_by("subject_type", "subject_id", "id"))
    groups: dict[tuple[int, int], list[TimelineEntry]] = {}
    for line in lines:
        groups.setdefault((line.subject_type_id, line.subject_id), []).append(line)
    undated_subjects = 0
    for (type_id, subject_id), story in groups.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        subject = model._default_manager.filter(pk=subject_id).first() if model else None
        known = [
            _moment(getattr(subject, DEMO_STORY_DATES[line.verb], None))
            if subject is not None and line.verb in DEMO_STORY_DATES
            else None
            for line in story
        ]
        if not any(known):
            first = start + timedelta(hours=undated_subjects)
            undated_subjects += 1
        else:
            first = next(k for k in known if k) - STEP * known.index(next(k for k in known if k))
        previous = None
        for line, moment in zip(story, known, strict=True):
            when = moment or (previous + STEP if previous else first)
            if previous and when <= previous:
                when = previous + TICK
            line.created_at = previous = when
        limit = now  # the story's latest steps end by now, still in their order
        for line in reversed(story):
            line.created_at = limit = min(line.created_at, limit)
            limit -= TICK
    TimelineEntry.objects.bulk_update(lines, ["created_at"])
    return len(lines)
