"""(Re)build image renditions: all images, or the ones named."""

import time

from django.core.management.base import BaseCommand, CommandError

from media.models import Image
from media.renditions import SPECS, build_renditions
from newsroom.progress import ProgressBar


class Command(BaseCommand):
    help = "Build the missing renditions of every image (or of --image IDs); --force rebuilds."

    def add_arguments(self, parser):
        parser.add_argument("--image", type=int, action="append", dest="ids", default=[],
                            help="Only this image id (repeatable).")  # fmt: skip
        parser.add_argument("--kind", action="append", dest="kinds", choices=list(SPECS),
                            help="Only this kind of rendition (repeatable).")  # fmt: skip
        parser.add_argument("--force", action="store_true", help="Delete and rebuild.")
        parser.add_argument("--dry-run", action="store_true", help="Count, change nothing.")

    def handle(self, *args, ids, kinds, force, dry_run, verbosity, **options):
        images = Image.objects.order_by("pk").prefetch_related("renditions")
        if ids:
            images = images.filter(pk__in=ids)
            missing = set(ids) - set(images.values_list("pk", flat=True))
            if missing:
                raise CommandError(f"No image with id {', '.join(map(str, sorted(missing)))}.")
        total = images.count()
        if dry_run:
            self.stdout.write(f"Would build renditions for {total} image(s).")
            return
        made, started = 0, time.monotonic()
        bar = ProgressBar(total, enabled=verbosity >= 1 and total > 0, stream=self.stderr)
        for image in images.iterator(chunk_size=100):
            made += build_renditions(image, force=force, kinds=kinds)
            bar.advance()
        bar.finish()
        self.stdout.write(
            self.style.SUCCESS(
                f"Built {made} rendition(s) for {total} image(s) "
                f"in {time.monotonic() - started:.1f}s."
            )
        )
