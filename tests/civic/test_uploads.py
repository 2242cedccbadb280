"""The one upload policy (civic.uploads): a file is what parsing the whole of it shows, nothing a client
says about it (name, leading bytes, browser type) reaches the disk or a response."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from civic.errors import InvalidInput
from civic.uploads import DOCUMENT, IMAGE, accept_upload


def one_page_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def png(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "orange").save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), "blue")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (39.0, 54.0, 27.0)
    gps[3] = "E"
    gps[4] = (116.0, 23.0, 50.0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def refused(data: bytes, name: str, **kwargs) -> str:
    with pytest.raises(InvalidInput) as raised:
        accept_upload(SimpleUploadedFile(name, data, content_type="application/pdf"), field="proof", **kwargs)
    return raised.value.code


def test_an_html_page_behind_a_pdf_header_is_refused():
    page = b"%PDF-1.7\n<html><body><script>alert(document.cookie)</script></body></html>\n"
    assert refused(page, "proof.pdf") in ("upload_damaged", "upload_type")
    assert refused(page, "proof.html") in ("upload_damaged", "upload_type")


def test_an_html_page_with_no_header_is_refused_by_type():
    assert refused(b"<html><script>alert(1)</script></html>", "proof.pdf") == "upload_type"


def test_a_png_header_over_garbage_is_refused():
    assert refused(b"\x89PNG\r\n\x1a\n" + b"<html><script>x</script></html>" * 20, "a.png") == "upload_damaged"


def test_a_png_with_html_after_the_image_is_stored_as_a_clean_jpeg():
    polyglot = png() + b"<html><script>alert(1)</script></html>"
    clean = accept_upload(SimpleUploadedFile("a.png", polyglot), field="photo")
    stored = clean.file.read()
    assert clean.kind == IMAGE and stored.startswith(b"\xff\xd8\xff")
    assert b"<script>" not in stored and b"<html>" not in stored


def test_a_jpeg_with_gps_is_stored_without_any_metadata():
    data = jpeg_with_gps()
    with Image.open(io.BytesIO(data)) as original:
        assert original.getexif().get_ifd(0x8825)  # the fixture really carries a position
    clean = accept_upload(SimpleUploadedFile("holiday.jpg", data), field="photo")
    stored = clean.file.read()
    with Image.open(io.BytesIO(stored)) as kept:
        assert not kept.getexif().get_ifd(0x8825)
        assert not kept.getexif()
    assert b"PhoneMaker" not in stored and b"Exif" not in stored


def test_a_real_one_page_pdf_is_accepted_under_a_generated_name():
    data = one_page_pdf()
    clean = accept_upload(SimpleUploadedFile("../../我的 证明<script>.html", data), field="proof")
    assert clean.kind == DOCUMENT and clean.content_type == "application/pdf"
    assert clean.file.read() == data
    name = clean.file.name
    assert name.endswith(".pdf") and "/" not in name and "script" not in name and "证明" not in name
    assert len(name) == len("0123456789abcdef0123456789abcdef.pdf")
    assert clean.original_name == "我的 证明<script>.html"  # for display only


def test_an_image_named_pdf_is_stored_as_jpg():
    clean = accept_upload(SimpleUploadedFile("report.pdf", png()), field="files")
    assert clean.kind == IMAGE and clean.file.name.endswith(".jpg") and "report" not in clean.file.name


def test_a_pdf_without_pages_is_refused():
    from pypdf import PdfWriter

    buffer = io.BytesIO()
    PdfWriter().write(buffer)
    assert refused(buffer.getvalue(), "empty.pdf") == "upload_damaged"


def test_a_decompression_bomb_is_refused_not_a_server_error():
    """A tiny PNG that declares 30000 × 30000 pixels (900 megapixels) must not be decoded."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 30000, 30000, 8, 0, 0, 0, 0)  # 8-bit greyscale
    rows = zlib.compress(b"\x00" * 30001 * 16)  # a few rows; the rest are missing
    bomb = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    assert refused(bomb, "bomb.png") == "upload_damaged"


def test_a_file_over_the_limit_is_refused_before_parsing(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    assert refused(b"%PDF-" + b"0" * 2048, "big.pdf") == "upload_too_large"


def test_a_photo_only_field_refuses_a_pdf():
    assert refused(one_page_pdf(), "a.pdf", kinds=(IMAGE,)) == "upload_type"


def test_the_proof_form_states_the_limit_the_policy_applies(settings):
    from django.utils import translation

    from civic.forms import VerificationForm

    settings.UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    with translation.override("en"):
        assert "up to 10 MB" in str(VerificationForm().fields["proof"].help_text)
    with translation.override("zh-hans"):
        assert "不超过 10 MB" in str(VerificationForm().fields["proof"].help_text)
