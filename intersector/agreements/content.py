"""Starter content: the Partnering Agreement Scorecard from content/agreements/scorecard.yaml.

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
    version, created = services.import_scorecard(data, note="Loaded from scorecard.yaml")
    if created:
        return f"scorecard version {version.number} created"
    return f"scorecard unchanged (version {version.number})"
