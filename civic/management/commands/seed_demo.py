import os

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from civic.demo import data
from civic.models import AreaLevel, AreaRoleKind, Organisation
from civic.services import area_get_or_create, area_role_grant, organisation_create
from civic.validators import credit_code_check_char

User = get_user_model()


class Command(BaseCommand):
    help = "Load the demo city (areas, people, organisations, roles). Safe to run again: nothing is duplicated."

    def add_arguments(self, parser):
        parser.add_argument("--allow-production", action="store_true", help="Load even when DJANGO_ENV=production.")
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the demo logins.")

    def handle(self, *args, allow_production=False, quiet_logins=False, **options):
        if os.environ.get("DJANGO_ENV") == "production" and not allow_production:
            raise CommandError("Refusing to load demo data in production (pass --allow-production to insist).")
        with transaction.atomic():
            areas = self._areas()
            people = self._people()
            self._organisations(people, areas)
            self._roles(people, areas)
        if not quiet_logins:
            self._print_logins()

    def _areas(self):
        code, name = data.CITY
        city = area_get_or_create(code=code, name=name, level=AreaLevel.CITY)
        areas = {code: city}
        for (d_code, d_name), subdistricts in data.TREE.items():
            district = area_get_or_create(code=d_code, name=d_name, level=AreaLevel.DISTRICT, parent=city)
            areas[d_code] = district
            for (s_code, s_name), communities in subdistricts.items():
                sub = area_get_or_create(code=s_code, name=s_name, level=AreaLevel.SUBDISTRICT, parent=district)
                areas[s_code] = sub
                for c_code, c_name in communities:
                    community = area_get_or_create(code=c_code, name=c_name, level=AreaLevel.COMMUNITY, parent=sub)
                    areas[c_code] = community
                    for i in range(data.GRIDS_PER_COMMUNITY):
                        g_code = f"{c_code}{i + 1:03d}"
                        areas[g_code] = area_get_or_create(
                            code=g_code, name=data.GRID_NAMES[i], level=AreaLevel.GRID, parent=community
                        )
        return areas

    def _people(self):
        people = {}
        for local, display_name, kind in data.PEOPLE:
            email = f"{local}@{data.DOMAIN}"
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(
                    email=email,
                    password=data.PASSWORD,
                    display_name=display_name,
                    is_staff=kind == "admin",
                    is_superuser=kind == "admin",
                )
            EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
            people[local] = user
        return people

    def _organisations(self, people, areas):
        for first17, name, kind, description, representative in data.ORGANISATIONS:
            code = first17 + credit_code_check_char(first17)
            if Organisation.objects.filter(credit_code=code).exists():
                continue
            organisation = organisation_create(
                name=name,
                kind=kind,
                credit_code=code,
                description=description,
                areas=[areas["990102"]],
                representative=people[representative],
            )
            organisation.confirmed_at = timezone.now()
            organisation.confirmed_by = people["admin"]
            organisation.save(update_fields=["confirmed_at", "confirmed_by"])

    def _roles(self, people, areas):
        admin = people["admin"]
        area_role_grant(user=people["official"], area=areas["990102"], role=AreaRoleKind.OFFICIAL, granted_by=admin)
        area_role_grant(
            user=people["organiser"], area=areas["990102001"], role=AreaRoleKind.ORGANISER, granted_by=admin
        )
        area_role_grant(
            user=people["organiser"], area=areas["990102001"], role=AreaRoleKind.MODERATOR, granted_by=admin
        )

    def _print_logins(self):
        labels = {
            "admin": "administrator (admin site) / 平台管理员",
            "official": "official of 东湖区 / 政府工作人员",
            "organiser": "organiser of 湖滨街道 / 社区组织者",
            "resident": "resident / 居民",
            "enterprise": "enterprise representative / 企业代表",
            "social": "social organisation representative / 社会组织代表",
        }
        self.stdout.write(f"Demo logins (password for all: {data.PASSWORD})")
        for local, display_name, kind in data.PEOPLE:
            email = f"{local}@{data.DOMAIN}"
            self.stdout.write(f"  {email:<26} {display_name}\t{labels[kind]}")
