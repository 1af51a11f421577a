"""Who may use each address: one rule per URL name (workshops, jobs, agreements, API tokens) and
per API operation ("GET /api/..."). A new address without a rule fails the matrix.

A rule names its holders (who get in) and what everyone else gets: a visitor without an account
(`anonymous`: LOGIN is a redirect to the sign-in page) and a signed-in person who is not a holder
(`others`). Methods the address does not take answer 405 to everyone.
"""

from dataclasses import dataclass, field

from tests.security.permission_world import PERSONAS, SIGNED_IN

LOGIN = "login"
EVERYONE = frozenset(PERSONAS)
ACCOUNTS = frozenset(SIGNED_IN)
FACILITATOR = frozenset({"facilitator"})
PHONES = frozenset({"participant", "co_participant"})
PARTNERS = frozenset({"partner_a", "partner_b"})
READERS = PARTNERS | {"guest"}
JOB = frozenset({"job_owner", "staff"})
COLLABORATIVE = frozenset({"convenor", "representative", "observer"})


@dataclass(frozen=True)
class Rule:
    holders: frozenset
    methods: tuple = ("GET",)
    anonymous: object = LOGIN  # what a non-holder without an account gets
    others: object = 404  # what a signed-in non-holder gets
    params: dict = field(default_factory=dict)  # URL parameter -> key in World.ids
    fixed: dict = field(default_factory=dict)  # URL parameter -> its value here
    post: dict = field(default_factory=dict)  # what a refused POST carries (harmful if it got in)
    expect: dict = field(default_factory=dict)  # persona -> status, where one differs
    expect_post: dict = field(default_factory=dict)  # persona -> status of a POST, where it differs
    stream: bool = False  # a live event stream: only its status is read


def facilitator(methods=("GET",), **options):
    return Rule(FACILITATOR, methods, **options)


def phone(holders=PHONES, **options):
    return Rule(holders, ("POST",), anonymous=403, others=403, **options)


def partner(methods=("GET",), holders=PARTNERS, **options):
    options.setdefault("params", {"pk": "pk_agreement"})
    return Rule(holders, methods, anonymous=404, others=404, **options)


def public(methods=("GET",), **options):
    return Rule(EVERYONE, methods, **options)


def account(methods=("GET",), **options):
    return Rule(ACCOUNTS, methods, **options)


def collaborative(methods=("GET",), holders=COLLABORATIVE, **options):
    """Partner-only pages of a collaborative that is not published: 404 for everyone else."""
    options["params"] = {"slug": "collab_slug", **options.get("params", {})}
    return Rule(holders, methods, anonymous=404, others=404, **options)


CONVENOR_ONLY = {"representative": 403, "observer": 403}


def api_collaborative(methods=("GET",), holders=COLLABORATIVE, **options):
    """Collaborate's API on a collaborative that is not published: 401 without an account, 404
    for any other account (its existence is not given away)."""
    return Rule(holders, methods, anonymous=401, others=404, **options)


def api_convenor(**options):
    return api_collaborative(("POST",), holders=frozenset({"convenor"}), expect=CONVENOR_ONLY, **options)


NOTE = {"text": "Hijacked note", "key": "key-intruder-01", "prompt": "0", "about": "government"}
REVIEW = {"pk": "review_pk"}

