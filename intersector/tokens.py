"""Every signed link of the site, made and checked one way: signed, expiring, revocable.

A token carries a small payload -- ids and the record's own secret -- signed with SECRET_KEY,
a purpose (the salt) and the time it was made. A token is good only when all of these hold:

- it was signed by this site **for this purpose** (a workshop pass never opens an agreement);
- it is younger than its kind's **max age**, checked when it is read, so a changed setting
  applies to tokens already handed out;
- the secret in it equals the secret stored on the record **now**, compared in constant time
  (`same_secret`). Storing a `new_secret()` on the record withdraws every token made before.

Usage:

    from intersector import tokens

    PASS = tokens.Kind("workshops.participant", max_age=timedelta(days=7))

    token = PASS.make([participant.workshop_id, participant.pk, participant.secret])
    data = PASS.read(token)           # the payload, or None: altered, expired, other purpose
    ...load the record by the ids in data...
    if record is not None and tokens.same_secret(record.secret, data[-1]): ...

    try:                              # a page that tells the person which of the two it was
        data = INVITE.check(token)
    except tokens.Expired as expired: ...   # expired.payload: whose it was
    except tokens.BadToken: ...

`max_age` is seconds, a timedelta, a callable giving one of those (read on every check, e.g.
from settings), or None for a kind whose links must work for as long as the mail is kept (an
unsubscribe link); None is a decision, so it is never the default. The payload is any small
JSON value; the shape is the caller's to choose (kept as it was for links already sent).
"""

import secrets
from datetime import timedelta

from django.core import signing
from django.utils.crypto import constant_time_compare


class BadToken(Exception):
    """Not one of ours for this purpose: altered, cut short, or made for something else."""


class Expired(BadToken):
    """Ours and intact, but older than its kind's max age. `payload` says whose it was, e.g. to
    let the person who already holds an invitation back in."""

    def __init__(self, payload=None):
        super().__init__("expired")
        self.payload = payload


class Kind:
    """One kind of signed link: its purpose (salt) and how long its tokens stay good."""

    def __init__(self, purpose, *, max_age):
        if not purpose:
            raise ValueError("a token kind needs a purpose")
        self.purpose = purpose
        self._max_age = max_age

    @property
    def max_age(self):
        """Seconds a token stays good, or None when it never expires."""
        value = self._max_age() if callable(self._max_age) else self._max_age
        if isinstance(value, timedelta):
            return value.total_seconds()
        return value

    def make(self, payload):
        return signing.dumps(payload, salt=self.purpose, compress=True)

    def check(self, token):
        """The payload; raises Expired or BadToken."""
        if not token or not isinstance(token, str):
            raise BadToken
        try:
            return signing.loads(token, salt=self.purpose, max_age=self.max_age)
        except signing.SignatureExpired as error:
            raise Expired(signing.loads(token, salt=self.purpose)) from error
        except (signing.BadSignature, ValueError, TypeError) as error:
            # ValueError/TypeError: a forged-looking compressed or non-JSON body.
            raise BadToken from error

    def read(self, token):
        """The payload, or None for any token that is not good (the common, quiet case)."""
        try:
            return self.check(token)
        except BadToken:
            return None


def same_secret(stored, presented):
    """Constant-time equality of a stored secret and the one a token carried; empty never
    matches (a record without a secret has no valid link)."""
    if not stored or not isinstance(presented, str) or not presented:
        return False
    return constant_time_compare(stored, presented)


def new_secret(nbytes=18):
    """A fresh per-record secret. Store it on the record to withdraw every older token."""
    return secrets.token_urlsafe(nbytes)
