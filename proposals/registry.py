"""What proposals plug into the civic core: notification kinds, timeline lines, moderated content."""

from django.utils.translation import gettext_lazy as _

from civic.registry import (
    Moderated,
    assisted_action,
    demo_story_dates,
    moderated,
    notice_kind,
    notification_kind,
    timeline_verb,
)


def register() -> None:
    from .models import Comment, Proposal
    from .selectors import answer_decisions, answer_waiting
    from .services.transitions import decision_words

    notice_kind("answer", _("answer to a proposal"), answer_decisions, waiting=answer_waiting)

    assisted_action("proposal.endorsed", _("Co-signed a proposal"))
    assisted_action("proposal.commented", _("Commented on a proposal"))

    notification_kind("proposal.qualified", _("A proposal you follow or look after qualified for the agenda"))
    notification_kind("proposal.state", _("A proposal you follow changed state"))
    notification_kind("proposal.answered", _("An official answered a proposal you follow"))
    notification_kind("proposal.comment", _("New comments on proposals you follow"), "daily")
    notification_kind("proposal.from_reports", _("A problem you reported became a proposal"))

    demo_story_dates(
        {
            "proposal.published": "published_at",
            "proposal.qualified": "qualified_at",
            "proposal.answered": "first_answered_at",
            "proposal.declined": "closed_at",
            "proposal.withdrawn": "closed_at",
            "proposal.expired": "closed_at",
            "proposal.not_adopted": "closed_at",
            "proposal.done": "closed_at",
        }
    )
    timeline_verb("proposal.published", _("Published: “%(title)s” starts collecting co-signatures"))
    timeline_verb("proposal.corrected", _("The author corrected the text"))
    timeline_verb("proposal.cosponsored", _("%(who)s joined as co-sponsor"))
    timeline_verb("proposal.qualified", _("Qualified for the agenda with %(count)s co-signatures"))
    timeline_verb("proposal.answered", _("%(official)s answered"))
    timeline_verb("proposal.declined", _("Declined by %(official)s"))
    timeline_verb("proposal.withdrawn", _("Withdrawn by the author"))
    timeline_verb("proposal.expired", _("Closed: only %(count)s co-signatures when the time ran out"))
    timeline_verb("proposal.scheduled", _("Put on an agenda: %(where)s"))
    timeline_verb("proposal.unscheduled", _("Back among the qualified proposals: %(why)s"), params=decision_words)
    timeline_verb("proposal.adopted", _("Adopted %(how)s"), params=decision_words)
    timeline_verb("proposal.not_adopted", _("Not adopted %(how)s"), params=decision_words)
    timeline_verb("proposal.in_implementation", _("Work started"))
    timeline_verb("proposal.done", _("Done"))
    timeline_verb("proposal.from_reports", _("Grew out of %(count)s reports of the same problem in %(cell)s"))

    moderated(
        Proposal,
        Moderated(
            area=lambda p: p.area,
            author=lambda p: p.author,
            excerpt=lambda p: f"{p.title}: {p.body}"[:300],
            url=lambda p: p.get_absolute_url(),
        ),
    )
    moderated(
        Comment,
        Moderated(
            area=lambda c: c.proposal.area,
            author=lambda c: c.author,
            excerpt=lambda c: c.body[:300],
            url=lambda c: f"{c.proposal.get_absolute_url()}#comment-{c.pk}",
        ),
    )
