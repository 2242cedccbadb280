"""pb_import + pb_tally reproduce the official outcomes; export → import → tally gives the same."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from deliberation import pabulib
from deliberation.models import Ballot, BallotBox
from tests.factories import make_area_tree

DATA = Path(__file__).resolve().parents[2] / "data" / "pabulib"
FILES = sorted(DATA.glob("*.pb"))

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(db):
    return make_area_tree()["city"]


def _import(path, **kwargs):
    out, err = StringIO(), StringIO()
    call_command("pb_import", str(path), stdout=out, stderr=err, **kwargs)
    return int(out.getvalue().strip().splitlines()[-1]), err.getvalue()


def _tally(box_id, rule):
    out = StringIO()
    call_command("pb_tally", str(box_id), rule=rule, stdout=out)
    return out.getvalue().split()


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_import_and_tally_reproduce_the_official_outcome(root, path):
    election = pabulib.parse(path.read_bytes())
    box_id, progress = _import(path)
    assert "ballots [" in progress
    assert Ballot.objects.filter(box_id=box_id).count() == len(election.votes)
    rule = "mes-add1" if election.meta["rule"] == "equalshares/add1" else "greedy"
    assert set(_tally(box_id, rule)) == set(election.selected)


def test_the_stdout_holds_only_the_ids_in_selection_order(root):
    box_id, _ = _import(DATA / "poland_warszawa_2017_sadul.pb", area=root.code)
    box = BallotBox.objects.get(pk=box_id)
    assert box.area == root and box.imported and box.state == "tallied"
    assert _tally(box_id, "greedy") == box.result["selected"]


def test_export_import_tally_gives_the_same(root, tmp_path):
    box_id, _ = _import(DATA / "poland_wieliczka_2023.pb")
    out = StringIO()
    call_command("pb_export", str(box_id), stdout=out)
    exported = tmp_path / "again.pb"
    exported.write_text(out.getvalue(), encoding="utf-8")
    again = pabulib.parse(exported.read_bytes())
    assert len(again.votes) == 6586 and all(v.isdigit() for v, _ in again.votes)  # voters anonymised
    second, _ = _import(exported)
    assert _tally(second, "mes-add1") == _tally(box_id, "mes-add1")


def test_a_malformed_file_imports_nothing_and_names_the_line(root, tmp_path):
    text = (DATA / "poland_warszawa_2017_sadul.pb").read_text(encoding="utf-8")
    lines = text.splitlines()
    last = len(lines)
    lines[-1] = lines[-1].rsplit(";", 1)[0] + ";999999"
    bad = tmp_path / "bad.pb"
    bad.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("pb_import", str(bad), stdout=StringIO(), stderr=StringIO())
    assert f"第 {last} 行" in str(raised.value) and "999999" in str(raised.value)
    assert not BallotBox.objects.exists() and not Ballot.objects.exists()


def test_unknown_box_or_area(root):
    with pytest.raises(CommandError):
        call_command("pb_tally", "999", rule="greedy")
    with pytest.raises(CommandError):
        call_command("pb_import", str(FILES[0]), area="nowhere", stdout=StringIO(), stderr=StringIO())


def test_the_api_and_the_results_page_show_the_official_outcome(root, client):
    box_id, _ = _import(DATA / "poland_wieliczka_2023.pb")
    official = set(pabulib.parse((DATA / "poland_wieliczka_2023.pb").read_bytes()).selected)
    body = client.get(f"/api/ballots/{box_id}/results/").json()
    assert set(body["selected"]) == official and body["spent"] == "995079.00"
    page = client.get(f"/ballots/{box_id}/results/").content.decode()
    assert page.count('<span class="badge badge-ok">获资助</span>') == 30


def test_admin_imports_and_exports_pb_files(root, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    path = DATA / "poland_warszawa_2017_sadul.pb"
    bad = client.post(
        "/admin/deliberation/ballotbox/import/",
        {"area": root.pk, "file": SimpleUploadedFile("x.pb", b"META\nbudget;x\n")},
    )
    assert "第" in bad.content.decode() and not BallotBox.objects.exists()
    client.post(
        "/admin/deliberation/ballotbox/import/",
        {"area": root.pk, "file": SimpleUploadedFile("s.pb", path.read_bytes())},
    )
    box = BallotBox.objects.get()
    exported = client.post("/admin/deliberation/ballotbox/", {"action": "export_pb", "_selected_action": [box.pk]})
    assert exported["Content-Disposition"].endswith(f'ballot-{box.pk}.pb"') and b"PROJECTS" in exported.content
