"""A project's page is one rendering for every signed-in reader (civic.pagecache.whole_page): the rating form is
marked for the residents who may rate and decided per request from their own facts (one query); officials, the
implementer's members and readers whose own rating or objection the page shows get it rendered for them; a
rating shows at once; a kept page costs four queries however many ratings."""

import re

import pytest

from civic import pagecache
from civic.models import PagePart
from civic.selectors import is_eligible
from funding import services
from funding.models import SatisfactionRating
from funding.selectors import projects as project_selectors
from tests.factories import UserFactory
from tests.pages import reader_client as _reader
from tests.pages import reader_page as _page
from tests.pages import reader_queries as _queries
from tests.world import fresh, verify

from .test_projects import accept

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
FORM = 'id="form-rating"'
ONLY_RESIDENTS = "的经核验的居民可以评价该项目。"


def _shared() -> int:
    return PagePart.objects.filter(sub=pagecache.SIGNED_IN_PAGE).count()


@pytest.fixture
def accepted(fworld, project):
    return accept(fworld, project)


def _rated_text(page: str) -> str:
    return page[page.index('id="satisfaction"') : page.index('id="timeline"')]


def test_residents_who_may_rate_see_the_form_on_the_one_shared_page(fworld, accepted):
    url = accepted.get_absolute_url()
    resident, elsewhere = _reader(fworld["resident"]), _reader(fworld["resident_elsewhere"])
    neighbour = UserFactory()
    verify(neighbour, fworld["c1b"])
    other = _reader(neighbour)
    for _round in range(2):
        page_r, page_e, page_o = _page(resident, url), _page(elsewhere, url), _page(other, url)
        assert FORM in page_r and ONLY_RESIDENTS not in _rated_text(page_r)
        assert FORM in page_o
        assert FORM not in page_e and ONLY_RESIDENTS in _rated_text(page_e)
    assert _shared() == 1


def test_both_ways_give_the_same_page(fworld, accepted, monkeypatch):
    url = accepted.get_absolute_url()
    for who in ("resident", "resident_elsewhere"):
        client = _reader(fworld[who])
        _page(client, "/")
        shared = CSRF.sub("", _page(client, url))
        with monkeypatch.context() as patched:
            patched.setattr(pagecache, "_whole_signed_in", lambda request: None)
            alone = CSRF.sub("", _page(client, url))
        assert shared == alone, who


def test_a_rating_shows_at_once_and_its_rater_gets_their_own_page(fworld, accepted):
    url = accepted.get_absolute_url()
    resident, elsewhere = _reader(fworld["resident"]), _reader(fworld["resident_elsewhere"])
    _page(resident, url), _page(elsewhere, url)
    services.rating_submit(user=fresh(fworld["resident"]), project=accepted, level=4, comment="")
    assert "4.00" in _rated_text(_page(elsewhere, url))  # the distribution changed: rendered afresh
    mine = _page(resident, url)
    assert "您的评价：" in mine and "修改评价" in mine  # their own rating, rendered for them
    assert "您的评价：" not in _page(elsewhere, url)
    assert SatisfactionRating.objects.count() == 1


def test_officials_and_the_implementers_members_get_their_own_pages(fworld, project):
    url = project.get_absolute_url()
    commitments = f"/projects/{project.pk}/commitments/"  # an official's form
    _page(_reader(fworld["resident"]), url)
    before = _shared()
    assert 'id="form-start"' in _page(_reader(fworld["representative"]), url)  # the implementer's member
    assert commitments in _page(_reader(fworld["official_here"]), url)
    assert _shared() == before  # theirs are not kept for anyone
    for who in ("resident", "resident_elsewhere"):
        page = _page(_reader(fworld[who]), url)
        assert 'id="form-start"' not in page and commitments not in page, who


@pytest.mark.parametrize("ratings", [1, 6])
def test_a_kept_page_costs_three_queries_however_many_ratings(fworld, accepted, ratings):
    url = accepted.get_absolute_url()
    for _n in range(ratings):
        rater = UserFactory()
        verify(rater, fworld["c1b"])
        services.rating_submit(user=rater, project=accepted, level=5, comment="")
    a = _reader(fworld["resident_elsewhere"])
    _page(a, url)
    kept = _queries(a, url)
    # the project's proposal (its scopes); the person; the versions, page, header and the reader's facts
    assert len(kept) == 3, "\n".join(q[:160] for q in kept)


def test_the_facts_read_in_one_query_follow_the_models_rules(fworld, accepted):
    services.rating_submit(user=fresh(fworld["resident"]), project=accepted, level=3, comment="")
    for who in ("resident", "resident_elsewhere", "representative", "member", "official_here"):
        person = fresh(fworld[who])
        facts = project_selectors.reader_facts(accepted.pk, person)
        # the same facts when read in the page's own query (pagecache.Part's reader_rows)
        query = project_selectors.reader_query(accepted.pk, person.pk)
        _versions, kept = pagecache._load(["project:0"], "page", reader=query)
        together = project_selectors.reader_facts(accepted.pk, person, kept[pagecache.READER_ROWS])
        assert together["own"] == facts["own"], who
        assert together["eligible_in"](accepted.area.path) == facts["eligible_in"](accepted.area.path), who
        assert facts["eligible_in"](accepted.area.path) == is_eligible(person, accepted.area), who
        rated = SatisfactionRating.objects.filter(project=accepted, user=person).exists()
        member = accepted.implementer.memberships.filter(user=person).exists()
        assert facts["own"] == (rated or member), who


def test_an_award_under_notice_offers_every_reader_to_object_and_the_objector_sees_theirs(fworld, project):
    award = services.award_compute(actor=fresh(fworld["official_here"]), project=project, stage="provisional")
    url = project.get_absolute_url()
    objecting = f'action="/awards/{award.pk}/objections/"'
    a, b = _reader(fworld["resident"]), _reader(fworld["resident_elsewhere"])
    assert objecting in _page(a, url) and objecting in _page(b, url)  # one shared rendering offers the form
    services.objection_file(user=fresh(fworld["resident"]), award=award, text="线路检修 4 万元明显偏高")
    mine, theirs = _page(a, url), _page(b, url)
    assert objecting not in mine and objecting in theirs  # the objector's page is theirs: no second objection
