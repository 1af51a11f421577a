"""Create the first administrator with a random password, printed once.

There is no default password: if an administrator already exists, nothing changes.
"""

import secrets

from django.contrib.auth import get_user_model
from django.core.management import BaseCommand


class Command(BaseCommand):
    help = "Create an administrator with a random password if the site has none."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--email", default="admin@localhost")

    def handle(self, *args, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write("An administrator already exists; no password was changed.")
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(
            username=options["username"], email=options["email"], password=password
        )
        self.stdout.write(
            self.style.SUCCESS(
                "\nCreated administrator\n"
                f"  user name: {options['username']}\n"
                f"  password:  {password}\n"
                "This password is shown only once. Write it down or change it after signing in.\n"
            )
        )
