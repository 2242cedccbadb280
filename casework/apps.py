from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = _("Key small matters")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from civic.registry import demo_seeder, scale_seeder

        from . import pages, scale
        from .demo import seed
        from .registry import register

        register()
        pages.watch()
        demo_seeder(seed)
        scale_seeder(scale.seed)
