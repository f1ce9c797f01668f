"""The contact form. What a reader types is checked here and kept as plain text: it is only
ever shown escaped (the desk) or in a plain-text email, so HTML in it is harmless text. What
could reach an email header (name, address, subject) must be one plain line."""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Author

from .models import ContactMessage

Kind = ContactMessage.Kind
# Characters that reorder or hide text (right-to-left overrides and isolates): a name or
# subject carrying them can read differently in the desk than it is.
_BIDI = {chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F]}
ONE_LINE = _("Use one line of plain text, without line breaks or control characters.")
PLAIN_TEXT = _("The message contains control characters; please type or paste it as plain text.")
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
# What a reader chooses on the form (a message to an author comes from the author's page).
READER_KINDS = [(k.value, k.label) for k in (Kind.CONTACT, Kind.TIP, Kind.ERROR)]


def one_line(value: str) -> str:
    if any(unicodedata.category(c) == "Cc" or c in _BIDI for c in value):
        raise ValidationError(ONE_LINE, code="one_line")
    return value.strip()


def plain_text(value: str) -> str:
    if any(unicodedata.category(c) == "Cc" and c not in "\t\n\r" for c in value):
        raise ValidationError(PLAIN_TEXT, code="plain_text")
    return value.replace("\r\n", "\n").strip()


def live_story(value) -> Article | None:
    """The story a report names, if readers may see it; None for anything else (a draft's id
    must not tell anyone its headline, nor that it exists)."""
    value = str(value or "").strip()
    if not (value.isascii() and value.isdigit() and len(value) < 18):
        return None
    return Article.objects.live().select_related("section").filter(pk=int(value)).first()


def named_author(value) -> Author | None:
    value = str(value or "").strip()
    if not (value and len(value) <= 50 and _SLUG.fullmatch(value)):
        return None
    return Author.objects.filter(slug=value).first()


class ContactForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What is it about?"), choices=READER_KINDS, initial=Kind.CONTACT,
        widget=forms.RadioSelect,
    )  # fmt: skip
    name = forms.CharField(label=_("Your name"), max_length=100, required=False)
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        required=False,
        help_text=_("So we can answer; a tip may be anonymous. Only our staff see it."),
    )
    subject = forms.CharField(label=_("Subject"), max_length=150, required=False)
    message = forms.CharField(label=_("Your message"), max_length=5000, widget=forms.Textarea)
    # Which story an error report is about, or which author a message is for (from the
    # "Report an error" link or an author page): ids readers already have, checked again here.
    story = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    author = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)
    # Left empty by people (hidden from them and from screen readers); bots fill it.
    website = forms.CharField(required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        data = self.data if self.is_bound else self.initial
        self.named_story = live_story(data.get("story"))
        self.named_author = named_author(data.get("author"))
        if self.named_author is not None:
            self.fields["kind"].choices = [(Kind.AUTHOR.value, Kind.AUTHOR.label)]
            self.fields["kind"].widget = forms.HiddenInput()
        self.fields["message"].widget.attrs.update(rows=10, maxlength=5000)

    def clean_name(self) -> str:
        return one_line(self.cleaned_data["name"])

    def clean_subject(self) -> str:
        return one_line(self.cleaned_data["subject"])

    def clean_message(self) -> str:
        return plain_text(self.cleaned_data["message"])

    def clean_story(self) -> Article | None:
        return self.named_story

    def clean_author(self) -> Author | None:
        return self.named_author

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if (
            kind in (Kind.CONTACT, Kind.AUTHOR)
            and not cleaned.get("email")
            and ("email" not in self.errors)
        ):
            self.add_error("email", _("Give an address we can answer to."))
        if kind != Kind.ERROR:
            cleaned["story"] = None
        return cleaned

    def message_fields(self) -> dict:
        """The message as contact.services.receive_message takes it."""
        data = self.cleaned_data
        return {name: data[name] for name in
                ("kind", "name", "email", "subject", "message", "story", "author")}  # fmt: skip
