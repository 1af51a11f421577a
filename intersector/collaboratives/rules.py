"""Decision rules read from a charter's answer to the scorecard's "Collective decision-making"
question (an Agree agreement's element text), e.g. "The Steering Committee decides by consensus;
if none is reached after two meetings, a two-thirds majority of members present decides. A quorum
is half of the partners."

`read_rules(text)` is a pure function (no database): the default kind of decision, the quorum and
the threshold it finds, and the sentences it read them from. What it cannot find keeps the
defaults, and it says which it found, so the form can tell the convenor where each came from.
English and Spanish, since charters are written in both.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import pgettext

AT_LEAST, MORE_THAN = "at-least", "more-than"  # Decision.ThresholdRule's values
DEFAULT_KIND, DEFAULT_QUORUM = "consent", 50
# A share of the counted votes is a fraction, `threshold` out of `threshold_of` (100, or 3 for
# thirds), with a rule: "at least" or "more than" it. Integers compared by cross-multiplying, so
# it is exact for any number of voters: "a majority" is more than 50/100 (2 of 4 is not, 3 of 4
# is), "two-thirds" at least 2/3 (2 of 3 is, 66 of 100 is not); a percentage like 66 % could not
# say two-thirds for both 3 and 100 voters. The usual default is a majority.
DEFAULT_THRESHOLD, DEFAULT_THRESHOLD_OF, DEFAULT_THRESHOLD_RULE = 50, 100, MORE_THAN
THIRDS = 3
SHARES = [  # (words, (threshold, out of, rule))
    (r"unanim\w*|all (?:the )?partners|todos los socios", (100, 100, AT_LEAST)),
    (r"three[- ]quarters|three[- ]fourths|tres cuartos|tres cuartas partes", (75, 100, AT_LEAST)),
    (r"two[- ]thirds|dos tercios", (2, THIRDS, AT_LEAST)),
    (r"(?:simple |absolute )?majority|mayor[ií]a(?: simple| absoluta)?|more than half|m[aá]s de la mitad",
     (50, 100, MORE_THAN)),
    (r"one[- ]third|a third|un tercio", (1, THIRDS, AT_LEAST)),
    (r"half|la mitad", (50, 100, AT_LEAST)),
]
# "more than 60 %", "over 60 %", "más del 60 %": the percentage itself is not enough.
MORE_THAN_WORDS = r"(?:more than|over|above|exceeding|m[aá]s del?|superior al?)\s+"
PERCENT = r"(\d{1,3})\s*(?:%|per ?cent|por ciento)"
CONSENT_WORDS = r"consensus|consent|no (?:partner )?objects?|without objection|consenso|consentimiento|sin objeci"
VOTE_WORDS = r"vot(?:e|es|ing|ación|acion|o)|majority|mayor[ií]a|ballot"
QUORUM_WORDS = r"quorum|qu[oó]rum|at least .{0,40}(?:partners|members) (?:must )?(?:be present|take part|attend)"


@dataclass
class Rules:
    kind: str = DEFAULT_KIND
    quorum: int = DEFAULT_QUORUM
    threshold: int = DEFAULT_THRESHOLD
    threshold_of: int = DEFAULT_THRESHOLD_OF
    threshold_rule: str = DEFAULT_THRESHOLD_RULE
    found: set = field(default_factory=set)  # of "kind", "quorum", "threshold"
    quote: str = ""  # the sentences the found rules were read from


def _sentences(text):
    return [s.strip() for s in re.split(r"(?<=[.;!?])\s+|\n+", text or "") if s.strip()]


def _share(sentence):
    """The share a sentence names, (threshold, out of, rule): a percentage, or words such as
    "two-thirds"; else None."""
    match = re.search(r"(" + MORE_THAN_WORDS + r")?" + PERCENT, sentence, re.I)
    if match and 0 <= int(match.group(2)) <= 100:
        return int(match.group(2)), 100, MORE_THAN if match.group(1) else AT_LEAST
    for pattern, share in SHARES:
        if re.search(r"\b(?:" + pattern + r")", sentence, re.I):
            return share
    return None


def percent(share):
    """A share as the whole percentage a quorum is kept in (as before: two-thirds 66, a majority 51)."""
    threshold, out_of, rule = share
    return threshold + 1 if rule == MORE_THAN else threshold * 100 // out_of


def share_words(threshold, out_of=100, rule=AT_LEAST):
    """The share in plain words: "more than half", "at least two-thirds", "at least 60%" (read
    before "of the votes")."""
    more = rule == MORE_THAN
    if out_of == THIRDS and threshold in (1, 2):
        if threshold == 1:
            return (pgettext("share of the votes", "more than one-third") if more
                    else pgettext("share of the votes", "at least one-third"))
        return (pgettext("share of the votes", "more than two-thirds") if more
                else pgettext("share of the votes", "at least two-thirds"))
    threshold = threshold * 100 // out_of  # 0 or 3 thirds: 0% or 100%
    if threshold == 50:
        return pgettext("share of the votes", "more than half") if more else pgettext("share of the votes",
                                                                                      "at least half")
    if threshold == 100 and not more:
        return pgettext("share of the votes", "all")
    words = (pgettext("share of the votes", "more than %(n)s%%") if more
             else pgettext("share of the votes", "at least %(n)s%%"))
    return words % {"n": threshold}


def votes_needed(threshold, out_of, rule, counted):
    """The fewest of `counted` votes an option needs to reach the share (may exceed `counted`)."""
    if rule == MORE_THAN:
        return threshold * counted // out_of + 1
    return -(-threshold * counted // out_of)  # rounded up


def read_rules(text):
    """The decision rules a charter's decision-making text states (see the module's docstring)."""
    rules, quoted = Rules(), []
    consent_at = vote_at = None
    for n, sentence in enumerate(_sentences(text)):
        if re.search(QUORUM_WORDS, sentence, re.I):
            share = _share(sentence)
            if share is not None and "quorum" not in rules.found:
                rules.quorum = min(100, percent(share))
                rules.found.add("quorum")
                quoted.append(sentence)
            continue
        if consent_at is None and re.search(CONSENT_WORDS, sentence, re.I):
            consent_at = n
            quoted.append(sentence)
        if re.search(VOTE_WORDS, sentence, re.I) or re.search(PERCENT, sentence, re.I):
            share = _share(sentence)
            if share is not None and share[0] < share[1] and "threshold" not in rules.found:
                rules.threshold, rules.threshold_of, rules.threshold_rule = share
                rules.found.add("threshold")
                vote_at = n if vote_at is None else vote_at
                if sentence not in quoted:
                    quoted.append(sentence)
            elif vote_at is None and re.search(VOTE_WORDS, sentence, re.I):
                vote_at = n
                if sentence not in quoted:
                    quoted.append(sentence)
        if re.search(r"\bunanim|unanimidad", sentence, re.I) and consent_at is None:
            consent_at = n  # unanimity: everyone agrees, which is consent with nobody objecting
            if sentence not in quoted:
                quoted.append(sentence)
    # The first rule named is the usual one; a majority named after consensus is its fallback
    # (the threshold kept for votes between options).
    if consent_at is not None and (vote_at is None or consent_at <= vote_at):
        rules.kind = "consent"
        rules.found.add("kind")
    elif vote_at is not None:
        rules.kind = "vote"
        rules.found.add("kind")
    rules.quote = " ".join(quoted)
    return rules
