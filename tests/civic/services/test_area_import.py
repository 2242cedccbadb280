import pytest
from django.core.management import CommandError, call_command

from civic import services
from civic.errors import InvalidInput, NotAllowed
from civic.models import Area

pytestmark = pytest.mark.django_db

GOOD = """code,name,level,parent_code
880000,八八市,city,
880100,甲区,district,880000
880101,甲街道,subdistrict,880100
"""


def test_import_creates_the_tree_and_can_run_again(world):
    result = services.area_import_csv(actor=world["admin"], data=("\ufeff" + GOOD).encode())
    assert result == {"created": 3, "unchanged": 0}
    assert Area.objects.get(code="880101").path == "/880000/880100/880101/"
    assert services.area_import_csv(actor=world["admin"], data=GOOD.encode()) == {"created": 0, "unchanged": 3}


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (GOOD + "880102,乙街道,subdistrict,889999\n", "第 5 行"),
        (GOOD + "880103,乙社区,community,880100\n", "第 5 行"),
        ("name,code\n", "表头"),
        (GOOD.replace("甲区", "乙区"), "第 3 行"),
    ],
)
def test_a_bad_line_imports_nothing_and_names_the_line(world, text, fragment):
    if "乙区" in text:
        services.area_import_csv(actor=world["admin"], data=GOOD.encode())
    before = Area.objects.count()
    with pytest.raises(InvalidInput) as raised:
        services.area_import_csv(actor=world["admin"], data=text.encode())
    assert fragment in str(raised.value.message)
    assert Area.objects.count() == before


def test_only_administrators_import(world):
    with pytest.raises(NotAllowed):
        services.area_import_csv(actor=world["official_city"], data=GOOD.encode())
    with pytest.raises(InvalidInput):
        services.area_import_csv(actor=world["admin"], data="代码".encode("gbk"))


def test_command_line_import(world, tmp_path):
    path = tmp_path / "areas.csv"
    path.write_text(GOOD, encoding="utf-8")
    call_command("import_areas", str(path))
    assert Area.objects.filter(code__startswith="88").count() == 3
    path.write_text(GOOD + "x,y,village,880000\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_areas", str(path))


def test_admin_import_page(client, world):
    client.force_login(world["admin"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = client.get("/admin/civic/area/import/")
    assert page.status_code == 200
    response = client.post("/admin/civic/area/import/", {"file": SimpleUploadedFile("a.csv", GOOD.encode())})
    assert response.status_code == 302 and Area.objects.filter(code="880101").exists()
