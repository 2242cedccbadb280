"""Stored files go out typed by what was verified, as downloads, sandboxed; private ones only to who may see
them; public photos at /media/ in production too (no nginx location needed), through Django or nginx."""

import io
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from civic import services
from civic.models import ResidencyVerification
from tests.civic.test_uploads import one_page_pdf

SANDBOX = "sandbox; default-src 'none'"


@pytest.fixture
def w(world, private_root, media_root):
    return world


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def proof(w):
    """A request by the unverified person for cell c1a, with a real PDF uploaded under a lying name."""
    upload = SimpleUploadedFile("我的证明.html", one_page_pdf(), content_type="text/html")
    verification = services.verification_request(
        user=w["unverified"], cell=w["c1a"], address="测试路 2 号", proof=upload
    )
    yield verification
    verification.proof.delete(save=False)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def assert_sandboxed_download(response, content_type):
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == SANDBOX


def test_the_proof_is_a_sandboxed_pdf_download_whatever_its_uploaded_name(client, w, proof):
    client.force_login(w["organiser_here"])
    response = client.get(reverse("civic:verification-proof", args=[proof.pk]))
    assert_sandboxed_download(response, "application/pdf")
    assert response["Content-Disposition"] == f'attachment; filename="proof-{proof.pk}.pdf"'
    assert "html" not in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    with proof.proof.open("rb") as stored:
        assert body(response) == stored.read()
    assert "X-Accel-Redirect" not in response


def test_a_proof_stored_before_the_policy_under_a_client_name_is_never_typed_by_it(client, w):
    """A file kept under an .html name is handed out as bytes to download, not as a page."""
    verification = ResidencyVerification.objects.create(user=w["unverified"], cell=w["c1a"], address="测试路 2 号")
    verification.proof.save("old.html", ContentFile(b"%PDF-1.4<script>alert(1)</script>"), save=True)
    try:
        client.force_login(w["organiser_here"])
        response = client.get(reverse("civic:verification-proof", args=[verification.pk]))
        assert_sandboxed_download(response, "application/octet-stream")
        assert "text/html" not in response["Content-Type"]
    finally:
        verification.proof.delete(save=False)


def test_with_nginx_the_proof_view_checks_and_nginx_delivers(client, w, proof, settings):
    settings.MEDIA_ACCEL = True
    client.force_login(w["organiser_here"])
    response = client.get(reverse("civic:verification-proof", args=[proof.pk]))
    assert_sandboxed_download(response, "application/pdf")
    assert response["X-Accel-Redirect"] == f"/_protected/private/{proof.proof.name}"
    assert response.content == b""
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("who", ["organiser_elsewhere", "resident", "official_elsewhere"])
@pytest.mark.parametrize("accel", [False, True])
def test_a_stranger_gets_no_proof_and_no_redirect(client, w, proof, settings, who, accel):
    settings.MEDIA_ACCEL = accel
    client.force_login(w[who])
    response = client.get(reverse("civic:verification-proof", args=[proof.pk]))
    assert response.status_code in (403, 404)
    assert "X-Accel-Redirect" not in response
    assert b"%PDF" not in response.content


def test_a_visitor_is_sent_to_log_in(client, proof):
    response = client.get(reverse("civic:verification-proof", args=[proof.pk]))
    assert response.status_code == 302 and "X-Accel-Redirect" not in response


@pytest.fixture
def photo_name(media_root):
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "green").save(buffer, "JPEG")
    name = default_storage.save(f"projects/2026/12/{uuid.uuid4().hex}.jpg", ContentFile(buffer.getvalue()))
    yield name
    default_storage.delete(name)


def test_a_public_photo_is_served_at_media_with_debug_off(client, settings, photo_name):
    settings.DEBUG = False
    response = client.get(f"/media/{photo_name}")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == SANDBOX
    assert body(response).startswith(b"\xff\xd8\xff")


def test_a_public_photo_goes_through_nginx_when_it_is_there(client, settings, photo_name):
    settings.DEBUG, settings.MEDIA_ACCEL = False, True
    response = client.get(f"/media/{photo_name}")
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/_protected/media/{photo_name}"
    assert response["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize(
    "path",
    [
        "proofs/2026/12/x.pdf",  # private folder (not even in MEDIA_ROOT)
        "proposals/1/x.pdf",  # attachments follow their proposal's visibility: their own view
        "projects/../proofs/x.pdf",
        "projects/2026/12/page.html",
        "projects/2026/12/missing.jpg",
        "projects//x.jpg",
    ],
)
def test_media_serves_nothing_outside_the_public_folders(client, settings, db, media_root, path):
    settings.DEBUG = False
    assert client.get(f"/media/{path}").status_code == 404


def test_media_serves_no_other_folder_even_when_a_file_is_there(client, settings, db, media_root):
    name = default_storage.save(f"proposals/999/{uuid.uuid4().hex}.pdf", ContentFile(one_page_pdf()))
    try:
        for debug in (True, False):
            settings.DEBUG = debug
            assert client.get(f"/media/{name}").status_code == 404
    finally:
        default_storage.delete(name)


def test_the_admin_links_the_proof_through_the_checked_page_not_a_storage_url(client, w, proof):
    client.force_login(w["admin"])
    page = client.get(reverse("admin:civic_residencyverification_change", args=[proof.pk])).content.decode()
    assert reverse("civic:verification-proof", args=[proof.pk]) in page
    assert proof.proof.name not in page and "/media/" not in page
