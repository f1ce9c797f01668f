from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_ckeditor_5.widgets import CKEditor5Widget

from articles.conflicts import find_conflict
from articles.models import Article
from articles.models.article import web_address


class ArticleAdminForm(forms.ModelForm):
    """The story form, with a guard against two people overwriting each other's work."""

    # The version the editor started from. If someone saved in between, the save is refused
    # and the editor's text stays in the form to merge.
    started_from_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # After a refused save: what this person's fields held when shown the other's changes.
    conflict_seen = forms.CharField(widget=forms.HiddenInput, required=False)
    mark_updated = forms.BooleanField(
        label=_("Show as updated"),
        required=False,
        help_text=_(
            "Tick for a substantive change to a published story: readers see a new "
            "“Updated” time. Leave it for typos and minor edits."
        ),
    )

    class Meta:
        model = Article
        fields = [
            "kicker", "headline", "dek", "article_type", "section", "series", "body", "teaser",
            "lead_image", "lead_image_caption", "publish_at", "unpublish_at", "slug",
            "updated_at", "seo_title", "seo_description", "social_image", "sponsor_name",
            "sponsor_url",
        ]  # fmt: skip
        widgets = {
            "body": CKEditor5Widget(config_name="default"),
            "teaser": CKEditor5Widget(config_name="teaser"),
            "headline": forms.TextInput(attrs={"class": "vTextField", "style": "width:100%"}),
            "dek": forms.Textarea(attrs={"rows": 3}),
            "lead_image_caption": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The initial value is also set on bound forms, so the hidden field is not reported
        # as a change in the revision history.
        self.initial["started_from_version"] = self.instance.version
        if "sponsor_url" in self.fields:  # one message for any address not a web page's
            self.fields["sponsor_url"].error_messages["invalid"] = web_address.message
        for name in ("body", "teaser"):
            if name in self.fields:
                # CKEditor hides the textarea; the browser must not block the submit on it.
                self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and not self.errors:
            self._check_not_overwriting(cleaned.get("started_from_version"))
        publish_at, unpublish_at = cleaned.get("publish_at"), cleaned.get("unpublish_at")
        if publish_at and unpublish_at and unpublish_at <= publish_at:
            self.add_error(
                "unpublish_at", _("The unpublish time must come after the publish time.")
            )
        return cleaned

    def _check_not_overwriting(self, started_from: int | None) -> None:
        # A read, not a lock: the save service locks the story and refuses it if it moved
        # past the version this check settles on (articles.services.StaleStory).
        current = (
            Article.objects.select_related("last_edited_by").filter(pk=self.instance.pk).first()
        )
        if current is None or started_from == current.version:
            return
        if self.data.get("_overwrite_version") == str(current.version):
            self.cleaned_data["started_from_version"] = current.version
            return  # "Save mine over theirs", knowing what theirs is
        conflict = find_conflict(form=self, started_from=started_from, current=current)
        if conflict is None or not conflict.unresolved:
            self.cleaned_data["started_from_version"] = current.version
            return  # every change of theirs is merged into this form
        self.conflict = conflict
        self.data = self.data.copy()
        self.data[self.add_prefix("conflict_seen")] = conflict.seen
        when = timezone.localtime(conflict.when).strftime("%H:%M")
        raise forms.ValidationError(
            _(
                "%(who)s saved this story at %(when)s while you were editing it. Nothing was "
                "saved: your text is still in the form. Their changes are shown below; use "
                "theirs where you want it, then save, or save yours over theirs."
            ),
            code="conflict",
            params={"who": conflict.who, "when": when},
        )
