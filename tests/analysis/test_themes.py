"""Automatic themes gather the same idea across sectors, name it with a phrase from the notes, and
leave nobody out (analysis.make_themes, what the brainwriting kind calls)."""

import re

import numpy as np

import pytest
from sklearn.metrics import adjusted_rand_score

from intersector import analysis
from intersector.analysis.labels import _stop_words

# A "limitations" round of a sector-styles workshop: each note names its sector, and each idea
# (money and staff, slow approvals, fear of blame) recurs for all three sectors.
LIMITS = "What holds this sector back in a partnership?"
BOARD = [
    ("government", "money", "Budget cuts have left city departments understaffed"),
    ("government", "money", "The council has no spare budget for new projects this year"),
    ("business", "money", "Small businesses have no spare staff to send to partnership meetings"),
    ("business", "money", "The company cut its community budget and laid off staff"),
    ("nonprofit", "money", "Non-profits are always short of funding and depend on short-term grants"),
    ("nonprofit", "money", "Charity staff leave because salaries are low and funding is short"),
    ("government", "slow", "Government permits and approvals can take many months"),
    ("government", "slow", "Procurement rules make it slow for the department to hire a partner"),
    ("business", "slow", "Legal review of every contract slows the company down for months"),
    ("business", "slow", "The corporation needs months of approvals from head office"),
    ("nonprofit", "slow", "Grant applications and reporting requirements take the charity weeks"),
    ("nonprofit", "slow", "The charity's board takes months to approve anything new"),
    ("government", "blame", "Officials avoid anything that might end up as a bad headline"),
    ("government", "blame", "Nobody in the agency wants to be blamed if a pilot fails"),
    ("business", "blame", "Companies worry about liability and blame if a joint project goes wrong"),
    ("business", "blame", "The firm fears bad press if a partner causes a scandal"),
    ("nonprofit", "blame", "Charities fear losing donors if a partnership causes bad press"),
    ("nonprofit", "blame", "The foundation worries about blame if a risky pilot fails"),
]
SECTORS = [s for s, _i, _t in BOARD]
IDEAS = [i for _s, i, _t in BOARD]
TEXTS = [t for _s, _i, t in BOARD]
# A second prompt: what each sector brings.
ASSETS = [
    ("government", "Cities own public land and buildings a project could use"),
    ("business", "Companies can invest capital quickly when they see a business case"),
    ("nonprofit", "Community groups are trusted by residents who distrust officials"),
    ("government", "Public budgets and grant programmes can fund a project for years"),
    ("business", "Local businesses hear what customers think every day"),
    ("nonprofit", "Foundations bring grant money and can fund risky pilots"),
]


