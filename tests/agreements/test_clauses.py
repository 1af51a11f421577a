"""Clause splitting by structure, on texts shaped like the real agreements people upload: bulleted
and lettered obligations, Markdown headings, a one-paragraph letter, a web page with one paragraph
per line, PDF text wrapped at a fixed width, a task table; and sentences inside a clause."""

from intersector.agreements.clauses import MAX_CLAUSE, sentence_spans, split_clauses


def texts(clauses):
    return [c.text for c in clauses]


def check_offsets(text, clauses):
    for clause in clauses:
        assert text[clause.start:clause.end] == clause.text


def test_bulleted_obligations_are_one_clause_each_under_their_heading():
    text = ("MEMORANDUM OF UNDERSTANDING\n\n"
            "Responsibilities of the City\n\n"
            "The City agrees to:\n"
            "- provide meeting space at the library;\n"
            "- publicise the programme on its website; and\n"
            "- name a liaison for the partnership.\n\n"
            "Responsibilities of the Foundation\n\n"
            "The Foundation agrees to:\n"
            "• fund two part-time coordinators;\n"
            "• report on attendance every quarter.\n")
    clauses = split_clauses(text)
    check_offsets(text, clauses)
    assert "- name a liaison for the partnership." in texts(clauses)
    assert "• report on attendance every quarter." in texts(clauses)
    liaison = next(c for c in clauses if "liaison" in c.text)
    assert liaison.heading == "Responsibilities of the City"
    report = next(c for c in clauses if "attendance" in c.text)
    assert report.heading == "Responsibilities of the Foundation"


def test_lettered_items_keep_their_parents_number():
    text = ("1. Purpose\n\n"
            "1.1 The partners will work together on clean air.\n\n"
            "2. Roles\n\n"
            "2.1 The County shall:\n"
            "(a) host the monthly meetings;\n"
            "(b) keep the minutes; and\n"
            "(c) circulate the agenda a week ahead.\n\n"
            "2.2 The non-profit shall recruit volunteers.\n")
    clauses = split_clauses(text)
    check_offsets(text, clauses)
    numbers = {c.number: c for c in clauses}
    assert numbers["2.1(b)"].text == "(b) keep the minutes; and"
    assert numbers["2.1(b)"].heading == "Roles"
    assert numbers["2.2"].text.startswith("2.2 The non-profit")
    assert numbers["1.1"].heading == "Purpose"


def test_markdown_headings_name_the_paragraphs_under_them():
    text = ("# Partnership agreement\n\n"
            "This agreement is between Riverside Council and Green Streets.\n\n"
            "## Disputes\n\n"
            "If the partners disagree, they will first talk it through; if that fails they will ask a mediator.\n\n"
            "## Ending the agreement\n\n"
            "Either partner may end this agreement with 60 days' written notice.\n")
    clauses = split_clauses(text)
    check_offsets(text, clauses)
    assert [c.heading for c in clauses] == ["Partnership agreement", "Disputes", "Ending the agreement"]
    assert not any(c.text.startswith("#") for c in clauses)


def test_a_one_paragraph_letter_is_cut_between_sentences():
    sentence = ("Our organisation is pleased to confirm that it intends to work with the county "
                "on the youth employment programme described in the grant application. ")
    text = "Dear Director,\n\n" + sentence * 30 + "\n\nSincerely,\nA. Person\n"
    clauses = split_clauses(text)
    check_offsets(text, clauses)
    long_ones = [c for c in clauses if "youth employment" in c.text]
    assert len(long_ones) >= 3
    assert all(len(c.text) <= MAX_CLAUSE for c in long_ones)
    assert all(c.text.endswith(".") for c in long_ones)   # never cut inside a sentence


