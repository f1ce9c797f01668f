"""The contact form and its thank-you page.

CSRF: unlike the newsletter sign-up (which sits on cached pages and so carries no token), the
form has a page of its own, and that page is never cached (`never_cache`; the page cache keeps
only views declared `@public_page`), so it carries Django's CSRF token like any form. That
matters here: without it, any other site could have its visitors' browsers post to us, each
from its own IP, past the per-IP limit. Story pages stay cacheable: "Report an error" on
them is a plain link to this page.
"""

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from caching.pages import public_page
from newsroom import rate_limits

from . import services
from .forms import ContactForm
from .models import ContactMessage

Kind = ContactMessage.Kind

RATE_LIMITED = _(
    "You have sent us several messages in the last hour; please try again later. "
    "Your message is still in the form below."
)


@never_cache
@require_http_methods(["GET", "POST"])
def contact_form(request):
    """The form (GET, with ?story=<id> for an error report, ?author=<slug> for a message to an
    author); POST keeps the message and redirects to the thank-you page."""
    if request.method == "POST":
        form = ContactForm(request.POST)
        if form.is_valid():
            ip = rate_limits.client_ip(request)
            if not rate_limits.allow(
                "contact:messages", ip, per_hour=settings.CONTACT_MESSAGES_PER_IP
            ):
                form.add_error(None, RATE_LIMITED)
                response = _render(request, form, status=429)
                response["Retry-After"] = "3600"
                return response
            if not form.cleaned_data["website"]:  # a bot filled the hidden field: keep nothing
                services.receive_message(**form.message_fields())
            return redirect("contact:thanks")
        return _render(request, form, status=400)
    asked = {
        "story": request.GET.get("story", "")[:40],
        "author": request.GET.get("author", "")[:60],
    }
    form = ContactForm(initial=asked)
    story, author = form.named_story, form.named_author
    form.initial = {
        "story": story.pk if story else "",
        "author": author.slug if author else "",
        # "Report an error" names the kind even when the story is not one readers may see.
        "kind": Kind.AUTHOR if author else Kind.ERROR if asked["story"] else Kind.CONTACT,
    }
    return _render(request, form)


def _render(request, form, status=200):
    context = {
        "form": form,
        "story": form.named_story,
        "author": form.named_author,
        "meta_title": _("Contact us"),
    }
    return render(request, "contact/contact_form.html", context, status=status)


@public_page
def thanks(request):
    """After a message is sent (POST, redirect, GET): the same page for everyone."""
    return render(request, "contact/thanks.html", {"meta_title": _("Thank you")})
