import sys

from django.core.management.base import BaseCommand

from funding.ledger_check import run_checks


class Command(BaseCommand):
    help = (
        "Reconcile the ledger with the awards, commitments and policy caps. Prints every problem with the "
        "ledger entries concerned and exits with status 1 if there is any; writes nothing. Verifies the hash "
        "chain too and prints its head, to compare with the heads published in notices and exports."
    )

    def handle(self, *args, **options):
        report = run_checks()
        if report.consistent:
            self.stdout.write(f"Ledger consistent: {report.entries_checked} entries checked")
            self.stdout.write(f"Chain head: {report.head}")
            return
        for problem in report.problems:
            self.stdout.write(str(problem))
        self.stdout.write(f"Chain head: {report.head}")
        self.stderr.write(
            f"Ledger inconsistent: {len(report.problems)} problem(s) in {report.entries_checked} entries checked"
        )
        sys.exit(1)
