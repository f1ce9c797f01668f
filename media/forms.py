from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Image
from .services import DuplicateImage, find_duplicate
from .uploads import ACCEPTED_LABEL, inspect_upload


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


class EditorUploadForm(forms.Form):
    """An image dropped into the story editor: it becomes a library image like any other."""

    upload = forms.FileField(label=_("file"))
    alt_text = forms.CharField(required=False, max_length=400)
    credit = forms.CharField(required=False, max_length=255)

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        self.inspected = inspect_upload(upload)
        return upload
