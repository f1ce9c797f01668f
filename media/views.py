"""The story editor's image upload: every body image becomes a library Image."""

from django.contrib.admin.views.decorators import staff_member_required
from django.http import JsonResponse
from django.views.decorators.http import require_POST

from .forms import EditorUploadForm
from .services import DuplicateImage, create_from_upload


@require_POST
@staff_member_required
def editor_upload(request):
    """CKEditor 5's upload endpoint: the library's validation, then a library image.

    A file already in the library is not stored twice: the existing image is offered."""
    if not request.user.has_perm("media.add_image"):
        return JsonResponse({"error": {"message": "You may not upload images."}}, status=403)
    form = EditorUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        message = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return JsonResponse({"error": {"message": message}}, status=400)
    upload = form.cleaned_data["upload"]
    try:
        image = create_from_upload(
            inspected=form.inspected,
            filename=upload.name,
            user=request.user,
            alt_text=form.cleaned_data["alt_text"],
            credit=form.cleaned_data["credit"],
        )
    except DuplicateImage as duplicate:
        image = duplicate.existing
        return JsonResponse({"url": image.file.url, "id": image.pk, "existing": True})
    return JsonResponse({"url": image.file.url, "id": image.pk, "existing": False})
