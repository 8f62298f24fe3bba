"""Back up the configured database (embedded or not) to one file."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from diplotrack import backups
from statements.models import Official, Source, Statement


class Command(BaseCommand):
    help = "Back up the whole database to a file in pg_dump's custom format (var/backups/ by default)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", type=Path, help="Where to write the backup.")

    def handle(self, *args, path=None, **options):
        path = path or settings.BASE_DIR / "var" / "backups" / f"diplotrack-{timezone.now():%Y%m%d-%H%M%S}.dump"
        try:
            backups.dump(path)
        except (backups.BackupError, OSError) as error:
            raise CommandError(f"{path}: {error}") from error
        counts = ", ".join(
            f"{model.objects.count():,} {model._meta.verbose_name_plural}" for model in (Statement, Official, Source)
        )
        self.stdout.write(f"Backed up {counts} to {path} ({path.stat().st_size / 1e6:.1f} MB).")
