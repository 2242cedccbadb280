"""A proposal's attachments go out through the proposal's own view: to whoever may see the proposal,
typed by the verified kind, documents as sandboxed downloads named after the display name."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from proposals import services
from tests.civic.test_uploads import one_page_pdf

SANDBOX = "sandbox; default-src 'none'"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), "red").save(buffer, "JPEG")
    return buffer.getvalue()


def attach(pworld, proposal):
    return services.attachments_add(
        actor=pworld["resident"],
        proposal=proposal,
        files=[
            SimpleUploadedFile('楼道 "照片".png', jpeg(), content_type="text/html"),
            SimpleUploadedFile("会议纪要.html", one_page_pdf(), content_type="text/html"),
        ],
    )


def test_a_document_is_a_sandboxed_pdf_download_and_an_image_is_inline(client, pworld, make_proposal, media):
    proposal = make_proposal()
    image, document = attach(pworld, proposal)
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert image.get_absolute_url() in page and document.get_absolute_url() in page
    assert "/media/proposals/" not in page

    response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''%E4%BC%9A%E8%AE%AE%E7%BA%AA%E8%A6%81.pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == SANDBOX
    with document.file.open("rb") as stored:
        assert b"".join(response.streaming_content) == stored.read()

    response = client.get(image.get_absolute_url())
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline; filename*=utf-8''")
    assert response["Content-Disposition"].endswith(".jpg")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_with_nginx_the_attachment_view_answers_with_a_redirect_and_no_body(
    client, pworld, make_proposal, media, settings
):
    settings.MEDIA_ACCEL = True
    _, document = attach(pworld, make_proposal())
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/_protected/media/{document.file.name}"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize("accel", [False, True])
def test_a_drafts_attachments_are_for_its_author_only(client, pworld, make_proposal, media, settings, accel):
    settings.MEDIA_ACCEL = accel
    draft = make_proposal(publish=False)
    _, document = attach(pworld, draft)
    url = document.get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(pworld["resident_elsewhere"])
    response = client.get(url)
    assert response.status_code == 404 and "X-Accel-Redirect" not in response
    assert client.get(f"/media/{document.file.name}").status_code == 404
    client.force_login(pworld["resident"])
    assert client.get(url).status_code == 200


def test_an_attachment_is_reached_only_through_its_own_proposal(client, pworld, make_proposal, media):
    _, document = attach(pworld, make_proposal())
    other = make_proposal(title="另一条建议的标题")
    url = reverse("proposals:proposal-attachment", args=[other.pk, document.pk])
    assert client.get(url).status_code == 404
