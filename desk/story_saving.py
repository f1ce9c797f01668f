"""Saving the story form: one straight line from the form to one service and back.

The view validates the form and its inlines, builds the change (the story's fields as typed,
the inlines' rows, the version the form was made from, the button pressed), calls
`articles.services.save_story` once, and shows the result: the next page, or the form again
with why nothing was saved. The service locks the story once, checks the version, writes,
takes the step and says what it means for readers; nothing calls back into the admin, and
nothing is left on the request.
"""

from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.formsets import all_valid
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from articles import services
from articles.changes import Relations

from . import working_copies


def parse_local_datetime(value: str):
    """A datetime-local input's value in the site's time zone; None if it is not a time."""
    try:
        parsed = parse_datetime(value or "")
    except ValueError:  # well-formed but impossible, e.g. 30 February
        return None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


# The publish and schedule buttons say whether they email the story's newsletters: the one
# that does posts "<step>-and-email"; the plain step name sends nothing.
AND_EMAIL = "-and-email"


def step_and_email(value: str | None) -> tuple[str, bool]:
    """A "_step" button's value as (step, whether to email): "publish-and-email" → both."""
    value = value or ""
    return value.removesuffix(AND_EMAIL), value.endswith(AND_EMAIL)


def refusal(step: str, error: Exception) -> list[str]:
    """Why a save (and its step) was refused, in the words the form shows."""
    reasons = error.messages if isinstance(error, ValidationError) else [str(error)]
    found = services.STEPS.get(step)
    if found is not None:
        reasons = [f"{found.label}: {reason}" for reason in reasons]
    return [*reasons, "Nothing was saved; your changes are still in the form."]


class StorySaving:
    """The story admin's POST: everything else (showing the form) is the admin's own."""

    def _changeform_view(self, request, object_id, form_url, extra_context):
        if request.method != "POST" or IS_POPUP_VAR in request.POST:
            return super()._changeform_view(request, object_id, form_url, extra_context)
        add = object_id is None
        story = None if add else self.get_object(request, unquote(object_id))
        if add and not self.has_add_permission(request):
            raise PermissionDenied
        if not add:
            if story is None:
                return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
            if not self.has_change_permission(request, story):
                raise PermissionDenied
        fieldsets = self.get_fieldsets(request, story)
        form, formsets, inline_instances = self._bound(request, story, fieldsets)
        if form.is_valid() & all_valid(formsets):  # both validated, as the admin does
            step, email = step_and_email(request.POST.get("_step"))
            as_pending = "_pending" in request.POST and not add
            try:
                saved = services.save_story(
                    article=form.instance,
                    user=request.user,
                    relations=Relations.from_formsets(formsets),
                    started_from=form.cleaned_data.get("started_from_version"),
                    mark_updated=form.cleaned_data.get("mark_updated", False),
                    as_pending=as_pending,
                    step=step,
                    comment=request.POST.get(f"_comment_{step}", "").strip() if step else "",
                    at=parse_local_datetime(request.POST.get("_step_at", "")),
                    email=email,
                    working_copy_tab=working_copies.tab_of(request.POST),  # only this tab's
                )
            except (PermissionDenied, ValidationError) as error:
                # The service's transaction is undone; the form shows again as typed, made
                # afresh (the one in hand holds what the undone write put in it).
                story = None if add else self.get_object(request, unquote(object_id))
                form, formsets, inline_instances = self._bound(request, story, fieldsets)
                form.is_valid() & all_valid(formsets)
                form.add_error(None, ValidationError(refusal(step, error), code="refused"))
            else:
                return self._saved(request, form, saved, add=add, step=step, pending=as_pending)
        return self._show_again(request, form, formsets, inline_instances, story, fieldsets,
                                object_id, form_url, extra_context)  # fmt: skip

    def _bound(self, request, story, fieldsets):
        """The story form and its inlines, bound to what was posted."""
        add = story is None
        form_class = self.get_form(
            request, story, change=not add, fields=flatten_fieldsets(fieldsets)
        )
        form = form_class(request.POST, request.FILES, instance=story)
        formsets, inline_instances = self._create_formsets(request, form.instance, change=not add)
        return form, formsets, inline_instances

    def _saved(self, request, form, saved, *, add: bool, step: str, pending: bool):
        """Where the desk goes after a save, and what it says."""
        message = self.construct_change_message(request, form, [], add)
        (self.log_addition if add else self.log_change)(request, saved, message)
        if pending:
            self.message_user(
                request,
                "Saved as pending changes: readers still see the live story until a "
                "publisher publishes them.",
                messages.SUCCESS,
            )
            return redirect(reverse("admin:articles_article_change", args=[saved.pk]))
        if step:  # publishing pending changes shows the live story they changed
            self.message_user(
                request, f"Saved. “{saved}” is now {saved.display_status.lower()}.",
                messages.SUCCESS,
            )  # fmt: skip
            return redirect(reverse("admin:articles_article_change", args=[saved.pk]))
        if add:
            return self.response_add(request, saved)
        return self.response_change(request, saved)

    def _show_again(self, request, form, formsets, inline_instances, story, fieldsets,
                    object_id, form_url, extra_context):  # fmt: skip
        """The form as typed, with its errors (as the admin shows an invalid form)."""
        add = story is None
        admin_form = helpers.AdminForm(
            form, list(fieldsets), self.get_prepopulated_fields(request, story),
            self.get_readonly_fields(request, story), model_admin=self,
        )  # fmt: skip
        inline_formsets = self.get_inline_formsets(request, formsets, inline_instances, story)
        media = self.media + admin_form.media
        for inline_formset in inline_formsets:
            media += inline_formset.media
        context = {
            **self.admin_site.each_context(request),
            "title": ("Add %s" if add else "Change %s") % self.opts.verbose_name,
            "subtitle": str(story) if story else None,
            "adminform": admin_form,
            "object_id": object_id,
            "original": story,
            "is_popup": False,
            "to_field": None,
            "media": media,
            "inline_admin_formsets": inline_formsets,
            "errors": helpers.AdminErrorList(form, formsets),
            "preserved_filters": self.get_preserved_filters(request),
            **(extra_context or {}),
        }
        return self.render_change_form(
            request, context, add=add, change=not add, obj=story, form_url=form_url
        )