RULES = {
    # --- Convene: the facilitator's back office ---
    "workshops:index": public(),
    "workshops:new": account(("GET", "POST"), post={"title": "Intruder's workshop"}),
    "workshops:console": facilitator(),
    "workshops:console_panel": facilitator(),
    "workshops:control": facilitator(("POST",), post={"action": "next"}),
    # Ending asks first on a page of its own; its POST ends the workshop.
    "workshops:end": facilitator(("GET", "POST")),
    "workshops:tables": facilitator(("POST",), post={"action": "count", "count": "9"}),
    # A person's page: their holder's POST removes someone, so it comes last (LAST).
    "workshops:person": facilitator(("GET", "POST"), post={"action": "remove"}),
    "workshops:rejoins": facilitator(("POST",), post={"rejoin": "1", "answer": "yes"}),
    "workshops:agenda": facilitator(("GET", "POST"), post={"title": "Intruder item", "kind": "pause",
                                                           "minutes": "5"}),
    "workshops:agenda_item": facilitator(("POST",), post={"action": "delete"}),
    "workshops:duplicate": facilitator(("POST",)),
    "workshops:languages": facilitator(("POST",), post={"title": "Hijacked", "title_es": "Secuestrado",
                                                        "projector_language": "es"}),
    "workshops:choose_language": facilitator(("POST",), post={"remove": "es"}),
    "workshops:invite": facilitator(("POST",), post={"who": "signed_in"}),
    "workshops:live": facilitator(stream=True),
    "workshops:live_poll": facilitator(),
    "workshops:results": facilitator(),
    # Each kind's downloads (brainwriting's notes here); an old address of a kind's page is sent on.
    "workshops:export": facilitator(fixed={"kind": "brainwriting", "name": "notes.csv"}),
    "workshops:item_page_moved": facilitator(fixed={"rest": "themes/"}, expect={"facilitator": 301}),
    "workshops:report": facilitator(("POST",)),
    "workshops:report_pdf": facilitator(),
    "workshops:brainwriting:settings": facilitator(("POST",), post={"prompts": "Hijacked", "mode": "open"}),
    "workshops:brainwriting:round": facilitator(("POST",), post={"action": "close"}),
    "workshops:brainwriting:themes": facilitator(),
    "workshops:brainwriting:themes_panel": facilitator(),
    # How making themes is going: no themes job in the test world's item, so its facilitator is told so.
    "workshops:brainwriting:themes_job": facilitator(expect={"facilitator": 404}),
    "workshops:brainwriting:themes_make": facilitator(("POST",), post={"count": "3"}),
    "workshops:brainwriting:themes_edit": facilitator(("POST",), post={"action": "rename", "label": "Hijacked"}),
    # The tests' own kind (tests/workshops/tally). The test site's item is a brainwriting, so the
    # tally's facilitator view tells even its facilitator that this item is not a tally.
    "workshops:tally:reset": facilitator(("POST",), expect={"facilitator": 404}),
    # The case simulation's console (casesim/views_console.py): the test site's item is not a
    # simulation, so even its facilitator gets a 404; everyone else is kept out as ever.
    "workshops:casesim:clock": facilitator(("POST",), post={"action": "next"}, expect={"facilitator": 404}),
    "workshops:casesim:stage": facilitator(("POST",), post={"action": "reveal", "confirm": "yes"},
                                           expect={"facilitator": 404}),
    "workshops:casesim:seats": facilitator(("POST",), post={"action": "redeal", "confirm": "yes"},
                                           expect={"facilitator": 404}),
    "workshops:casesim:setup": facilitator(("POST",), post={"pack": "sacramento", "prefer": "own", "extra": "mirror"},
                                           expect={"facilitator": 404}),
    "workshops:casesim:guide": facilitator(expect={"facilitator": 404}),
    # A facilitator's own case pack for the item (casesim/ownpack.py): the same 404 for a
    # brainwriting item; the remove action needs no file.
    "workshops:casesim:own_pack": facilitator(("POST",), post={"action": "remove"}, expect={"facilitator": 404}),
    # Q&A, mounted by the discussion kind (intersector/workshops/qna): the test site's item is a
    # brainwriting, so its facilitator is told this item is not a discussion.
    "workshops:discussion:qna_moderate": facilitator(("POST",), post={"question": "1", "action": "hide"},
                                                     expect={"facilitator": 404}),
    "workshops:discussion:qna_approve": facilitator(("POST",), post={"action": "all"}, expect={"facilitator": 404}),
    "workshops:discussion:qna_settings": facilitator(("POST",), post={"moderation": "open"},
                                                     expect={"facilitator": 404}),
    # The case simulation's report (casesim/show.py): the test site's item is a brainwriting, so
    # even its facilitator hears that this item is not a case simulation.
    "workshops:casesim:show_screen": facilitator(("POST",), post={"view": "debrief"}, expect={"facilitator": 404}),
    "workshops:casesim:show_agree": facilitator(("POST",), fixed={"table_pk": 1}, expect={"facilitator": 404}),
    "workshops:casesim:show_agree_button": facilitator(fixed={"table_pk": 1}, expect={"facilitator": 404}),
    # --- Convene: the room's side (phones by their pass, the projector by its facilitator) ---
    "workshops:enter_code": public(),
    # Anyone with the code sees the join form; a pass from another workshop is not recognised.
    "workshops:join": public(("GET", "POST"), expect={"outsider_phone": 400}),
    "workshops:now": Rule(PHONES, anonymous=403, others=403),
    # The room's shared screen: only with the room's key in its address (a wrong key is 404 even
    # for a phone of the room); the phone's own parts of it, by its pass.
    "workshops:shared_screen": Rule(PHONES, anonymous=403, others=403,
                                    fixed={"key": "0" * 20, "language": "en", "version": "0"},
                                    expect={"participant": 404, "co_participant": 404}),
    "workshops:mine": Rule(PHONES, anonymous=403, others=403),
    # "Is this you?": anyone may ask to continue as someone of the name and sector they give (an
    # unknown one is 404 for all); the browser without a question is sent to the join page; only
    # that person's own phone answers (another phone: nothing waits for it, 409).
    "workshops:rejoin": public(expect={persona: 302 for persona in EVERYONE}),
    "workshops:rejoin_ask": public(("POST",), anonymous=None, others=None,
                                   post={"participant": "1", "display_name": "Ana", "sector": "business"}),
    "workshops:rejoin_answer": phone(post={"rejoin": "1", "answer": "yes"}),
    "workshops:phone_live": Rule(PHONES | FACILITATOR, anonymous=403, others=403, stream=True),
    "workshops:phone_live_poll": Rule(PHONES | FACILITATOR, anonymous=403, others=403),
    "workshops:projector": facilitator(),
    "workshops:projector_now": facilitator(anonymous=404),
    "workshops:qr": public(),
    "workshops:brainwriting:add_note": phone(post=NOTE),
    "workshops:brainwriting:vote": phone(post={"theme": "1"}),
    # The notes behind a theme, for phones while they vote: the test site's round is still being
    # written, so its phones are told to wait (409); others are kept out as ever.
    "workshops:brainwriting:theme_notes": Rule(PHONES, anonymous=403, others=403, fixed={"theme_pk": 1},
                                               expect={"participant": 409, "co_participant": 409}),
    # Only the writer changes a note; another phone of the same workshop is told it is not theirs.
    "workshops:brainwriting:edit_note": phone({"participant"}, post=NOTE, expect={"co_participant": 404}),
    "workshops:brainwriting:delete_note": phone({"participant"}, expect={"co_participant": 404}),
    # The tally is not running: phones are told so (409), others are kept out as ever.
    "workshops:tally:tap": phone(),
    # No discussion is running: phones are told so (409), others are kept out as ever.
    "workshops:discussion:qna_ask": phone(post={"text": "Hijacked question?"}),
    "workshops:discussion:qna_vote": phone(post={"question": "1"}),
    "workshops:discussion:qna_list": Rule(PHONES, anonymous=403, others=403,
                                          expect={"participant": 409, "co_participant": 409}),
    # The case simulation at the table (casesim/views_phone.py) and its report back's questions: no
    # simulation runs in the test site, so phones are told so (409), others are kept out as ever.
    # The crawl in tests/workshops/casesim/test_confidential.py reads them with a simulation running.
    "workshops:casesim:read_brief": phone(),
    "workshops:casesim:propose": phone(post={"families": ["who", "why", "how"]}),
    "workshops:casesim:accept": phone(),
    "workshops:casesim:withdraw": phone(),
    "workshops:casesim:sheet-save": phone(fixed={"element": "vision"}, post={"text": "Hijacked", "version": "0"}),
    "workshops:casesim:sheet-resolve": phone(fixed={"element": "vision"}, post={"keep": "mine"}),
    "workshops:casesim:sheet-element": Rule(PHONES, anonymous=403, others=403, fixed={"element": "vision"},
                                            expect={"participant": 404, "co_participant": 404}),
    # "Take our draft to Agree": a phone at the table asks for the link (casesim/views_agree.py).
    "workshops:casesim:agree_link": phone(),
    "workshops:casesim:qna_ask": phone(post={"text": "Hijacked question?"}),
    "workshops:casesim:qna_vote": phone(post={"question": "1"}),
    "workshops:casesim:qna_list": Rule(PHONES, anonymous=403, others=403,
                                       expect={"participant": 409, "co_participant": 409}),
    "workshops:casesim:qna_moderate": facilitator(("POST",), post={"question": "1", "action": "hide"},
                                                  expect={"facilitator": 404}),
    "workshops:casesim:qna_approve": facilitator(("POST",), post={"action": "all"}, expect={"facilitator": 404}),
    "workshops:casesim:qna_settings": facilitator(("POST",), post={"moderation": "open"},
                                                  expect={"facilitator": 404}),
    # The decision item (activities/decision): no decision item runs in the test site, so phones are
    # told so (409) and its facilitator finds no such item (404); others are kept out as ever. The
    # vote page is a page (GET) and its form (POST); tests/workshops/test_decision_item.py runs one.
    "workshops:decision:vote": Rule(PHONES, ("GET", "POST"), anonymous=403, others=403,
                                    expect={"participant": 409, "co_participant": 409}, post={"option-1": "3"}),
    "workshops:decision:choose_page": facilitator(expect={"facilitator": 404}),
    "workshops:decision:choose": facilitator(("POST",), post={"decision": "1"}, expect={"facilitator": 404}),
    "workshops:decision:close": facilitator(("POST",), expect={"facilitator": 404}),
    # --- Background jobs: their owner and staff ---
    "jobs:list": account(),
    "jobs:detail": Rule(JOB),
    "jobs:status": Rule(JOB),
    "jobs:json": Rule(JOB, anonymous=401),
    "jobs:retry": Rule(JOB, ("POST",)),
    # --- Agree ---
    "agreements:index": public(),
    "agreements:scorecard": public(("GET", "POST")),
    "agreements:scorecard_reset": public(("POST",)),
    "agreements:scorecard_csv": public(),
    "agreements:scorecard_versions": Rule(frozenset({"staff"}), ("GET", "POST"), anonymous=404),
    "agreements:scorecard_yaml": Rule(frozenset({"staff"}), anonymous=404),
    "agreements:new": public(("GET", "POST")),
    # Invitation links: a forged one opens nothing, for anyone.
    "agreements:join": Rule(frozenset(), anonymous=404),
    # A table's link to take its draft to Agree (casesim/views_agree.py): a forged one, nothing.
    "workshops:casesim:agree_open": Rule(frozenset(), ("GET", "POST"), anonymous=404),
    "agreements:guest_join": Rule(frozenset(), anonymous=404),
    "agreements:detail": partner(holders=READERS),
    # The links just sent, shown once to whoever sent them; sending again / withdrawing another
    # partner's unopened invitation (the third partner's, which nobody opened).
    "agreements:invitations": partner(),
    "agreements:partner_invite": partner(("POST",), post={"email": "mallory@example.org"}),
    "agreements:partner_withdraw": partner(("POST",)),
    # Taking back an opened invitation: the third partner's was never opened, so both partners are
    # told so (409); nobody else learns the agreement exists.
    "agreements:partner_reset": partner(("POST",), post={"email": "mallory@example.org"},
                                        expect_post={"partner_a": 409, "partner_b": 409}),
    "agreements:guests": partner(("GET", "POST"), post={"name": "Eve", "email": "eve@example.org",
                                                        "role": "commenter"}),
    "agreements:guest_revoke": partner(("POST",)),
    "agreements:focus": partner(("POST",), post={"families": ["why"]}),
    "agreements:write": partner(),
    "agreements:save_element": partner(("POST",), post={"text": "Hijacked text", "rating": "fully",
                                                        "comment": "Hijacked"}),
    "agreements:compare": partner(),
    "agreements:publish": partner(("POST",), post={"published": "yes"}),
    "agreements:comment": partner(("POST",), holders=READERS, post={"body": "Intruder's comment"}),
    "agreements:sign": partner(("POST",), post={"name": "Mallory"}),
    "agreements:new_version": partner(("POST",)),
    "agreements:live": partner(stream=True),
    "agreements:live_poll": partner(),
    "agreements:changed": partner(),
    "agreements:history": partner(),
    "agreements:export": partner(fixed={"kind": "docx"}),
    "agreements:export_scorecard": partner(fixed={"kind": "csv"}),
    "agreements:review_new": account(("GET", "POST")),
    "agreements:review": Rule(frozenset({"job_owner"}), anonymous=404, params=REVIEW),
    "agreements:review_confirm": Rule(frozenset({"job_owner"}), ("POST",), anonymous=404, params=REVIEW,
                                      post={"rating": "fully"}),
    "agreements:review_confirm_all": Rule(frozenset({"job_owner"}), ("POST",), anonymous=404,
                                          params=REVIEW),
    # --- API tokens (the pages where people manage them) ---
    "api_tokens:list": account(),
    "api_tokens:create": account(("GET", "POST")),
    "api_tokens:revoke": Rule(frozenset({"signed_in"}), ("GET", "POST")),
    # --- Case packs: confidential briefs, for staff allowed to edit case packs ---
    "casepacks:index": Rule(frozenset({"staff"}), ("GET", "POST"), others=403),
    "casepacks:download": Rule(frozenset({"staff"}), others=403, params={"pk": "pack_pk"}),
    "collaboratives:index": public(),
    "collaboratives:new": account(("GET", "POST"), post={"name": "Intruder's collaborative"}),
    "collaboratives:join": Rule(frozenset(), ("GET", "POST"), anonymous=404, others=404),  # a forged link
    "collaboratives:home": collaborative(),
    "collaboratives:partners": collaborative(),
    "collaboratives:charter": collaborative(("POST",), holders=frozenset({"convenor"}), expect=CONVENOR_ONLY,
                                            post={"action": "unlink"}),
    "collaboratives:manage_partners": collaborative(("POST",), holders=frozenset({"convenor"}), expect=CONVENOR_ONLY,
                                                    post={"action": "group", "name": "Intruders"}),
    "collaboratives:steps": collaborative(),
    "collaboratives:edit_step": collaborative(("POST",), holders=frozenset({"convenor"}), expect=CONVENOR_ONLY,
                                              post={"action": "step", "status": "done"}),
    "collaboratives:worksheet": collaborative(("GET", "POST"), expect_post={"observer": 403},
                                              post={"answer-0": "Hijacked answer", "based_on": "1"}),
    # The health check: everyone who sees the collaborative answers an open wave (observers too) and
    # reads closed waves' results; convenors open and close waves.
    "collaboratives:health": collaborative(),
    "collaboratives:health_open": collaborative(("POST",), holders=frozenset({"convenor"}), expect=CONVENOR_ONLY),
    "collaboratives:health_results": collaborative(params={"number": "health_number"}),
    "collaboratives:health_answer": collaborative(("GET", "POST"), params={"number": "health_number"},
                                                  post={"factor-history-of-working-together": "1"}),
    "collaboratives:health_close": collaborative(("POST",), holders=frozenset({"convenor"}), expect=CONVENOR_ONLY,
                                                 params={"number": "health_number"}),
    # The partner network survey: partners read closed waves' maps; a representative (or alternate)
    # answers for its partner; the convenor opens and closes waves, imports answers and downloads
    # the files (they hold each partner's ratings of the others).
    "collaboratives:network": collaborative(),
    "collaboratives:network_open": collaborative(("POST",), holders=frozenset({"convenor"}), expect=CONVENOR_ONLY),
    "collaboratives:network_results": collaborative(params={"number": "network_number"}),
    "collaboratives:network_answer": collaborative(("GET", "POST"), params={"number": "network_open"},
                                                   expect_post={"convenor": 403, "observer": 403},
                                                   post={"none": "yes"}),
    "collaboratives:network_close": collaborative(("POST",), holders=frozenset({"convenor"}), expect=CONVENOR_ONLY,
                                                  params={"number": "network_open"}),
    "collaboratives:network_import": collaborative(("POST",), holders=frozenset({"convenor"}), expect=CONVENOR_ONLY,
                                                   params={"number": "network_open"}),
    "collaboratives:network_export": collaborative(holders=frozenset({"convenor"}), expect=CONVENOR_ONLY,
                                                   params={"number": "network_number"},
                                                   fixed={"kind": "edges.csv"}),
    # The decision log: partners read it, the convenor opens and closes proposals and writes the
    # outcome, a representative (or alternate) votes; observers only read.
    "collaboratives:decisions": collaborative(),
    "collaboratives:decision_new": collaborative(("GET", "POST"), holders=frozenset({"convenor"}), expect=CONVENOR_ONLY,
                                                 post={"title": "Intruder proposal", "text": "x", "kind": "consent",
                                                       "closes_at": "2099-01-01T10:00"}),
    "collaboratives:decision": collaborative(params={"pk": "decision_pk"}),
    # The decision rules: partners read them, the convenor changes them.
    "collaboratives:decision_rules": collaborative(("GET", "POST"), expect_post=CONVENOR_ONLY,
                                                   post={"kind": "dots", "quorum": "1", "threshold": "1"}),
    "collaboratives:decision_vote": collaborative(("POST",), holders=frozenset({"representative"}),
                                                  expect={"convenor": 403, "observer": 403},
                                                  params={"pk": "decision_pk"}, post={"choice": "agree"}),
    "collaboratives:decision_close": collaborative(("POST",), holders=frozenset({"convenor"}), expect=CONVENOR_ONLY,
                                                   params={"pk": "decision_pk"}),
    "collaboratives:decision_outcome": collaborative(("POST",), holders=frozenset({"convenor"}), expect=CONVENOR_ONLY,
                                                     params={"pk": "decision_pk"}, post={"statement": "Hijacked"}),
    # Commitments and results: partners read; the convenor makes commitments, results and indicators;
    # a commitment's holders (here the chamber's representative) and the convenor record its progress.
    "collaboratives:commitments": collaborative(),
    "collaboratives:commitment_new": collaborative(("GET", "POST"), holders=frozenset({"convenor"}),
                                                   expect=CONVENOR_ONLY,
                                                   post={"what": "Intruder commitment", "due": "2099-01-01"}),
    "collaboratives:commitment_update": collaborative(("POST",), holders=frozenset({"convenor", "representative"}),
                                                      expect={"observer": 403}, params={"pk": "commitment_pk"},
                                                      post={"status": "done", "note": "Hijacked"}),
    "collaboratives:results": collaborative(),
    "collaboratives:result_new": collaborative(("POST",), holders=frozenset({"convenor"}), expect=CONVENOR_ONLY,
                                               post={"title": "Intruder result"}),
    "collaboratives:result_update": collaborative(("POST",), holders=frozenset({"convenor"}), expect=CONVENOR_ONLY,
                                                  params={"pk": "result_pk"}, post={"status": "done"}),
    "collaboratives:indicator_new": collaborative(("POST",), holders=frozenset({"convenor"}), expect=CONVENOR_ONLY,
                                                  post={"title": "Intruder", "unit": "x", "baseline": "1",
                                                        "target": "2"}),
    "collaboratives:actual_new": collaborative(("POST",), holders=frozenset({"convenor"}), expect=CONVENOR_ONLY,
                                               params={"pk": "indicator_pk"}, post={"on": "2020-01-01", "value": "9"}),
    # Progress reports: everyone who sees the collaborative builds them (page, PDF, Word); the
    # convenor marks a decision or a health check public for funders' and the public's reports.
    "collaboratives:reports": collaborative(),
    "collaboratives:report": collaborative(fixed={"audience": "partners", "form": "detailed"}),
    "collaboratives:report_download": collaborative(fixed={"audience": "public", "form": "detailed", "kind": "pdf"}),
    "collaboratives:decision_visibility": collaborative(("POST",), holders=frozenset({"convenor"}),
                                                        expect=CONVENOR_ONLY, params={"pk": "decision_pk"},
                                                        post={"visibility": "public"}),
    "collaboratives:health_visibility": collaborative(("POST",), holders=frozenset({"convenor"}),
                                                      expect=CONVENOR_ONLY, params={"number": "health_number"},
                                                      post={"visibility": "public"}),
    # ...and a commitment, a result or an indicator on its card, and a network survey on its page.
    "collaboratives:commitment_visibility": collaborative(("POST",), holders=frozenset({"convenor"}),
                                                          expect=CONVENOR_ONLY, params={"pk": "commitment_pk"},
                                                          post={"visibility": "public"}),
    "collaboratives:result_visibility": collaborative(("POST",), holders=frozenset({"convenor"}),
                                                      expect=CONVENOR_ONLY, params={"pk": "result_pk"},
                                                      post={"visibility": "public"}),
    "collaboratives:indicator_visibility": collaborative(("POST",), holders=frozenset({"convenor"}),
                                                         expect=CONVENOR_ONLY, params={"pk": "indicator_pk"},
                                                         post={"visibility": "public"}),
    "collaboratives:network_visibility": collaborative(("POST",), holders=frozenset({"convenor"}),
                                                       expect=CONVENOR_ONLY, params={"number": "network_number"},
                                                       post={"visibility": "public"}),
    # What changed, and each person's own digest setting
    "collaboratives:activity": collaborative(),
    "collaboratives:my_settings": collaborative(("GET", "POST"), post={"digest": "daily"}),
    # --- The API: operations by method and path, as /api/openapi.json lists them ---
    "GET /api/me": Rule(ACCOUNTS, anonymous=401),
    "GET /api/jobs/{id}": Rule(JOB, anonymous=401),
    "GET /api/cases": public(),
    "GET /api/resources": public(),
    "GET /api/toolkit": public(),
    "GET /api/agreements/scorecard": public(),
    # Collaborate's API: the pages' rules, answered in JSON (nobody signed in: 401). Each POST's
    # body is a valid one, so a refusal is about who asks, never about what they sent.
    "GET /api/collaboratives": Rule(ACCOUNTS, anonymous=401),
    "POST /api/collaboratives": Rule(ACCOUNTS, ("POST",), anonymous=401, post={"name": "Intruder's collaborative"}),
    "GET /api/collaboratives/{slug}": api_collaborative(),
    "GET /api/collaboratives/{slug}/groups": api_collaborative(),
    "POST /api/collaboratives/{slug}/groups": api_convenor(post={"name": "Intruders"}),
    "GET /api/collaboratives/{slug}/partners": api_collaborative(),
    "POST /api/collaboratives/{slug}/partners": api_convenor(post={"name": "Intruder Inc", "sector": "business"}),
    "GET /api/collaboratives/{slug}/members": api_collaborative(),
    "POST /api/collaboratives/{slug}/members": api_convenor(post={"name": "Eve", "role": "convenor"}),
    "POST /api/collaboratives/{slug}/members/{member_id}/end": api_convenor(),
    "GET /api/collaboratives/{slug}/decisions": api_collaborative(),
    "POST /api/collaboratives/{slug}/decisions": api_convenor(post={
        "title": "Intruder proposal", "text": "x", "kind": "consent", "closes_at": "2099-01-01T10:00:00"}),
    "GET /api/collaboratives/{slug}/decisions/{decision_id}": api_collaborative(),
    "GET /api/collaboratives/{slug}/decisions/{decision_id}/votes": api_collaborative(),
    "POST /api/collaboratives/{slug}/decisions/{decision_id}/votes": api_collaborative(
        ("POST",), holders=frozenset({"representative"}), expect={"convenor": 403, "observer": 403},
        post={"choice": "agree"}),
    "POST /api/collaboratives/{slug}/decisions/{decision_id}/close": api_convenor(),
    "POST /api/collaboratives/{slug}/decisions/{decision_id}/outcome": api_convenor(post={"statement": "Hijacked"}),
    # Commitments, results and indicators (collaborate_results.py): as their pages. The chamber's
    # representative holds the world's commitment, so records its progress; observers never do.
    "GET /api/collaboratives/{slug}/commitments": api_collaborative(),
    "POST /api/collaboratives/{slug}/commitments": api_convenor(post={"what": "Intruder commitment",
                                                                      "due": "2099-01-01"}),
    "GET /api/collaboratives/{slug}/commitments/{commitment_id}": api_collaborative(),
    "POST /api/collaboratives/{slug}/commitments/{commitment_id}/progress": api_collaborative(
        ("POST",), holders=frozenset({"convenor", "representative"}), expect={"observer": 403},
        post={"status": "done", "note": "Hijacked"}),
    "POST /api/collaboratives/{slug}/commitments/{commitment_id}/due": api_convenor(post={"due": "2099-01-01"}),
    "POST /api/collaboratives/{slug}/commitments/{commitment_id}/visibility": api_convenor(
        post={"visibility": "public"}),
    "GET /api/collaboratives/{slug}/results": api_collaborative(),
    "POST /api/collaboratives/{slug}/results": api_convenor(post={"title": "Intruder result"}),
    "GET /api/collaboratives/{slug}/results/{result_id}": api_collaborative(),
    "POST /api/collaboratives/{slug}/results/{result_id}": api_convenor(post={"status": "done"}),
    "POST /api/collaboratives/{slug}/results/{result_id}/visibility": api_convenor(post={"visibility": "public"}),
    "GET /api/collaboratives/{slug}/indicators": api_collaborative(),
    "POST /api/collaboratives/{slug}/indicators": api_convenor(post={"title": "Intruder", "unit": "x",
                                                                     "baseline": 1, "target": 2}),
    "GET /api/collaboratives/{slug}/indicators/{indicator_id}": api_collaborative(),
    "POST /api/collaboratives/{slug}/indicators/{indicator_id}/actuals": api_convenor(post={"on": "2020-01-01",
                                                                                            "value": 9}),
    "POST /api/collaboratives/{slug}/indicators/{indicator_id}/visibility": api_convenor(
        post={"visibility": "public"}),
    # The partner network (collaborate_network.py): partners read closed surveys' maps; the files
    # (each partner's ratings of the others) are the convenor's alone.
    "GET /api/collaboratives/{slug}/network": api_collaborative(),
    "GET /api/collaboratives/{slug}/network/{wave_number}": api_collaborative(),
    "GET /api/collaboratives/{slug}/network/{wave_number}/export/{kind}": api_collaborative(
        holders=frozenset({"convenor"}), expect=CONVENOR_ONLY),
    "POST /api/collaboratives/{slug}/network/{wave_number}/visibility": api_convenor(post={"visibility": "public"}),
    # Running a survey (collaborate_network_survey.py): the convenor opens, closes and imports; a
    # partner's representative reads and gives its answer (the survey here is closed: a 409 for them).
    "POST /api/collaboratives/{slug}/network": api_convenor(),
    "POST /api/collaboratives/{slug}/network/{wave_number}/close": api_convenor(),
    "POST /api/collaboratives/{slug}/network/{wave_number}/import": api_convenor(),
    "GET /api/collaboratives/{slug}/network/{wave_number}/answer": api_collaborative(
        holders=frozenset({"representative"}), expect={"convenor": 403, "observer": 403}),
    "PUT /api/collaboratives/{slug}/network/{wave_number}/answer": api_collaborative(
        ("PUT",), holders=frozenset({"representative"}), expect={"convenor": 403, "observer": 403},
        post={"none": True}),
}

