"""Check a case pack file before a workshop, from a terminal:

    python -m intersector.casepacks check my-pack.yaml        # OK and a summary, or every problem
    python -m intersector.casepacks tensions my-pack.yaml 7   # who pulls against whom at 7 a table
    python -m intersector.casepacks export my-pack.yaml       # the pack rewritten in the standard layout

Runs without a site or database; the scorecard's elements come from content/.
"""

import argparse
import os
import sys


def _settings():
    from django.conf import settings

    if not settings.configured and not os.environ.get("DJANGO_SETTINGS_MODULE"):
        settings.configure(USE_I18N=False)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m intersector.casepacks",
                                     description="Check, explain or rewrite a case pack file.")
    parser.add_argument("action", choices=["check", "tensions", "export"])
    parser.add_argument("file")
    parser.add_argument("table_size", nargs="?", type=int, default=None,
                        help="for tensions: only the roles a table of this size plays")
    args = parser.parse_args(argv)
    _settings()
    from intersector import casepacks

    try:
        pack = casepacks.load_file(args.file)
    except casepacks.CasePackError as error:
        print("\n".join(error.problems), file=sys.stderr)
        return 1
    except OSError as error:
        print(f"Cannot read {args.file}: {error.strerror}", file=sys.stderr)
        return 2
    if args.action == "export":
        sys.stdout.write(casepacks.export(pack))
    elif args.action == "check":
        sectors = ", ".join(f"{s} {sum(r.sector == s for r in pack.roles)}"
                            for s in casepacks.SECTORS)
        print(f"OK: {pack.title} (version {pack.version}, {pack.language}): {len(pack.roles)} "
              f"roles ({sectors}), {len(pack.interest_groups)} interest groups, "
              f"{pack.minutes} minutes, {len(casepacks.tensions(pack))} tensions.")
    else:
        order = casepacks.play_order(pack.roles)
        cast = order[:args.table_size] if args.table_size else order
        print("Roles in play: " + ", ".join(cast))
        for pull in casepacks.tensions(pack, cast):
            refused = "; ".join(f'"{text}"' for text in pull.refuses_texts)
            print(f'{pull.element}: {pull.wants} wants "{pull.wants_text}"; '
                  f"{pull.refuses} refuses {refused}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
