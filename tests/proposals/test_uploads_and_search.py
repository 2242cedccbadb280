import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from civic.errors import InvalidInput
from proposals.models import Attachment, Proposal
from proposals.selectors import proposal_list, similar_proposals

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


@pytest.fixture
def corpus(make_proposal, pworld):
    titles = [
        "柳岸小区楼道灯长期不亮",
        "望湖路背街小巷垃圾堆放整治",
        "老旧小区加装电梯",
        "增设 LED 路灯",
        "社区口袋公园补种绿植",
    ]
    return {t: make_proposal(title=t, body=f"{t}。详细情况如下，请大家支持。") for t in titles}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("灯", {"柳岸小区楼道灯长期不亮", "增设 LED 路灯"}),
        ("路灯", {"增设 LED 路灯"}),
        ("小区", {"柳岸小区楼道灯长期不亮", "老旧小区加装电梯"}),
        ("老旧小区", {"老旧小区加装电梯"}),
        ("led", {"增设 LED 路灯"}),
        ("背街 垃圾", {"望湖路背街小巷垃圾堆放整治"}),
        ("火星", set()),
    ],
)
def test_search_finds_chinese_of_any_length(corpus, query, expected):
    assert {p.title for p in proposal_list(query=query)} == expected


def test_similar_proposals_while_writing(corpus, pworld, django_assert_num_queries):
    with django_assert_num_queries(1):
        found = similar_proposals(title="楼道的灯不亮了", area=pworld["c1a"])
    assert found and found[0].title == "柳岸小区楼道灯长期不亮"
    assert similar_proposals(title="楼道的灯不亮了", area=pworld["C2"]) == []


def test_list_filters_by_area_below_and_sorts(make_proposal, pworld):
    from proposals.selectors import proposal_list as plist
    from tests.world import verify

    a = make_proposal(title="一社区的事情")
    verify(pworld["member"], pworld["c2a"])
    b = make_proposal(author="member", area="C2", title="二社区的事情")
    assert list(plist(area=pworld["D1"])) == [a]
    assert set(plist(area=pworld["city"])) == {a, b}
    Proposal.objects.filter(pk=a.pk).update(threshold=3)
    Proposal.objects.filter(pk=b.pk).update(endorsement_count=2, threshold=3)
    assert plist(sort="endorsed").first() == b
    assert plist(sort="closest").first() == b
