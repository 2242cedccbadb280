from django.core.management.base import BaseCommand, CommandError

from deliberation.models import BallotBox, BoxKind
from deliberation.selectors import count


class Command(BaseCommand):
    help = "Count a participatory-budgeting box with a rule; prints the funded project ids in selection order."

    def add_arguments(self, parser):
        parser.add_argument("box_id", type=int)
        parser.add_argument("--rule", required=True, choices=["greedy", "mes", "mes-add1"])

    def handle(self, *args, box_id: int, rule: str, **options):
        box = BallotBox.objects.filter(pk=box_id, kind=BoxKind.BUDGET).first()
        if box is None:
            raise CommandError(f"No participatory-budgeting box {box_id}.")
        for project_id in count(box, rule=rule)["selected"]:
            self.stdout.write(project_id)
