"""Starter content: the case packs in content/simulations/*.yaml, loaded into the database once.

A file loaded before is never loaded again (LoadedStarter remembers it), so a pack staff have
edited keeps their edits and a pack they deleted stays deleted; a pack staff imported with the
same key and language is left as it is.
"""

from pathlib import Path

from intersector.content import register


@register("casepacks", order=60)
def load_starter_packs(content_dir: Path) -> str:
    from intersector.casepacks import packs, services
    from intersector.casepacks.models import LoadedStarter, StoredPack

    created, kept = [], 0
    for path in sorted((Path(content_dir) / "simulations").glob("*.yaml")):
        pack = packs.load_file(path)
        _record, first_time = LoadedStarter.objects.get_or_create(key=pack.key,
                                                                  language=pack.language)
        if not first_time or StoredPack.objects.filter(key=pack.key,
                                                       language=pack.language).exists():
            kept += 1
            continue
        services.store(pack, starter=True)
        created.append(f"{pack.key} ({pack.language})")
    made = ", ".join(created) or "nothing new"
    return f"case packs created: {made}; {kept} already loaded before (left as they are)"
