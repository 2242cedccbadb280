from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from civic.models import Area
from deliberation.pabulib import PabulibError
from deliberation.services import pb_import


class Command(BaseCommand):
    help = "Import a pabulib .pb election as a closed participatory-budgeting box; prints the new box's id last."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--area", help="Area code (default: the root of the area tree)")

    def handle(self, *args, file: Path, area=None, **options):
        target = (
            Area.objects.filter(code=area).first()
            if area
            else Area.objects.filter(parent__isnull=True).order_by("pk").first()
        )
        if target is None:
            raise CommandError(f"No area {area!r}." if area else "There is no area yet: create the area tree first.")
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(str(error)) from error

        def progress(done, total):
            width = 40
            filled = width * done // max(total, 1)
            self.stderr.write(f"\rballots [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
            if done == total:
                self.stderr.write("")
            self.stderr.flush()

        try:
            box = pb_import(data=data, area=target, progress=progress)
        except PabulibError as error:
            raise CommandError(f"{file}: {error}") from error
        self.stdout.write(str(box.pk))
