"""Import or export one case pack file from a terminal:

    manage.py casepack import my-pack.yaml [--replace]
    manage.py casepack export sacramento --language es > sacramento.es.yaml
"""

import sys

from django.core.management import BaseCommand, CommandError

from intersector.casepacks import library, packs, services
from intersector.refusals import Refused


class Command(BaseCommand):
    help = "Import a case pack file into the database, or export a stored pack as a file."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        load = actions.add_parser("import", help="check a pack file and store it")
        load.add_argument("file")
        load.add_argument("--replace", action="store_true",
                          help="replace the stored pack of the same key and language")
        out = actions.add_parser("export", help="write a stored pack in the file format")
        out.add_argument("key")
        out.add_argument("--language", default=None)

    def handle(self, *args, **options):
        try:
            if options["action"] == "import":
                try:
                    pack = packs.load_file(options["file"])
                except OSError as error:
                    raise CommandError(f"Cannot read {options['file']}: {error.strerror}") from None
                stored, outcome = services.store(pack, replace=options["replace"])
                self.stdout.write(f"{stored.key} ({stored.language}): {outcome}, "
                                  f"version {stored.version}")
            else:
                pack = library.get_pack(options["key"], options["language"])
                sys.stdout.write(packs.export(pack))
        except packs.CasePackError as error:
            raise CommandError("\n".join(error.problems)) from None
        except Refused as error:
            raise CommandError(error.message) from None
