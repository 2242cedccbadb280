"""What funding plugs into the civic core."""

from django.utils.translation import gettext_lazy as _

from civic.registry import (
    assisted_action,
    demo_story_dates,
    notice_deadlines,
    notice_kind,
    notification_kind,
    tick_job,
    timeline_verb,
)


def _labelled(name: str, choices):
    """Timeline parameters stored as a code of `choices`, shown as its label in the reader's language."""

    def words(params: dict) -> dict:
        value = params.get(name)
        return {**params, name: choices(value).label} if value in choices.values else params

    return words


def register() -> None:
    from .models import AdvanceCondition, FundingSource, ObjectionStatus
    from .selectors.notices import (
        award_decisions,
        award_waiting,
        ledger_stamp,
        notice_deadlines_change_at,
        payment_decisions,
        payment_waiting,
    )
    from .selectors.notices import notice_deadlines as policy_notice_deadlines
    from .services.progress import notify_overdue_milestones

    assisted_action("project.rated", _("Rated a project"))

    notification_kind("project.inspection_due", _("Projects ready for acceptance inspection"))
    notification_kind("project.milestone_overdue", _("Project milestones past their date"), "daily")
    tick_job("project_milestones_overdue", notify_overdue_milestones)
    demo_story_dates(
        {"project.started": "started_at", "project.completed": "completed_at", "project.accepted": "accepted_at"}
    )

    timeline_verb("project.created", _("Micro-project “%(title)s” created, carried out by %(implementer)s"))
    timeline_verb("project.started", _("Work on “%(title)s” started"))
    timeline_verb("project.progress", _("Progress reported on “%(title)s”: %(spent)s spent so far"))
    timeline_verb("project.milestone_reached", _("Milestone reached: %(milestone)s"))
    timeline_verb("project.completed", _("The implementer reported “%(title)s” complete"))
    timeline_verb("project.accepted", _("“%(title)s” accepted at inspection: score %(score)s, verified cost %(cost)s"))
    timeline_verb("project.rework", _("Inspection of “%(title)s”: rework needed: %(defects)s"))
    timeline_verb("project.suspended", _("“%(title)s” suspended: %(reason)s"))
    timeline_verb("project.resumed", _("“%(title)s” resumed"))
    timeline_verb("project.cancelled", _("“%(title)s” cancelled: %(reason)s"))
    timeline_verb("project.closed", _("“%(title)s” closed"))
    timeline_verb(
        "project.commitment",
        _("%(funder)s committed %(amount)s (%(source)s)"),
        params=_labelled("source", FundingSource),
    )
    timeline_verb("award.provisional_noticed", _("Provisional award of %(amount)s under public notice until %(until)s"))
    timeline_verb("award.settlement_noticed", _("Settlement of %(amount)s under public notice until %(until)s"))
    timeline_verb("award.objection_filed", _("An objection was filed; the answer is due by %(due)s"))
    timeline_verb(
        "award.objection_answered",
        _("An objection was answered: %(outcome)s"),
        params=_labelled("outcome", ObjectionStatus),
    )
    timeline_verb("award.cancelled", _("The award under notice was cancelled: %(reason)s"))
    timeline_verb("award.provisional_approved", _("Provisional award of %(amount)s approved"))
    timeline_verb("award.settlement_approved", _("Settlement of %(amount)s approved"))
    timeline_verb(
        "award.advance_paid",
        _("Advance of %(amount)s paid (%(condition)s)"),
        params=_labelled("condition", AdvanceCondition),
    )
    timeline_verb("award.settlement_paid", _("Settlement payment of %(amount)s made"))
    timeline_verb("award.recovered", _("%(amount)s recovered from the implementer"))
    timeline_verb("subsidy.policy_published", _("Subsidy policy version %(version)s: %(share)s %% of the cost"))

    notice_kind("award", _("award under public notice"), award_decisions, ledger_stamp, award_waiting)
    notice_kind("payment", _("payment"), payment_decisions, ledger_stamp, payment_waiting)
    notice_deadlines(policy_notice_deadlines, notice_deadlines_change_at)
    _watch_policies()


def _watch_policies() -> None:
    """A subsidy policy saved or removed changes the deadlines the notice boards judge notices by (their
    cached pages: civic.pagecache scope `notice-deadlines`)."""
    from django.db.models.signals import post_delete, post_save

    from civic import pagecache

    from .models import SubsidyPolicy

    def changed(sender, **kwargs):
        pagecache.bump("notice-deadlines")

    post_save.connect(changed, sender=SubsidyPolicy, weak=False, dispatch_uid="pagecache-notice-deadlines-save")
    post_delete.connect(changed, sender=SubsidyPolicy, weak=False, dispatch_uid="pagecache-notice-deadlines-delete")
