from django.core.management.base import BaseCommand, CommandError

from deliberation.models import BallotBox, BoxKind
from deliberation.selectors import pb_export


class Command(BaseCommand):
    help = "Write a participatory-budgeting box as a pabulib .pb file to standard output."

    def add_arguments(self, parser):
        parser.add_argument("box_id", type=int)

    def handle(self, *args, box_id: int, **options):
        box = BallotBox.objects.filter(pk=box_id, kind=BoxKind.BUDGET).select_related("area").first()
        if box is None:
            raise CommandError(f"No participatory-budgeting box {box_id}.")
        self.stdout.write(pb_export(box), ending="")
