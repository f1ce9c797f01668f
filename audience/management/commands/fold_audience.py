"""`manage.py fold_audience`: fold everything the beacon buffered, once, now."""

from django.core.management.base import BaseCommand

from audience.folding import fold_pending


class Command(BaseCommand):
    help = (
        "Fold every buffered audience event into the figures the desk shows, once (the "
        "worker does it every AUDIENCE_FOLD_INTERVAL seconds)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=None, help="Events a transaction.")

    def handle(self, *args, batch, **options):
        folded = fold_pending(batch_size=batch)
        self.stdout.write(f"Folded {folded} audience events.")
