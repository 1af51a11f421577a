"""Existing partners and guests under the claim-once invitations.

- Every partner's invite link was shown to all partners, so every partner gets a new secret:
  the old links stop. A partner with an account is claimed by that account. The others stay
  unclaimed; the browser that already held one in its session keeps it (access.py binds it on
  its next visit), and anyone acting for a partner can send a new invitation by e-mail.
- Guest links were mailed to the guest only, so they keep working (until they expire); a guest
  with an account is claimed by it.
- Existing signatures become sign-off records marked "not recorded".
"""

import secrets

from django.db import migrations


def forwards(apps, schema_editor):
    Partner = apps.get_model("agreements", "Partner")
    Guest = apps.get_model("agreements", "Guest")
    SignOff = apps.get_model("agreements", "SignOff")
    for partner in Partner.objects.select_related("agreement").iterator():
        partner.secret = secrets.token_urlsafe(18)
        if partner.user_id is not None:
            partner.claimed_at = partner.agreement.created
        partner.save(update_fields=["secret", "claimed_at"])
        if partner.signed_version is not None:
            SignOff.objects.create(
                agreement_id=partner.agreement_id, partner=partner, version=partner.signed_version,
                name=partner.signed_by or partner.representative, how="unrecorded",
                signed_at=partner.signed_at or partner.agreement.updated)
    for guest in Guest.objects.filter(revoked__isnull=True).iterator():
        guest.invited_at = guest.created
        if guest.user_id is not None:
            guest.claimed_at = guest.created
        guest.save(update_fields=["invited_at", "claimed_at"])


class Migration(migrations.Migration):

    dependencies = [("agreements", "0003_invitations_claimed_once")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
