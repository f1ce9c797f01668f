from pathlib import PurePath

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Image
from .services import DuplicateImage, find_duplicate
from .uploads import ACCEPTED_LABEL, credit_line, inspect_upload


class ImageAdminForm(forms.ModelForm):
    """The library form. The file is checked by its content before anything is saved."""

    upload = forms.FileField(
        label=_("file"),
        help_text=_(
            f"{ACCEPTED_LABEL}. Caption, credit and copyright are filled in from the photo's "
            "own metadata when the fields are empty."
        ),
    )

    class Meta:
        model = Image
        fields = [
            "title", "alt_text", "caption", "credit", "copyright_notice", "source", "licence",
            "usable_until", "focal_x", "focal_y",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.inspected = None
        if self.instance.pk:
            self.fields["upload"].required = False
            self.fields["upload"].label = _("replace the file")

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if not upload:
            return None
        self.inspected = inspect_upload(upload)
        existing = find_duplicate(self.inspected, exclude_pk=self.instance.pk)
        if existing:
            raise DuplicateImage(existing)
        return upload

    def clean(self):
        cleaned = super().clean()
        # Every picture is credited: typed here, or carried by the photo's own metadata
        # (media.services.attach_upload fills it in from there).
        from_file = credit_line(self.inspected.metadata) if self.inspected else ""
        if not (cleaned.get("credit") or "").strip() and not from_file:
            self.add_error(
                "credit",
                _("Give the picture's credit: every picture is credited (a photo whose own "
                  "details carry one fills it in)."),
            )  # fmt: skip
        return cleaned


class EditorUploadForm(forms.Form):
    """A picture uploaded in the story editor: it becomes a library image like any other, and
    never without its credit (the newsroom's one rule for pictures)."""

    upload = forms.FileField(label=_("file"))
    credit = forms.CharField(
        label=_("credit"),
        max_length=255,
        error_messages={"required": _("Give the picture's credit: every picture is credited.")},
    )
    caption = forms.CharField(label=_("caption"), required=False, max_length=1000)
    alt_text = forms.CharField(label=_("alt text"), required=False, max_length=400)

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        self.inspected = inspect_upload(upload)
        return upload

    def library_title(self) -> str:
        """The picture's name in the library: its caption, else the file's name (never the
        editor's generic "upload" or "image")."""
        caption = " ".join(self.cleaned_data["caption"].split())
        if caption:
            return caption[:255]
        stem = PurePath(self.cleaned_data["upload"].name).stem.replace("_", " ").strip()
        if stem.lower() in GENERIC_FILE_NAMES:
            return f"Picture by {self.cleaned_data['credit']}"[:255]
        return stem[:255]


# What browsers and the editor call a pasted or dropped picture: says nothing in the library.
GENERIC_FILE_NAMES = {"", "upload", "image", "blob", "file", "picture", "photo"}
