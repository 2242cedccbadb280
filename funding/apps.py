from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = _("Funding")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from civic.registry import demo_seeder

        from .demo import seed
        from .registry import register

        register()
        demo_seeder(seed)
