"""API tokens: create (the secret is returned once), revoke, and recognise them."""

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from intersector.api.models import ApiToken

SECRET_START = "isk_"  # "Intersector key": makes a leaked token easy to recognise and search for
PREFIX_LENGTH = len(SECRET_START) + 8
MAX_TOKENS_PER_USER = 25
# Recording "last used" on every call would turn each read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_secret(secret):
    # The secret is 240 random bits, so a plain SHA-256 cannot be guessed back.
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(user, name):
    """Return (token, secret). The secret exists only in this return value."""
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Give the token a name, such as the script that will use it."))
    if len(name) > 100:
        raise ValidationError(_("Keep the name under 100 characters."))
    with transaction.atomic():
        # Lock the person's row so two quick submissions can't both pass the checks below.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        tokens = ApiToken.objects.filter(user=user)
        if tokens.filter(name__iexact=name).exists():
            raise ValidationError(_("You already have a token with that name. Choose another name."))
        if tokens.count() >= MAX_TOKENS_PER_USER:
            raise ValidationError(
                _("You have %(n)s tokens, the most allowed. Revoke one you no longer use first.")
                % {"n": MAX_TOKENS_PER_USER}
            )
        secret = SECRET_START + secrets.token_urlsafe(30)
        token = ApiToken.objects.create(
            user=user, name=name, prefix=secret[:PREFIX_LENGTH], token_hash=hash_secret(secret)
        )
    return token, secret


def revoke_token(token):
    """Delete the token: any script still using it is refused from the next call."""
    with transaction.atomic():
        token.delete()


def user_for_token(secret):
    """The active user a token belongs to, or None. Notes when the token was last used."""
    if not secret or len(secret) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(token_hash=hash_secret(secret)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used__isnull=True) | Q(last_used__lt=now - LAST_USED_RESOLUTION)
    ).update(last_used=now)
    return token.user
