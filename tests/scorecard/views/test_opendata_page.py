"""The open-data page of an area: the datasets with their downloads and field docs."""

import pytest

from scorecard import opendata

pytestmark = pytest.mark.django_db


def test_page_lists_the_datasets_with_downloads_and_field_docs(client, odworld):
    response = client.get("/areas/7701/open-data/")
    page = response.content.decode()
    assert response.status_code == 200
    for name, d in opendata.DATASETS.items():
        assert f'href="/areas/7701/open-data/{name}.csv"' in page
        assert f'href="/areas/7701/open-data/{name}.json"' in page
        assert all(f"<code>{f.name}</code>" in page for f in d.fields)
    assert f'href="/ballots/{odworld.box.pk}/export.pb"' in page
    assert 'href="/areas/7701001/open-data/"' in page  # the areas under it
    city = client.get("/open-data/")
    assert city.status_code == 200 and 'href="/open-data/projects.csv"' in city.content.decode()
