"""API keys of organisations (a hotline centre filing through Open311): only an official of an area the
organisation serves issues one, to a confirmed organisation; the key is shown once and stored as a hash."""

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from civic.errors import Conflict, NotAllowed
from civic.models import AuditEntry, OrganisationToken
from civic.services import organisation_token_issue, organisation_token_revoke

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirmed(world):
    org = world.organisation
    org.confirmed_at = timezone.now()
    org.save(update_fields=["confirmed_at"])
    return org


def test_an_official_of_the_area_issues_a_key_stored_only_as_its_hash(world, confirmed):
    token, key = organisation_token_issue(actor=world["official_here"], organisation=confirmed, label="12345 热线")
    assert len(key) >= 40 and token.prefix == key[:8]
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert not OrganisationToken.objects.filter(key_hash=key).exists()
    assert AuditEntry.objects.filter(action="organisation_token.issue").count() == 1
    organisation_token_revoke(actor=world["official_here"], token=token)
    token.refresh_from_db()
    assert token.revoked_at is not None and not token.is_active


@pytest.mark.parametrize("role", ["official_elsewhere", "representative", "resident"])
def test_no_one_else_issues_keys(world, confirmed, role):
    with pytest.raises(NotAllowed):
        organisation_token_issue(actor=world[role], organisation=confirmed, label="热线")
    assert not OrganisationToken.objects.exists()


def test_an_unconfirmed_organisation_holds_no_key(world):
    with pytest.raises(Conflict):
        organisation_token_issue(actor=world["official_here"], organisation=world.organisation, label="热线")


def test_the_command_prints_the_key_once(world, confirmed):
    out = StringIO()
    call_command("organisation_token", str(confirmed.pk), "12345 热线", stdout=out)
    key = out.getvalue().strip().split(": ")[-1]
    assert OrganisationToken.objects.get().key_hash == hashlib.sha256(key.encode()).hexdigest()
    with pytest.raises(CommandError):
        call_command("organisation_token", "999999", "热线", stdout=StringIO())
