from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Proposals")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from civic.registry import demo_seeder, scale_seeder, tick_job

        from .demo import seed
        from .registry import register
        from .services import expire_due_proposals

        register()
        from . import pages

        pages.watch()  # the cached page parts a write to proposals changes (civic.pagecache)
        tick_job("proposals.expire", expire_due_proposals)
        demo_seeder(seed)
        from . import scale

        scale_seeder(scale.seed)