# Real invitation links, opened by everyone: the holder opens theirs again; a partner's person
# is told they already take part (409); anyone else is refused (403) and sees nothing of it; a
# withdrawn guest's link opens nothing for anyone.
VARIANTS = {
    "agreements:join with partner B's link": ("agreements:join", Rule(
        frozenset(), anonymous=403, others=403, params={"token": "partner_b_link"},
        expect={"partner_b": 302, "partner_a": 409})),
    "agreements:guest_join with the guest's link": ("agreements:guest_join", Rule(
        frozenset(), anonymous=403, others=403, params={"token": "guest_link"},
        expect={"guest": 302, "partner_a": 409, "partner_b": 409})),
    "collaboratives:network_export of the partners": ("collaboratives:network_export", collaborative(
        holders=frozenset({"convenor"}), expect=CONVENOR_ONLY, params={"number": "network_number"},
        fixed={"kind": "nodes.csv"})),
    "collaboratives:network_export for Gephi": ("collaboratives:network_export", collaborative(
        holders=frozenset({"convenor"}), expect=CONVENOR_ONLY, params={"number": "network_number"},
        fixed={"kind": "network.gexf"})),
    "agreements:guest_join with a withdrawn link": ("agreements:guest_join", Rule(
        frozenset(), anonymous=404, params={"token": "withdrawn_link"})),
}

# The namespaces whose every address the matrix must cover.
NAMESPACES = ("workshops", "jobs", "agreements", "api_tokens", "casepacks", "collaboratives")
