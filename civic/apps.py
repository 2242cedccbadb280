from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CivicConfig(AppConfig):
    name = "civic"
    verbose_name = _("People and areas")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .registry import register_civic

        register_civic()
