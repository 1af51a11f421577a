"""The evidence a person reads first under a proposal: a whole sentence about that element."""

from types import SimpleNamespace

import numpy as np

from intersector.agreements import review
from intersector.agreements.clauses import split_clauses
from intersector.agreements.review import is_fragment, is_stub

SETTINGS = {"sentence": 1.0, "clause": 0.0, "heading": 0.0, "keyword": 0.0, "heading_keyword": 0.0,
            "generic": 0.0, "background": 0.0, "full": 0.6, "partial": 0.3}


def test_pieces_of_sentences_are_told_from_sentences():
    assert is_fragment("except to the extent that the loss is due to the gross negligence of the club.")
    assert is_fragment("funds raised to cover membership records, finance and accounting.")
    assert is_fragment("(For approving press releases or quotes)")
    assert is_fragment("If you do not have in-house counsel, please leave this blank.)")
    # A list item reads on from its lead-in ("The partners will:") and says its part.
    assert not is_fragment("(b) publish a joint report each year; and")
    assert not is_fragment("* share data on air quality readings;")
    assert not is_fragment("d) Membership is non-transferable, except to a successor.")
    assert not is_fragment("Each partner is liable for any injury caused by its own volunteers.")
    # A lead-in in bold is a lead-in: it says nothing by itself.
    assert is_stub("**This Memorandum of Understanding is entered into on [Date], by and between:**")


def test_an_address_or_a_title_line_is_not_evidence_by_itself():
    # Names, places and numbers with no running text: a party's details, not what it agreed.
    assert is_stub("Address: 8828 NE Schuyler St, Portland OR 97220")
    assert is_stub("Col. Tecnológico, Monterrey, Nuevo León 64849, México.")
    assert is_stub("Jason Lin, Director of Engineering, Data Science for Sustainable Development")
    # Running text stays a sentence, in capitals too.
    assert not is_stub("2. Contact person of the MoU from IITB side (Member), named by its director.")
    assert not is_stub("IN NO EVENT SHALL EITHER PARTY BE LIABLE FOR ANY INDIRECT DAMAGES.")
    assert not is_stub("Rick Shory, instrumentation developer, is the contact for the loan.")


def test_a_short_list_item_saying_what_someone_will_do_is_evidence_a_short_heading_is_not():
    assert not is_stub("(b) forecast associated costs")
    assert not is_stub("- verify participant eligibility; and")
    assert is_stub("3. Responsibilities") and is_stub("2. Scope of Work") and is_stub("b) Term")
    assert is_stub("(a) the following:")


def test_a_sentence_cut_off_or_garbled_by_the_pdf_is_not_shown_first_if_a_whole_one_says_it():
    assert is_fragment("Paper records will be stored in a locked file cabinet in a")
    assert is_fragment("4 . For successful implementation of the scheme, this Memorandum may be")
    assert not is_fragment("(b) provide instructors, classrooms and lab equipment; and")
    assert not is_fragment("Each partner will name a liaison for the program")
    assert review.is_garbled("is made on this 23tdday of May 2013betweenthe Presidentof IndiaactingthroughMs Amita")
    assert review.is_garbled("Quinixwillreciprocatebyoutsourcingprojects that align with the services offered.")
    assert review.is_garbled("For successful implementation of rHE scHEME, this Memorandum may be signed.")
    # Brands, web and e-mail addresses are not damage.
    assert not review.is_garbled("NotAlone runs in the AWS GovCloud region and its code is on GitHub.")
    assert not review.is_garbled("Contact Benjamin Lutz, blutz@mediatorsbeyondborders.org, or see https://couillardsolarfoundation.org/")


def test_damaged_text_goes_last_unless_most_of_the_document_is_damaged():
    import yaml

    from intersector.agreements import scorecard

    card = scorecard.Scorecard(yaml.safe_load((review.PHRASINGS.parent / "scorecard.yaml").read_text(encoding="utf-8")))
    clean = "The city will fund the project.\n\nThe partners will meet every month to review progress.\n\n"
    glued = "The partnerswillmeeteverymonthtoreviewprogress and the city will pay its share.\n\n"
    found = review.features(card, split_clauses(clean * 3 + glued))
    assert list(found["stubs"]) == [False] * 6 + [True]
    # A poor scan: damaged sentences are all there is; putting them last would bring up headings.
    found = review.features(card, split_clauses(glued * 3 + clean))
    assert not found["stubs"].any()


