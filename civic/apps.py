from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CivicConfig(AppConfig):
    name = "civic"
    verbose_name = _("People and areas")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .appendonly import install_protection
        from .registry import register_civic

        register_civic()
        from . import pages

        pages.watch()  # the cached page parts a write to the core changes (civic.pagecache)
        from . import pagecache
        from .registry import tick_job

        tick_job("civic.pagecache", pagecache.compact_backlog)  # fold the page versions' change rows
        # every append-only table gets its database triggers after every migrate (see civic.appendonly)
        post_migrate.connect(install_protection, sender=self, dispatch_uid="civic.appendonly.install_protection")
