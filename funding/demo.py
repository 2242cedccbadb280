"""Demo subsidy policies: the city's general one and the 东湖区 one that its communities inherit."""

from decimal import Decimal

from .models import SubsidyPolicy
from .services import policy_publish


def seed(people: dict, areas: dict) -> None:
    if SubsidyPolicy.objects.exists():
        return
    policy_publish(
        actor=people["admin"],
        area=areas["990100"],
        data={
            "share": Decimal("0.25"),
            "cap_per_project": Decimal("80000"),
            "cap_per_area_year": Decimal("2000000"),
            "min_self_funded_share": Decimal("0.05"),
            "min_acceptance_score": Decimal("75"),
            "min_satisfaction_rate": Decimal("0.7"),
            "note": "《云河市城乡社区微项目以奖代补实施办法（试行）》",
        },
    )
    policy_publish(
        actor=people["official"],
        area=areas["990102"],
        data={
            "share": Decimal("0.30"),
            "cap_per_project": Decimal("100000"),
            "cap_per_area_year": Decimal("250000"),
            "min_self_funded_share": Decimal("0.10"),
            "min_acceptance_score": Decimal("80"),
            "min_satisfaction_rate": Decimal("0.80"),
            "advance_start": Decimal("0.30"),
            "advance_midpoint": Decimal("0.50"),
            "advance_completion": Decimal("0.80"),
            "note": "东湖区老旧小区改造和背街小巷整治微项目：开工、过半、完工三次预拨，验收和居民评议后结算。",
        },
    )
