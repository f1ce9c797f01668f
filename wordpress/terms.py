"""Authors, categories and tags from a WordPress export."""

import hashlib
from urllib.parse import unquote

from anyascii import anyascii
from django.utils.text import slugify
from taggit.models import Tag

from articles.models import Author
from sections.addresses import clash
from sections.models import Section

from . import wxr
from .models import ImportedItem, fingerprint

Kind = ImportedItem.Kind


def clean_slug(raw: str, *, fallback: str, max_length: int = 50) -> str:
    """WordPress slugs may be percent-encoded UTF-8 ("%d1%81%d0%bf..."): ours are ASCII, so
    they are transliterated ("спорт" -> "sport"). What has no Latin form at all (emoji)
    gets a stable name made from the original, so two such slugs never merge."""
    text = unquote(raw or "")
    slug = slugify(anyascii(text)) or slugify(anyascii(fallback or ""))
    if not slug:
        slug = "item-" + hashlib.sha1(text.encode()).hexdigest()[:8]
    return slug[:max_length].strip("-")


def _free_slug(model, base: str, *, max_length: int = 50, taken=lambda slug: False) -> str:
    candidate, n = base, 2
    while taken(candidate) or model.objects.filter(slug=candidate).exists():
        suffix = f"-{n}"
        candidate, n = f"{base[: max_length - len(suffix)]}{suffix}", n + 1
    return candidate


class TermImporter:
    def __init__(self, run):
        self.run = run
        self.categories: list[wxr.Term] = []
        self.categories_done = False

    # --- Authors -----------------------------------------------------------------------------

    def author(self, record: wxr.Author) -> None:
        name = record.display_name or " ".join(
            part for part in (record.first_name, record.last_name) if part
        )
        self._author(record.login, name or record.login, email=record.email)

    def guest_author(self, record: wxr.Item) -> None:
        """A Co-Authors Plus guest author: an author with a bio and no WordPress account."""
        login = record.meta_value("cap-user_login") or record.slug.removeprefix("cap-")
        self._author(
            login,
            record.meta_value("cap-display_name") or record.title or login,
            email=record.meta_value("cap-user_email"),
            bio=record.meta_value("cap-description"),
            website=record.meta_value("cap-website"),
        )

    def coauthor_term(self, record: wxr.Term) -> None:
        """A Co-Authors Plus `author` term: the byline name of someone who may have no
        WordPress account in this export."""
        login = record.slug.removeprefix("cap-")
        if not self.run.record(Kind.AUTHOR, login):
            self._author(login, record.name or login)

    def _author(self, login: str, name: str, **details) -> None:
        login = login.strip()
        bio, website = details.pop("bio", ""), details.pop("website", "")

        def work():
            print_ = fingerprint(login, name, bio, website, details)
            existing = self.run.record(Kind.AUTHOR, login)
            if existing and existing.fingerprint == print_:
                return "unchanged"
            author = Author.objects.filter(pk=existing.object_id).first() if existing else None
            outcome = "updated" if author else "imported"
            if author is None:
                slug = _free_slug(Author, clean_slug(login, fallback=name))
                author = Author(slug=slug)
            author.name = name[:150]
            author.bio = bio or author.bio
            if website.startswith(("http://", "https://")):
                author.website = website[:200]
            author.full_clean(exclude=["slug", "photo", "user"])
            author.save()
            # The login email is private: kept with the import record, never shown.
            self.run.remember(
                Kind.AUTHOR, login, object_id=author.pk, title=name, print_=print_, **details
            )
            return outcome

        self.run.each("authors", login, name, work)

    # --- Categories and tags -----------------------------------------------------------------

    def term(self, record: wxr.Term) -> None:
        if record.taxonomy == "category" and self.categories_done:  # listed after the posts
            self.category(record, parent_known=bool(self.run.record(Kind.SECTION, record.parent)))
        elif record.taxonomy == "category":
            self.categories.append(record)
        elif record.taxonomy == "post_tag":
            self.tag(record)
        elif record.taxonomy == "author":
            self.coauthor_term(record)

    def finish_categories(self) -> None:
        """Create the sections once every category is known: parents before children,
        whatever order the export lists them in."""
        if self.categories_done:
            return
        self.categories_done = True
        pending = {c.slug: c for c in self.categories}
        done: set[str] = set()
        while pending:
            ready = [c for c in pending.values() if not c.parent or c.parent not in pending]
            if not ready:  # a loop in the hierarchy: break it by importing the rest flat
                ready = list(pending.values())
            for category in ready:
                self.category(category, parent_known=category.parent in done)
                done.add(category.slug)
                del pending[category.slug]
        self.categories = []

    def category(self, record: wxr.Term, *, parent_known: bool) -> None:
        def work():
            parent = None
            if record.parent and parent_known:
                parent_item = self.run.record(Kind.SECTION, record.parent)
                parent = Section.objects.filter(pk=getattr(parent_item, "object_id", None)).first()
            print_ = fingerprint(record.name, record.description, getattr(parent, "pk", None))
            existing = self.run.record(Kind.SECTION, record.slug)
            if existing and existing.fingerprint == print_:
                return "unchanged"
            section = Section.objects.filter(pk=existing.object_id).first() if existing else None
            outcome = "updated" if section else "imported"
            if section is None:
                slug = clean_slug(record.slug, fallback=record.name)
                # A category with the slug of an existing section joins it.
                section = Section.objects.filter(slug=slug).first()
                if section is None:
                    section = Section(slug=_free_slug(Section, slug, taken=clash))
                    if section.slug != slug:
                        self.run.report.problem(
                            "sections", record.slug, record.name,
                            f"its address /{slug}/ is taken; it is /{section.slug}/ now",
                        )  # fmt: skip
            section.name = (record.name or record.slug)[:100]
            section.description = record.description or section.description
            section.parent = parent if parent != section else None
            section.full_clean()
            section.save()
            self.run.remember(
                Kind.SECTION, record.slug, object_id=section.pk, title=record.name, print_=print_
            )
            return outcome

        self.run.each("sections", record.slug, record.name, work)

    def tag(self, record: wxr.Term) -> None:
        def work():
            print_ = fingerprint(record.name)
            existing = self.run.record(Kind.TAG, record.slug)
            if existing and existing.fingerprint == print_:
                return "unchanged"
            tag, _created = tag_for(record.slug, record.name)
            self.run.remember(
                Kind.TAG, record.slug, object_id=tag.pk, title=record.name, print_=print_
            )
            return "updated" if existing else "imported"

        self.run.each("tags", record.slug, record.name, work)


def tag_for(wp_slug: str, name: str) -> tuple[Tag, bool]:
    """(the tag for a WordPress tag, whether it was made now): found by its slug, or by its
    name, or made."""
    name = (name or unquote(wp_slug)).strip()[:100]
    slug = clean_slug(wp_slug, fallback=name, max_length=100)
    tag = Tag.objects.filter(slug=slug).first() or Tag.objects.filter(name__iexact=name).first()
    if tag is not None:
        return tag, False
    return Tag.objects.create(name=name, slug=_free_slug(Tag, slug, max_length=100)), True
