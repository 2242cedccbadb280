from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliberationConfig(AppConfig):
    name = "deliberation"
    verbose_name = _("Deliberation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from civic.registry import assisted_action, demo_seeder, demo_story_dates, tick_job, timeline_verb

        from .demo import seed
        from .services import speeches_time_up, tally_closed_boxes

        tick_job("deliberation.tally", tally_closed_boxes)
        tick_job("deliberation.speeches", speeches_time_up)
        assisted_action("ballot.voted", _("Voted (the choice is secret)"))
        demo_seeder(seed)
        demo_story_dates({"ballot.scheduled": "opens_at", "ballot.tallied": "closes_at"})

        from civic.registry import scale_seeder

        from . import pages, scale

        pages.watch()  # the cached page parts a write to deliberation changes (civic.pagecache)
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
