import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from casework.demo import PEOPLE as CASEWORK_PEOPLE
from civic.demo import data
from civic.models import Area, AreaRole, Organisation
from funding.demo import NEIGHBOURS
from scorecard.demo import PEOPLE as SCORECARD_PEOPLE

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Area.objects.count(),
        get_user_model().objects.count(),
        Organisation.objects.count(),
        AreaRole.objects.count(),
    )


def test_seed_is_complete_and_idempotent(capsys):
    call_command("seed_demo")
    first = _counts()
    communities = sum(len(c) for subs in data.TREE.values() for c in subs.values())
    assert first[0] == 1 + len(data.TREE) + sum(len(s) for s in data.TREE.values()) + communities * (
        1 + data.GRIDS_PER_COMMUNITY
    )
    # the neighbours rate the demo projects; the scorecard's demo adds people of 西城区, 高新区 and 新桥街道;
    # the organiser registered residents without e-mail in person; casework adds a grid worker and a unit's worker
    assert first[1] == (
        len(data.PEOPLE) + len(NEIGHBOURS) + len(SCORECARD_PEOPLE) + len(data.ASSISTED_RESIDENTS) + len(CASEWORK_PEOPLE)
    )
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert {"enterprise", "social"} <= kinds
    assert set(AreaRole.objects.values_list("role", flat=True)) >= {"organiser", "official"}
    out = capsys.readouterr().out
    assert data.PASSWORD in out and f"resident@{data.DOMAIN}" in out
    call_command("seed_demo", quiet_logins=True)
    assert _counts() == first


def test_demo_people_can_log_in(client):
    call_command("seed_demo", quiet_logins=True)
    response = client.post("/accounts/login/", {"login": f"resident@{data.DOMAIN}", "password": data.PASSWORD})
    assert response.status_code == 302
    assert "王秀英" in client.get("/").content.decode()


def test_seed_refuses_production(monkeypatch):
    monkeypatch.setenv("DJANGO_ENV", "production")
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not Area.objects.exists()
