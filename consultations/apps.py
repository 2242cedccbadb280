from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("Consultations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from civic.registry import demo_seeder, scale_seeder, tick_job

        from . import pages, scale
        from .demo import seed, seed_finished
        from .registry import register
        from .services import close_due_consultations

        register()
        pages.watch()  # the cached page parts a write to consultations changes (civic.pagecache)
        tick_job("consultations.close", close_due_consultations)
        demo_seeder(seed)
        demo_seeder(seed_finished)
        scale_seeder(scale.seed)