def words(text):
    return re.findall(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", text.lower())


def appears_in(phrase, text):
    """The phrase's words in this order, side by side, in the text."""
    wanted, found = words(phrase), words(text)
    return any(found[i:i + len(wanted)] == wanted for i in range(len(found) - len(wanted) + 1))


def test_the_same_idea_from_different_sectors_lands_in_one_theme(model):
    themes = analysis.make_themes(TEXTS, prompts=[LIMITS] * len(TEXTS), sectors=SECTORS)
    assert themes.kind == "embeddings"
    assert adjusted_rand_score(IDEAS, themes.labels) >= 0.5
    # Each idea's notes mostly share one theme, and that theme holds all three sectors.
    for idea in ("money", "slow", "blame"):
        picked = [c for c, i in zip(themes.labels, IDEAS) if i == idea]
        main = max(set(picked), key=picked.count)
        assert picked.count(main) >= 3, (idea, themes.labels)
        assert {s for s, c in zip(SECTORS, themes.labels) if c == main} == {"government", "business", "nonprofit"}


def test_without_the_sectors_the_notes_split_by_sector_instead(model):
    """What the sector information is for: the text alone groups these notes worse."""
    vectors, info = analysis.vectorize(TEXTS)
    by_text = analysis.cluster_texts(TEXTS, k=3, vectors=vectors, info=info).labels
    with_sectors = analysis.make_themes(TEXTS, sectors=SECTORS, k=3, vectors=vectors, info=info).labels
    assert adjusted_rand_score(IDEAS, with_sectors) > adjusted_rand_score(IDEAS, by_text) + 0.15


def test_every_note_has_a_theme_and_each_theme_shows_two_of_its_notes(model):
    texts = TEXTS + [t for _s, t in ASSETS]
    prompts = [LIMITS] * len(TEXTS) + ["assets"] * len(ASSETS)
    sectors = SECTORS + [s for s, _t in ASSETS]
    themes = analysis.make_themes(texts, prompts=prompts, sectors=sectors)
    assert len(themes.labels) == len(texts)
    assert sorted(set(themes.labels)) == list(range(themes.k))
    assert themes.sizes == sorted(themes.sizes, reverse=True)
    for c in range(themes.k):
        assert 1 <= len(themes.typical[c]) <= 2
        assert all(themes.labels[i] == c for i in themes.typical[c])
    # Notes answering different prompts never share a theme.
    for c in range(themes.k):
        assert len({p for p, label in zip(prompts, themes.labels) if label == c}) == 1


def test_theme_names_are_short_phrases_taken_from_their_notes(model):
    themes = analysis.make_themes(TEXTS, prompts=[LIMITS] * len(TEXTS), sectors=SECTORS)
    stop = _stop_words()
    assert len(set(themes.names.values())) == themes.k  # no two themes share a name
    for c, name in themes.names.items():
        members = [t for t, label in zip(TEXTS, themes.labels) if label == c]
        assert 2 <= len(name.split()) <= 6, name
        assert any(appears_in(name, t) for t in members), (name, members)
        assert words(name)[0] not in stop and words(name)[-1] not in stop, name
        assert name[0].isupper() and "," not in name, name


def test_a_chosen_number_of_themes_is_shared_among_the_prompts(model):
    texts = TEXTS + [t for _s, t in ASSETS]
    prompts = [LIMITS] * len(TEXTS) + ["assets"] * len(ASSETS)
    sectors = SECTORS + [s for s, _t in ASSETS]
    assert analysis.make_themes(texts, prompts=prompts, sectors=sectors, k=5).k == 5
    # Fewer themes than prompts: grouped across prompts.
    assert analysis.make_themes(texts, prompts=prompts, sectors=sectors, k=1).labels == [0] * len(texts)
    assert analysis.make_themes(TEXTS[:4], k=10).k == 4


def test_the_same_notes_give_the_same_themes(model):
    first = analysis.make_themes(TEXTS, prompts=[LIMITS] * len(TEXTS), sectors=SECTORS)
    assert analysis.make_themes(list(TEXTS), prompts=[LIMITS] * len(TEXTS), sectors=list(SECTORS)) == first


@pytest.mark.parametrize("count", [0, 1, 2])
def test_a_few_notes_make_at_most_one_theme(model, count):
    themes = analysis.make_themes(TEXTS[:count], sectors=SECTORS[:count])
    assert themes.labels == [0] * count
    assert len(themes.names) == (1 if count else 0)


def test_lengths_must_match(model):
    with pytest.raises(ValueError):
        analysis.make_themes(TEXTS, sectors=SECTORS[:3])


def test_without_the_model_themes_still_come_from_shared_words(without_model):
    themes = analysis.make_themes(TEXTS, prompts=[LIMITS] * len(TEXTS), sectors=SECTORS)
    assert themes.kind == "tfidf"
    assert len(themes.labels) == len(TEXTS) and themes.k >= 2
    assert all(2 <= len(name.split()) <= 6 for name in themes.names.values())


def test_a_big_board_gets_no_more_themes_than_a_wall_holds(model):
    from intersector.analysis.themes import MAX_THEMES

    texts = [f"{t} (table {n})" for n in range(8) for t in TEXTS]
    prompts = [f"prompt {n % 4}" for n in range(8) for _t in TEXTS]
    themes = analysis.make_themes(texts, prompts=prompts, sectors=SECTORS * 8)
    assert 2 <= themes.k <= MAX_THEMES and len(themes.labels) == len(texts)


def test_a_name_is_never_cut_on_a_verb_or_before_its_object():
    from intersector.analysis.phrases import name_themes

    texts = ["Local businesses hear what customers think every day",
             "Local businesses hear what residents need from the shops",
             "Council staff will provide detailed data about every neighbourhood",
             "City staff provide detailed data on each street"]
    names = name_themes(texts, [0, 0, 1, 1])
    assert names[0].split()[-1].lower() not in {"hear", "think", "need", "what"}, names
    assert names[1].split()[-1].lower() not in {"provide", "will", "about"}, names
    assert all(2 <= len(name.split()) <= 6 for name in names.values()), names


def test_a_name_is_a_noun_phrase_not_a_clause_or_the_boards_topic():
    """Names seen on real boards and renamed by people: a command ('Use cannabis for pain', 'Fund
    a project'), a contraction ("Shouldn't subsidize journalism"), a predicate ('Journalists
    biased'), or the board's own topic ('End mandatory retirement')."""
    from intersector.analysis.phrases import _acceptable, name_themes

    def ok(phrase):
        return _acceptable([(w.lower(), w) for w in phrase.split()], _stop_words())

    for bad in ("Use cannabis for pain", "Fund a project", "Shouldn't subsidize journalism",
                "Journalists biased", "Subsidizing journalism", "Plan long term", "Teach and the kids",
                "Capital punishment truly dangerous perpetrators", "Death of innocent", "Buses stop",
                "Cannabis increases drug", "Work or stop work", "Funding away", "Workforce with fresh",
                "Trusted by residents"):
        assert not ok(bad), bad
    for good in ("Waste of money", "Lack of funding", "Biased reporting",
                 "Permits and approvals", "Drug use", "Budget cuts", "Support for families", "Bus stop",
                 "Budget cuts for schools", "Jobs and positions"):
        assert ok(good), good
    topic = ["We should end mandatory retirement so people can keep their jobs",
             "Ending mandatory retirement keeps experience in the company",
             "Mandatory retirement is age discrimination against older people",
             "Mandatory retirement treats people by age not by ability",
             "Mandatory retirement makes room for the younger generation of workers",
             "Without mandatory retirement young workers wait longer for a job"]
    names = name_themes(topic, [0, 0, 1, 1, 2, 2])
    assert not any({"mandatory", "retirement"} >= {w.lower() for w in name.split()} - {"end"}
                   for name in names.values()), names


def test_the_real_boards_are_rebuilt_from_the_published_files(tmp_path, monkeypatch):
    """bench/devsets/boards/build_argkp.py: one note per argument matched to exactly one key point,
    its prompt the stance, no sector; arguments matching none or two key points are left out."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "bench" / "devsets" / "boards" / "build_argkp.py"
    spec = importlib.util.spec_from_file_location("build_argkp", path)
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    topic = "We should subsidize journalism"
    arguments = [{"arg_id": a, "argument": text, "topic": topic, "stance": stance} for a, text, stance in (
        ("a1", "Subsidies keep  local news alive", "1"), ("a2", "A free press | needs money", "1"),
        ("a3", "Subsidies buy influence", "-1"), ("a4", "It is just wrong", "-1"),
        ("a5", "Both money and bias", "-1"))]
    key_points = [{"key_point_id": k, "key_point": text, "topic": topic} for k, text in (
        ("k1", "Journalism needs funding"), ("k2", "Subsidies bias the news"), ("k3", "Cost to taxpayers"))]
    labels = [{"arg_id": a, "key_point_id": k, "label": v} for a, k, v in (
        ("a1", "k1", "1"), ("a2", "k1", "1"), ("a3", "k2", "1"), ("a4", "k2", "0"),
        ("a5", "k2", "1"), ("a5", "k3", "1"))]
    lines = build.build_board(arguments, key_points, labels, topic)
    assert lines == ["prompt 1 = For: We should subsidize journalism",
                     "prompt -1 = Against: We should subsidize journalism",
                     "1 |  | Journalism needs funding | Subsidies keep local news alive",
                     "1 |  | Journalism needs funding | A free press / needs money",
                     "-1 |  | Subsidies bias the news | Subsidies buy influence"]
    board = tmp_path / "board.txt"
    board.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(path.parents[2]))
    from bench_themes_quality import read_board

    assert read_board(board)["notes"][2] == ("-1", "", "Subsidies bias the news", "Subsidies buy influence")


def test_a_word_the_notes_use_as_a_verb_is_not_put_in_a_name():
    """'express' is in no list of verbs, but "children can't express themselves" shows it is one
    on this board: 'Children express' is a clause, not a name."""
    from intersector.analysis.phrases import name_themes

    texts = ["With a uniform children can't express themselves",
             "Children express who they are through their clothes",
             "Uniforms mean children express nothing of their personality",
             "School uniforms cost families a lot of money",
             "Uniforms are an expense poor families cannot afford",
             "Parents pay too much money for uniforms"]
    names = name_themes(texts, [0, 0, 0, 1, 1, 1])
    assert "express" not in names[0].lower().split(), names
    assert names[1] == "Money for uniforms", names


def test_a_theme_is_not_named_by_the_words_of_another_themes_name():
    """Seen on a real board: 'Younger generation of workers', then 'Younger generations' for a
    second theme, which a facilitator could not tell apart."""
    from intersector.analysis.phrases import name_themes

    texts = ["Retirement makes room for the younger generation of workers",
             "Openings for the younger generation of workers",
             "The younger generation of workers gets promoted sooner",
             "Younger generations again",
             "Younger generations too",
             "Younger generations, new jobs and positions",
             "Mandatory retirement is age discrimination",
             "Age discrimination against older people is wrong",
             "Judging people by age is unfair"]
    names = name_themes(texts, [0, 0, 0, 1, 1, 1, 2, 2, 2])
    first, second = ({w.lower().rstrip("s") for w in names[c].split()} for c in (0, 1))
    assert not first <= second and not second <= first, names


class WiderEncoder:
    """The packaged model's vectors turned into 768 numbers (an exact rotation, so every cosine
    stays the same): what a base-size model such as all-mpnet-base-v2 gives."""

    dimension = 768

    def __init__(self, encoder):
        self.inner = encoder
        q, _ = np.linalg.qr(np.random.default_rng(0).standard_normal((768, encoder.dimension)))
        self.rotation = np.ascontiguousarray(q.T, dtype=np.float32)  # orthonormal rows

    def encode(self, texts):
        return self.inner.encode(texts) @ self.rotation


def test_a_model_with_768_numbers_a_note_makes_the_same_themes(model, monkeypatch):
    """INTERSECTOR_EMBEDDING_MODEL_DIR may name a wider model: its vectors are used as they are
    (not cut down like a TF-IDF matrix) and the theme names are chosen in the same space."""
    from intersector.analysis import model as analysis_model

    expected = analysis.make_themes(TEXTS, prompts=[LIMITS] * len(TEXTS), sectors=SECTORS)
    monkeypatch.setitem(analysis_model._state, "encoder", WiderEncoder(analysis_model.get_encoder()))
    vectors, info = analysis.vectorize(TEXTS)
    assert vectors.shape == (len(TEXTS), 768)
    themes = analysis.make_themes(TEXTS, prompts=[LIMITS] * len(TEXTS), sectors=SECTORS)
    assert (themes.labels, themes.names) == (expected.labels, expected.names)
    # Stored vectors passed without their ModelInfo are still taken for embeddings.
    assert analysis.cluster_texts(TEXTS, vectors=vectors).kind == "embeddings"


def test_notes_that_repeat_their_prompt_gather_by_their_reason(model):
    """On a stance board half the notes restate the prompt ("We should subsidize journalism
    because..."): their reasons, not how much of the prompt they repeat, make the themes."""
    texts = ["We should subsidize journalism because voters need to be informed about their leaders",
             "People need accurate information to vote well",
             "We should subsidize journalism because citizens must know what politicians do",
             "An informed public keeps elected officials honest",
             "We should subsidize journalism because newspapers are losing money and closing",
             "Local papers go bankrupt as readers stop paying for news",
             "We should subsidize journalism because ad revenue has collapsed for newsrooms",
             "Newsrooms cannot pay reporters since advertisers left"]
    reasons = [0, 0, 0, 0, 1, 1, 1, 1]
    ideas = analysis.idea_texts(texts)
    assert "subsidize" not in ideas[0] and "journalism" not in ideas[0] and "voters" in ideas[0], ideas
    assert ideas[7] == texts[7]  # nothing repeated in it: the note stays whole
    themes = analysis.make_themes(texts, k=2)
    from sklearn.metrics import adjusted_rand_score

    assert adjusted_rand_score(reasons, themes.labels) == 1.0, themes


def test_a_name_is_a_thing_not_an_action_a_verdict_or_praise():
    """Names seen on the tuned boards and renamed by hand: a participle opening a clause
    ('Exploited by adults'), a verb in -ing with its object ('Committing heinous crimes'), a
    describing word with 'in' or 'and' ('Ineffective in deterring', 'Expensive and money'), a
    person ('Compulsory everybody votes'), praise ('Good work', 'Important deterrent') or a command
    ('Vote for a candidate')."""
    from intersector.analysis.phrases import _acceptable, _command

    def ok(phrase):
        span = [(w.lower(), w) for w in phrase.split()]
        return _acceptable(span, _stop_words()) and not _command(span, frozenset())

    for bad in ("Exploited by adults", "Bullied in school", "Committing heinous crimes", "Reporting news",
                "Ineffective in deterring", "Expensive and money", "Compulsory everybody votes", "Good work",
                "Important deterrent", "Vote for a candidate", "Overseen by independent bodies"):
        assert not ok(bad), bad
    for good in ("Bullying in schools", "Funding cuts", "Biased reporting", "Ineffective deterrent",
                 "Vote of confidence", "Social skills", "Waste of money", "Dangerous criminals"):
        assert ok(good), good


def test_a_name_is_not_cut_inside_its_noun_phrase():
    """'Mental problems in teen [users]', 'Use of harder [drugs]': a run of words that stops
    before a word carrying meaning (not a verb) is cut short."""
    from intersector.analysis.phrases import name_themes

    texts = ["Cannabis causes mental problems in teen users",
             "Studies find mental problems in teen users",
             "Mental problems in teen users are on the rise",
             "Alcohol is legal and does more harm",
             "Alcohol and tobacco are legal and worse",
             "Tobacco kills more people than cannabis"]
    names = name_themes(texts, [0, 0, 0, 1, 1, 1])
    assert names[0].endswith("in teen users"), names


def test_a_phrase_as_near_every_theme_does_not_name_one():
    """A phrase whose meaning is as near the other themes' notes as this one's ("Lethal injection"
    on a board about capital punishment) names the board: a phrase that only this theme's notes
    are near wins, even when its words are a little less frequent."""
    import numpy as np

    from intersector.analysis.phrases import name_themes

    texts = ["Lethal injection is against human rights",
             "Lethal injection, human rights: the condemned have them too",
             "Lethal injection is wrong",
             "Crime falls where executions deter murderers",
             "Executions deter murderers in big cities",
             "Murderers fear executions"]
    vectors = np.array([[0.95, 0.31]] * 3 + [[0.95, -0.31]] * 3)

    def embed(phrases):
        # "Lethal injection" lies between both themes; "Human rights" near the first only.
        return np.array([[1.0, 0.0] if "injection" in p.lower() else [0.6, 0.8] if "rights" in p.lower()
                         else [0.95, -0.31] for p in phrases])

    names = name_themes(texts, [0, 0, 0, 1, 1, 1], vectors=vectors, embed=embed)
    assert names[0] == "Human rights", names


def test_a_word_the_notes_use_to_describe_does_not_end_a_name():
    """'inhumane' is in no list, but "it is inhumane" shows it describes on this board: 'Cruel and
    inhumane' is no name for a theme."""
    from intersector.analysis.phrases import name_themes

    texts = ["Executions are cruel and inhumane, a barbaric practice",
             "It is inhumane to kill a prisoner, cruel and inhumane",
             "A barbaric practice: cruel and inhumane",
             "Executions deter murderers in big cities",
             "Crime falls where murderers fear executions",
             "Murderers fear the chair"]
    names = name_themes(texts, [0, 0, 0, 1, 1, 1])
    assert names[0] == "Barbaric practice", names


def test_the_name_marks_of_the_development_boards_are_well_formed(monkeypatch):
    """bench/devsets/boards/name_marks.yaml: a person's keep/rename per automatic theme name,
    counted by bench_themes_quality.py; every mark says which board, name and people's theme."""
    from pathlib import Path

    import yaml

    root = Path(__file__).resolve().parents[2]
    marks = yaml.safe_load((root / "bench" / "devsets" / "boards" / "name_marks.yaml").read_text(encoding="utf-8"))["marks"]
    assert len(marks) >= 150
    for mark in marks:
        assert set(mark) == {"board", "name", "theme", "keep"}, mark
        assert isinstance(mark["keep"], bool) and 2 <= len(mark["name"].split()) <= 6, mark
    assert len({(m["board"], m["name"], m["theme"]) for m in marks}) == len(marks)
    monkeypatch.syspath_prepend(str(root / "bench"))
    from bench_themes_quality import load_name_marks

    assert len(load_name_marks()) == len(marks)
