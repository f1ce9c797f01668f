"""Benchmark: how long an agency-sized photo takes to go through the upload path and get
its renditions, and how many bytes WebP and AVIF save against JPEG. Prints figures; changes
nothing it does not remove again (it runs in a transaction that is rolled back)."""

import statistics
import time
from collections import defaultdict

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from devtools.synthetic import synthetic_photo
from media.renditions import build_renditions, delete_renditions
from media.services import create_from_upload, delete_files
from media.uploads import inspect_upload


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time rendition builds for agency-sized photos and compare WebP/AVIF bytes to JPEG."

    def add_arguments(self, parser):
        parser.add_argument("--images", type=int, default=3, help="How many photos (1-20).")
        parser.add_argument("--size", default="6000x4000", help="Photo size, WIDTHxHEIGHT.")

    def handle(self, *args, images, size, **options):
        try:
            width, height = (int(n) for n in size.lower().split("x"))
        except ValueError as error:
            raise CommandError("--size must look like 6000x4000.") from error
        if not 1 <= images <= 20:
            raise CommandError("--images must be between 1 and 20.")
        timings, sizes = defaultdict(list), defaultdict(lambda: defaultdict(int))
        for n in range(images):
            data = synthetic_photo(width, height, n)
            try:
                with transaction.atomic():
                    self._one(n, data, timings, sizes)
                    raise _Rollback
            except _Rollback:
                pass
            self.stderr.write(f"\r{n + 1}/{images} photos", ending="")
        self.stderr.write("")
        self._report(width, height, images, timings, sizes)

    def _one(self, n, data, timings, sizes):
        started = time.perf_counter()
        inspected = inspect_upload(ContentFile(data, name=f"bench-{n}.jpg"))
        timings["check upload (decode, metadata)"].append(time.perf_counter() - started)
        started = time.perf_counter()
        image = create_from_upload(inspected=inspected, filename=f"bench-{n}.jpg", user=None,
                                   credit="Bench", alt_text="Bench")  # fmt: skip
        timings["store (upright clean copy + original)"].append(time.perf_counter() - started)
        delete_renditions(image)
        started = time.perf_counter()
        count = build_renditions(image)
        timings[f"build all {count} renditions"].append(time.perf_counter() - started)
        for rendition in image.renditions.all():
            sizes[(rendition.kind, rendition.width)][rendition.format] += rendition.file_size
        delete_renditions(image)
        delete_files(image)

    def _report(self, width, height, images, timings, sizes):
        out = self.stdout.write
        out(f"\nPhotos: {images} × {width}×{height} JPEG\n")
        out(f"{'step':<42} {'median s':>9} {'max s':>8}")
        for step, values in timings.items():
            out(f"{step:<42} {statistics.median(values):>9.2f} {max(values):>8.2f}")
        out(f"\n{'rendition':<16} {'JPEG KB':>8} {'WebP KB':>8} {'AVIF KB':>8} "
            f"{'WebP saves':>11} {'AVIF saves':>11}")  # fmt: skip
        totals = defaultdict(int)
        for (kind, w), by_format in sorted(sizes.items()):
            jpeg = by_format.get("jpeg", 0)
            for fmt, total in by_format.items():
                totals[fmt] += total
            if not (jpeg and "webp" in by_format):
                continue
            webp, avif = by_format["webp"], by_format.get("avif", 0)
            out(f"{kind + ' ' + str(w) + 'w':<16} {jpeg / images / 1000:>8.1f} "
                f"{webp / images / 1000:>8.1f} {avif / images / 1000:>8.1f} "
                f"{1 - webp / jpeg:>10.0%} {1 - avif / jpeg:>10.0%}")  # fmt: skip
        jpeg_total = sum(by_format["jpeg"] for by_format in sizes.values() if "webp" in by_format)
        webp_total = sum(b["webp"] for b in sizes.values() if "webp" in b)
        avif_total = sum(b["avif"] for b in sizes.values() if "avif" in b)
        out(f"\nAcross those renditions: WebP saves {1 - webp_total / jpeg_total:.0%} and AVIF "
            f"saves {1 - avif_total / jpeg_total:.0%} of the JPEG bytes.")  # fmt: skip
