"""What every Collaborate browser test does first: the test accounts' password, the small
collaborative most of them start from, and signing in."""

PASSWORD = "a-long-pass-phrase-42"


def sign_in(page, url, username, then="/collaborate/"):
    page.goto(url + "/accounts/sign-in/?next=" + then)
    page.get_by_label("User name or e-mail address").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(url + then)


def clean_air_compact(django_user_model):
    """Carla convenes the Clean Air Compact (the starter toolkit loaded); Dana Ortiz represents
    River City Chamber; Lung Health Alliance is the other partner. Returns (collaborative, users)."""
    from intersector.collaboratives import services
    from intersector.library.content import Run, load_toolkit
    from tests.collaboratives.conftest import CONTENT

    load_toolkit(CONTENT, Run())
    users = {name: django_user_model.objects.create_user(name, f"{name}@example.org", PASSWORD,
                                                         first_name=name.title()) for name in ("carla", "dana")}
    c = services.create_collaborative(users["carla"], name="Clean Air Compact", place="River City")
    chamber = services.add_partner(c, name="River City Chamber", sector="business")
    services.add_partner(c, name="Lung Health Alliance", sector="non-profit")
    rep = services.add_person(c, name="Dana Ortiz", email="dana@example.org", role="representative", partner=chamber)
    rep.user = users["dana"]
    rep.save(update_fields=["user"])
    c.chamber = chamber
    return c, users
