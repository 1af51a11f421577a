"""What the projector shows of a brainwriting: during a round the newest notes as cards (never
who wrote them) and how many notes each sector has; once there are themes and the writing has
stopped, the theme wall with its votes.

Every query here is counted in the database or capped: a round of 1,000 people writes tens of
thousands of notes, and the board is rendered again about once a second while they arrive.
"""

from django.db.models import Count

from intersector.workshops.activities.brainwriting import services
from intersector.workshops.activities.brainwriting.models import Note, Theme, Vote

# The newest notes sent to the screen; it shows as many as fit and counts the rest as "+N more".
CARDS = 30
# A theme wall this small leaves room for a few of each theme's notes.
SAMPLE_THEMES = 6
SAMPLES = 2


def screen_context(item):
    phase = item.state.get("phase", "writing")
    round_open = bool(item.state.get("round_open"))
    context = {"phase": phase, "round": item.state.get("round", 0), "round_open": round_open}
    if phase in ("voting", "closed") or (not round_open and Theme.objects.filter(item=item).exists()):
        context.update(theme_wall(item, phase), total=Note.objects.filter(item=item).count())
    else:
        by_sector = dict(Note.objects.filter(item=item).order_by().values_list("about").annotate(n=Count("pk")))
        total = sum(by_sector.values())
        context.update(cards=cards(item), more=max(0, total - CARDS), total=total,
                       by_sector=shares([(s, services.sector_label(s), by_sector.get(s, 0)) for s in services.sectors(item)]))
    return context


def shares(rows):
    """(key, label, n) rows with each n's share of the largest, for bars (0-100)."""
    top = max((row[-1] for row in rows), default=0)
    return [(*row, round(100 * row[-1] / top) if top else 0) for row in rows]


def cards(item):
    prompts = services.prompts(item)
    notes = list(Note.objects.filter(item=item).order_by("-pk").values("pk", "text", "about", "prompt")[:CARDS])
    for note in notes:
        note["about_label"] = services.sector_label(note["about"])
        note["prompt_label"] = prompts[note["prompt"]] if note["prompt"] < len(prompts) else ""
    return notes


def theme_wall(item, phase):
    themes = list(Theme.objects.filter(item=item))
    votes = dict(Vote.objects.filter(theme__item=item).order_by().values_list("theme").annotate(n=Count("pk")))
    notes, sectors = {}, {}
    for theme_id, about, n in (Note.objects.filter(theme__in=[theme.pk for theme in themes]).order_by()
                               .values_list("theme", "about").annotate(n=Count("pk"))):
        notes[theme_id] = notes.get(theme_id, 0) + n
        sectors.setdefault(theme_id, set()).add(about)
    if phase == "closed":  # the result: most votes first (while people vote, cards stay put)
        themes.sort(key=lambda theme: -votes.get(theme.pk, 0))
    rows = shares([(theme, votes.get(theme.pk, 0)) for theme in themes])
    wall = [{"theme": theme, "votes": n, "share": share, "notes": notes.get(theme.pk, 0),
             "crosses": len(sectors.get(theme.pk, ())) > 1,
             "samples": samples(theme) if len(themes) <= SAMPLE_THEMES else []}
            for theme, n, share in rows]
    voters = Vote.objects.filter(theme__item=item).values("participant").distinct().count()
    return {"wall": wall, "votes_cast": sum(votes.values()), "voters": voters}


def samples(theme):
    return list(Note.objects.filter(theme=theme).order_by("pk").values_list("text", flat=True)[:SAMPLES])
