"""Two people, one story: what the other person changed since this person opened it.

The story form remembers the version it was opened at. When someone saved in between, the
save is refused and the form shows, field by field, their change beside this person's text.
Saving again goes through once every field they changed has been merged — this person's value
is theirs ("Use theirs"), or this person edited the field after being shown their change —
or with an explicit "Save mine over theirs". Saving the same text again is refused again.
"""

import hashlib
from dataclasses import dataclass, field

from django.core import signing
from django.db.models import Model
from django.utils.safestring import SafeString
from reversion.models import Version
from taggit.models import Tag

from newsroom import richtext

from .changes import CONTENT_FIELDS, Relations
from .diffs import word_diff
from .models import Article, Author

RICH_TEXT = {"body", "teaser"}
_MODEL_FIELDS = {f.name for f in Article._meta.concrete_fields}


@dataclass
class FieldChange:
    name: str
    label: str
    theirs: object  # the value now saved, as the form takes it (a pk for a picture)
    theirs_shown: str
    diff: SafeString  # what they changed, word by word
    merged: bool


@dataclass
class Conflict:
    who: str
    when: object
    version: int  # the version now saved: "Save mine over theirs" names it
    changes: list[FieldChange] = field(default_factory=list)

    seen: str = ""  # signed: what this person's fields held when shown this conflict

    @property
    def unresolved(self) -> list[FieldChange]:
        return [change for change in self.changes if not change.merged]


_SEEN_SALT = "articles.conflict-seen"


def _fingerprint(name: str, value) -> str:
    return hashlib.sha256(repr(_normal(name, value)).encode()).hexdigest()[:16]


def _seen_before(token: str, version: int) -> dict:
    """The fingerprints of this person's fields when they were last shown this conflict."""
    try:
        seen = signing.loads(token or "", salt=_SEEN_SALT)
    except signing.BadSignature:
        return {}
    return seen.get("fields", {}) if seen.get("version") == version else {}


def _normal(name: str, value):
    if isinstance(value, Model):
        return value.pk
    if name in RICH_TEXT:
        return richtext.sanitize(value or "")
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    return value


def revision_at(article_pk: int, number: int) -> Version | None:
    """The revision that saved the story at version `number` (recent first), if kept."""
    versions = Version.objects.get_for_object_reference(Article, article_pk)[:200]
    for version in versions:
        if version.field_dict.get("version") == number:
            return version
    return None


def _version_at(article_pk: int, number: int) -> Article | None:
    """The story as it was saved at version `number`, from its revisions."""
    version = revision_at(article_pk, number)
    return version._object_version.object if version is not None else None


def find_conflict(*, form, started_from: int | None, current: Article) -> Conflict | None:
    """The other person's changes, if this form started from an older version than the one
    saved now; None when there is nothing to merge any more."""
    if started_from is None or started_from == current.version:
        return None
    base = _version_at(current.pk, started_from)
    conflict = Conflict(
        who=(current.last_edited_by.get_full_name() or current.last_edited_by.username)
        if current.last_edited_by
        else "Someone",
        when=current.modified_at,
        version=current.version,
    )
    seen = _seen_before(form.data.get(form.add_prefix("conflict_seen"), ""), current.version)
    fingerprints = {}
    for name, form_field in form.fields.items():
        if name not in form.cleaned_data or name not in _MODEL_FIELDS:
            continue
        model_field = Article._meta.get_field(name)
        theirs = model_field.value_from_object(current)
        was = model_field.value_from_object(base) if base is not None else None
        if base is not None and _normal(name, was) == _normal(name, theirs):
            continue  # they did not touch it
        yours = form.cleaned_data[name]
        fingerprints[name] = _fingerprint(name, yours)
        merged = _normal(name, yours) == _normal(name, theirs) or (
            name in seen and seen[name] != fingerprints[name]  # edited after seeing theirs
        )
        if base is None and merged:
            continue
        shown = getattr(current, name)
        conflict.changes.append(
            FieldChange(
                name=name,
                label=str(form_field.label or name),
                theirs="" if theirs is None else theirs,
                theirs_shown="" if shown is None else str(shown),
                # Against what they started from; with no record of it, against yours.
                diff=word_diff(getattr(base, name) if base is not None else yours, shown),
                merged=merged,
            )
        )
    conflict.seen = signing.dumps(
        {"version": current.version, "fields": fingerprints}, salt=_SEEN_SALT
    )
    return conflict


# --- Pending changes published over a live story that changed meanwhile ------------------------

# A field is merged like any save: one side changed it, that side wins; both changed it
# differently, the publisher chooses. Corrections are never merged away (services keep all).
LIVE, PENDING = "live", "pending"
_RELATION_LABELS = {
    "bylines": "Byline", "tags": "Tags", "related": "Related stories", "sources": "Sources",
}  # fmt: skip


