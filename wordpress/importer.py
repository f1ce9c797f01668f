"""Importing a WordPress export: the service behind `manage.py import_wordpress`.

Two streaming passes after the well-formedness check: first the authors, categories, tags and
attachments (so posts find their sections and pictures), then the posts and pages (pages
at the pass's end, parents first). Each item is one
transaction: a bad one is reported and skipped, never half-imported. Every item is recorded
as an ImportedItem keyed by its WordPress id with a fingerprint of what it produced, so a
second run updates only what changed, and an interrupted run picks up where it stopped.

Readers' caches hear of it once per post that changed (each post is saved by
`articles.services.save_article`), and once for all the authors, sections, tags and pictures
of the first pass when it changed some that already existed (a new one is on no page until a
post that uses it is announced); a second run of the same export announces nothing.
"""

from contextlib import contextmanager
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from caching import invalidation
from newsroom.progress import ProgressBar

from . import wxr
from .models import ImportedItem
from .pages import PageImporter
from .posts import PostImporter
from .report import Report
from .terms import TermImporter
from .uploads import AttachmentImporter

_POST_TYPE_KINDS = {"post": "posts", "page": "pages", "nav_menu_item": "menus"}
_SKIPPED_STATUSES = {"trash", "auto-draft", "inherit"}


class Run:
    """The state one import shares between its steps: options, the report, and the record
    of what each WordPress item became."""

    def __init__(self, *, media_dir: Path | None, fetch: bool, dry_run: bool, tz, summary):
        self.media_dir, self.fetch, self.dry_run, self.tz = media_dir, fetch, dry_run, tz
        self.summary = summary
        self.report = Report(dry_run=dry_run)
        # A dry run stores no pictures; what it would have stored, posts may still refer to:
        # attachment id -> its file's old path, so the rehearsal reports what the import will.
        self.planned_images: dict[str, str] = {}

    def record(self, kind: str, wp_key: str):
        return ImportedItem.objects.filter(kind=kind, wp_key=wp_key).first()

    def remember(self, kind: str, wp_key: str, *, object_id, title: str, print_: str, **details):
        ImportedItem.objects.update_or_create(
            kind=kind,
            wp_key=wp_key,
            defaults={
                "object_id": object_id,
                "title": (title or "")[:255],
                "fingerprint": print_,
                "details": details,
            },
        )

    def each(self, kind: str, wp_id: str, title: str, work) -> None:
        """Run one item's import in its own transaction; an error is reported, not raised."""
        try:
            with transaction.atomic():
                outcome = work()
        except Exception as error:  # one bad item must not stop the other thousands
            self.report.count(kind, "failed")
            self.report.problem(kind, wp_id, title, f"not imported: {_reason(error)}")
        else:
            if outcome:
                self.report.count(kind, outcome)


def _reason(error: Exception) -> str:
    if isinstance(error, ValidationError):
        if hasattr(error, "message_dict"):
            return "; ".join(f"{field}: {' '.join(m)}" for field, m in error.message_dict.items())
        return " ".join(error.messages)
    return str(error) or type(error).__name__


def import_wordpress(
    path,
    *,
    media_dir=None,
    fetch: bool = True,
    dry_run: bool = False,
    tz=None,
    progress: bool = False,
) -> Report:
    """Import the WXR file at `path`; returns the report. Raises wxr.WXRError, before
    changing anything, when the file is not a well-formed WordPress export."""
    if media_dir and not Path(media_dir).is_dir():
        raise wxr.WXRError(f"--media-dir {media_dir} is not a folder.")
    summary = wxr.check(path)
    run = Run(
        media_dir=Path(media_dir) if media_dir else None,
        fetch=fetch,
        dry_run=dry_run,
        tz=tz,
        summary=summary,
    )
    total = summary.authors + summary.terms + sum(summary.items.values())
    bar = ProgressBar(total, label="Importing ", enabled=progress)
    if dry_run:  # everything happens, then the one enclosing transaction is rolled back
        with transaction.atomic():
            _first_pass(run, path, bar)
            _second_pass(run, path, bar)
            transaction.set_rollback(True)
    else:  # each item commits on its own: an interrupted import keeps what it finished
        _first_pass(run, path, bar)
        _second_pass(run, path, bar)
    bar.finish()
    return run.report


@contextmanager
def announced_once(run: Run, kinds: tuple[str, ...]):
    """One announcement for a whole phase of rows that are not stories, instead of one per
    row, and only when rows already there changed (a renamed section shows on cached pages;
    a new one shows nowhere until a post uses it, and that post is announced): soft, since
    an import adds and renames but takes nothing away from readers. Made even when the phase
    is interrupted, for the rows it committed before."""

    def changed() -> int:
        return sum(run.report.counts[kind]["updated"] for kind in kinds)

    before = changed()
    try:
        with invalidation.announced_by_service():
            yield
    finally:
        if changed() > before:
            invalidation.announce(invalidation.SOFT)


def _first_pass(run: Run, path, bar: ProgressBar) -> None:
    """Authors, categories, tags and attachments: what posts refer to."""
    with announced_once(run, ("authors", "sections", "tags", "images")):
        _read_first_pass(run, path, bar)


def _read_first_pass(run: Run, path, bar: ProgressBar) -> None:
    terms = TermImporter(run)
    attachments = AttachmentImporter(run)
    for record in wxr.records(path):
        if isinstance(record, wxr.Author):
            terms.author(record)
        elif isinstance(record, wxr.Term):
            terms.term(record)
        else:
            terms.finish_categories()
            if record.post_type == "attachment":
                attachments.attachment(record)
            elif record.post_type == "guest-author":
                terms.guest_author(record)
            else:
                continue  # posts, pages, menus: the second pass
        bar.advance()
    terms.finish_categories()


def _second_pass(run: Run, path, bar: ProgressBar) -> None:
    """Posts and pages, and a count of what is deliberately left behind."""
    posts = PostImporter(run)
    pages = PageImporter(run, posts)
    for record in wxr.records(path):
        if not isinstance(record, wxr.Item) or record.post_type in ("attachment", "guest-author"):
            continue
        bar.advance()
        kind = _POST_TYPE_KINDS.get(record.post_type, "other")
        if record.post_type == "post" and record.status not in _SKIPPED_STATUSES:
            posts.post(record)
        elif record.post_type == "page" and record.status not in _SKIPPED_STATUSES:
            pages.page(record)
        else:
            run.report.count(kind, "skipped")
        if record.comments:
            run.report.count("comments", "skipped", record.comments)
    pages.finish()  # parents before children, wherever the export put them
    _report_left_behind(run)
    posts.finish()


def _report_left_behind(run: Run) -> None:
    """Menus and comments are not carried over: say so once, with how many."""
    messages = {
        "menus": "menu items are not imported; build them on the desk, under Menus",
        "comments": "comments are not imported (this CMS has no comments)",
        "other": "items of other post types are not imported",
    }
    for kind, message in messages.items():
        skipped = run.report.counts[kind]["skipped"]
        if skipped:
            run.report.problem(kind, "-", "", f"{skipped} skipped: {message}")
