"""Starter content: the Partnering Agreement Scorecard from content/agreements/scorecard.yaml, with
its translations from scorecard.<language>.yaml beside it (the same keys; the words only).

Curators change the scorecard by importing an edited YAML file (the staff page
/agreements/scorecard/versions/ or `manage.py load_content` after editing the file). Every
different content becomes a new version; old scores keep the version they used.
"""

from pathlib import Path

import yaml

from intersector.content import register


@register("agreements", order=50)
def load_scorecard(content_dir: Path) -> str:
    from intersector.agreements import services

    path = Path(content_dir) / "agreements" / "scorecard.yaml"
    if not path.exists():
        return "no scorecard file yet (content/agreements/scorecard.yaml)"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    words = translations(path)
    if words:
        data["translations"] = words
    version, created = services.import_scorecard(data, note="Loaded from scorecard.yaml")
    if created:
        return f"scorecard version {version.number} created"
    if getattr(version, "translations_updated", False):
        return f"scorecard version {version.number}: translations updated ({', '.join(sorted(words))})"
    return f"scorecard unchanged (version {version.number})"


def translations(path):
    """{language: words} from the files beside scorecard.yaml named scorecard.<language>.yaml."""
    found = {}
    for other in sorted(path.parent.glob("scorecard.*.yaml")):
        language = other.name.split(".")[1]
        words = yaml.safe_load(other.read_text(encoding="utf-8")) or {}
        words.pop("language", None)
        found[language] = words
    return found
