"""Learn in a real browser: the toolkit walk, a filtered case search, cases like mine, a CSV import."""

import pytest

from tests.conftest import check_accessibility, screenshot
from tests.library.conftest import curator, library, run_worker  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"page is {width}px wide"


def test_walking_the_toolkit_from_the_learn_page(live_server, page, phone_page, library):
    page.goto(live_server.url + "/learn/")
    screenshot(page, "learn-hub")
    check_accessibility(page)
    page.get_by_role("link", name="The toolkit").click()
    page.get_by_role("heading", name="1. Diagnosis").wait_for()  # the click may still be loading the page
    check_accessibility(page)
    page.get_by_role("link", name="Diagnosis").first.click()
    page.get_by_role("link", name="Map the partners").click()
    page.get_by_role("heading", name="Guiding questions").wait_for()  # the click may still be loading the page
    screenshot(page, "learn-tool")
    check_accessibility(page)
    page.get_by_role("link", name="Build shared facts →").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Build shared facts"
    page.get_by_role("link", name="← Map the partners").click()
    page.get_by_role("link", name="River clean-up partnership").first.click()
    page.get_by_role("heading", name="Cases like this one").wait_for()  # the click may still be loading the page
    screenshot(page, "learn-case")
    check_accessibility(page)

    phone_page.goto(live_server.url + "/toolkit/tools/map-the-partners/")
    fits(phone_page)
    screenshot(phone_page, "learn-tool-phone")
    check_accessibility(phone_page)


def test_a_filtered_case_search(live_server, page, phone_page, library):
    page.goto(live_server.url + "/cases/")
    page.get_by_label("Search the cases").fill("workshops")
    page.get_by_role("button", name="Search").last.click()
    page.get_by_label("Business").check()
    page.get_by_role("button", name="Apply filters").click()
    assert page.get_by_role("status").first.inner_text().startswith("1 result")
    assert page.locator("mark").first.inner_text().lower() == "workshops"
    assert page.get_by_label("Business").is_checked()
    screenshot(page, "learn-cases-filtered")
    check_accessibility(page)

    phone_page.goto(live_server.url + "/cases/?sector=government")
    fits(phone_page)
    screenshot(phone_page, "learn-cases-phone")
    check_accessibility(phone_page)


def test_cases_like_mine_from_a_typed_description(live_server, page, phone_page, library):
    page.goto(live_server.url + "/cases/")
    page.get_by_role("link", name="Find cases like yours from a description").click()
    page.get_by_label("Describe your situation").fill(
        "Our city's buses are slow in downtown traffic and the shops worry about losing parking."
    )
    page.get_by_role("button", name="Find similar cases").click()
    first = page.locator("section[aria-labelledby=matches-heading] h3 a").first
    assert first.inner_text() == "Faster buses downtown"
    screenshot(page, "learn-like-mine")
    check_accessibility(page)

    phone_page.goto(live_server.url + "/cases/like-mine/?description=short")
    assert phone_page.get_by_role("alert").is_visible()
    fits(phone_page)
    screenshot(phone_page, "learn-like-mine-error-phone")
    check_accessibility(phone_page)


