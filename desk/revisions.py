"""A story as one of its revisions recorded it, in the fields staff know, and what changed
between two revisions, as HTML for people (the desk's Compare and History pages)."""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from reversion.models import Version

from articles.diffs import html_diff
from articles.models import (
    Article,
    Author,
    Byline,
    Correction,
    RelatedArticle,
    Source,
    TaggedArticle,
)
from media.models import Image
from newsroom import richtext
from sections.models import Section, Series

# (key, label, kind), in the order an editor reads a change: the text, then who and where.
FIELDS = [
    ("body", "Body", "rich"),
    ("teaser", "Teaser", "rich"),
    ("kicker", "Kicker", "text"),
    ("headline", "Headline", "text"),
    ("dek", "Dek", "text"),
    ("bylines", "Bylines", "list"),
    ("tags", "Tags", "list"),
    ("lead_image", "Lead picture", "picture"),
    ("lead_image_caption", "Lead picture caption", "text"),
    ("section", "Section", "value"),
    ("series", "Series", "value"),
    ("article_type", "Type", "value"),
    ("sponsor_name", "Sponsor", "text"),
    ("sponsor_url", "Sponsor's website", "value"),
    ("related", "Related stories", "list"),
    ("corrections", "Corrections and updates", "list"),
    ("sources", "Sources", "list"),
    ("status", "Status", "value"),
    ("publish_at", "Publish time", "value"),
    ("unpublish_at", "Unpublish time", "value"),
    ("updated_at", "Shown as updated", "value"),
    ("slug", "Address", "value"),
    ("seo_title", "Search title", "text"),
    ("seo_description", "Search description", "text"),
    ("social_image", "Social picture", "picture"),
]
LABELS = {key: label for key, label, _ in FIELDS}
# Moved by workflow steps, which History lists as steps of their own.
WORKFLOW_FIELDS = {"status"}
# What restoring a version leaves as it is now (services.restore_revision).
KEPT_ON_RESTORE = {"status", "publish_at", "unpublish_at", "updated_at", "slug", "corrections"}


@dataclass(frozen=True)
class Picture:
    """A library picture as a revision pointed at it."""

    url: str
    caption: str
    credit: str
    alt: str


@dataclass
class Change:
    """One field that differs between two revisions: its label and the change as HTML."""

    key: str
    label: str
    html: SafeString


class Names:
    """Names of the things revisions point at by id, looked up once per page."""

    def __init__(self):
        self._known: dict[tuple[type, int], object] = {}

    def fetch(self, model, ids) -> None:
        """Look up every id not yet known in one query."""
        wanted = {i for i in ids if i is not None and (model, i) not in self._known}
        for obj in model._base_manager.filter(pk__in=wanted) if wanted else []:
            self._known[(model, obj.pk)] = obj
        for i in wanted:
            self._known.setdefault((model, i), None)

    def get(self, model, pk):
        """The object, fetched now if need be; None if it is gone."""
        if pk is None:
            return None
        self.fetch(model, [pk])
        return self._known[(model, pk)]


def _when(value) -> str:
    return f"{timezone.localtime(value):%-d %b %Y, %H:%M %Z}" if value else ""


def _name(obj, gone: str) -> str:
    return str(obj) if obj is not None else gone


def _picture(image) -> Picture | None:
    if image is None:
        return None
    url = image.file.url if image.file else ""
    return Picture(url=url, caption=image.caption, credit=image.credit, alt=image.alt_text)


