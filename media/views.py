"""The story editor's image upload: every body image becomes a library Image."""

from django.contrib.admin.views.decorators import staff_member_required
from django.http import JsonResponse
from django.views.decorators.http import require_POST

from .forms import EditorUploadForm


@require_POST
@staff_member_required
def editor_upload(request):
    """CKEditor 5's upload endpoint: validate, store as a library image, return its URL."""
    if not request.user.has_perm("media.add_image"):
        return JsonResponse({"error": {"message": "You may not upload images."}}, status=403)
    form = EditorUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        message = " ".join(e for errors in form.errors.values() for e in errors)
        return JsonResponse({"error": {"message": message}}, status=400)
    image = form.save(commit=False)
    image.file = form.cleaned_data["upload"]
    image.uploaded_by = request.user
    image.title = image.file.name.rsplit("/", 1)[-1][:255]
    image.save()
    return JsonResponse({"url": image.file.url, "id": image.pk})
