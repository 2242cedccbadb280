"""A project's progress at a glance: the share of milestones reached, the whole once the work is finished."""

from datetime import date

from django.utils import timezone

from funding.models import MicroProject, Milestone, ProjectState
from funding.selectors.projects import progress


def _milestones(reached: int, total: int) -> list[Milestone]:
    return [
        Milestone(title=f"节点 {i}", due_on=date(2026, 1, 1), reached_at=timezone.now() if i < reached else None)
        for i in range(total)
    ]


def test_the_share_of_milestones_reached_rounded_half_up():
    project = MicroProject(state=ProjectState.IN_PROGRESS)
    assert progress(project, _milestones(1, 3)) == {"percent": 33, "reached": 1, "total": 3, "finished": False}
    assert progress(project, _milestones(2, 3))["percent"] == 67
    assert progress(project, _milestones(1, 8))["percent"] == 13  # 12.5 rounds up
    assert progress(MicroProject(state=ProjectState.PLANNED), _milestones(0, 2))["percent"] == 0


def test_finished_work_is_all_done_whatever_the_milestones():
    for state in (ProjectState.COMPLETED, ProjectState.ACCEPTED, ProjectState.CLOSED):
        assert progress(MicroProject(state=state), _milestones(1, 2)) == {
            "percent": 100,
            "reached": 1,
            "total": 2,
            "finished": True,
        }


def test_nothing_to_show_without_milestones_or_for_a_cancelled_project():
    assert progress(MicroProject(state=ProjectState.IN_PROGRESS), []) is None
    assert progress(MicroProject(state=ProjectState.CANCELLED), _milestones(1, 2)) is None
