"""The open-data API: the catalogue, the rows page by page, and which area or dataset does not exist."""

import pytest
from django.utils import translation

from scorecard import opendata
from tests.scorecard.opendata.world import (
    DATASETS,
    add_proposal,
    download_json,
)

pytestmark = pytest.mark.django_db


def test_api_catalogue_lists_every_dataset_with_fields_and_addresses(client, odworld):
    data = client.get("/api/areas/7701/open-data/").json()
    assert data["area"] == "7701"
    assert [d["name"] for d in data["datasets"]] == DATASETS
    proposals = data["datasets"][0]
    assert [f["name"] for f in proposals["fields"]] == opendata.PROPOSALS.field_names
    assert proposals["csv"] == "http://testserver/areas/7701/open-data/proposals.csv"
    assert proposals["api"] == "http://testserver/api/areas/7701/open-data/proposals/"
    assert client.get("/api/open-data/").json()["area"] is None
    assert client.get("/api/areas/nowhere/open-data/").status_code == 404


def test_api_says_in_the_reader_s_language_which_area_or_dataset_does_not_exist(client, odworld):
    for url, code, name in (
        ("/api/areas/nowhere/open-data/", "area_unknown", "nowhere"),
        ("/api/areas/nowhere/open-data/proposals/", "area_unknown", "nowhere"),
        ("/api/areas/7701/open-data/nothing/", "dataset_unknown", "nothing"),
        ("/api/open-data/nothing/", "dataset_unknown", "nothing"),
    ):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 404, url
        assert response.json()["code"] == code and name in response.json()["detail"], url
    with translation.override("zh-hans"):
        expected = translation.gettext("No area has the code %(code)s.") % {"code": "nowhere"}
    assert expected != "No area has the code nowhere."  # the catalogue has it in Chinese
    assert client.get("/api/areas/nowhere/open-data/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()["detail"] == expected


def test_api_rows_are_paginated_and_formatted_like_the_files(client, odworld):
    for i in range(25):
        add_proposal(odworld["C1"], odworld["resident"], f"建议 {i}")
    first = client.get("/api/areas/7701/open-data/proposals/").json()
    assert first["count"] == 26 and len(first["results"]) == 20 and first["next"]
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 6
    files = download_json(client, "/areas/7701/open-data/proposals.json")[1]["rows"]
    assert first["results"] + second["results"] == files
    assert client.get("/api/areas/7701/open-data/nothing/").status_code == 404
    assert client.get("/areas/7701/open-data/nothing.csv").status_code == 404
    assert client.get("/areas/nowhere/open-data/proposals.csv").status_code == 404
