"""`manage.py import_wordpress EXPORT.xml [--media-dir DIR] [--dry-run]`: see README."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.management.base import BaseCommand, CommandError

from wordpress.importer import import_wordpress
from wordpress.wxr import WXRError


class Command(BaseCommand):
    help = (
        "Import a WordPress export (WXR file from Tools › Export): authors, categories as "
        "sections, tags, posts as stories, pages as pages (hierarchy kept), attachments as "
        "library images, and redirects from "
        "every old address. Safe to run again: it updates what changed and creates nothing "
        "twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", help="The .xml file WordPress exported.")
        parser.add_argument(
            "--media-dir",
            help="A copy of the site's wp-content/uploads folder, where attachments are read "
            "from. Without it, each file is fetched from its old address if that answers.",
        )
        parser.add_argument(
            "--no-fetch",
            action="store_true",
            help="Never fetch attachments over the network; missing files are reported.",
        )
        parser.add_argument(
            "--timezone",
            help="The WordPress site's time zone (Settings › General), for dates the export "
            "gives only in local time. Default: TIME_ZONE.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Read and check everything, print the report, change nothing.",
        )

    def handle(self, *args, export, media_dir, no_fetch, timezone, dry_run, verbosity, **options):
        try:
            tz = ZoneInfo(timezone) if timezone else None
        except (ZoneInfoNotFoundError, ValueError):
            raise CommandError(f"Unknown time zone “{timezone}”, e.g. Europe/Berlin.") from None
        try:
            report = import_wordpress(
                export,
                media_dir=media_dir,
                fetch=not no_fetch,
                dry_run=dry_run,
                tz=tz,
                progress=verbosity >= 1 and self.stderr.isatty(),
            )
        except FileNotFoundError:
            raise CommandError(f"No such file: {export}") from None
        except OSError as error:  # a folder, no permission
            raise CommandError(f"Cannot read {export}: {error.strerror or error}") from None
        except WXRError as error:
            raise CommandError(str(error)) from None
        if verbosity >= 1:
            self.stdout.write("\n".join(report.lines()))
        failed = report.total("failed")
        summary = (
            f"{report.total('imported')} imported, {report.total('updated')} updated, "
            f"{report.total('unchanged')} unchanged, {report.total('skipped')} skipped, "
            f"{report.total('missing')} missing, {failed} failed."
        )
        self.stdout.write(self.style.WARNING(summary) if failed else self.style.SUCCESS(summary))
