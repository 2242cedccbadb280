from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliberationConfig(AppConfig):
    name = "deliberation"
    verbose_name = _("Deliberation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from civic.registry import demo_seeder, tick_job, timeline_verb

        from .demo import seed
        from .services import tally_closed_boxes

        tick_job("deliberation.tally", tally_closed_boxes)
        demo_seeder(seed)
        from civic.registry import scale_seeder

        from . import scale

        scale_seeder(scale.seed)
        from civic.registry import notification_kind

        notification_kind("session.scheduled", _("A council you sit on calls a session"))
        timeline_verb("session.minutes", _("Minutes of “%(title)s” published"))
        timeline_verb("ballot.scheduled", _("A community vote is announced: “%(title)s”"))
        timeline_verb("ballot.tallied", _("Results of “%(title)s” published (%(turnout)s ballots)"))

        from civic.registry import notice_kind

        from .selectors import ballot_decisions, session_decisions

        notice_kind("session", _("session decision"), session_decisions)
        notice_kind("ballot", _("ballot result"), ballot_decisions)
