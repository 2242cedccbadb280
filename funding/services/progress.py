"""Milestones and progress reports, and the tick job that tells officials about overdue milestones."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civic.errors import Conflict, InvalidInput
from civic.money import format_yuan, parse_amount
from civic.services import audit_record, notify, require_perm
from civic.text import clean_text

from ..models import Milestone, ProgressReport
from ..models import ProjectState as S
from .common import (
    PROGRESS_TEXT_MAX,
    clean_milestones,
    day,
    locked_project,
    officials_of,
    project_photos,
    project_story,
)


@transaction.atomic
def milestone_add(*, actor, project, title: str, due_on, is_midpoint: bool = False) -> Milestone:
    project = locked_project(project)
    require_perm(
        actor, "funding.report_progress", project, _("Only the implementer or an official can plan milestones.")
    )
    if project.state in (S.CLOSED, S.CANCELLED, S.ACCEPTED):
        raise Conflict("project_finished", _("This project is finished."))
    ((title, due, midpoint),) = clean_milestones(
        [{"title": title, "due_on": due_on, "is_midpoint": is_midpoint}], project.planned_start, project.planned_end
    ) or [(None, None, None)]
    if title is None:
        raise InvalidInput("required", _("Name the milestone."), field="title")
    if midpoint and project.milestones.filter(is_midpoint=True).exists():
        raise InvalidInput("one_midpoint", _("This project already has a mid-point milestone."), field="is_midpoint")
    position = project.milestones.count()
    milestone = Milestone.objects.create(
        project=project, position=position, title=title, due_on=due, is_midpoint=midpoint
    )
    audit_record(
        actor=actor,
        action="project.milestone_added",
        obj=project,
        area=project.area,
        after={"title": title, "due_on": due.isoformat()},
    )
    return milestone


@transaction.atomic
def progress_report(
    *, actor, project, text: str, spend_to_date, reported_on=None, milestone=None, files=()
) -> ProgressReport:
    """A progress report; naming a milestone marks it reached."""
    project = locked_project(project)
    require_perm(actor, "funding.report_progress", project, _("Only the implementer can report progress."))
    if project.state != S.IN_PROGRESS:
        raise Conflict("not_in_progress", _("Progress is reported while the work is in progress."))
    body = clean_text(text, field="text", limit=PROGRESS_TEXT_MAX, required=True, message=_("Describe what was done."))
    spent = parse_amount(spend_to_date, field="spend_to_date", required=True)
    reported_on = day(reported_on, "reported_on", required=False) or timezone.localdate()
    if reported_on > timezone.localdate():
        raise InvalidInput("date_in_future", _("A report cannot be dated in the future."), field="reported_on")
    if milestone is not None:
        milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
        if milestone.project_id != project.pk:
            raise InvalidInput("milestone_invalid", _("Choose a milestone of this project."), field="milestone")
        if milestone.reached_at is not None:
            raise Conflict("milestone_reached", _("This milestone was already reached."))
    report = ProgressReport.objects.create(
        project=project, milestone=milestone, author=actor, text=body, spend_to_date=spent, reported_on=reported_on
    )
    project_photos(project, files, report=report)
    if milestone is not None:
        milestone.reached_at = timezone.now()
        milestone.save(update_fields=["reached_at"])
        project_story(project, "project.milestone_reached", actor=actor, params={"milestone": milestone.title})
    else:
        project_story(project, "project.progress", actor=actor, params={"spent": format_yuan(spent)})
    audit_record(
        actor=actor,
        action="project.progress_reported",
        obj=project,
        area=project.area,
        after={"spend_to_date": str(spent), "milestone": milestone.pk if milestone else None},
    )
    return report


def notify_overdue_milestones(now=None) -> int:
    """Tell the officials of the area once about each milestone that passed its date unreached (tick job)."""
    today = timezone.localdate(now or timezone.now())
    count = 0
    due = Milestone.objects.filter(
        reached_at__isnull=True,
        due_on__lt=today,
        overdue_notified_at__isnull=True,
        project__state__in=[S.PLANNED, S.IN_PROGRESS],
    ).select_related("project__area")
    for milestone in due:
        with transaction.atomic():
            claimed = Milestone.objects.filter(pk=milestone.pk, overdue_notified_at__isnull=True).update(
                overdue_notified_at=timezone.now()
            )
            if not claimed:  # another machine's tick took it
                continue
            for official in officials_of(milestone.project):
                notify(
                    recipient=official,
                    kind="project.milestone_overdue",
                    title=gettext_lazy("Milestone “%(milestone)s” of “%(title)s” is overdue"),
                    params={"milestone": milestone.title, "title": milestone.project.title},
                    url=milestone.project.get_absolute_url(),
                )
            count += 1
    return count
