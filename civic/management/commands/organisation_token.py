from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from civic.errors import DomainError
from civic.models import Organisation
from civic.services import organisation_token_issue


class Command(BaseCommand):
    help = (
        "Issue an API key to a confirmed organisation (a hotline centre filing reports through Open311); the key "
        "is printed this once and stored only as its hash."
    )

    def add_arguments(self, parser):
        parser.add_argument("organisation", type=int, help="The organisation's id")
        parser.add_argument("label", help="What the key is for, e.g. “12345 hotline”")
        parser.add_argument("--as", dest="admin_email", help="The administrator recorded in the audit log")

    def handle(self, *args, organisation: int, label: str, admin_email=None, **options):
        users = get_user_model().objects.filter(is_superuser=True, is_active=True)
        admin = users.filter(email=admin_email).first() if admin_email else users.order_by("pk").first()
        if admin is None:
            raise CommandError("No active administrator found (create one with createsuperuser, or pass --as).")
        holder = Organisation.objects.filter(pk=organisation).first()
        if holder is None:
            raise CommandError(f"No organisation has the id {organisation}.")
        try:
            _token, key = organisation_token_issue(actor=admin, organisation=holder, label=label)
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        self.stdout.write(f"{holder.name}: {key}")
