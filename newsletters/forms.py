"""The sign-up and preferences forms. Every field is checked; nothing a reader types is shown
back except their own address, escaped by the template."""

from django import forms
from django.utils.translation import gettext_lazy as _

from audience.signups import story_id_from

from .subscribing import active_newsletters


def page_path(value: str) -> str:
    """The page a form was on, for the consent record: a path on this site, or nothing."""
    value = (value or "").strip()
    if not value.startswith("/") or value.startswith("//") or any(c in value for c in "\r\n\\"):
        return ""
    return value[:200]


class SignupForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    newsletter = forms.ModelMultipleChoiceField(
        queryset=active_newsletters(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one newsletter.")},
    )
    source = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)
    # The story whose page the form was on, for its figures (audience/signups.py). Whatever
    # is sent, the sign-up goes ahead: a bad value is only not counted.
    story = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)
    # Left empty by people (it is hidden from them and from screen readers); bots fill it.
    website = forms.CharField(required=False, max_length=500)

    def clean_source(self) -> str:
        return page_path(self.cleaned_data.get("source", ""))

    def clean_story(self) -> int | None:
        return story_id_from(self.cleaned_data.get("story"))


class PreferencesForm(forms.Form):
    newsletters = forms.ModelMultipleChoiceField(
        queryset=active_newsletters(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Send me"),
    )
