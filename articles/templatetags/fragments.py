"""`{% fragments %}…{% endfragments %}` gathers every stored fragment inside it into one cache
read; `{% fragment f %}` places one (articles.fragments.Fragment); `{% teaser %}` places the
teaser of the story in `article` (caching.fragments has the why)."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from caching.fragments import Batch, cached

from .. import fragments

register = template.Library()
BATCH = "_fragment_batch"


class FragmentsNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        batch = Batch()
        with context.push({BATCH: batch}):
            html = self.nodelist.render(context)
        return batch.resolve(html)


@register.tag("fragments")
def do_fragments(parser, token):
    """The part of a page whose fragments are fetched together, after it has rendered."""
    nodelist = parser.parse(("endfragments",))
    parser.delete_first_token()
    return FragmentsNode(nodelist)


@register.simple_tag(takes_context=True)
def fragment(context, piece: fragments.Fragment):
    """One fragment: a placeholder inside `{% fragments %}`, else read (or drawn) at once.
    A preview draws it and stores nothing: its text may never be saved."""
    if context.get("preview"):
        return mark_safe(str(piece.render()))  # noqa: S308 - our own escaped template output
    batch = context.get(BATCH)
    if batch is not None:
        return batch.placeholder(piece.key, piece.render)
    return cached(piece.key, piece.render)


@register.simple_tag(takes_context=True)
def teaser(context):
    """The teaser of `article`, in the variant the context asks for (compact, eager_image,
    show_date). A search hit's snippet depends on the query: that one is drawn every time."""
    article = context["article"]
    options = {name: bool(context.get(name)) for name in ("compact", "eager_image", "show_date")}
    snippet = context.get("snippet")
    if snippet:
        return render_to_string(
            fragments.TEASER_TEMPLATE, {"article": article, "snippet": snippet, **options}
        )
    return fragment(context, fragments.teaser(article, **options))
