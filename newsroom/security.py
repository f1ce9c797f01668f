"""Security headers beyond Django's own: the admin's looser style policy, Permissions-Policy.

The Content-Security-Policy itself is django-csp's (settings.CONTENT_SECURITY_POLICY): strict
on public pages, with no inline scripts or styles. The admin keeps `script-src 'self'` but
allows inline styles, which CKEditor 5 and Django's admin widgets set from JavaScript.
"""

from csp.constants import UNSAFE_INLINE

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)


class SecurityHeadersMiddleware:
    """Sits inside django-csp's middleware, so what it sets on the response is applied."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if request.path.startswith("/admin/"):
            update = {"style-src": [UNSAFE_INLINE], "img-src": ["blob:"]}
            # A view may widen its own page's policy too (the newsletter preview's pictures).
            for directive, sources in getattr(response, "_csp_update", {}).items():
                update[directive] = [*update.get(directive, []), *sources]
            response._csp_update = update
        return response
