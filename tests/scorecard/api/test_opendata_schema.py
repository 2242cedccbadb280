"""The open-data API answers in the content type its schema declares, with no undeclared null."""

import pytest

from tests.schema_truth import violations

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("/api/open-data/", "/api/open-data/"),
        ("/api/open-data/{dataset}/", "/api/open-data/{dataset}/"),
        ("/api/areas/{code}/open-data/", "/api/areas/{code}/open-data/"),
        ("/api/areas/{code}/open-data/{dataset}/", "/api/areas/{code}/open-data/{dataset}/"),
    ],
)
def test_open_data_answers_what_the_schema_declares(client, world, url, path):
    from scorecard.opendata import DATASETS

    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    declared = schema["paths"][path]["get"]["responses"]["200"]["content"]
    for dataset in DATASETS:
        response = client.get(url.format(code=world["C1"].code, dataset=dataset), HTTP_ACCEPT="application/json")
        assert response.status_code == 200
        media_type = response["Content-Type"].split(";")[0]
        assert media_type in declared
        assert violations(schema, declared[media_type]["schema"], response.json()) == []
        if "{dataset}" not in url:
            break
