import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from civic.errors import InvalidInput
from proposals.models import Attachment, Proposal

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _photo_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), "red")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (31.0, 14.0, 0.0)}  # GPS info
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def test_photos_are_re_encoded_without_metadata(make_proposal):
    raw = _photo_with_gps()
    assert Image.open(io.BytesIO(raw)).getexif()
    p = make_proposal(files=[SimpleUploadedFile("楼道.jpg", raw, content_type="image/jpeg")])
    attachment = Attachment.objects.get(proposal=p)
    assert attachment.kind == "image"
    with attachment.file.open("rb") as f:
        stored = Image.open(io.BytesIO(f.read()))
        assert not stored.getexif() and stored.size == (64, 48)


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("a.jpg", b"GIF89a....", "upload_type"),
        ("a.png", b"\x89PNG\r\n\x1a\nnot-really", "upload_damaged"),
        ("a.pdf", b"<html>", "upload_type"),
    ],
)
def test_disguised_files_write_nothing(make_proposal, name, content, code):
    with pytest.raises(InvalidInput) as raised:
        make_proposal(files=[SimpleUploadedFile(name, content)])
    assert raised.value.code == code and name in str(raised.value.message)
    assert not Proposal.objects.exists() and not Attachment.objects.exists()


def test_size_and_count_limits(make_proposal, settings):
    settings.PROPOSAL_MAX_ATTACHMENTS = 2
    pdf = lambda: SimpleUploadedFile("a.pdf", b"%PDF-1.4 test")  # noqa: E731
    with pytest.raises(InvalidInput) as raised:
        make_proposal(files=[pdf(), pdf(), pdf()])
    assert raised.value.code == "too_many_files"
    settings.UPLOAD_MAX_BYTES = 10
    with pytest.raises(InvalidInput) as raised:
        make_proposal(files=[pdf()])
    assert raised.value.code == "upload_too_large"
