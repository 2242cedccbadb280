from django.core.management.base import BaseCommand

from civic.services import send_digests


class Command(BaseCommand):
    help = "E-mail each person the daily digest of their notifications (run once a day; safe to run twice)."

    def handle(self, *args, **options):
        sent = send_digests()
        self.stdout.write(f"{sent} digest(s) sent")
