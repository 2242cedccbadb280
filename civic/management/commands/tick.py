from django.core.management.base import BaseCommand

from civic.registry import TICK_JOBS


class Command(BaseCommand):
    help = (
        "Perform the time-driven side effects (closing windows that passed, notifications). Run every minute "
        "from cron or a systemd timer; idempotent and safe on two machines at once."
    )

    def handle(self, *args, **options):
        for name, job in sorted(TICK_JOBS.items()):
            done = job()
            if options["verbosity"] > 0:
                self.stdout.write(f"{name}: {done}")
