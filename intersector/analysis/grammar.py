"""Whether a run of words reads as a theme's name: a noun phrase, not a clause, a command or a
fragment ("Budget cuts", "Lack of funding"; not "Buses stop running", "Use cannabis for pain",
"Exploited by adults", "Help with medical"). Used by phrases.py.
"""

from __future__ import annotations

import re

MIN_WORDS, MAX_WORDS = 2, 6
LINKING = frozenset("of and for in on with the a an at from by or about across between per".split())
MAX_LINKING = 2
# Words that turn a phrase into a clause or a command: never inside or at either end of a name.
# Verbs rarely used as nouns, with their -s, -ed and -ing forms ("cost", "report" or "fund" are
# left out on purpose: "budget cuts" and "detailed reports" are good names).
_VERB_LEMMAS = """be am is are was were been being can cannot could will would should shall must may might
    do does did done has have had having get got gotten let put keep kept make made take took taken
    give gave given want need know knew known use go went gone come came see saw seen seem feel felt
    try say said ask show shown start stop pay paid run ran sit sat spend spent provide require
    expect prevent create encourage allow avoid save achieve promote stifle intrude eliminate
    announce mention check build built join follow care pass operate deliver rely send sent grow
    grew grown polish approve discriminate slow eat ate eaten lose lost leave left bring brought
    become became think thought tell told find found mean meant believe hold held happen help
    include continue learn change lead led understand reach allow add stay fall fell cut cuts
    offer remember consider appear buy bought wait serve die send expect suggest raise pass sell
    sold decide return explain hope develop carry break broke receive agree support hit produce
    cover catch caught draw drew choose chose chosen cause point listen enable ensure improve
    increase reduce protect harm force forced insist sort matter act rise rose hire stuck spread
    affect attract afford argue benefit compete contribute depend destroy distract earn enforce
    face fail fix gain hate ignore involve kill limit lack miss motivate prefer pressure prove
    push reflect refuse remain remove replace restrict risk suffer threaten violate waste worry
    decrease undermine stunt pigeonhole discourage lowers open alleviate retire drain separate
    manipulate regulate vaccinate abolish ban abandon legalise deter represent""".split()


def _forms(lemma):
    forms = {lemma}
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    forms |= {lemma + "s", lemma + "es", stem + "ed", lemma + "d", stem + "ing"}
    if lemma.endswith("y") and len(lemma) > 3:
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    return forms


# A few of these forms are good nouns or adjectives in a theme name: keep them usable.
_NOT_VERBS = {"building", "meeting", "funding", "spending", "limited", "ruling", "change", "changes",
              "support", "help", "risk", "risks", "harm", "waste", "lack", "point", "points", "cover",
              "choice", "care", "hope", "pressure", "benefit", "benefits", "returns", "return",
              "offer", "offers", "pay", "cut", "cuts", "rise", "sort", "act", "force", "need", "needs",
              "matter", "show", "shows", "draw", "hit", "hits", "break", "breaks", "gains", "gain",
              "fix", "limit", "limits", "increase", "increases", "reduce", "stuck", "worry", "worries",
              "lead", "left", "fall", "run", "start", "stop", "use", "hire", "waiting", "savings", "open",
              "opening", "ban", "bans", "drain"}
VERBS = frozenset(f for lemma in _VERB_LEMMAS for f in _forms(lemma)) - _NOT_VERBS
# Verbs made from nouns and adjectives ("subsidize", "legalising"): never in a name.
_IZE = re.compile(r"^\w{3,}(?:ize|ise|izes|ises|ized|ised|izing|ising)$")
_NOT_IZE = frozenset("""expertise exercise exercises enterprise enterprises franchise franchises merchandise otherwise
    premise premises promise promises compromise compromises paradise advertise""".split())
# Words after which the name's next word is the object of a verb ("Fund a project", "Use a gateway
# drug"): a name's second word is never one of these.
DETERMINERS = frozenset("a an the their its our his her your my this these those".split())
# A name ends on a noun: a last word in -ed is a verb or a predicate ("Journalists biased").
_NOUNS_IN_ED = frozenset("""need needs speed greed seed feed breed creed hundred shed bed red bred""".split())
# Nouns that are verbs too: at the start of a name, without a linking word after them, they
# read as a command ("Use cannabis for pain", "Plan long term", "Increases drug").
_AMBIGUOUS = frozenset(w for w in _NOT_VERBS if not w.endswith("ing")) | frozenset(
    "plan plans fund funds report reports work works cost costs end ends demand demands vote votes".split())
