"""Rebuild the real development boards from IBM Debater(R) ArgKP-2021 (outside git).

    .venv/bin/python bench/devsets/boards/build_argkp.py SOURCE [--out /work/devsets/boards]

SOURCE is either a checkout (or bare git directory) of github.com/IBM/KPA_2021_shared_task, read
at the commit in MANIFEST (the files are read with `git show`, so the fetched snapshot needs no
work tree), or a folder holding its CSV files. The boards are data we may not commit (the fetch
rules keep fetched files out of developers' commits): they are written to --out, default
$INTERSECTOR_THEMES_BOARDS or /work/devsets/boards, which bench_themes_quality.py reads. Run it
again whenever that folder is lost; the output is the same byte for byte (a test checks the
recipe on a small sample).

How a board is made from one topic: each argument is a note; its prompt is the stance it takes
(the key points are written per stance, so a theme never mixes stances); no sector is known; its
people's theme is the one key point the annotators matched it to. Arguments that match no key
point, or more than one, are left out (no single human theme). Notes keep the file's order.
"""

import argparse
import csv
import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path

# Which topics become boards, and whether the themes pipeline may be tuned on them. Held-out
# boards are never looked at while tuning: their figures are the honest ones.
MANIFEST = {
    "source": "https://github.com/IBM/KPA_2021_shared_task",
    "commit": "2f5e2d5ad5a387fe731da2f00b423ce1d845c5d2",
    "licence": "CDLA-Sharing-1.0, (c) Copyright IBM 2020-2021 (kpm_data/readme.txt)",
    "cite": "Bar-Haim et al., ACL 2020; Friedman et al., ArgMining 2021",
    "boards": [
        # name, split, topic, tuned on
        ("argkp_journalism", "train", "We should subsidize journalism", True),
        ("argkp_retirement", "train", "We should end mandatory retirement", True),
        ("argkp_school_uniform", "dev", "We should abandon the use of school uniform", False),
        ("argkp_vaccination", "test", "Routine child vaccinations should be mandatory", False),
        ("argkp_social_media", "test", "Social media platforms should be regulated by the government", False),
        ("argkp_bear_arms", "dev", "We should abolish the right to keep and bear arms", False),
        ("argkp_usa", "test", "The USA is a good country to live in", False),
        # More tuning boards (second session), from the train split only.
        ("argkp_cannabis", "train", "We should legalize cannabis", True),
        ("argkp_space", "train", "We should subsidize space exploration", True),
        ("argkp_child_actors", "train", "We should ban the use of child actors", True),
        ("argkp_homeschooling", "train", "Homeschooling should be banned", True),
        ("argkp_compulsory_voting", "train", "We should introduce compulsory voting", True),
        ("argkp_capital_punishment", "train", "We should abolish capital punishment", True),
        # Fresh tuning boards (third session, 2026-12-03), train split only, added after the
        # held-out names had been read once: rules found there are checked here first.
        ("argkp_vocational", "train", "We should subsidize vocational education", True),
        ("argkp_urbanization", "train", "We should fight urbanization", True),
        ("argkp_marriage", "train", "We should abandon marriage", True),
    ],
}
FOLDER = {"train": "kpm_data", "dev": "kpm_data", "test": "test_data"}
STANCE = {"1": "For: {topic}", "-1": "Against: {topic}"}


def read_csv(source, split, what):
    relative = f"{FOLDER[split]}/{what}_{split}.csv"
    source = Path(source)
    if (source / relative).is_file():
        text = (source / relative).read_text(encoding="utf-8")
    elif (source / f"{what}_{split}.csv").is_file():
        text = (source / f"{what}_{split}.csv").read_text(encoding="utf-8")
    else:
        text = subprocess.run(["git", f"--git-dir={_git_dir(source)}", "show", f"{MANIFEST['commit']}:{relative}"],
                              check=True, capture_output=True, text=True).stdout
    return list(csv.DictReader(io.StringIO(text)))


def _git_dir(source):
    return source / ".git" if (source / ".git").exists() else source


def build_board(arguments, key_points, labels, topic):
    """Lines of one board (the format of bench/devsets/boards/README.md)."""
    kp_text = {k["key_point_id"]: k["key_point"].strip() for k in key_points if k["topic"] == topic}
    matches = {}
    for row in labels:
        if row["label"] == "1" and row["key_point_id"] in kp_text:
            matches.setdefault(row["arg_id"], []).append(row["key_point_id"])
    lines = [f"prompt {p} = {STANCE[p].format(topic=topic)}" for p in ("1", "-1")]
    for arg in arguments:
        if arg["topic"] != topic or len(matches.get(arg["arg_id"], [])) != 1:
            continue
        note = " ".join(arg["argument"].split()).replace("|", "/")
        theme = kp_text[matches[arg["arg_id"]][0]].replace("|", "/")
        lines.append(f"{arg['stance']} |  | {theme} | {note}")
    return lines


def header(name, split, topic, tuned):
    return [
        f"# Board {name}: ArgKP-2021 topic '{topic}' ({split} split), built by build_argkp.py.",
        f"# Source: {MANIFEST['source']} at {MANIFEST['commit']}. Licence: {MANIFEST['licence']}.",
        f"# {'Tuned on' if tuned else 'HELD OUT: never look at it while tuning'}. Prompt = stance; no sector;"
        " theme = the one key point matched.",
        "# Format: prompt | sector | human theme | note",
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("source", help="KPA_2021_shared_task checkout, bare git dir, or folder of its CSVs")
    parser.add_argument("--out", default=os.environ.get("INTERSECTOR_THEMES_BOARDS") or "/work/devsets/boards")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    cache = {}
    readme = ["# Real development boards (outside git), rebuilt by bench/devsets/boards/build_argkp.py", ""]
    for name, split, topic, tuned in MANIFEST["boards"]:
        if split not in cache:
            cache[split] = [read_csv(args.source, split, w) for w in ("arguments", "key_points", "labels")]
        lines = header(name, split, topic, tuned) + build_board(*cache[split], topic)
        text = "\n".join(lines) + "\n"
        (out / f"{name}.txt").write_text(text, encoding="utf-8")
        notes = sum(1 for line in lines if not line.startswith(("#", "prompt ")))
        themes = len({line.split("|")[2].strip() + line.split("|")[0] for line in lines
                      if not line.startswith(("#", "prompt "))})
        digest = hashlib.sha256(text.encode()).hexdigest()[:16]
        readme.append(f"- {name}.txt: {notes} notes, {themes} themes, {'tuned on' if tuned else 'HELD OUT'}, "
                      f"sha256 {digest}...")
        print(readme[-1])
    readme += ["", f"Source: {MANIFEST['source']} at {MANIFEST['commit']}", f"Licence: {MANIFEST['licence']}",
               f"Cite: {MANIFEST['cite']}"]
    (out / "README.md").write_text("\n".join(readme) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
