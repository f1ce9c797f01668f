"""Posts from a WordPress export: stories with their bylines, section, tags, lead image,
status and dates, and every old address redirecting to them."""

import hashlib
import html as html_lib
from dataclasses import replace
from datetime import datetime
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags

from articles import services
from articles.changes import Relations
from articles.models import Article, Author, FrontPageSlot, Status, Transition
from caching import invalidation
from media.models import Image
from sections.models import Section

from . import content, wxr
from .models import ImportedItem, LegacyURL, fingerprint
from .terms import TermImporter, clean_slug, tag_for
from .uploads import find_image, legacy_path

Kind = ImportedItem.Kind
FRONT_PAGE_SLOTS = range(1, 6)
DEFAULT_SECTION = ("uncategorized", "Uncategorized")


def wp_datetime(local: str, gmt: str, tz) -> datetime | None:
    """A WordPress date as an aware datetime: the GMT column when it is set (drafts leave it
    at zero), else the local one in the site's time zone."""
    for value, zone in ((gmt, ZoneInfo("UTC")), (local, tz)):
        if value and not value.startswith("0000"):
            try:
                return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=zone)
            except ValueError:
                continue
    return None


def post_key(record: wxr.Item) -> str | None:
    """What the import knows a post by from one run to the next: its WordPress id; for an
    item without one (hand-made or converted exports, which WordPress's own importer
    accepts), the id in its guid or link ("?p=123"), else a hash of the guid or link."""
    if record.post_id.isdigit():
        return record.post_id
    for name in ("guid", "link"):
        address = getattr(record, name).strip()
        if not address:
            continue
        post_id = parse_qs(urlsplit(address).query).get("p", [""])[0]
        if post_id.isdigit():
            return post_id
        return f"{name}:{hashlib.sha1(address.encode()).hexdigest()}"
    return None


def plain(text: str) -> str:
    """Titles may carry markup in WordPress ("Title <em>With</em> Markup"): ours are text."""
    return " ".join(html_lib.unescape(strip_tags(text or "")).split())


