"""The whole Collaborate cycle in one browser walk: a convenor starts a collaborative from nothing,
adds two interest groups, two partner organisations and their representatives (and an alternate);
each representative joins from the e-mailed link in their own browser, one on a 360-px phone. A
worksheet is written on a step, a vote is taken with one vote per organisation (the alternate's
vote is not counted once the representative has voted), the convenor closes it and writes the
outcome, makes a commitment from it, adds a result with progress, runs a health check and a
network survey whose map is shown, and builds a public report where a partner-only result never
appears. Every page visited is checked with axe; one is read in Spanish. Screenshots are saved as
var/screenshots/collaborate-cycle-*.png to be looked at."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from tests.browser.collaborate_steps import PASSWORD, sign_in
from tests.collaboratives.conftest import CONTENT
from tests.conftest import check_accessibility, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECRET = "Partner-only pilot site behind the rail yard"  # planted in a result not marked public


@pytest.fixture
def accounts(django_user_model, settings):
    """The toolkit and four accounts (accounts are not under test here; joining is)."""
    from intersector.library.content import Run, load_toolkit

    # pytest-django's live_server runs in this process, so it uses this fast hasher too.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_toolkit(CONTENT, Run())
    for name, first in (("carla", "Carla"), ("dana", "Dana"), ("gus", "Gus"), ("eli", "Eli")):
        django_user_model.objects.create_user(name, f"{name}@example.org", PASSWORD, first_name=first)


def look(page, name, width=None):
    """What is checked on every page of the walk: axe, a screenshot, and nothing wider than a phone."""
    if width:
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{name} is wider than {width} px"
    check_accessibility(page)
    screenshot(page, f"collaborate-cycle-{name}")


def invitation_link(email):
    message = [m for m in mail.outbox if email in m.to][-1]
    return re.search(r"https?://\S+(/collaborate/join/\S+/)", message.body).group(1)


def join(page, url, username, email):
    """An invited person with an account opens the e-mailed link, signs in and joins."""
    link = invitation_link(email)
    page.goto(url + link)
    page.get_by_role("link", name="Sign in, then join").click()
    page.get_by_label("User name or e-mail address").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(url + link)
    page.get_by_role("button", name="Join").click()
    page.get_by_text("Welcome to Clean Air Compact.").wait_for()


def set_up(desk, url):
    """The convenor starts the collaborative and adds groups, partners and people."""
    sign_in(desk, url, "carla")
    look(desk, "start")
    desk.get_by_role("link", name="Start a collaborative").click()
    desk.get_by_label("Name").fill("Clean Air Compact")
    desk.get_by_label("The issue you work on").fill("Air quality and transport")
    desk.get_by_label("Place").fill("River City")
    look(desk, "new")
    desk.get_by_role("button", name="Start the collaborative").click()
    desk.get_by_role("heading", name="Partners and people").wait_for()
    for group in ("Business", "Public bodies"):
        desk.get_by_label("Group's name").fill(group)
        desk.get_by_role("button", name="Add the group").click()
        desk.get_by_text(f"Added the group {group}.").wait_for()
    for partner, sector, group in (("River City Chamber", "business", "Business"),
                                   ("River City Council", "government", "Public bodies")):
        desk.get_by_label("Organisation's name").fill(partner)
        desk.get_by_label("Sector").select_option(sector)
        desk.get_by_label("Interest group", exact=True).select_option(label=group)
        desk.get_by_role("button", name="Add the partner").click()
        desk.get_by_text(f"Added {partner}.").wait_for()
    for name, partner, role in (("Dana Ortiz", "River City Chamber", "Representative"),
                                ("Gus Hale", "River City Council", "Representative"),
                                ("Eli Park", "River City Chamber", "Alternate")):
        desk.get_by_label("Takes part for").select_option(label=partner)
        desk.get_by_label("Name", exact=True).fill(name)
        desk.get_by_label("E-mail address").fill(name.split()[0].lower() + "@example.org")
        desk.get_by_label(role, exact=True).check()
        desk.get_by_role("button", name="Add the person").click()
        desk.get_by_text(f"Sent {name} an invitation by e-mail.").wait_for()
    chamber = desk.get_by_role("row").filter(has_text="River City Chamber")
    # The representative first, then the alternate (not A to Z by role, which put alternates first).
    assert chamber.locator("li").all_inner_texts()[0].startswith("Dana Ortiz – Representative")
    look(desk, "partners")


def test_a_convenor_and_two_partners_walk_the_whole_cycle(live_server, new_page, accounts):
    from intersector.collaboratives import decisions
    from intersector.collaboratives.models import Collaborative, Decision, Member

    url = live_server.url
    desk = new_page()
    set_up(desk, url)
    compact = Collaborative.objects.get()
    home = compact.get_absolute_url()

    # Both representatives join from their e-mailed links: Dana on a phone, Gus at a desk.
    phone = new_page(width=360, height=740, is_mobile=True, has_touch=True)
    join(phone, url, "dana", "dana@example.org")
    look(phone, "home-phone", width=360)
    other = new_page()
    join(other, url, "gus", "gus@example.org")

    # A worksheet on a step, written on the phone.
    phone.get_by_role("link", name="The five steps").click()
    phone.get_by_role("heading", name="The five steps", level=2).wait_for()  # the new page, not the old
    look(phone, "steps-phone", width=360)
    phone.get_by_role("link", name="Engage potential partners").click()
    phone.wait_for_url(re.compile(r"/tools/[^/]+/$"))
    phone.locator("textarea").first.fill("The chamber, the clinics and the transit agency")
    phone.get_by_role("button", name="Save a new version").click()
    phone.get_by_text("Saved as version 1.").wait_for()
    look(phone, "worksheet-phone", width=360)

    # A vote between options, one vote per organisation.
    desk.goto(url + home)
    desk.get_by_role("link", name="Decisions").click()
    desk.get_by_role("link", name="Put a proposal to the partners").click()
    desk.get_by_label("Title").fill("First corridor")
    desk.get_by_label("The proposal").fill("Which corridor do the partners start with?")
    desk.get_by_role("radio", name="Vote between options").check()
    desk.get_by_label("Options (for a vote, dot vote or score), one a line").fill("Main Street\nRiver Road")
    desk.get_by_label("Voting closes").fill((timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%dT17:00"))
    assert desk.get_by_role("radio", name=re.compile("^One vote per organisation")).is_checked()
    look(desk, "decision-new")
    desk.get_by_role("button", name="Open the proposal for votes").click()
    desk.get_by_text("The proposal is open for votes.").wait_for()
    decision_url = desk.url
    for page in (phone, other):
        page.goto(decision_url)
        page.get_by_role("radio", name="Main Street").check()
        page.get_by_role("button", name="Vote").click()
        page.get_by_text("Your vote is counted for").wait_for()
    look(phone, "decision-voted-phone", width=360)
    # The chamber's alternate votes too, after its representative: not counted.
    # (Eli's joining is the same as Dana's and Gus's, so it is done here without a browser.)
    eli = Member.objects.get(name="Eli Park")
    eli.user = get_user_model().objects.get(username="eli")
    eli.save(update_fields=["user"])
    decision = Decision.objects.get()
    decisions.cast_vote(decision, eli, option=decision.options.get(label="River Road"))
    desk.reload()
    row = desk.get_by_role("row").filter(has_text="Eli Park")
    row.get_by_text("Not counted: the representative had already voted for the partner").wait_for()
    desk.get_by_role("button", name="Close the voting now").click()
    desk.get_by_text("Closed. Outcome:").wait_for()
    desk.get_by_label("Outcome statement").fill("Main Street first, with both partners' support.")
    desk.get_by_role("button", name="Save the outcome").click()
    desk.get_by_text("Saved the outcome.").wait_for()
    desk.get_by_label("Also reports for funders and the public").check()
    desk.get_by_role("region", name="Who may read it in reports").get_by_role("button", name="Save").click()
    desk.get_by_text("Saved: reports for funders and the public may now show it.").wait_for()
    look(desk, "decision-closed")

    # A commitment from the decision, and a result with its progress.
    desk.get_by_role("link", name="Add a commitment from this decision").click()
    desk.get_by_label("What will be done").fill("Count the riders on Main Street every month.")
    desk.get_by_label("Which partner commits (optional)").select_option(label="River City Council")
    desk.get_by_label("Due by").fill((timezone.localdate() + timedelta(days=30)).isoformat())
    look(desk, "commitment-new")
    desk.get_by_role("button", name="Save the commitment").click()
    desk.get_by_text("Saved the commitment.").wait_for()
    desk.get_by_role("link", name="Results").click()
    for title, progress in (("Bus lanes on Main Street", "40"), (SECRET, "10")):
        box = desk.locator("details").filter(has=desk.locator("summary", has_text="Add a result"))
        box.locator("summary").click()
        box.get_by_label("Result", exact=True).fill(title)
        box.get_by_label("Status", exact=True).select_option(label="On track")
        box.get_by_label("Progress (%)", exact=True).fill(progress)
        if title != SECRET:
            box.get_by_label("Show in reports for funders and the public").check()
        box.get_by_role("button", name="Add the result").click()
        desk.get_by_text(title).first.wait_for()
    card = desk.locator(".result-card", has_text="Bus lanes on Main Street")
    assert card.locator(".status").inner_text() == "On track" and card.get_by_text("40% done").is_visible()
    look(desk, "results")
    phone.get_by_role("link", name="Commitments").click()
    phone.get_by_text("Count the riders on Main Street every month.").wait_for()
    look(phone, "commitments-phone", width=360)

    # A health check: opened, answered by both partners, closed.
    desk.get_by_role("link", name="Health check").click()
    desk.get_by_role("button", name="Open the first health check").click()
    desk.get_by_text("Health check 1 is open.", exact=False).wait_for()
    for page in (phone, other):
        page.goto(url + home + "health/")
        page.get_by_role("link", name="Answer the health check").click()
        page.locator("fieldset.rating").first.get_by_label("4 · Agree", exact=True).check()
        if page is phone:
            look(phone, "health-answer-phone", width=360)
        page.get_by_role("button", name="Send my answers").click()
        page.get_by_text("Thank you: your answers are saved.").wait_for()
    desk.reload()
    desk.get_by_role("button", name="Close it and show the results").click()
    desk.get_by_text("Health check 1 is closed. Its results are below.").wait_for()
    # Two answers are too few for any figure: the page says so and what to do, not just blank cells.
    desk.get_by_text("Fewer than 3 people answered, so no figure can be shown").wait_for()
    look(desk, "health-results")

    # A network survey: each partner answers for its organisation, the map shows.
    desk.get_by_role("link", name="Network", exact=True).click()
    desk.get_by_role("button", name="Open the first network survey").click()
    desk.get_by_text("Network survey 1 is open.").first.wait_for()
    for page, them in ((phone, "River City Council"), (other, "River City Chamber")):
        page.goto(url + home + "network/")
        page.get_by_role("link", name="Answer for my organisation").click()
        page.get_by_label(them).check()  # step 1: the list; step 2: questions about the ticked only
        if page is phone:
            look(phone, "network-answer-phone", width=360)
        page.get_by_role("button", name="Next: how we see working with them").click()
        page.get_by_role("group", name=f"Working with {them}").wait_for()
        if page is phone:
            look(phone, "network-answer-rate-phone", width=360)
        page.get_by_role("button", name="Send our answer").click()
        page.get_by_text("Thank you: your organisation's answer is saved.").wait_for()
    desk.reload()
    desk.get_by_role("button", name="Close it and show the map").click()
    desk.get_by_text("Network survey 1 is closed. Its map is below.").wait_for()
    assert desk.get_by_role("img", name="Network map of Network survey 1").is_visible()
    assert desk.locator("svg.network-map line").count() == 1
    look(desk, "network-map")

    # The public report: the public decision and result, never the partner-only one.
    desk.get_by_role("link", name="Reports").click()
    desk.get_by_role("heading", name="What funders and the public may read").wait_for()
    look(desk, "reports")
    desk.get_by_role("listitem").filter(has=desk.get_by_role("heading", name="For: The public")).get_by_role(
        "link", name="Detailed report with figures").click()
    preview = desk.get_by_role("article", name="The report")
    preview.get_by_text("Main Street first, with both partners' support.").wait_for()
    assert preview.get_by_text("Bus lanes on Main Street").first.is_visible()
    assert SECRET not in desk.content()
    look(desk, "report-public")

    # Dana reads the partners' report in Spanish on her phone.
    phone.goto(url + home + "reports/partners/detailed/")
    assert SECRET in phone.content()
    phone.get_by_text("1 commitment: 0 done, 0 overdue.").wait_for()  # one, not "1 commitments"
    with phone.expect_navigation():
        phone.get_by_label("Language").select_option("es")
    assert phone.evaluate("document.documentElement.lang") == "es"
    phone.get_by_role("link", name="Resultados").first.wait_for()
    look(phone, "report-partners-phone-es", width=360)
