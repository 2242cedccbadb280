"""The one HTML path for domain errors: a message after a form post, an error page otherwise."""

import pytest
from django.http import HttpResponse
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from civic.errors import Conflict, NotAllowed


def _conflict_view(request):
    raise Conflict("already_done", _("Page not found"))


def _forbidden_view(request):
    raise NotAllowed("not_yours", _("You do not have permission to see this page."))


def _ok_view(request):
    return HttpResponse("ok")


urlpatterns = [
    path("boom/", _conflict_view),
    path("forbidden/", _forbidden_view),
    path("ok/", _ok_view),
    path("", include("civic.urls")),
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def test_get_renders_the_error_page_with_its_status(client):
    response = client.get("/forbidden/")
    assert response.status_code == 403
    assert "您没有查看此页面的权限。" in response.content.decode()


def test_post_goes_back_with_the_message(client):
    response = client.post("/boom/", HTTP_REFERER="http://testserver/ok/", follow=False)
    assert response.status_code == 302 and response["Location"] == "http://testserver/ok/"
    page = client.get("/")
    assert "页面不存在" in page.content.decode()  # the flashed message, translated


def test_post_from_another_site_does_not_redirect_there(client):
    response = client.post("/boom/", HTTP_REFERER="https://evil.example/")
    assert response.status_code == 409


@pytest.mark.django_db
def test_a_nul_character_in_the_address_or_the_query_is_a_bad_request_not_a_500(client):
    for url in ("/areas/99%0001/", "/areas/?q=%00", "/api/areas/99%0001/"):
        response = client.get(url)
        assert response.status_code == 400, url
    assert "地址中含有" in client.get("/areas/99%0001/").content.decode()