class PostImporter:
    def __init__(self, run):
        self.run = run
        self.tz = run.tz or timezone.get_default_timezone()
        self.sticky: list[int] = []
        # Looked up once per run: a newsroom has hundreds of these, not millions.
        self.known_sections: dict[str, Section] = {}
        self.known_authors: dict[str, int] = {}
        self.known_tags: dict[tuple[str, str], object] = {}
        self.old_sites = {legacy_path(u) for u in (run.summary.base_blog_url,) if u}

    def post(self, record: wxr.Item) -> None:
        key = post_key(record)
        if key is None:  # nothing to know it by on the next run
            self.run.report.count("posts", "skipped")
            self.run.report.problem(
                "posts", "?", plain(record.title), "no post id, guid or link: not imported"
            )
            return
        record = replace(record, post_id=key)

        def work():
            # The tags or section made for this post and the post itself: one announcement.
            with invalidation.announced_by_service():
                return self._post(record)

        self.run.each("posts", key, plain(record.title), work)

    def _post(self, record: wxr.Item) -> str:
        fields, relations, problems = self.translate(record)
        print_ = fingerprint(
            {name: getattr(value, "pk", value) for name, value in fields.items()},
            {**relations, "tags": [tag.pk for tag in relations["tags"]]},
        )
        existing = self.run.record(Kind.ARTICLE, record.post_id)
        article = Article.objects.filter(pk=existing.object_id).first() if existing else None
        if existing and article is None:
            self.run.report.problem(
                "posts", record.post_id, fields["headline"],
                "deleted here since an earlier import: not created again",
            )  # fmt: skip
            return "skipped"
        if article and existing.fingerprint == print_:
            self._remember_sticky(record, article)
            self._report(record, fields, problems)
            return "unchanged"
        outcome = "updated" if article else "imported"
        article = article or Article()
        if not article.pk or article.slug != fields["slug"]:
            # A renamed live story keeps its old address: save_article adds the redirect.
            fields["slug"] = self._free_slug(fields["slug"], article.pk, fields["headline"])
        for name, value in fields.items():
            setattr(article, name, value)
        # Also bumps the version, so an editor's form opened before this import is refused.
        services.save_article(
            article=article,
            user=services.SYSTEM,
            relations=Relations(
                bylines=[
                    {"author_id": author_id, "role": "", "order": order}
                    for order, author_id in enumerate(relations["authors"])
                ],
                tags=[tag.pk for tag in relations["tags"]],
            ),
            created_at=relations["created"],
            comment=f"Imported from WordPress (post {record.post_id})",
        )
        if outcome == "imported":
            Transition.objects.create(
                article=article,
                from_status=Status.DRAFT,
                to_status=article.status,
                comment="\n".join(
                    [f"Imported from WordPress (post {record.post_id}).", *relations["notes"]]
                ),
            )
        self._redirects(record, article)
        self.run.remember(
            Kind.ARTICLE, record.post_id, object_id=article.pk, title=fields["headline"],
            print_=print_, guid=record.guid,
        )  # fmt: skip
        self._remember_sticky(record, article)
        self._report(record, fields, problems)
        return outcome

    def _report(self, record, fields, problems) -> None:
        """An item's problems are reported once it is through (a failed item reports only
        its failure)."""
        for message in problems:
            self.run.report.problem("posts", record.post_id, fields["headline"], message)

    def translate(self, record: wxr.Item) -> tuple[dict, dict, list[str]]:
        """What the story will be (only the tags it needs are created here)."""
        problems, notes = [], []
        headline = plain(record.title)[:255]
        if not headline:
            headline = "(untitled)"
            problems.append("no title in WordPress: headline set to “(untitled)”")
        status, publish_at = self.status(record, notes, problems)
        published = wp_datetime(record.date, record.date_gmt, self.tz)
        modified = wp_datetime(record.modified, record.modified_gmt, self.tz)
        body = content.convert(
            record.content,
            find_image=self.library_image,
            gallery_ids=lambda: self.children_of(record.post_id),
        )
        problems += body.problems + self.leftover_images(body.html)
        lead = self.lead_image(record, problems)
        fields = {
            "headline": headline,
            "slug": clean_slug(record.slug, fallback=headline, max_length=200)
            if record.slug
            else "",
            "body": body.html,
            "teaser": content.excerpt_html(record.excerpt),
            "section": self.section(record, problems),
            "status": status,
            "publish_at": publish_at,
            "first_published_at": publish_at if status == Status.PUBLISHED else None,
            "updated_at": modified if status == Status.PUBLISHED and modified and published
            and modified > published else None,
            "lead_image": lead,
        }  # fmt: skip
        relations = {
            "authors": self.authors(record, problems),
            "tags": self.tags(record),
            "created": published,
            "notes": notes,
        }
        return fields, relations, problems

    def status(self, record, notes, problems) -> tuple[str, datetime | None]:
        if record.password:
            message = "password-protected in WordPress: imported as a draft, not published"
            notes.append(message)
            problems.append(message)
            return Status.DRAFT, None
        if record.status in ("publish", "future"):
            at = wp_datetime(record.date, record.date_gmt, self.tz)
            if at is None:
                message = f"no usable date (“{record.date}”): imported as a draft, not published"
                notes.append(message)
                problems.append(message)
                return Status.DRAFT, None
            return Status.PUBLISHED, at
        if record.status not in ("draft", "pending", "private"):
            problems.append(f"unknown status “{record.status}”: imported as a draft")
        return Status.DRAFT, None

    def section(self, record, problems) -> Section:
        categories = record.terms_of("category")
        for slug, name in categories:
            if slug in self.known_sections:
                return self.known_sections[slug]
            item = self.run.record(Kind.SECTION, slug)
            if item and item.object_id:
                self.known_sections[slug] = Section.objects.get(pk=item.object_id)
                return self.known_sections[slug]
            if item is None:  # a partial export may not list the category: make it now
                TermImporter(self.run).category(
                    wxr.Term(taxonomy="category", slug=slug, name=name), parent_known=False
                )
                item = self.run.record(Kind.SECTION, slug)
                if item and item.object_id:  # not cached: this item may yet be rolled back
                    return Section.objects.get(pk=item.object_id)
        if categories:
            problems.append(f"category “{categories[0][1]}” is unknown: filed under Uncategorized")
        return _default_section()

    def tags(self, record) -> list:
        """The post's tags, plus its categories after the first (a story has one section)."""
        extra_categories = [
            (slug, name) for slug, name in record.terms_of("category")[1:]
            if slug != DEFAULT_SECTION[0]
        ]  # fmt: skip
        wanted = record.terms_of("post_tag") + extra_categories
        tags = {}
        for slug, name in wanted:
            tag = self.known_tags.get((slug, name))
            if tag is None:
                tag, created = tag_for(slug, name)
                if not created:  # a tag made inside this item's transaction may be undone
                    self.known_tags[(slug, name)] = tag
            tags[tag.pk] = tag
        return list(tags.values())

    def authors(self, record, problems) -> list[int]:
        logins = [slug.removeprefix("cap-") for slug, _n in record.terms_of("author")]
        logins = logins or [record.creator.strip().lstrip(">").strip()]
        ids = []
        for login in logins:
            if login in self.known_authors:
                if self.known_authors[login] not in ids:
                    ids.append(self.known_authors[login])
                continue
            item = self.run.record(Kind.AUTHOR, login)
            if item and item.object_id:
                self.known_authors[login] = item.object_id
            if item is None:
                author = Author.objects.filter(slug=clean_slug(login, fallback="author")).first()
                if author is None:
                    problems.append(f"author “{login}” is not in the export: byline left out")
                    continue
                ids.append(author.pk)
            elif item.object_id not in ids:
                ids.append(item.object_id)
        return ids

    def lead_image(self, record, problems) -> Image | None:
        thumbnail = record.meta_value("_thumbnail_id")
        if not thumbnail:
            return None
        image = find_image(None, thumbnail)
        if image is None and thumbnail not in self.run.planned_images:
            problems.append(f"featured image (attachment {thumbnail}) is not in the library")
        return image

    def library_image(self, src: str | None, attachment_id: str | None):
        image = _library_image(src, attachment_id)
        if image:
            return content.LibraryImage(*image)
        planned = self.run.planned_images
        if planned and (
            attachment_id in planned
            or (src and legacy_path(src, resized=False) in planned.values())
            or (src and legacy_path(src) in planned.values())
        ):  # a dry run: the picture the import would have stored
            return content.LibraryImage(url=f"/dry-run/{attachment_id or src}")
        return None

    def children_of(self, post_id: str) -> list[str]:
        """The attachments uploaded to a post: what a [gallery] without ids shows."""
        return list(
            ImportedItem.objects.filter(kind=Kind.IMAGE, details__parent=post_id)
            .order_by("wp_key")
            .values_list("wp_key", flat=True)
        )

    def leftover_images(self, html: str) -> list[str]:
        paths = [legacy_path(path) for path in content.old_site_images(html)]
        paths = list(dict.fromkeys(paths))
        if not paths:
            return []
        listed = ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
        return [f"{len(paths)} image(s) not in the library still point at the old site: {listed}"]

    def _free_slug(self, slug: str, pk, headline: str) -> str:
        if slug and not Article.objects.filter(slug=slug).exclude(pk=pk).exists():
            return slug
        return services.unique_slug(slug.replace("-", " ") or headline, exclude_pk=pk)

    def _redirects(self, record: wxr.Item, article: Article) -> None:
        """The post's permalink, its dated form and its old slugs all lead to the story."""
        paths = {legacy_path(record.link)} if record.link else set()
        date = wp_datetime(record.date, "", self.tz)
        slugs = [record.slug, *record.meta.get("_wp_old_slug", [])]
        for slug in filter(None, slugs):
            paths.add(legacy_path(f"/{slug}/"))
            if date:
                paths.add(legacy_path(f"/{date:%Y/%m/%d}/{slug}/"))
                paths.add(legacy_path(f"/{date:%Y/%m}/{slug}/"))
        LegacyURL.objects.bulk_create(
            [LegacyURL(path=path, article=article) for path in paths - {"/"} - self.old_sites],
            ignore_conflicts=True,  # an address another story already has keeps it
        )

    def _remember_sticky(self, record, article) -> None:
        if record.is_sticky and article.is_live():
            self.sticky.append(article.pk)

    def finish(self) -> None:
        """Sticky posts become the editors' picks on the home page, in free slots."""
        if self.run.dry_run or not self.sticky:
            return
        with transaction.atomic(), invalidation.announced_by_service():
            if self._place_sticky():
                invalidation.announce(invalidation.SOFT)

    def _place_sticky(self) -> int:
        """Put sticky posts in free front page slots; returns how many were placed."""
        placed_now = 0
        taken = set(FrontPageSlot.objects.values_list("position", flat=True))
        placed = set(FrontPageSlot.objects.values_list("article_id", flat=True))
        free = [p for p in FRONT_PAGE_SLOTS if p not in taken]
        for article_id in self.sticky:
            if article_id in placed:
                continue
            if not free:
                self.run.report.problem(
                    "posts", "-", "", "a sticky post did not fit: the front page slots are full"
                )
                break
            FrontPageSlot.objects.create(position=free.pop(0), article_id=article_id)
            placed_now += 1
        return placed_now


def _default_section() -> Section:
    section, _created = Section.objects.get_or_create(
        slug=DEFAULT_SECTION[0], defaults={"name": DEFAULT_SECTION[1]}
    )
    return section


def _library_image(src, attachment_id) -> tuple[str, str, str] | None:
    image = find_image(unquote(src) if src else None, attachment_id)
    return (image.file.url, image.alt_text, image.credit) if image else None