_LY_NOUNS = frozenset("family supply assembly anomaly monopoly rally ally bully italy july".split())
# The word after one of these in a note is a verb.
MODALS = frozenset("""can cannot could will would should must might can't couldn't won't wouldn't shouldn't
    mustn't don't doesn't didn't""".split())
# Contractions are clauses ("Shouldn't subsidize journalism").
_CONTRACTION = re.compile(r"(?:n't|'re|'ll|'ve|'d|'m)$")
# Words that may not open a name.
NOT_FIRST = frozenset("""able unable sure certain likely unlikely much more most less least very own other
    such same really also even still just only ever never always often already quite rather else
    enough away instead""".split()) | frozenset(
    # Praise or blame says nothing of what a theme is about: "Good work", "Important deterrent",
    # "Bad behavior", "Real world" (the noun after it may still name the theme).
    "good bad best worst better great important real nice excellent huge main decent".split())
# Describing words that may not close a name ("Jobs for young", "Democracy and free").
NOT_LAST = frozenset("""important young younger old older new free blatant good bad big small high low long
    short local public social political private real true false different equal open clear fair
    safe early late full main major whole better best worse worst higher lower total totally
    mandatory necessary possible impossible responsible available willing afraid aware unable
    able likely sure certain various several many few innocent guilty poor rich away back out up down
    off over together apart forward ahead anyway fresh fresher longer healthy healthier overall random
    instead past again anymore
    harder easier worse""".split())

def _command(span, openers) -> bool:
    """A name opening on a verb of this board, with its object or "for a...": "Quit working",
    "Vote for a candidate" (but "Vote of confidence")."""
    words = [w for w, _s in span]
    if words[0] not in openers and words[0] not in _AMBIGUOUS:
        return False
    if words[0] in openers and words[1] not in LINKING:
        return True
    return words[1] != "of" and len(words) > 2 and words[2] in DETERMINERS


def _cut_inside(following, stop, clause_words) -> bool:
    """Whether a name that stops before the word ``following`` in its note is cut short."""
    if following in stop or following in VERBS or following in _AMBIGUOUS or _CONTRACTION.search(following):
        return False
    if not _letters(following) or (following.endswith("ly") and len(following) > 4):
        return False
    forms = {following}
    if following.endswith("s"):
        forms |= {following[:-1], following[:-2] if following.endswith("es") else following}
    if following.endswith("ed"):
        forms |= {following[:-1], following[:-2]}
    return not forms & clause_words


