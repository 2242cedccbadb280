import os

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from civic.demo import data
from civic.demo.story import date_the_story
from civic.models import (
    AreaLevel,
    AreaRole,
    AreaRoleKind,
    AssistedResident,
    Membership,
    ModerationCase,
    Organisation,
    ResidencyVerification,
)
from civic.registry import DEMO_SEEDERS
from civic.services import (
    area_get_or_create,
    area_role_grant,
    assisted_register,
    content_report,
    organisation_confirm,
    organisation_create,
    organisation_register,
    organisation_request_decide,
    organisation_request_join,
    verification_approve,
    verification_request,
)
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
        # The demo's own notifications stay in the inbox: no e-mail is sent while seeding.
        since = timezone.now()
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
            areas = self._areas()
            people = self._people()
            self._roles(people, areas)
            self._organisations(people, areas)
            self._residents(people, areas)
            self._assisted(people, areas)
            self._memberships(people)
            self._reports(people, areas)
            for seeder in DEMO_SEEDERS:  # the later stages' demo data, in app order
                seeder(people, areas)
            date_the_story(since)
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
            organisation_confirm(actor=people["admin"], organisation=organisation)

    def _roles(self, people, areas):
        admin = people["admin"]
        wanted = [
            ("official", "990102", AreaRoleKind.OFFICIAL),
            ("organiser", "990102001", AreaRoleKind.ORGANISER),
            ("organiser", "990102001", AreaRoleKind.MODERATOR),
        ]
        for person, code, role in wanted:
            if not AreaRole.objects.filter(user=people[person], area=areas[code], role=role).exists():
                area_role_grant(actor=admin, user=people[person], area=areas[code], role=role)

    def _residents(self, people, areas):
        organiser = people["organiser"]
        for person, cell, address in data.RESIDENTS:
            if ResidencyVerification.objects.filter(user=people[person]).exists():
                continue
            verification = verification_request(user=people[person], cell=areas[cell], address=address)
            verification_approve(verification=verification, actor=organiser)
        for person, cell, address in data.PENDING_RESIDENTS:
            if not ResidencyVerification.objects.filter(user=people[person]).exists():
                verification_request(user=people[person], cell=areas[cell], address=address)

    def _assisted(self, people, areas):
        for name, cell, address, id_last4, phone in data.ASSISTED_RESIDENTS:
            if not AssistedResident.objects.filter(user__display_name=name, cell=areas[cell]).exists():
                assisted_register(
                    actor=people["organiser"],
                    display_name=name,
                    cell=areas[cell],
                    address=address,
                    id_last4=id_last4,
                    phone=phone,
                    consent=True,
                )

    def _memberships(self, people):
        enterprise = Organisation.objects.get(name=data.ORGANISATIONS[0][1])
        if not Membership.objects.filter(organisation=enterprise, user=people["resident2"]).exists():
            join = organisation_request_join(
                user=people["resident2"], organisation=enterprise, message="我在物业做志愿者，想参与楼道照明项目。"
            )
            organisation_request_decide(actor=people["enterprise"], request=join, accept=True)
        name, description, representative, area = data.RESIDENTS_GROUP
        if not Organisation.objects.filter(name=name).exists():
            organisation_register(
                actor=people[representative],
                name=name,
                kind="residents_group",
                description=description,
                areas=[self._area(area)],
            )

    def _reports(self, people, areas):
        group = Organisation.objects.get(name=data.RESIDENTS_GROUP[0])
        if ModerationCase.objects.filter(object_id=group.pk, content_type__model="organisation").exists():
            return
        content_report(
            reporter=people["resident3"],
            obj=group,
            reason="false",
            text="这个小组的成员并不都住在 3 栋，名称有误导。",
        )

    @staticmethod
    def _area(code):
        from civic.models import Area

        return Area.objects.get(code=code)

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
