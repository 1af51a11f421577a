"""intersector.tokens: the one way the site makes and checks signed links."""

import time
from datetime import timedelta

import pytest
from django.core import signing

from intersector import tokens

INVITE = tokens.Kind("tests.invite", max_age=timedelta(days=14))
OTHER = tokens.Kind("tests.other", max_age=timedelta(days=14))


def made_days_ago(kind, payload, days):
    """A token of `kind` signed `days` ago, as a link from an old e-mail would be."""

    class Then(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time() - days * 86400))

    return Then(salt=kind.purpose).sign_object(payload, compress=True)


def test_a_token_gives_back_what_was_signed():
    token = INVITE.make({"p": 7, "s": "secret"})
    assert INVITE.read(token) == {"p": 7, "s": "secret"}
    assert INVITE.check(token) == {"p": 7, "s": "secret"}


def test_a_tampered_or_cut_token_is_refused():
    token = INVITE.make([1, 2, "secret"])
    body, signature = token.rsplit(":", 1)
    forged = INVITE.make([1, 3, "secret"]).rsplit(":", 1)[0] + ":" + signature
    for bad in (forged, token[:-2], token + "x", "", None, "not-a-token", body):
        assert INVITE.read(bad) is None, bad
        with pytest.raises(tokens.BadToken):
            INVITE.check(bad)


def test_a_token_for_another_purpose_is_refused():
    token = OTHER.make([1, "secret"])
    assert INVITE.read(token) is None and OTHER.read(token) == [1, "secret"]


def test_an_old_token_expires_and_says_so():
    old = made_days_ago(INVITE, [1, "secret"], 15)
    assert INVITE.read(old) is None
    with pytest.raises(tokens.Expired) as expired:
        INVITE.check(old)
    assert expired.value.payload == [1, "secret"]     # whose it was, for a kinder answer
    assert INVITE.read(made_days_ago(INVITE, [1, "secret"], 13)) == [1, "secret"]


def test_a_kind_that_never_expires_reads_old_tokens():
    forever = tokens.Kind("tests.unsubscribe", max_age=None)
    assert forever.read(made_days_ago(forever, "abc", 3000)) == "abc"


def test_the_max_age_can_come_from_a_setting_read_at_each_check(settings):
    settings.TEST_INVITE_DAYS = 14
    kind = tokens.Kind("tests.setting", max_age=lambda: timedelta(days=settings.TEST_INVITE_DAYS))
    token = made_days_ago(kind, 1, 10)
    assert kind.read(token) == 1
    settings.TEST_INVITE_DAYS = 7
    assert kind.read(token) is None


def test_a_new_secret_on_the_record_revokes_its_tokens():
    record = {"pk": 1, "secret": tokens.new_secret()}
    data = INVITE.read(INVITE.make([record["pk"], record["secret"]]))
    assert tokens.same_secret(record["secret"], data[1])
    record["secret"] = tokens.new_secret()            # withdraw: rotate the stored secret
    assert not tokens.same_secret(record["secret"], data[1])


def test_empty_or_odd_secrets_never_match():
    assert not tokens.same_secret("", "")
    assert not tokens.same_secret("abc", None)
    assert not tokens.same_secret("abc", 123)
    assert not tokens.same_secret(None, "abc")
    assert tokens.new_secret() != tokens.new_secret() and len(tokens.new_secret()) >= 24


def test_a_kind_needs_a_purpose_and_an_explicit_max_age():
    with pytest.raises(ValueError):
        tokens.Kind("", max_age=None)
    with pytest.raises(TypeError):
        tokens.Kind("tests.x")   # noqa: the max age is a decision, never a default
