"""Agree's pages. Thin: permission checks here (access.py), actions in services and
invitations, reads in queries. One module per part of Agree."""

from intersector.agreements.views.agreement import (  # noqa: F401
    changed_notice, comment, compare, detail, export_agreement, export_scorecard, focus, history,
    index, live, live_poll, new_agreement, new_version, partner_invite, partner_reset, partner_withdraw, publish,
    save_element, sign, write,
)
from intersector.agreements.views.invitations import (  # noqa: F401
    guest_join, guest_revoke, guests, invitations_sent, join,
)
from intersector.agreements.views.reviews import (  # noqa: F401
    review, review_confirm, review_confirm_all, review_new,
)
from intersector.agreements.views.scorecard import (  # noqa: F401
    scorecard, scorecard_csv, scorecard_reset, scorecard_versions, scorecard_yaml,
)
