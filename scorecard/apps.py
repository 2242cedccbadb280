from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScorecardConfig(AppConfig):
    """The five-governance scorecard (五治) and open data: reads what every earlier stage recorded."""

    name = "scorecard"
    verbose_name = _("Scorecard and open data")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from civic.registry import demo_seeder

        from .demo import seed

        demo_seeder(seed)
        from . import pages

        pages.watch()  # the cached scorecard pages a write changes (civic.pagecache)
