import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from civic.validators import CREDIT_CODE_ALPHABET, as_pk, as_pks, credit_code_check_char, validate_credit_code

# Published codes of real organisations (check character computed by GB 32100-2015).
REAL_CODES = ["91350100M000100Y43", "91110000802100433B", "11100000000013127D"]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_are_accepted(code):
    validate_credit_code(code)


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("91350100M000100Y4", "credit_code_length"),
        ("91350100M000100Y433", "credit_code_length"),
        ("91350100M000100Z43", "credit_code_characters"),  # Z is not in the alphabet
        ("91350100M000I00Y43", "credit_code_characters"),
        ("91350100M000100Y44", "credit_code_check"),
        ("", "credit_code_length"),
    ],
)
def test_bad_codes_are_refused_with_their_reason(code, error):
    with pytest.raises(ValidationError) as raised:
        validate_credit_code(code)
    assert raised.value.code == error


first17 = st.text(alphabet=CREDIT_CODE_ALPHABET, min_size=17, max_size=17)


@given(first17)
def test_every_code_with_its_check_character_is_valid(prefix):
    validate_credit_code(prefix + credit_code_check_char(prefix))


@given(first17, st.sampled_from(CREDIT_CODE_ALPHABET))
def test_any_other_check_character_is_refused(prefix, wrong):
    if wrong == credit_code_check_char(prefix):
        return
    with pytest.raises(ValidationError):
        validate_credit_code(prefix + wrong)


def test_primary_keys_from_request_text():
    assert as_pk("42") == 42 and as_pk(" 7 ") == 7
    for bad in ("²", "٣", "-1", "1.5", "", None, "9" * 19, "abc"):
        assert as_pk(bad) is None, bad
    assert as_pks(["1", "²", "x", "3"]) == [1, 3]


@pytest.mark.django_db
def test_odd_digits_in_request_text_are_ignored_not_a_500(client, world, pworld):
    client.force_login(world["resident"])
    assert client.post("/notifications/", {"id": ["²"]}).status_code == 302
    assert client.get("/proposals/similar/", {"area": "²", "title": "楼道灯"}).status_code == 200
    response = client.get("/api/proposals/", {"category": "²"})
    assert response.status_code == 400 and response.json()["code"] == "category_unknown"
