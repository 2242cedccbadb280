import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from civic.models import AreaLevel, Organisation, OrganisationKind
from civic.services import area_create
from civic.validators import credit_code_check_char

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"居民{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        user.save()
        if create and extracted is not False:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


def make_area_tree(prefix: str = "77", communities: int = 2, grids: int = 2):
    """A small city: one district, one subdistrict, `communities` communities with `grids` cells each."""
    city = area_create(code=f"{prefix}0100", name="测试市", level=AreaLevel.CITY)
    district = area_create(code=f"{prefix}0101", name="测试区", level=AreaLevel.DISTRICT, parent=city)
    sub = area_create(code=f"{prefix}0101001", name="测试街道", level=AreaLevel.SUBDISTRICT, parent=district)
    cells = []
    for c in range(communities):
        community = area_create(
            code=f"{prefix}0101001{c + 1:03d}", name=f"测试社区{c + 1}", level=AreaLevel.COMMUNITY, parent=sub
        )
        for g in range(grids):
            cells.append(
                area_create(
                    code=f"{community.code}{g + 1:03d}", name=f"网格{g + 1}", level=AreaLevel.GRID, parent=community
                )
            )
    return {"city": city, "district": district, "subdistrict": sub, "cells": cells}


def valid_credit_code(n: int, kind_prefix: str = "91") -> str:
    first17 = f"{kind_prefix}770101MA{n:07d}"
    return first17 + credit_code_check_char(first17)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    kind = OrganisationKind.ENTERPRISE
    credit_code = factory.Sequence(valid_credit_code)
