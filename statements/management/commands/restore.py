"""Restore a backup made by `manage.py backup`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from diplotrack import backups


class Command(BaseCommand):
    help = "Restore a backup: into a new database (--into NAME), or over the configured one (asks first)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--into", metavar="NAME", help="Create this database on the same server and restore there."
        )
        parser.add_argument("--yes", action="store_true", help="Replace the configured database without asking.")

    def handle(self, *args, path, into=None, yes=False, **options):
        if not path.is_file():
            raise CommandError(f"{path}: no such backup file.")
        if not into and not yes:
            answer = input("This replaces everything in the configured database with the backup. Type 'yes': ")
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing restored.")
        try:
            if into:
                backups.restore_into_new_database(path, into)
            else:
                backups.restore(path)
        except (backups.BackupError, OSError) as error:
            raise CommandError(f"{path}: {error}") from error
        self.stdout.write(f"Restored {path} into {into or 'the configured database'}.")
