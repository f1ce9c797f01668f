"""Word-level differences between two texts, as HTML with <ins> and <del>, for people."""

import difflib
import html
import re

import nh3
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

_WORDS = re.compile(r"\s+|\w+|[^\w\s]")


def as_text(value) -> str:
    """A field's value as plain words: rich text loses its markup, paragraphs kept apart."""
    if value is None:
        return ""
    text = str(value)
    if "<" in text and ">" in text:
        text = re.sub(r"</(p|h\d|li|blockquote|figcaption)>|<br\s*/?>", "\n\n", text)
        text = html.unescape(nh3.clean(text, tags=set(), attributes={}))
        text = re.sub(r"[ \t]+", " ", re.sub(r"\n\s*\n\s*", "\n\n", text))
    return text.strip()


def word_diff(old, new, *, context_words: int | None = None) -> SafeString:
    """`new` against `old`, word by word: removed words in <del>, added ones in <ins>.

    With `context_words`, a long unchanged run keeps only that many words at each end."""
    before, after = _WORDS.findall(as_text(old)), _WORDS.findall(as_text(new))
    parts = []
    opcodes = difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes()
    for n, (op, a1, a2, b1, b2) in enumerate(opcodes):
        if op == "equal":
            run = _shorten(before[a1:a2], context_words, n == 0, n == len(opcodes) - 1)
            parts.append(escape(run))
            continue
        if a2 > a1:
            parts.append(_marked("del", before[a1:a2]))
        if b2 > b1:
            parts.append(_marked("ins", after[b1:b2]))
    return mark_safe("".join(str(part) for part in parts))  # every piece escaped above


def _marked(tag: str, tokens: list[str]) -> str:
    """Changed words in <ins> or <del>, the spaces around them left outside."""
    text = "".join(tokens)
    core = text.strip()
    if not core:
        return escape(text)
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    return escape(lead) + format_html("<{}>{}</{}>", tag, core, tag) + escape(trail)


def _shorten(tokens: list[str], keep: int | None, first: bool, last: bool) -> str:
    words = [i for i, token in enumerate(tokens) if not token.isspace()]
    if keep is None or len(words) <= 2 * keep:
        return "".join(tokens)
    head = "" if first else "".join(tokens[: words[keep - 1] + 1])
    tail = "" if last else "".join(tokens[words[-keep] :])
    return f"{head} … {tail}".strip() + (" " if not last else "")
