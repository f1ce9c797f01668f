"""What a working copy changes, field by field, as a word-level diff for the recovery offer.

The admin's own form and inline formsets are bound to the copy's data, so "differs" means
exactly what the admin would count as a change on save.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from django import forms
from django.db import models
from django.http import QueryDict
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

from articles.diffs import word_diff
from newsroom import richtext

# Unchanged runs longer than this are shortened to their ends around "…".
CONTEXT_WORDS = 8
BOOKKEEPING = {"started_from_version", "mark_updated"}
# Where one block of rich text ends and the next begins: a space, so words do not run together.
BLOCK_BOUNDARY = re.compile(r"<(?:/(?:p|div|li|h[1-6]|blockquote|td|th|figcaption)|br\s*/?)>", re.I)


@dataclass(frozen=True)
class Change:
    label: str
    diff: SafeString


def as_query_dict(data: dict[str, list[str]]) -> QueryDict:
    """A working copy's stored form data as the POST a browser would send."""
    query = QueryDict(mutable=True)
    for name, values in data.items():
        query.setlist(name, [str(v) for v in values])
    return query


def _text(field: forms.Field, value) -> str:
    """A field's value as the words an editor reads (labels, names, plain text)."""
    if value in (None, "", []):
        return ""
    if isinstance(field, forms.ModelChoiceField) and not isinstance(value, models.Model):
        try:
            value = field.clean(value)
        except forms.ValidationError:
            return str(value)
    elif isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, list | tuple):
        value = " ".join(str(v) for v in value if v)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return richtext.plain_text(BLOCK_BOUNDARY.sub(" ", str(value)))


def _new_value(bound: forms.BoundField):
    try:
        return bound.field.clean(bound.data)
    except forms.ValidationError:
        return bound.data


def form_changes(form: forms.BaseForm) -> list[Change]:
    """The main form's changed fields, each with its label and a word diff."""
    changes = []
    for name in form.changed_data:
        if name in BOOKKEEPING:
            continue
        bound = form[name]
        old, new = _text(bound.field, bound.initial), _text(bound.field, _new_value(bound))
        diff = (
            word_diff(old, new, context_words=CONTEXT_WORDS)
            if old != new
            else mark_safe("(formatting only)")
        )
        changes.append(Change(capfirst(bound.label), diff))
    return changes


def _row_text(form: forms.BaseForm, *, saved: bool) -> str:
    skip = {"id", "DELETE", "ORDER", "order", getattr(form, "fk_name", "")}
    words = []
    for name, field in form.fields.items():
        if name in skip or isinstance(field.widget, forms.HiddenInput):
            continue
        value = form.initial.get(name) if saved else _new_value(form[name])
        words.append(_text(field, value))
    return " ".join(w for w in words if w)


def formset_change(label: str, formset) -> Change | None:
    """One inline (bylines, tags…) as rows of text, old against new, if it changed."""
    if not formset.has_changed():
        return None
    old = [_row_text(f, saved=True) for f in formset.initial_forms]
    new = [
        _row_text(f, saved=False)
        for f in formset.forms
        if not ("DELETE" in f.fields and _new_value(f["DELETE"]))
        and (f in formset.initial_forms or f.has_changed())
    ]
    return Change(
        capfirst(label), word_diff(" · ".join(old), " · ".join(new), context_words=CONTEXT_WORDS)
    )
