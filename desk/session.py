"""Signing in again without leaving the page: when a session ends while someone is writing,
the story form asks for their password in a dialog and carries on with a fresh CSRF token.

Both views answer JSON for desk/static/desk/session.js and are mounted on the desk's admin
site outside `admin_view`, which would send a signed-out request to the login page.
"""

from django.contrib.auth import login
from django.contrib.auth.forms import AuthenticationForm
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST


def _state(request) -> dict:
    """Who the browser is signed in as now, and the CSRF token that goes with it."""
    user = request.user
    signed_in = user.is_authenticated and user.is_active and user.is_staff
    return {"signed_in": signed_in, "user": user.pk if signed_in else None,
            "csrf_token": get_token(request)}  # fmt: skip


@never_cache
@require_GET
def session_state(request):
    """Whether this browser is still signed in (perhaps again, in another tab) and the token
    its forms need now: signing in rotates it, so a page from before carries a stale one."""
    return JsonResponse(_state(request))


@never_cache
@require_POST
def sign_in_again(request):
    """Sign the person who was writing back in; anyone else is refused, so the page's typing
    never lands in another person's working copy."""
    form = AuthenticationForm(request, data=request.POST)
    if not form.is_valid():
        return JsonResponse({"error": "That password is not right. Try again."}, status=400)
    user = form.get_user()
    if not user.is_staff:
        return JsonResponse({"error": "This account cannot use the desk."}, status=403)
    if request.POST.get("user") != str(user.pk):
        error = "Sign in with the account that was writing here, to save what it typed."
        return JsonResponse({"error": error}, status=403)
    login(request, user)
    return JsonResponse(_state(request))
