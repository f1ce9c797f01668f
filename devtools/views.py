from django.http import HttpResponse


def fixed_page(request):
    """The benchmark's ceiling: a fixed page of ?size= bytes through the same server and
    middleware as every other page, doing no work of its own."""
    try:
        size = min(max(int(request.GET.get("size", "60000")), 1), 1_000_000)
    except ValueError:
        size = 60000
    return HttpResponse(_FILLER[:size], content_type="text/html; charset=utf-8")


_FILLER = "<!doctype html><title>Fixed</title>" + "<p>newsroom benchmark filler.</p>" * 40000
