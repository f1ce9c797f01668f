"""Word-level differences between two texts, as HTML with <ins> and <del>, for people: plain
text word by word, rich text as rendered with its changes marked inside it."""

import difflib
import html
import re

import nh3
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from newsroom import richtext

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


# --- Rich text: the story as rendered, with its changes marked inside it ------------------------

# A tag, an entity, a word, a run of spaces, or one other character.
_HTML_TOKENS = re.compile(r"<[^>]*>|&#?\w+;|\w+|\s+|[^\w\s<&]|[<&]")
# The editor's bookkeeping on list items changes between saves and is not a change to the text.
_BOOKKEEPING = re.compile(r'\sdata-list-item-id="[^"]*"')
_MARKED = {"ins", "del"}


def html_diff(old: str, new: str) -> SafeString:
    """`new` against `old`, both sanitised rich text, as the new text rendered with its
    structure (subheads, lists, quotes, links, pictures) and the changed words marked in
    <ins> and <del>; the result goes through the rich-text allow-list again."""
    before, after = _HTML_TOKENS.findall(old or ""), _HTML_TOKENS.findall(new or "")
    keys = [_BOOKKEEPING.sub("", token) for token in before]
    matcher = difflib.SequenceMatcher(
        a=keys, b=[_BOOKKEEPING.sub("", token) for token in after], autojunk=False
    )
    parts: list[str] = []
    for op, a1, a2, b1, b2 in _joined(matcher.get_opcodes(), after):
        if op == "equal":
            parts += after[b1:b2]
            continue
        # The new text's tags are all kept, so the structure is the new one; a removed
        # paragraph's words stay, struck through, where it was.
        parts += _marked_run("del", before[a1:a2], keep_tags=False)
        parts += _marked_run("ins", after[b1:b2], keep_tags=True)
    return mark_safe(richtext.sanitize("".join(parts), also_allow=_MARKED))  # noqa: S308


def _joined(opcodes, after: list[str]) -> list[tuple]:
    """The matcher's steps with a lone space between two changes made part of them, so a
    rewritten phrase reads as one deletion and one insertion, not word by word in turn."""
    joined: list[list] = []
    for n, (op, a1, a2, b1, b2) in enumerate(opcodes):
        between = 0 < n < len(opcodes) - 1 and joined and joined[-1][0] != "equal"
        if op == "equal" and between and "".join(after[b1:b2]).isspace():
            op = "replace"
        if op != "equal" and joined and joined[-1][0] != "equal":
            joined[-1][0], joined[-1][2], joined[-1][4] = "replace", a2, b2
        else:
            joined.append([op, a1, a2, b1, b2])
    return [tuple(step) for step in joined]


def _marked_run(tag: str, tokens: list[str], *, keep_tags: bool) -> list[str]:
    """Words in <ins> or <del>, one element per stretch between tags; a picture counts as a
    word (shown struck through when removed), other tags are kept only from the new text."""
    out, words = [], []

    def flush():
        text = "".join(words)
        if text.strip():
            lead, core = text[: len(text) - len(text.lstrip())], text.strip()
            out.append(f"{lead}<{tag}>{core}</{tag}>{text[len(text.rstrip()) :]}")
        else:
            out.append(text)
        words.clear()

    for token in tokens:
        if token.startswith("<") and len(token) > 1:
            if token.lower().startswith("<img"):
                words.append(token)
                continue
            if keep_tags:
                flush()
                out.append(token)
            elif not words or not words[-1].isspace():
                words.append(" ")  # a paragraph's end still separates its words
        else:
            words.append(token)
    flush()
    return out
