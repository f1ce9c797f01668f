"""Public newsletter pages. None of them sends mail (a task does, after the commit) and none
that names a reader is ever cached: signed-link pages are `never_cache`, so the page cache
and any CDN leave them alone."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from audience import signups
from caching.pages import public_page
from newsroom import rate_limits

from . import links, subscribing
from .forms import PreferencesForm, SignupForm
from .models import Newsletter
from .subscribing import active_newsletters


@public_page
def newsletter_list(request):
    """Every newsletter a reader may subscribe to, with one form for any of them."""
    newsletters = list(active_newsletters().select_related("series", "section"))
    return render(
        request,
        "newsletters/newsletter_list.html",
        {"newsletters": newsletters, "meta_title": "Newsletters"},
    )


# CSRF: the sign-up form sits on pages cached for every anonymous reader, so it cannot carry a
# per-visitor CSRF token (and a token's cookie would make those pages uncacheable). A forged
# cross-site post gains nothing a direct post would not: no session or account is involved,
# the address gets at most a confirmation email an hour (double opt-in: nothing else until it
# clicks), and each IP is rate-limited. Those, not a token, protect this endpoint.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def subscribe(request):
    """The form's target. Answers "check your inbox" for every valid address alike."""
    form = SignupForm(request.POST if request.method == "POST" else None)
    if not form.is_valid():
        context = {
            "form": form,
            "newsletters": list(active_newsletters()),
            "chosen": request.POST.getlist("newsletter"),
            "email": request.POST.get("email", "")[:254],
        }
        status = 400 if form.is_bound else 200
        return render(request, "newsletters/subscribe.html", context, status=status)
    if not form.cleaned_data["website"]:
        try:
            subscribing.subscribe(
                email=form.cleaned_data["email"],
                newsletters=form.cleaned_data["newsletter"],
                source=form.cleaned_data["source"] or request.path,
                ip=rate_limits.client_ip(request),
            )
        except subscribing.RateLimited:
            response = render(request, "newsletters/rate_limited.html", status=429)
            response["Retry-After"] = "3600"
            return response
        signups.record_signups(
            story_id=form.cleaned_data["story"], newsletters=form.cleaned_data["newsletter"]
        )
    return render(request, "newsletters/check_inbox.html")


def _bad_link(request, error: links.BadLink):
    status = 410 if error.expired else 400
    return render(request, "newsletters/bad_link.html", {"expired": error.expired}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    """GET shows a button, POST confirms: mail scanners that open every link in a message
    must not give consent for the reader."""
    try:
        link = links.read_token(links.CONFIRM, token)
    except links.BadLink as error:
        return _bad_link(request, error)
    subscriber = link.subscriber
    if request.method == "POST":
        confirmed = subscribing.confirm(subscriber=subscriber, newsletter_ids=link.newsletter_ids)
        return render(
            request,
            "newsletters/confirmed.html",
            {"confirmed": confirmed, "preferences_url": links.preferences_url(subscriber)},
        )
    newsletters = active_newsletters().filter(pk__in=link.newsletter_ids)
    return render(
        request,
        "newsletters/confirm.html",
        {"subscriber": subscriber, "newsletters": newsletters},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def preferences(request, token: str):
    """Change newsletters, or leave them all, through the signed link in every email."""
    try:
        link = links.read_token(links.PREFERENCES, token)
    except links.BadLink as error:
        return _bad_link(request, error)
    subscriber, saved = link.subscriber, False
    if request.method == "POST":
        if "unsubscribe_all" in request.POST:
            subscribing.unsubscribe(subscriber=subscriber)
        else:
            form = PreferencesForm(request.POST)
            if not form.is_valid():
                context = {"subscriber": subscriber, "form": form}
                return render(request, "newsletters/preferences.html", context, status=400)
            subscribing.set_preferences(
                subscriber=subscriber,
                newsletters=form.cleaned_data["newsletters"],
                source="preferences page",
            )
        saved = True
    current = subscriber.subscriptions.filter(state="active").values_list(
        "newsletter__slug", flat=True
    )
    form = PreferencesForm(initial={"newsletters": list(current)})
    return render(
        request,
        "newsletters/preferences.html",
        {"subscriber": subscriber, "form": form, "saved": saved},
    )


# RFC 8058: mail clients post `List-Unsubscribe=One-Click` to this address with no cookie and
# no CSRF token; the signed token in the address is the authority. GET only shows a button,
# so a link scanner cannot unsubscribe anyone.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """One click (or one POST from the mail client) and the mail stops, at once."""
    try:
        link = links.read_token(links.UNSUBSCRIBE, token)
    except links.BadLink as error:
        return _bad_link(request, error)
    subscriber = link.subscriber
    context = {
        "subscriber": subscriber,
        "preferences_url": links.preferences_url(subscriber),
        # From an issue's link: that newsletter only (RFC 8058: the list the mail came from).
        "newsletter": Newsletter.objects.filter(issues=link.issue_id).first()
        if link.issue_id
        else None,
    }
    if request.method == "POST":
        subscribing.unsubscribe(subscriber=subscriber, issue_id=link.issue_id)
        return render(request, "newsletters/unsubscribed.html", context)
    return render(request, "newsletters/unsubscribe.html", context)