def story_at(version: Version, names: Names) -> dict:
    """The story's fields as `version` recorded them, as staff read them (names, not ids)."""
    story: Article = version._object_version.object
    rows = [
        v._object_version.object
        for v in version.revision.version_set.all()
        if v.pk != version.pk and v.content_type.model_class() is not Article
    ]
    mine = [row for row in rows if getattr(row, "article_id", None) == story.pk]
    mine += [row for row in rows if getattr(row, "content_object_id", None) == story.pk]
    bylines = sorted((r for r in mine if isinstance(r, Byline)), key=lambda b: (b.order, b.pk))
    related = sorted(
        (r for r in mine if isinstance(r, RelatedArticle)), key=lambda r: (r.order, r.pk)
    )
    tags = [r for r in mine if isinstance(r, TaggedArticle)]
    corrections = sorted(
        (r for r in mine if isinstance(r, Correction)), key=lambda c: (c.published_at, c.pk)
    )
    sources = sorted((r for r in mine if isinstance(r, Source)), key=lambda s: (s.order, s.pk))
    names.fetch(Author, [b.author_id for b in bylines])
    names.fetch(Article, [r.related_id for r in related])
    names.fetch(TaggedArticle.tag.field.related_model, [t.tag_id for t in tags])
    names.fetch(Image, [story.lead_image_id, story.social_image_id])
    tag_model = TaggedArticle.tag.field.related_model
    return {
        "body": richtext.sanitize(story.body_html),
        "teaser": richtext.sanitize(story.teaser),
        "kicker": story.kicker,
        "headline": story.headline,
        "dek": story.dek,
        "bylines": tuple(
            f"{_name(names.get(Author, b.author_id), 'a removed author')}"
            + (f" ({b.role})" if b.role else "")
            for b in bylines
        ),
        "tags": tuple(sorted(_name(names.get(tag_model, t.tag_id), "a removed tag") for t in tags)),
        "lead_image": _picture(names.get(Image, story.lead_image_id)),
        "lead_image_caption": story.lead_image_caption,
        "section": _name(names.get(Section, story.section_id), ""),
        "series": _name(names.get(Series, story.series_id), ""),
        "article_type": story.get_article_type_display(),
        # Read with getattr: a revision recorded before stories had sponsors lacks them.
        "sponsor_name": getattr(story, "sponsor_name", ""),
        "sponsor_url": getattr(story, "sponsor_url", ""),
        "related": tuple(
            _name(names.get(Article, r.related_id), "a deleted story") for r in related
        ),
        "corrections": tuple(
            f"{c.get_kind_display()}, {_when(c.published_at) or 'undated'}: {c.text}"
            for c in corrections
        ),
        "sources": tuple(_source_line(source) for source in sources),
        "status": story.get_status_display(),
        "publish_at": _when(story.publish_at),
        "unpublish_at": _when(story.unpublish_at),
        "updated_at": _when(story.updated_at),
        "slug": story.slug,
        "seo_title": story.seo_title,
        "seo_description": story.seo_description,
        "social_image": _picture(names.get(Image, story.social_image_id)),
    }


def _source_line(source: Source) -> str:
    """A source in one line: “Title — Publisher, 2 Mar 2026 (https://…)”."""
    line = source.title
    said = ", ".join(
        part for part in (source.publisher, f"{source.published_on:%-d %b %Y}"
                          if source.published_on else "") if part
    )  # fmt: skip
    if said:
        line += f" — {said}"
    return f"{line} ({source.url})" if source.url else line


def changed_keys(old: dict, new: dict) -> list[str]:
    """The fields that differ, in reading order."""
    return [key for key, _, _ in FIELDS if old.get(key) != new.get(key)]


def changes(old: dict, new: dict) -> list[Change]:
    """What changed from `old` to `new` (two `story_at` results), field by field."""
    kinds = {key: kind for key, _, kind in FIELDS}
    return [
        Change(key, LABELS[key], _diff(kinds[key], old[key], new[key]))
        for key in changed_keys(old, new)
    ]


def what_restoring_changes(version: Version) -> list[Change]:
    """What restoring `version` would change in the story as last saved, field by field."""
    latest = (
        Version.objects.get_for_object_reference(Article, version.object_id).order_by("-pk").first()
    )
    names = Names()
    now, then = story_at(latest, names), story_at(version, names)
    return [change for change in changes(now, then) if change.key not in KEPT_ON_RESTORE]


def _diff(kind: str, old, new) -> SafeString:
    if kind == "rich":
        return format_html('<div class="readable-diff as-read">{}</div>', html_diff(old, new))
    if kind == "list":
        return _list_diff(old, new)
    if kind == "picture":
        return mark_safe(  # the template escapes every value
            render_to_string("admin/articles/article/includes/picture_change.html", {
                "old": old, "new": new,
            })
        )  # fmt: skip
    if kind == "value":  # a name or a time is replaced whole, not word by word
        return format_html(
            '<p class="readable-diff">{}{}{}</p>',
            format_html("<del>{}</del>", old) if old else "",
            " → " if old and new else "",
            format_html("<ins>{}</ins>", new) if new else "",
        )
    return format_html('<p class="readable-diff">{}</p>', html_diff(escape(old), escape(new)))


def _list_diff(old: tuple, new: tuple) -> SafeString:
    """The new list in order, added items marked, removed ones struck through after it; a
    reordering says what the order was."""
    items = [(format_html("<ins>{}</ins>", i) if i not in old else i) for i in new]
    items += [format_html("<del>{}</del>", i) for i in old if i not in new]
    html = format_html(
        '<ul class="readable-diff">{}</ul>',
        format_html_join("", "<li>{}</li>", ([i] for i in items)),
    )
    kept_before = [i for i in old if i in new]
    kept_now = [i for i in new if i in old]
    if kept_before != kept_now:
        html += format_html('<p class="help">The order was: {}.</p>', "; ".join(old))
    return html