def test_a_curator_imports_resources_from_a_csv_with_a_bad_row(live_server, page, library, curator, client, run_worker, tmp_path):
    client.force_login(curator)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    csv_file = tmp_path / "resources.csv"
    csv_file.write_text(
        "title,authors,publisher,year,type,sectors,partnership_models,issue_areas,url,summary\n"
        "Mapping stakeholders,Ann Lee,Civic Press,2018,tool,government,collective-impact,health,,How to map.\n"
        "No type here,Bo Chan,Civic Press,2019,,government,,,,Missing its type.\n"
        "Partnering guide,Cy Dee,Guide House,2021,book,non-profit,,housing,,A guide.\n"
    )
    page.goto(live_server.url + "/resources/")
    page.get_by_role("link", name="Import resources from a CSV file").click()
    page.get_by_label("CSV file").wait_for()
    check_accessibility(page)
    page.get_by_label("CSV file").set_input_files(str(csv_file))
    page.get_by_role("button", name="Upload and preview").click()
    page.get_by_text("2 new resources").wait_for()  # the click may still be loading the page
    assert page.get_by_text("The type is empty").first.is_visible()
    screenshot(page, "learn-import-preview")
    check_accessibility(page)
    page.get_by_role("button", name="Start the import").click()
    page.wait_for_url("**/jobs/**")
    run_worker()
    page.get_by_role("link", name="See the import report").click(timeout=15_000)
    page.get_by_text("2 new, 0 updated, 1 rejected.").wait_for()  # the click only starts loading the report
    assert page.get_by_role("cell", name="No type here").is_visible()
    screenshot(page, "learn-import-report")
    check_accessibility(page)
    page.goto(live_server.url + "/resources/?q=partnering")
    assert page.get_by_role("link", name="Partnering guide").is_visible()


def test_a_curator_previews_and_sends_the_newsletter(live_server, page, library, curator, client, run_worker):
    from django.core import mail
    from django.utils import timezone

    from intersector.library.models import Subscriber

    Subscriber.objects.create(email="reader@example.org", confirmed=timezone.now())
    client.force_login(curator)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page.goto(live_server.url + "/briefings/newsletter/issues/")
    page.get_by_label("Subject").fill("October briefings")
    page.get_by_role("button", name="Preview the e-mail").click()
    page.get_by_role("heading", name="Preview").wait_for()
    assert "September round-up" in page.locator(".mail-preview").inner_text()
    screenshot(page, "learn-newsletter-preview")
    check_accessibility(page)
    page.get_by_role("button", name="Send to 1 subscriber").click()
    page.get_by_text("Status:").wait_for()
    run_worker()
    assert [m.to for m in mail.outbox[-1:]] == [["reader@example.org"]]
    page.goto(live_server.url + "/briefings/newsletter/issues/")
    assert page.get_by_role("cell", name="October briefings").is_visible()
    screenshot(page, "learn-newsletter-sent")


def test_reading_a_briefing_and_subscribing_to_the_newsletter(live_server, page, phone_page, library):
    from django.core import mail

    page.goto(live_server.url + "/briefings/")
    page.get_by_role("link", name="What backbone organisations do").first.click()
    page.get_by_role("heading", name="What backbone organisations do").wait_for()
    screenshot(page, "learn-briefing")
    check_accessibility(page)
    phone_page.goto(live_server.url + "/briefings/")
    phone_page.get_by_label("Your e-mail address").fill("reader@example.org")
    phone_page.get_by_role("button", name="Sign up").click()
    phone_page.wait_for_load_state()
    screenshot(phone_page, "learn-newsletter-signed-up-phone")
    check_accessibility(phone_page)
    fits(phone_page)
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/newsletter/confirm/" in line).strip()
    phone_page.goto(link.replace("http://127.0.0.1:8000", live_server.url))
    phone_page.get_by_role("button", name="Yes, subscribe me").click()
    phone_page.wait_for_load_state()
    from intersector.library.models import Subscriber

    assert Subscriber.objects.get(email="reader@example.org").is_active


def test_the_header_search_groups_results_and_helps_with_odd_queries(live_server, page, library):
    page.goto(live_server.url + "/")
    page.get_by_label("Search Learn").fill("backbone")
    page.get_by_label("Search Learn").press("Enter")
    page.get_by_role("status").first.wait_for()
    assert "result" in page.get_by_role("status").first.inner_text()
    assert page.locator("h2[id^=group-]").count() >= 1
    screenshot(page, "learn-search")
    check_accessibility(page)
    for query, message in [("", "What are you looking for?"), ("a", "Type at least two letters"),
                           ("qzxqzxqzx", "Nothing found")]:
        page.goto(f"{live_server.url}/search/?q={query}")
        assert page.get_by_role("heading", name=message).is_visible()
    screenshot(page, "learn-search-nothing")
    check_accessibility(page)
