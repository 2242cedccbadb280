from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from civic.errors import DomainError
from civic.services import area_import_csv


class Command(BaseCommand):
    help = "Import areas from a UTF-8 CSV file (code,name,level,parent_code); all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--as", dest="admin_email", help="The administrator recorded in the audit log")

    def handle(self, *args, file: Path, admin_email=None, **options):
        users = get_user_model().objects.filter(is_superuser=True, is_active=True)
        admin = users.filter(email=admin_email).first() if admin_email else users.order_by("pk").first()
        if admin is None:
            raise CommandError("No active administrator found (create one with createsuperuser, or pass --as).")
        try:
            result = area_import_csv(actor=admin, data=file.read_bytes())
        except OSError as error:
            raise CommandError(str(error)) from error
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        self.stdout.write(f"{result['created']} created, {result['unchanged']} already present")
