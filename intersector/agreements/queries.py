"""Read-side helpers: what a partner may see of ratings, the comparison, the history."""

import difflib

from intersector.agreements import scorecard as sc
from intersector.agreements.models import Comment, ElementText, Rating


def with_signoffs(agreement, partners):
    """The partners, each with its sign-off record for the current version as `signoff`."""
    records = {s.partner_id: s for s in agreement.signoffs.filter(
        version=agreement.version, withdrawn_at__isnull=True).select_related("user")}
    for partner in partners:
        partner.agreement = agreement
        partner.signoff = records.get(partner.pk) if partner.has_signed else None
    return partners


def texts_of(agreement):
    return dict(ElementText.objects.filter(agreement=agreement).values_list("element", "text"))


def own_ratings(partner):
    return {r.element: r for r in Rating.objects.filter(partner=partner)}


def visible_ratings(agreement, viewer):
    """{partner: {element: Rating}} for the viewer's own partner and those who published."""
    result = {}
    for partner in agreement.partners.all():
        if partner.pk == viewer.pk or partner.ratings_published:
            result[partner] = {r.element: r for r in partner.ratings.all()}
        else:
            result[partner] = None   # private
    return result


def score_for(agreement, partner):
    ratings = {key: r.rating for key, r in own_ratings(partner).items()}
    card = agreement.scorecard.card
    return sc.score(card, ratings, expected=card.expected(agreement.form)), ratings


def comparison(agreement, viewer):
    """One row per element: each partner's visible rating, agree/differ, nobody addressed."""
    card = agreement.scorecard.card
    visible = visible_ratings(agreement, viewer)
    texts = texts_of(agreement)
    comments = {}
    for comment in Comment.objects.filter(agreement=agreement):
        comments.setdefault(comment.element, []).append(comment)
    expected = card.expected(agreement.form)
    rows = []
    for family in ordered_families(agreement):
        for element in family.elements:
            cells, values = [], []
            for partner, ratings in visible.items():
                if ratings is None:
                    cells.append({"partner": partner, "private": True})
                    continue
                rating = ratings.get(element.key)
                cells.append({"partner": partner, "rating": rating})
                if rating:
                    values.append(rating.rating)
            if not values and not texts.get(element.key):
                status = "nobody"
            elif len(values) >= 2 and len(set(values)) == 1:
                status = "agree"
            elif len(set(values)) > 1:
                status = "differ"
            else:
                status = "open"
            rows.append({"element": element, "family": family, "cells": cells, "status": status,
                         "text": texts.get(element.key, ""), "expected": element.key in expected,
                         "comments": comments.get(element.key, [])})
    return rows, list(visible.keys())


def ordered_families(agreement):
    """The families to address first come first, then the rest in scorecard order."""
    card = agreement.scorecard.card
    focus = agreement.focus_families or []
    first = [card.family_by_key[key] for key in focus if key in card.family_by_key]
    return first + [f for f in card.families if f.key not in focus]


def word_diff(before, after):
    """[(kind, words)] with kind in {"same", "added", "removed"} for the history page."""
    a, b = before.split(), after.split()
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(("same", " ".join(a[i1:i2])))
        if op in ("delete", "replace"):
            parts.append(("removed", " ".join(a[i1:i2])))
        if op in ("insert", "replace"):
            parts.append(("added", " ".join(b[j1:j2])))
    return parts
