"""Create a curator: a staff user in the Curators group, with a password checked by the validators."""

import getpass

from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create a curator account (or add an existing user to the Curators group)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")

    def handle(self, *args, username, email, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, email=email)
            password = getpass.getpass(f"Password for {username}: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords differ; nothing was created.")
            try:
                validate_password(password, user)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
            user.set_password(password)
        user.is_staff = True
        user.save()
        user.groups.add(Group.objects.get(name="Curators"))
        self.stdout.write(f"{username} is a curator: log in at /admin/.")
