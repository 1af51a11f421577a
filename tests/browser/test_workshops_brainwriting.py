"""A whole brainwriting in Chromium: a facilitator and six phones join by code, write notes in two
rounds, the facilitator makes themes, merges two, shows the grid, phones vote, results export."""

import re

import pytest

from intersector.workshops import services
from tests.conftest import check_accessibility, screenshot
from tests.live.servers import Server, server_env
from tests.workshops.phones import database_url

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.django_db(transaction=True)]

PEOPLE = [("Ana", "Government"), ("Ben", "Business"), ("Chloe", "Non-profit"),
          ("Dev", "Government"), ("Eva", "Business"), ("Femi", "Non-profit")]
ROUND_ONE = [
    ("slow approval and many sign-offs", "Government"), ("profit and quick decisions", "Business"),
    ("close to the community and trusted", "Non-profit"), ("procedure and public accountability", "Government"),
    ("speed and competition drive choices", "Business"), ("mission first, money is tight", "Non-profit"),
]


@pytest.fixture
def facilitator(django_user_model):
    return django_user_model.objects.create_user("fiona", "fiona@example.org", "a-long-pass-phrase-42")


@pytest.fixture
def server(django_db_blocker):
    from django.db import connection

    server = Server("convene-browser", server_env(DATABASE_URL=database_url(connection.settings_dict))).start()
    yield server
    server.stop()


def run_worker():
    import signal

    from django.core.management import call_command

    saved = {n: signal.getsignal(n) for n in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0)
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)


def sign_in(page, server):
    page.goto(f"{server.url}/accounts/sign-in/")
    page.get_by_label("User name or e-mail address").fill("fiona")
    page.get_by_label("Password").fill("a-long-pass-phrase-42")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def open_page(new_page, **options):
    # Seven browsers and a server on a shared 2-core machine: allow for a slow moment.
    page = new_page(**options)
    page.set_default_timeout(20_000)
    return page


def write_note(phone, text, about):
    count = phone.locator(".my-notes li").count()
    phone.get_by_label("About").select_option(label=about)
    phone.get_by_label("Your note").fill(text)
    phone.get_by_role("button", name="Add note").click()
    phone.wait_for_function("n => document.querySelectorAll('.my-notes li').length > n", arg=count, timeout=20_000)


def test_a_whole_brainwriting_from_joining_to_the_report(server, new_page, facilitator):
    workshop = services.create_workshop(facilitator, "Sector styles in practice")
    console = open_page(new_page)
    sign_in(console, server)
    console.goto(f"{server.url}/convene/{workshop.pk}/")
    assert console.get_by_text(workshop.code).first.is_visible()

    phones = []
    for name, sector in PEOPLE:
        phone = open_page(new_page, width=360, height=740, is_mobile=True, has_touch=True)
        phone.goto(f"{server.url}/w/{workshop.code}")
        phone.get_by_label("Your name (as others will see it)").fill(name)
        phone.get_by_label(sector, exact=True).check()
        phone.get_by_role("button", name="Join").click()
        phone.get_by_text("You are in").wait_for()
        phones.append(phone)
    check_accessibility(phones[0])
    console.get_by_role("heading", name="6 people have joined").wait_for()

    # Two tables, seated with sectors mixed.
    console.get_by_label("Number of tables").fill("2")
    console.get_by_role("button", name="Set tables").click()
    console.get_by_role("heading", name=re.compile("Table 2")).wait_for()
    console.get_by_role("button", name="Seat everyone (mixing sectors)").click()
    console.get_by_role("heading", name="Table 1 · 3").wait_for()

    console.get_by_role("button", name="Start the workshop").click()
    # Wait for the console to show the started workshop before the next click, so that click
    # lands on the new page and not on the one being replaced.
    console.get_by_role("button", name="Next item").wait_for()
    console.get_by_role("button", name=re.compile("Go to Sector styles")).click()
    console.get_by_role("button", name="Open round 1").click()
    for phone, (text, about) in zip(phones, ROUND_ONE):
        phone.get_by_label("Your note").wait_for()
        write_note(phone, text, about)
    assert phones[0].get_by_text("Saved.").is_visible()
    screenshot(phones[0], "workshops-phone-writing")
    check_accessibility(phones[0])

    console.get_by_role("button", name="Close round 1").click()
    console.get_by_role("button", name="Open round 2").click()
    for phone, (text, about) in zip(phones, ROUND_ONE):
        phone.get_by_text("Round 2").wait_for()
        write_note(phone, "also " + text.split(" and ")[0], about)
    console.get_by_text("12 notes so far").wait_for()
    screenshot(console, "workshops-console")
    check_accessibility(console)

    projector = open_page(new_page, width=1280, height=800)
    sign_in(projector, server)
    projector.goto(f"{server.url}/w/{workshop.code}/screen")
    assert projector.get_by_text(workshop.code).first.is_visible()
    assert projector.locator("img[src$='qr.svg']").evaluate("img => img.naturalWidth") > 0
    screenshot(projector, "workshops-projector")
    check_accessibility(projector)

    console.get_by_role("link", name="Themes, grid and debrief").click()
    console.get_by_role("button", name="Make themes").click()
    console.get_by_text("Progress").first.wait_for()
    run_worker()
    # No reload here: the page loads the themes by itself when the job finishes.
    console.locator(".column[data-theme]").first.wait_for()
    themes = console.locator(".column[data-theme]")
    assert themes.count() >= 2
    before = themes.count()
    # The second theme's "Merge … into…" menu, then the first theme in it.
    console.locator("[data-merge]").nth(1).click()
    console.get_by_role("menuitem").first.click()
    console.get_by_role("button", name="Undo merge").wait_for()
    assert themes.count() == before - 1
    assert console.get_by_role("table", name=re.compile("Themes by the sector")).is_visible()
    assert console.get_by_text("What surprised you?").is_visible()
    screenshot(console, "workshops-themes")
    check_accessibility(console)

    console.get_by_role("button", name="Open voting on the phones").click()
    for phone in phones[:3]:
        vote = phone.get_by_role("button", name=re.compile("^Vote for")).first
        vote.wait_for()
        vote.click()
        phone.get_by_text("You have 2 votes left.").wait_for()
    screenshot(phones[0], "workshops-phone-voting")
    check_accessibility(phones[0])

    console.goto(f"{server.url}/convene/{workshop.pk}/results/")
    with console.expect_download() as download:
        console.get_by_role("link", name="Download every note (CSV)").click()
    assert download.value.suggested_filename.endswith("-notes.csv")
    rows = open(download.value.path(), encoding="utf-8-sig").read().splitlines()
    assert len(rows) == 13
    console.get_by_role("button", name="Make a PDF report").click()
    console.wait_for_url(re.compile("/jobs/"))
    run_worker()
    console.reload()
    with console.expect_download() as pdf:
        console.get_by_role("link", name="Download the PDF report").click()
    assert open(pdf.value.path(), "rb").read(4) == b"%PDF"
