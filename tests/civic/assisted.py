"""An assisted resident of the test world (tests/world.py): 王秀兰, registered in person by the organiser of
一街道 in cell c1a, with a mobile number."""

from civic import services
from tests.world import fresh


def register(w, *, name="王秀兰", cell="c1a", id_last4="123X", phone="138 0013 8000", by="organiser_here"):
    return services.assisted_register(
        actor=fresh(w[by]),
        display_name=name,
        cell=w[cell],
        address="柳岸小区 3 栋 2 单元 501",
        id_last4=id_last4,
        phone=phone,
        consent=True,
    )
