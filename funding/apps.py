from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = _("Funding")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from civic.registry import demo_seeder, scale_seeder

        from .demo import seed
        from .registry import register

        register()
        from . import pages

        pages.watch()  # the cached page parts a write to funding changes (civic.pagecache)
        demo_seeder(seed)
        from . import scale

        scale_seeder(scale.seed)
