from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    """Compile the project's .po catalogues to .mo without GNU gettext.

    Django's own `compilemessages` needs the `msgfmt` program, which a fresh machine may lack;
    polib writes the same binary format in pure Python. Only stale catalogues are rewritten.
    """

    help = "Compile locale/*/LC_MESSAGES/*.po to .mo (pure Python; no gettext needed)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Rewrite every catalogue, stale or not.")

    def handle(self, *args, force=False, **options):
        compiled = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                try:
                    catalogue = polib.pofile(str(po_path))
                except (OSError, ValueError) as error:
                    raise CommandError(f"{po_path}: {error}") from error
                catalogue.save_as_mofile(str(mo_path))
                compiled += 1
                if options["verbosity"] > 1:
                    self.stdout.write(f"compiled {po_path}")
        if options["verbosity"] > 0:
            self.stdout.write(f"{compiled} catalogue(s) compiled")
