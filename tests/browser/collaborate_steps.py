"""What every Collaborate browser test does first: the test accounts' password and signing in."""

PASSWORD = "a-long-pass-phrase-42"


def sign_in(page, url, username, then="/collaborate/"):
    page.goto(url + "/accounts/sign-in/?next=" + then)
    page.get_by_label("User name or e-mail address").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(url + then)
