"""Pages from a WordPress export: the newsroom's own pages (About, policies…) with their
hierarchy, content, status and old addresses, each saved by pages.services.save_page.

A child page may come before its parent in the file, so pages are gathered during the pass
and imported at its end, parents first. A newsroom has tens of pages, not millions: holding
them is fine where holding the posts would not be.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from articles.models import Status
from articles.services import SYSTEM
from pages import services
from pages.models import Page
from sections import addresses

from . import content, wxr
from .models import ImportedItem, LegacyURL, fingerprint
from .posts import plain, post_key
from .terms import clean_slug
from .uploads import legacy_path

Kind = ImportedItem.Kind
SLUG_LENGTH = Page._meta.get_field("slug").max_length


@dataclass
class Planned:
    """One page of the export, and the WordPress id the import knows it by."""

    key: str
    record: wxr.Item


class PageImporter:
    def __init__(self, run, posts):
        self.run = run
        # The post importer reads statuses and dates, and finds the library's pictures and an
        # old post's attachments, the same way for pages.
        self.posts = posts
        self.planned: dict[str, Planned] = {}
        self.old_sites = {legacy_path(u) for u in (run.summary.base_blog_url,) if u}

    def page(self, record: wxr.Item) -> None:
        """Note a page of the export; it is imported by finish(), once its parent may be."""
        key = post_key(record)
        if key is None:
            self.run.report.count("pages", "skipped")
            self.run.report.problem(
                "pages", "?", plain(record.title), "no page id, guid or link: not imported"
            )
            return
        self.planned[key] = Planned(key=key, record=record)

    def finish(self) -> None:
        """Every page, each parent before its children, one transaction each."""
        for planned in self.in_order():
            title = plain(planned.record.title)
            self.run.each("pages", planned.key, title, lambda p=planned: self._page(p))

    def in_order(self) -> list[Planned]:
        """Parents before children, otherwise in file order. A parent not in the export (or
        a loop of parents, which WordPress should never have) leaves the page at the top."""
        ordered, placed = [], set()

        def place(key: str, seen: tuple[str, ...]) -> None:
            if key in placed:
                return
            parent = self.parent_key(self.planned[key])
            if parent and parent not in seen:
                place(parent, (*seen, key))
            placed.add(key)
            ordered.append(self.planned[key])

        for key in self.planned:
            place(key, (key,))
        return ordered

    def parent_key(self, planned: Planned) -> str | None:
        parent = planned.record.parent_id
        return parent if parent not in ("", "0") and parent in self.planned else None

    def _page(self, planned: Planned) -> str:
        record, key = planned.record, planned.key
        fields, problems = self.translate(planned)
        print_ = fingerprint(
            {name: getattr(value, "pk", value) for name, value in fields.items()},
            {"link": record.link, "guid": record.guid},
        )
        existing = self.run.record(Kind.PAGE, key)
        page = Page.objects.filter(pk=existing.object_id).first() if existing else None
        if existing and page is None:
            self.run.report.problem(
                "pages",
                key,
                fields["title"],
                "deleted here since an earlier import: not made again",
            )
            return "skipped"
        if page and existing.fingerprint == print_:
            self._report(key, fields, problems)
            return "unchanged"
        outcome = "updated" if page else "imported"
        page = page or Page()
        fields["slug"] = self.free_slug(fields["slug"], fields["parent"], page.pk, problems)
        for name, value in fields.items():
            setattr(page, name, value)
        if page.status == Status.PUBLISHED and (
            page.first_published_at is None or page.publish_at < page.first_published_at
        ):
            page.first_published_at = page.publish_at
        # Published as WordPress had it, as posts are (save_article with their status): the
        # desk's publishing checks (a body, credited pictures) are for what staff publish
        # here; a page live on the old site stays live through the move.
        services.save_page(page=page, user=SYSTEM, comment=f"Imported from WordPress (page {key})")
        self._redirects(record, page)
        self.run.remember(
            Kind.PAGE, key, object_id=page.pk, title=fields["title"], print_=print_,
            guid=record.guid, parent=record.parent_id,
        )  # fmt: skip
        self._report(key, fields, problems)
        return outcome

    def _report(self, key, fields, problems) -> None:
        for message in problems:
            self.run.report.problem("pages", key, fields["title"], message)

    def translate(self, planned: Planned) -> tuple[dict, list[str]]:
        """What the page will be (its status and publish time included)."""
        record, problems = planned.record, []
        title = plain(record.title)[:255]
        if not title:
            title = "(untitled)"
            problems.append("no title in WordPress: title set to “(untitled)”")
        body = content.convert(
            record.content,
            find_image=self.posts.library_image,
            gallery_ids=lambda: self.posts.children_of(record.post_id),
        )
        problems += body.problems + self.posts.leftover_images(body.html)
        description = record.meta_value("_yoast_wpseo_metadesc")
        # As a post's: `future` is published at a time to come (scheduled); password-protected,
        # `draft`, `pending`, `private` are drafts.
        status, publish_at = self.posts.status(record, [], problems)
        fields = {
            "title": title,
            "slug": clean_slug(record.slug, fallback=title, max_length=SLUG_LENGTH),
            "parent": self.parent(planned, problems),
            "body": body.html,
            "seo_description": "" if "%%" in description else plain(description)[:300],
            "status": status,
            "publish_at": publish_at,
        }
        return fields, problems

    def parent(self, planned: Planned, problems: list[str]) -> Page | None:
        parent_id = planned.record.parent_id
        if parent_id in ("", "0"):
            return None
        item = self.run.record(Kind.PAGE, parent_id)
        parent = Page.objects.filter(pk=item.object_id).first() if item else None
        if parent is None:
            problems.append(f"parent page {parent_id} was not imported: put at the top level")
            return None
        own = self.run.record(Kind.PAGE, planned.key)
        ancestor = parent
        while own and ancestor is not None:  # a loop of parents (a broken export): cut it
            if ancestor.pk == own.object_id:
                problems.append(f"parent page {parent_id} is under this page: put at the top")
                return None
            ancestor = ancestor.parent
        return parent

    def free_slug(self, slug: str, parent: Page | None, pk, problems: list[str]) -> str:
        """The slug, or the first free "-2", "-3"… form of it: a top-level page may not take
        an address of the site's own or a section's (stories live at /<section>/<story>/),
        and no two pages share an address. The rename is deterministic (same export, same
        result) and reported."""
        candidate, n = slug, 2
        while self.taken(candidate, parent, pk):
            suffix = f"-{n}"
            candidate, n = f"{slug[: SLUG_LENGTH - len(suffix)]}{suffix}", n + 1
        if candidate != slug:
            problems.append(
                f"the address “{slug}” is taken here (by the site, a section or a page): "
                f"imported as “{candidate}”"
            )
        return candidate

    def taken(self, slug: str, parent: Page | None, pk) -> bool:
        if parent is None and addresses.clash(slug, page_pk=pk):  # the site's, a section's
            return True
        path = f"{parent.path}/{slug}" if parent else slug
        return Page.objects.filter(path=path).exclude(pk=pk).exists()

    def _redirects(self, record: wxr.Item, page: Page) -> None:
        """The page's permalink, and the pretty address its guid kept from before it moved,
        lead to the page (WordPress's ?page_id=N is looked up by its id)."""
        addresses = [record.link]
        link_host = urlsplit(record.link).netloc
        guid = urlsplit(record.guid)
        if guid.netloc and guid.netloc == link_host and not guid.query:
            addresses.append(record.guid)
        # A permalink may carry a doubled slash ("https://site//greek/…"): a request does not.
        paths = {re.sub("/{2,}", "/", legacy_path(a)) for a in addresses if a}
        paths -= {"/", f"/{page.path}"} | self.old_sites
        LegacyURL.objects.bulk_create(
            [LegacyURL(path=path, page=page) for path in paths],
            ignore_conflicts=True,  # an address a story or another page already has keeps it
        )