def test_a_web_page_with_one_paragraph_per_line_is_split_at_each_line():
    text = ("About this partnership\n"
            "The Department of Transportation and the Bike Coalition signed this memorandum in 2021 to make streets safer for everyone who walks or rides.\n"
            "The Coalition will run free safety classes in every district and report the number of people trained each year.\n"
            "The Department will fund the classes and provide trainers from its safety office.\n"
            "Either party may end the memorandum at any time with thirty days' notice in writing to the other.\n"
            "Questions about the programme can be sent to the programme office by email.\n"
            "Last updated March 2023\n")
    clauses = split_clauses(text)
    check_offsets(text, clauses)
    assert any(c.text.startswith("The Department will fund") and c.text.endswith("safety office.")
               for c in clauses)
    assert sum(1 for c in clauses if "thirty days" in c.text) == 1
    assert len(clauses) >= 5


def test_pdf_text_wrapped_without_blank_lines_keeps_sentences_whole():
    text = ("MEMORANDUM OF UNDERSTANDING\n"
            "This memorandum is entered into by the State Health Department and the Food Bank of the\n"
            "Valley to describe how they will distribute fresh produce to families in rural counties\n"
            "during the growing season.\n"
            "The Department will provide refrigerated trucks and drivers for weekly deliveries to\n"
            "each county's distribution site, and will keep records of the food delivered.\n"
            "The Food Bank will recruit volunteers at each site and will report monthly to the\n"
            "Department on the number of households served.\n"
            "This memorandum may be amended only in writing signed by both parties and remains in\n"
            "effect for two years from the date of the last signature.\n")
    clauses = split_clauses(text)
    check_offsets(text, clauses)
    assert any("refrigerated trucks" in c.text and "records of the food delivered." in c.text for c in clauses)
    amended = next(c for c in clauses if "amended only" in c.text)
    assert "date of the last signature." in amended.text


def test_a_task_table_under_its_heading_is_one_clause_not_a_string_of_headings():
    text = ("Scope of Work\n\n"
            "The developer will build the dashboard and train the staff.\n\n"
            "Timeline and Key Milestones\n\n"
            "Task\n\nStart by\n\nEnd by\n\n1\n\nKickoff call\n\nMid-Sept\n\n2\n\nFirst demo\n\nLate-Oct\n\n"
            "3\n\nFinal delivery\n\nEarly-Dec\n\n"
            "Costs\n\n"
            "Any additional costs will be covered by the client.\n")
    clauses = split_clauses(text)
    check_offsets(text, clauses)
    table = next(c for c in clauses if "Kickoff call" in c.text)
    assert "Final delivery" in table.text
    assert table.heading == "Timeline and Key Milestones"
    costs = next(c for c in clauses if "additional costs" in c.text)
    assert costs.heading == "Costs"
    assert sentence_spans(table.text) == [(0, len(table.text))]   # its cells are one passage


def test_sentences_of_a_clause_skip_abbreviations_and_join_fragments():
    text = ("Article 5. The Parties agree, e.g. by letter, to meet monthly under 42 U.S.C. 7401. "
            "Each party pays its own costs; neither is liable for the other. "
            "Disputes go to mediation.")
    spans = sentence_spans(text)
    found = [text[s:e] for s, e in spans]
    assert found == ["Article 5. The Parties agree, e.g. by letter, to meet monthly under 42 U.S.C. 7401.",
                     "Each party pays its own costs; neither is liable for the other.",
                     "Disputes go to mediation."]


def test_a_list_after_a_colon_is_split_into_its_items_and_a_short_lead_in_joins_the_first():
    text = ("The Partners will:\n(a) share data on air quality readings;\n"
            "(b) publish a joint report each year; and\n(c) meet every quarter.")
    found = [text[s:e] for s, e in sentence_spans(text)]
    assert found == ["The Partners will:\n(a) share data on air quality readings;",
                     "(b) publish a joint report each year; and", "(c) meet every quarter."]


def test_a_short_numbered_section_with_its_text_below_is_a_clause_not_a_heading():
    text = ("1. Purpose\nThe partners work together on clean air.\n\n"
            "2. Governance\nA steering group of one person per partner meets monthly.\n")
    found = split_clauses(text)
    assert [(c.number, c.heading) for c in found] == [("1", "Purpose"), ("2", "Governance")]
    assert "The partners work together on clean air." in found[0].text
    assert "A steering group of one person per partner meets monthly." in found[1].text
