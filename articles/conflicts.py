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

from newsroom import richtext

from .diffs import word_diff
from .models import Article

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


def _version_at(article_pk: int, number: int) -> Article | None:
    """The story as it was saved at version `number`, from its revisions (recent first)."""
    versions = Version.objects.get_for_object_reference(Article, article_pk)[:200]
    for version in versions:
        if version.field_dict.get("version") == number:
            return version._object_version.object
    return None


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
