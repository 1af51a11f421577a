import pytest


def test_home_page_offers_the_four_parts(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    for part, url in (("Learn", "/learn/"), ("Convene", "/convene/"), ("Agree", "/agree/"),
                      ("Collaborate", "/collaborate/")):
        assert f'href="{url}"' in html, part
    assert 'href="#main"' in html  # skip link
    assert 'id="main"' in html


@pytest.mark.django_db
def test_each_part_has_a_landing_page(client):
    for url in ("/learn/", "/convene/", "/agree/", "/collaborate/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'aria-current="page"' in response.content.decode(), url