def test_a_clause_number_is_not_embedded_with_its_sentence():
    assert review.without_number("4.1 Each party will designate a liaison.") == "Each party will designate a liaison."
    assert review.without_number("(c) convene the quarterly meetings.") == "convene the quarterly meetings."
    assert review.without_number("12. The MLRD shall report.") == "The MLRD shall report."
    assert review.without_number("➢ Cipher Craft will place the logo.") == "Cipher Craft will place the logo."
    assert review.without_number("B. *Funds:* The Department shall pay.") == "*Funds:* The Department shall pay."
    for kept in ("A committee will meet.", "2027 is the first year.", "U.S. law applies.", "I agree.", "3.1."):
        assert review.without_number(kept) == kept


def planted(similarities, keywords=None):
    """What review.features gives for the planted agreement below (one sentence per clause: a
    heading, a sentence, a piece of it, three sentences), with each sentence's similarity to each
    element set by hand (element key -> one value per sentence)."""
    text = ("3. Liability\n\n"
            "The club will pay for any book it loses,\n\n"
            "except where the loss is due to the gross negligence of the library.\n\n"
            "Each partner is liable for any injury caused by its own volunteers and holds its own insurance.\n\n"
            "Either partner may end this agreement by giving six months' written notice.\n\n"
            "The reading sessions will take place every Saturday from June to August 2027.\n")
    clauses = split_clauses(text)
    texts = [c.text for c in clauses]
    n = len(texts)
    assert is_stub(texts[0]) and texts[2].startswith("except") and texts[3].startswith("Each partner")
    elements = [{"element": SimpleNamespace(key=key, title=key, question=""),
                 "sentence": np.array(values, dtype=float), "clause": np.zeros(n),
                 "heading": np.zeros(n), "keywords": np.array((keywords or {}).get(key, [0.0] * n)),
                 "in_heading": np.zeros(n)}
                for key, values in similarities.items()]
    return texts, {"clauses": clauses, "owners": np.arange(n), "spans": [(0, len(t)) for t in texts],
                   "n": n, "stubs": np.array([is_stub(t) for t in texts]),
                   "fragments": np.array([is_fragment(t) for t in texts]),
                   "embedded": np.ones(n, dtype=bool), "elements": elements,
                   "generic_sentence": np.zeros(n), "generic_clause": np.zeros(n)}


def top_quote(texts, proposal):
    return texts[proposal.passages[0][0]][slice(*proposal.sentences[0])]


def test_the_top_quote_is_a_whole_sentence_not_a_piece_of_one():
    # The heading and the piece that starts "except where..." match liability best; the sentence
    # that says who is liable comes first all the same, then the piece, then the heading.
    texts, found = planted({"liability": [0.9, 0.2, 0.8, 0.7, 0.1, 0.0],
                            "timeline": [0.0, 0.0, 0.0, 0.0, 0.1, 0.7]})
    proposals = {p.element: p for p in review.proposals_from(found, SETTINGS)}
    liability = proposals["liability"]
    assert liability.rating == "fully"   # the rating still counts the best match
    assert top_quote(texts, liability).startswith("Each partner is liable")
    assert [texts[position][:6] for position, _score in liability.passages] == ["Each p", "except", "3. Lia"]


def test_a_sentence_mainly_about_another_element_is_not_the_top_quote():
    # "six months' written notice" makes the notice sentence look like a timeline, but it is far
    # closer to ending the partnership; the schedule is the timeline's evidence.
    texts, found = planted({"timeline": [0.0, 0.0, 0.0, 0.0, 0.62, 0.55],
                            "ending-partnership": [0.0, 0.0, 0.0, 0.0, 0.95, 0.1]})
    proposals = {p.element: p for p in review.proposals_from(found, SETTINGS)}
    assert top_quote(texts, proposals["timeline"]).startswith("The reading sessions")
    assert top_quote(texts, proposals["ending-partnership"]).startswith("Either partner")
    # Alone, the notice sentence would have been shown first (it scores higher).
    alone = planted({"timeline": [0.0, 0.0, 0.0, 0.0, 0.62, 0.55]})
    only = review.proposals_from(alone[1], SETTINGS)[0]
    assert top_quote(alone[0], only).startswith("Either partner")


def test_a_sentence_that_means_it_comes_before_one_that_only_has_the_word():
    # The notice sentence has the element's keyword ("end") and a weaker meaning; the schedule
    # sentence means it more. The keyword still counts for the rating, less for the evidence.
    texts, found = planted({"timeline": [0.0, 0.0, 0.0, 0.0, 0.45, 0.6]},
                           keywords={"timeline": [0.0, 0.0, 0.0, 0.0, 0.5, 0.0]})
    proposal = review.proposals_from(found, {**SETTINGS, "keyword": 0.4})[0]
    assert proposal.score == 0.65 and proposal.rating == "fully"   # 0.45 + 0.4 * 0.5
    assert top_quote(texts, proposal).startswith("The reading sessions")   # 0.6 against 0.55