@dataclass
class PendingField:
    name: str  # an attribute of the story ("dek", "lead_image_id") or a relation ("tags")
    label: str
    live_shown: SafeString  # the live story now, against what the changes were made from
    pending_shown: SafeString  # the pending changes, against the same
    outcome: str  # LIVE or PENDING when only that side changed it; "" when both did


@dataclass
class PendingMerge:
    """What publishing pending changes does, field by field, to the live story as it is now."""

    live: Article
    who: str  # who last changed the live story
    live_changed: bool  # saved since the changes were made
    fields: list[PendingField] = field(default_factory=list)

    @property
    def conflicts(self) -> list[PendingField]:
        return [f for f in self.fields if not f.outcome]

    def taken(self, outcome: str) -> list[PendingField]:
        return [f for f in self.fields if f.outcome == outcome]


def _relation_key(name: str, rows) -> object:
    if rows is None:
        return None
    if name == "tags":
        return sorted(rows)
    if name == "sources":  # in order; a row's id says which row holds it, not what it says
        rows = sorted(rows, key=lambda row: row["order"])
        return [tuple(sorted((k, v) for k, v in row.items() if k != "id")) for row in rows]
    return sorted(tuple(sorted(row.items())) for row in rows)


def _relation_shown(name: str, rows) -> str:
    if not rows:
        return "—"
    if name == "tags":
        return ", ".join(Tag.objects.filter(pk__in=rows).values_list("name", flat=True))
    if name == "sources":
        return "; ".join(str(r["title"]) for r in sorted(rows, key=lambda r: r["order"]))
    if name == "bylines":
        names = dict(
            Author.objects.filter(pk__in=[r["author_id"] for r in rows]).values_list("pk", "name")
        )
        return ", ".join(
            names.get(r["author_id"], "?") for r in sorted(rows, key=lambda r: r["order"])
        )
    headlines = dict(
        Article.objects.filter(pk__in=[r["related_id"] for r in rows]).values_list("pk", "headline")
    )
    return ", ".join(headlines.get(r["related_id"], "?") for r in rows)


def _shown(obj: Article | None, name: str) -> str:
    if obj is None:
        return ""
    if name.endswith("_id"):  # a picture, a section, a series: by its name
        value = getattr(obj, name.removesuffix("_id"))
    elif Article._meta.get_field(name).choices:  # "Analysis", not "analysis"
        value = getattr(obj, f"get_{name}_display")()
    else:
        value = getattr(obj, name)
    return "" if value is None else str(value)


def pending_merge(*, changes: Article, live: Article, base_relations=None) -> PendingMerge:
    """Pending changes against the live story, each side against the live version they were
    made from (`changes.pending_base_version`). `base_relations` are that version's byline,
    tags, related stories and sources (articles.changes.Relations). With no record of that version,
    every field the two sides hold differently is the publisher's to choose."""
    who = live.last_edited_by.get_full_name() if live.last_edited_by else ""
    merge = PendingMerge(
        live=live,
        who=who or (live.last_edited_by.username if live.last_edited_by else "Someone"),
        live_changed=changes.pending_base_version != live.version,
    )
    base = None
    if merge.live_changed and changes.pending_base_version is not None:
        base = _version_at(live.pk, changes.pending_base_version)
    if not merge.live_changed:  # nothing to merge: the changes were made from this version
        base = live
    now, mine = Relations.of(live), Relations.of(changes)
    if base is live:
        base_relations = now
    sides = [
        (name, getattr(base, name) if base is not None else None, getattr(live, name),
         getattr(changes, name), _normal)
        for name in CONTENT_FIELDS
    ] + [
        (name, getattr(base_relations, name) if base is not None and base_relations else None,
         getattr(now, name), getattr(mine, name), _relation_key)
        for name in _RELATION_LABELS
    ]  # fmt: skip
    for name, was, theirs, yours, normal in sides:
        was_n, theirs_n, yours_n = normal(name, was), normal(name, theirs), normal(name, yours)
        if theirs_n == yours_n:
            continue  # nothing changes for readers
        if base is not None and was_n == theirs_n:
            outcome = PENDING
        elif base is not None and was_n == yours_n:
            outcome = LIVE
        else:
            outcome = ""
        if name in _RELATION_LABELS:
            label = _RELATION_LABELS[name]
            was_s, theirs_s, yours_s = (
                _relation_shown(name, v) for v in (was if base else theirs, theirs, yours)
            )
        else:
            label = str(Article._meta.get_field(name.removesuffix("_id")).verbose_name)
            was_s = _shown(base if base is not None else live, name)
            theirs_s, yours_s = _shown(live, name), _shown(changes, name)
        merge.fields.append(
            PendingField(
                name=name,
                label=label[:1].upper() + label[1:],
                # Against what both started from; with no record of it, each as it is.
                live_shown=word_diff(was_s if base is not None else theirs_s, theirs_s),
                pending_shown=word_diff(was_s if base is not None else yours_s, yours_s),
                outcome=outcome,
            )
        )
    return merge
