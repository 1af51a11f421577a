"""Progress reports and what changed, in a real browser: the convenor marks a decision public,
builds a report for the public, looks at it, downloads the PDF and the Word file; a partner reads
what changed and the report on a 360-px phone and chooses a weekly digest. Axe on every page."""

import io
import subprocess
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.collaborate_steps import PASSWORD, sign_in
from tests.collaboratives.conftest import CONTENT
from tests.conftest import SCREENSHOTS, check_accessibility, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECRET = "A partner-only plan for the rail yard"


def shot(page, name):
    return screenshot(page, name)


@pytest.fixture
def compact(django_user_model):
    from intersector.collaboratives import decisions, health, services
    from intersector.library.content import Run, load_toolkit

    load_toolkit(CONTENT, Run())
    users = {name: django_user_model.objects.create_user(name, f"{name}@example.org", PASSWORD)
             for name in ("carla", "dana", "gus")}
    c = services.create_collaborative(users["carla"], name="Clean Air Compact", purpose="Cleaner air for River City.",
                                      place="River City", issue="Air quality and transport")
    group = services.add_group(c, "Business and government")
    chamber = services.add_partner(c, name="River City Chamber", sector="business", group=group)
    council = services.add_partner(c, name="River City Council", sector="government", group=group)
    people = {}
    for name, partner in (("dana", chamber), ("gus", council)):
        member = services.add_person(c, name=name.title(), email=f"{name}@example.org", role="representative",
                                     partner=partner)
        member.user, member.joined_at = users[name], timezone.now()
        member.save(update_fields=["user", "joined_at"])
        people[name] = member
    convenor = c.members.get(role="convenor")
    services.update_step(c.steps.get(key="assess"), status="done", owner=convenor)
    services.update_step(c.steps.get(key="organize"), status="under-way", owner=people["dana"])
    closes = timezone.now() + timedelta(days=2)
    for title, statement in (("Adopt shared air-quality goals", "Every partner adopts the 2030 goals."),
                             (SECRET, "Kept among partners for now.")):
        decision = decisions.open_decision(c, convenor, title=title, text="The proposal.", kind="consent",
                                           closes_at=closes)
        for member in people.values():
            decisions.cast_vote(decision, member, choice="agree")
        decisions.close_decision(decision, convenor)
        decisions.write_outcome(decision, convenor, statement=statement, review_on=None)
    health.open_wave(c, convenor)
    return c


def test_a_convenor_builds_a_public_report_and_a_partner_reads_it_on_a_phone(live_server, new_page, compact, tmp_path):
    c = compact
    desk = new_page()
    public_decision = c.decisions.get(title="Adopt shared air-quality goals")
    sign_in(desk, live_server.url, "carla", public_decision.get_absolute_url())
    # Marked public on the decision's page
    desk.get_by_label("Also reports for funders and the public").check()
    desk.get_by_role("region", name="Who may read it in reports").get_by_role("button", name="Save").click()
    desk.get_by_text("Saved: reports for funders and the public may now show it.").wait_for()
    check_accessibility(desk)

    desk.get_by_role("link", name="Reports").click()
    desk.get_by_text("1 of 2 closed decisions are marked public.").wait_for()
    check_accessibility(desk)
    shot(desk, "collaborate-reports-choose")
    desk.get_by_role("listitem").filter(has=desk.get_by_role("heading", name="For: The public")).get_by_role(
        "link", name="Detailed report with figures").click()
    desk.get_by_role("heading", name="Clean Air Compact: progress report").wait_for()
    preview = desk.get_by_role("article", name="The report")
    assert preview.get_by_text("Adopt shared air-quality goals").is_visible()
    assert preview.get_by_text("Every partner adopts the 2030 goals.").is_visible()
    assert SECRET not in desk.content() and "Dana" not in preview.inner_text()
    check_accessibility(desk)
    shot(desk, "collaborate-report-public-preview")

    with desk.expect_download(timeout=60_000) as pdf_download:
        desk.get_by_role("link", name="Download PDF").click()
    pdf = tmp_path / pdf_download.value.suggested_filename
    pdf_download.value.save_as(pdf)
    assert pdf.name.startswith("clean-air-compact-public-detailed-") and pdf.read_bytes()[:4] == b"%PDF"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    words = "".join(text.split())  # table cells wrap their lines
    assert "Everypartneradoptsthe2030goals." in words and "".join(SECRET.split()) not in words
    subprocess.run(["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "1", str(pdf),
                    str(SCREENSHOTS / "collaborate-report-public-pdf")], check=True)
    with desk.expect_download(timeout=60_000) as word_download:
        desk.get_by_role("link", name="Download Word (docx)").click()
    word = tmp_path / word_download.value.suggested_filename
    word_download.value.save_as(word)
    with zipfile.ZipFile(io.BytesIO(word.read_bytes())) as archive:
        document = archive.read("word/document.xml").decode()
    assert "Clean Air Compact: progress report" in document and SECRET not in document

    # A partner on a phone: what changed, the report, a weekly digest
    phone = new_page(width=360, height=740, is_mobile=True, has_touch=True)
    sign_in(phone, live_server.url, "dana", f"/collaborate/{c.slug}/activity/")
    phone.get_by_text("Health check 1 opened").wait_for()
    assert phone.get_by_role("link", name=f"Voting on “{SECRET}” closed: agreed.").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    check_accessibility(phone)
    shot(phone, "collaborate-activity-phone")
    phone.goto(live_server.url + f"/collaborate/{c.slug}/reports/partners/detailed/")
    assert SECRET in phone.content()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    check_accessibility(phone)
    shot(phone, "collaborate-report-partners-phone")
    phone.get_by_role("link", name="My settings").click()
    phone.get_by_label("Once a week").check()
    phone.get_by_role("button", name="Save").click()
    phone.get_by_text("Saved. Once a week.").wait_for()
    assert phone.get_by_label("Once a week").is_checked()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    check_accessibility(phone)
    shot(phone, "collaborate-settings-phone")
