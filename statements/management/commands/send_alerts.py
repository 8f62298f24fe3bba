"""Send the alerts' digests of one frequency: run it daily (--frequency daily) and weekly (--frequency weekly)."""

from django.core.management.base import BaseCommand

from statements.alerts import send_digests
from statements.models import Alert


class Command(BaseCommand):
    help = "Email each confirmed alert of this frequency the statements published since its last digest."

    def add_arguments(self, parser):
        parser.add_argument("--frequency", required=True, choices=Alert.Frequency.values)

    def handle(self, *args, frequency, **options):
        sent = send_digests(frequency)
        self.stdout.write(
            f"{frequency} alerts: {sent.alerts} considered, {sent.queries} distinct queries, {sent.emails} emails."
        )
