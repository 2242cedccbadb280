"""What consultations plug into the civic core: notification kinds, timeline lines, moderated opinions."""

from django.utils.translation import gettext_lazy as _

from civic.registry import Moderated, moderated, notice_kind, notification_kind, timeline_verb


def register() -> None:
    from .models import Opinion
    from .selectors import result_decisions

    notice_kind("consult", _("result of a consultation"), result_decisions)

    notification_kind("consultation.opened", _("A consultation opens in an area you asked to hear about"))
    notification_kind("consultation.update", _("Updates of consultations you follow"))
    notification_kind("consultation.result", _("The result of a consultation in an area you asked to hear about"))
    notification_kind("consultation.answered", _("Answers to your opinions on consultations"))

    timeline_verb("consultation.opened", _("Open for opinions until %(closes)s"))
    timeline_verb("consultation.extended", _("Extended until %(closes)s: %(reason)s"))
    timeline_verb("consultation.closed", _("Closed with %(count)s opinions; answers due by %(due)s"))
    timeline_verb("consultation.answered", _("Every opinion answered (%(count)s)"))
    timeline_verb("consultation.concluded", _("Result published: the final text and the feedback report"))

    moderated(
        Opinion,
        Moderated(
            area=lambda o: o.consultation.area,
            author=lambda o: o.author,
            excerpt=lambda o: o.text[:300],
            url=lambda o: o.get_absolute_url(),
        ),
    )
