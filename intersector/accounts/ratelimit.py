"""Accounts' limits, on the site's one limiter (intersector/limits.py).

Wrong passwords are counted three ways, each in a fixed window opened by the first failure:

- per account *from one address* (SIGN_IN_LIMIT per SIGN_IN_WINDOW, 5 per 15 minutes): stops
  guessing one account's password, and only that address is paused for it, so a stranger's
  wrong passwords never lock the owner out from where the owner is;
- per address over all accounts (SIGN_IN_ADDRESS_LIMIT, 20 per 15 minutes): stops one machine
  trying a common password on many accounts; high enough for an office behind one address;
- per account over all addresses (SIGN_IN_ACCOUNT_LIMIT per SIGN_IN_ACCOUNT_WINDOW, 50 per
  hour): a ceiling against guessing spread over many machines. One address can never reach it
  alone (at most 20 an hour for one account), so reaching it takes a deliberate attack from
  several machines; then the account is paused for everyone for up to an hour. That is the
  price of having any ceiling at all; a password reset by e-mail lifts it.

A successful sign-in forgets that account's failures from that address (not the others).

Password-reset mails are counted per e-mail address asked for (PASSWORD_RESET_LIMIT an hour)
and per visitor's address (PASSWORD_RESET_ADDRESS_LIMIT an hour), whether or not an account
uses the e-mail: the answer past a limit is the same for both, so it tells nobody which
addresses have accounts.
"""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from intersector import limits
from intersector.accounts.backends import find_account
from intersector.refusals import Refused

FROM_ADDRESS = limits.Limit("sign-in", "SIGN_IN_LIMIT", "SIGN_IN_WINDOW")
ADDRESS = limits.Limit("sign-in-address", "SIGN_IN_ADDRESS_LIMIT", "SIGN_IN_WINDOW")
ACCOUNT = limits.Limit("sign-in-account", "SIGN_IN_ACCOUNT_LIMIT", "SIGN_IN_ACCOUNT_WINDOW")
RESET_MAILS = limits.Limit("reset-mail", "PASSWORD_RESET_LIMIT", "PASSWORD_RESET_WINDOW")
RESET_ADDRESS = limits.Limit("reset-address", "PASSWORD_RESET_ADDRESS_LIMIT", "PASSWORD_RESET_WINDOW")


def account_key(name):
    """The same account counts once whether it was typed as a user name or an e-mail address;
    a name without an account counts as itself."""
    user = find_account(name)
    if user is not None:
        return f"user:{user.pk}"
    return "name:" + (name or "").strip().lower()


def _counters(request, name):
    address = limits.client_address(request)
    counters = [(ADDRESS, (address,))]
    if (name or "").strip():
        account = account_key(name)
        counters += [(FROM_ADDRESS, (account, address)), (ACCOUNT, (account,))]
    return counters


def refuse_if_paused(request, name):
    """Before checking a password: refuse while any of its counters is full."""
    wait = max(limit.wait(*who) for limit, who in _counters(request, name))
    if wait:
        n = limits.minutes(wait)
        raise Refused(
            ngettext(
                "For your safety, signing in is paused after several wrong passwords. "
                "Please wait %(minutes)d minute, then try again.",
                "For your safety, signing in is paused after several wrong passwords. "
                "Please wait %(minutes)d minutes, then try again.",
                n,
            ) % {"minutes": n},
            status=429, title=_("Too many attempts to sign in"), retry_after=wait,
        )


def record_failure(request, name):
    for limit, who in _counters(request, name):
        limit.hit(*who)


def signed_in(request, user):
    """The owner got in from here: that address may try this account afresh."""
    FROM_ADDRESS.clear(f"user:{user.pk}", limits.client_address(request))


def password_reset(request, user):
    """A new password chosen through the mailed link proves the mailbox: it lifts the account's
    pauses (everywhere, and for this address)."""
    ACCOUNT.clear(f"user:{user.pk}")
    signed_in(request, user)


def count_reset_mail(request, email):
    """Before sending a reset mail: count it, and refuse it past either limit."""
    wait = RESET_ADDRESS.hit(limits.client_address(request))
    if wait:
        n = limits.minutes(wait)
        message = ngettext(
            "Many password reset links were asked for from your network. "
            "Please wait %(minutes)d minute, then try again.",
            "Many password reset links were asked for from your network. "
            "Please wait %(minutes)d minutes, then try again.",
            n,
        ) % {"minutes": n}
    else:
        wait = RESET_MAILS.hit((email or "").strip().lower())
        if not wait:
            return
        n = limits.minutes(wait)
        message = ngettext(
            "Links to this e-mail address have been asked for several times already. If it "
            "belongs to an account here, they are on their way: look in your inbox and spam "
            "folder, or wait %(minutes)d minute and ask again.",
            "Links to this e-mail address have been asked for several times already. If it "
            "belongs to an account here, they are on their way: look in your inbox and spam "
            "folder, or wait %(minutes)d minutes and ask again.",
            n,
        ) % {"minutes": n}
    raise Refused(message, status=429, title=_("Please wait before asking again"), retry_after=wait)
