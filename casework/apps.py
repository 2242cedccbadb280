from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = _("Key small matters")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .registry import register

        register()