def _acceptable(span, stop, verbs=frozenset()) -> bool:
    """``verbs``: words used as verbs on this board (see _board_verbs), beside VERBS."""
    words = [w for w, _s in span]
    first, last = words[0], words[-1]
    if first in stop or first in VERBS or first in NOT_FIRST:
        return False
    if last in stop or last in VERBS or last in NOT_LAST or _describing(last, nouns=False):
        return False
    if not _letters(first) or not _letters(last):
        return False
    if any(w in VERBS or w in verbs for w in words) or any(w.endswith("ly") and len(w) > 4 and w not in _LY_NOUNS for w in words):
        return False
    if any(_CONTRACTION.search(w) for w in words) or words[1] in DETERMINERS:
        return False
    # A word that is a noun or a verb ("use", "cut", "plan") opening a name is a verb unless a
    # linking word follows it: "Lack of funding", "Waste of money", not "Use cannabis for pain".
    if first in _AMBIGUOUS and words[1] not in LINKING:
        return False
    # ... and one right after a plural is a clause: "Buses stop running", "Prices rise" (not "Budget cuts").
    if any(b in _AMBIGUOUS and not b.endswith("s") and _plural(a) and a not in stop for a, b in zip(words, words[1:])):
        return False
    # A verb in -s inside a name is a clause: "Cannabis increases drug" (not "Budget cuts for schools").
    if any(_AMBIGUOUS_S(b) and c not in LINKING for b, c in zip(words[1:-1], words[2:])):
        return False
    # ... and so is one of these after "and" or "or": "Work or stop work".
    if any(a in ("and", "or") and b in _VERB_AFTER_AND and c not in LINKING for a, b, c in zip(words, words[1:], words[2:])):
        return False
    # "Educated and schools", "Teach and the kids": two unlike things joined.
    if any(a in ("and", "or") and b in DETERMINERS for a, b in zip(words, words[1:])):
        return False
    # A participle before "by", "in", "and"... opens a clause, not a name: "Exploited by adults",
    # "Bullied in school" (but "Biased reporting", "Limited funding").
    if first.endswith("ed") and first not in _NOUNS_IN_ED and (words[1] in LINKING or words[1] == "or"):
        return False
    if first.endswith(("en", "wn")) and words[1] == "by":  # "Overseen by independent bodies"
        return False
    # So does a describing word before one: "Ineffective in deterring", "Essential for democracy".
    if _describing(first) and words[1] in LINKING:
        return False
    # A verb in -ing with its object is an action, not a name: "Committing heinous crimes",
    # "Reporting news" (but "Funding cuts", "Bullying in schools").
    if first.endswith("ing") and len(first) > 5 and first not in _ING_NOUNS and words[1] not in LINKING | {"or"}:
        return False
    # A describing word joined to a thing: "Expensive and money", "Safe and schools".
    if words[1] in ("and", "or") and _describing(first) and not _describing(words[2]):
        return False
    if any(w in PRONOUNS for w in words):
        return False
    if any(_IZE.match(w) and w not in _NOT_IZE for w in words):
        return False
    if last.endswith("ed") and len(last) > 3 and last not in _NOUNS_IN_ED:
        return False
    # A plural then a verb in -ing is a clause cut short: "Younger generations looking [for jobs]",
    # "People driving" (but "Funding", "Bullying in schools").
    if last.endswith("ing") and len(last) > 5 and last not in _ING_NOUNS and _plural(words[-2]):
        return False
    if any(_abbreviation(s) for _w, s in span) or any(not w.replace("-", "").replace("'", "").isalpha()
                                                       for w in words):
        return False
    inside = [w for w in words[1:-1] if w in stop]
    return len(inside) <= MAX_LINKING and all(w in LINKING for w in inside)


# Nouns in -ing that may open a name before another noun ("Funding cuts", "Housing costs").
_ING_NOUNS = frozenset("""building meeting meetings funding housing training learning planning parking teaching
    schooling bullying polling voting shooting shootings marketing networking clothing wellbeing timing
    testing screening lending banking shopping morning evening ceiling writing reading
    homeschooling drinking smoking""".split())
# Words standing for a person, never part of a theme's name ("Compulsory everybody votes").
PRONOUNS = frozenset("everybody somebody anybody i me you he she we they them us him".split())
# Nouns that end like describing words.
_NOUNS_LIKE_ADJECTIVES = frozenset("""alternative alternatives initiative initiatives incentive incentives objective
    objectives perspective perspectives representative representatives executive executives detective motive
    motives relative relatives native natives directive narrative narratives collective archive drive
    cable table tables vegetable vegetables""".split())


def _describing(word, nouns=True) -> bool:
    """A describing word by its ending ("dangerous", "useful", "effective", "affordable") or in
    NOT_LAST; ``nouns=False`` checks the ending only."""
    if word in _NOUNS_LIKE_ADJECTIVES or len(word) <= 5:
        return nouns and word in NOT_LAST
    return word.endswith(("ous", "ful", "less", "ive", "able", "ible")) or (nouns and word in NOT_LAST)


# Words that are verbs right after "and" / "or" when a noun follows them ("stop work", "use drugs").
_VERB_AFTER_AND = frozenset("stop start use run help fix hire leave open".split())


def _AMBIGUOUS_S(word) -> bool:
    return word.endswith("s") and (word in _AMBIGUOUS or word in VERBS) and not word.endswith("ss")


def _plural(word) -> bool:
    return word.endswith("s") and not word.endswith(("ss", "us", "is"))


def _letters(word) -> bool:
    return word.replace("-", "").replace("'", "").isalpha()


def _abbreviation(word) -> bool:
    letters = word.replace("-", "")
    return (letters.isupper() and 1 < len(letters) <= 5) or "." in word
