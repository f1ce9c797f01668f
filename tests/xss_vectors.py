"""A corpus of hostile rich text: XSS vectors that must never run on our pages.

Written for this project, after the classic lists (the OWASP XSS filter-evasion cheat sheet,
html5sec.org, the published DOMPurify and sanitizer mutation-XSS bypasses), plus vectors aimed
at our own code: the "keep reading" break, the regexes that cut previews out of a body, the
library-picture rewriting and JSON-LD.

Every vector that runs announces itself with its number N: `alert(N)` (a dialog), a request
to `/xss-beacon?id=N` on the site, or `top.xss = N` (a window global). `vectors()` numbers them
and fills the number in for the token XID; LIBSRC stands for a library image's address.
"""

# The vectors are data, each kept whole on one line so it reads as written.
# ruff: noqa: E501

import base64
import re
from dataclasses import dataclass

SCRIPT, HANDLER, URL, SVG_MATHML, CSS, MALFORMED, ENCODED = (
    "script tags", "event handlers", "javascript: and data: URLs", "SVG and MathML",
    "CSS", "malformed and nested markup", "encoded variants",
)  # fmt: skip
BEACON = "/xss-beacon"


def _dec(text: str, pad: int = 0) -> str:
    return "".join(f"&#{ord(c):0{pad}d};" for c in text)


def _dec_bare(text: str) -> str:
    return "".join(f"&#{ord(c)}" for c in text)


def _hex(text: str) -> str:
    return "".join(f"&#x{ord(c):x};" for c in text)


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _chars(text: str) -> str:
    return ",".join(str(ord(c)) for c in text)


def _url_escape(text: str) -> str:
    return "".join(f"%{ord(c):02X}" for c in text)


_SVG_ONLOAD = '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(%d)"/>'
_SVG_USE = (
    '<svg id="x" xmlns="http://www.w3.org/2000/svg"><image href="x" onerror="alert(%d)"/></svg>'
)

# (category, template). Templates are str (XID replaced) or callables taking the number.
_TEMPLATES = [
    # --- script tags ---------------------------------------------------------------------
    (SCRIPT, "<script>alert(XID)</script>"),
    (SCRIPT, "<SCRIPT>alert(XID)</SCRIPT>"),
    (SCRIPT, '<script type="text/javascript">alert(XID)</script>'),
    (SCRIPT, "<script type=module>alert(XID)</script>"),
    (SCRIPT, '<script src="/xss-beacon?id=XID"></script>'),
    (SCRIPT, "<SCRIPT SRC=/xss-beacon?id=XID></SCRIPT>"),
    (SCRIPT, '<script/xss src="/xss-beacon?id=XID"></script>'),
    (SCRIPT, "<<SCRIPT>alert(XID);//<</SCRIPT>"),
    (SCRIPT, "<script>alert(XID)//"),
    (SCRIPT, "<script\n>alert(XID)</script\n>"),
    (SCRIPT, "<scr<script>ipt>alert(XID)</scr</script>ipt>"),
    (SCRIPT, "<script>/*</script>*/alert(XID)</script>"),
    (SCRIPT, "</title><script>alert(XID)</script>"),
    (SCRIPT, "</textarea><script>alert(XID)</script>"),
    (SCRIPT, '"><script>alert(XID)</script>'),
    (SCRIPT, "'><script>alert(XID)</script>"),
    (SCRIPT, "</script><script>alert(XID)</script>"),
    (SCRIPT, "</style><script>alert(XID)</script>"),
    (SCRIPT, "<script>fetch('/xss-beacon?id=XID')</script>"),
    (SCRIPT, "<script>top.xss=XID</script>"),
    (SCRIPT, "<p>text<script>alert(XID)</script>more</p>"),
    (SCRIPT, "<script language=vbscript>alert(XID)</script>"),
    # --- event handlers --------------------------------------------------------------------
    (HANDLER, "<img src=x onerror=alert(XID)>"),
    (HANDLER, "<IMG SRC=x OnErRoR=alert(XID)>"),
    (HANDLER, '<img src="x" onerror="alert(XID)">'),
    (HANDLER, "<img/src=x/onerror=alert(XID)>"),
    (HANDLER, "<img src=x onerror\n=alert(XID)>"),
    (HANDLER, "<img src=x:alert(alt) onerror=eval(src) alt=XID>"),
    (HANDLER, "<img src=x onerror=fetch('/xss-beacon?id=XID')>"),
    (HANDLER, "<img src=x onerror=\"new Image().src='/xss-beacon?id=XID'\">"),
    (HANDLER, "<img src=x onerror=top['al'+'ert'](XID)>"),
    (HANDLER, '<img src=x onerror="window.onerror=alert;throw XID">'),
    (HANDLER, "<image src=x onerror=alert(XID)>"),
    (HANDLER, "<svg onload=alert(XID)>"),
    (HANDLER, "<svg/onload=alert(XID)>"),
    (HANDLER, "<body onload=alert(XID)>"),
    (HANDLER, "<body onpageshow=alert(XID)>"),
    (HANDLER, "<input autofocus onfocus=alert(XID)>"),
    (HANDLER, "<select autofocus onfocus=alert(XID)></select>"),
    (HANDLER, "<textarea autofocus onfocus=alert(XID)></textarea>"),
    (HANDLER, "<keygen autofocus onfocus=alert(XID)>"),
    (HANDLER, "<details open ontoggle=alert(XID)><summary>x</summary></details>"),
    (HANDLER, "<video><source onerror=alert(XID)></video>"),
    (HANDLER, "<video src=x onerror=alert(XID)></video>"),
    (HANDLER, "<audio src=x onerror=alert(XID)></audio>"),
    (HANDLER, "<marquee onstart=alert(XID)>x</marquee>"),
    (HANDLER, "<iframe onload=alert(XID)></iframe>"),
    (HANDLER, "<object data=x onerror=alert(XID)></object>"),
    (HANDLER, "<link rel=stylesheet href=x onerror=alert(XID)>"),
    (HANDLER, "<style onload=alert(XID)></style>"),
    (HANDLER, "<input type=image src=x onerror=alert(XID)>"),
    (HANDLER, "<p onclick=alert(XID)>click</p>"),
    (HANDLER, '<a href="https://example.org/" onmouseover=alert(XID)>hover</a>'),
    (HANDLER, '<div onmouseover="alert(XID)" style="position:fixed;inset:0">cover</div>'),
    (HANDLER, "<strong onpointerenter=alert(XID)>x</strong>"),
    (HANDLER, "<h2 onfocus=alert(XID) tabindex=1 autofocus>x</h2>"),
    (HANDLER, "<blockquote onanimationstart=alert(XID) style=animation-name:spin>x</blockquote>"),
    (HANDLER, '<figure class="image" onclick=alert(XID)><img src=x onerror=alert(XID)></figure>'),
    (HANDLER, '<oembed url="https://www.youtube.com/watch?v=a" onerror=alert(XID)></oembed>'),
    (HANDLER, '<div class="page-break" onmouseover=alert(XID)>x</div>'),
    (HANDLER, "<form><button formaction=javascript:alert(XID)>go</button></form>"),
    (HANDLER, "<isindex action=javascript:alert(XID) type=submit>"),
    (HANDLER, "<frameset onload=alert(XID)>"),
    (HANDLER, "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(XID)>"),
    (HANDLER, "<img src=x onerror=\\u0061lert(XID)>"),
    (HANDLER, lambda n: f"<img src=x onerror=eval(atob('{_b64(f'alert({n})')}'))>"),
    (HANDLER, lambda n: f"<img src=x onerror=eval(String.fromCharCode({_chars(f'alert({n})')}))>"),
    (HANDLER, "<img src=x onerror=\"eval('\\x61lert(XID)')\">"),
    # --- javascript:, data:, vbscript: URLs ------------------------------------------------
    (URL, '<a href="javascript:alert(XID)">x</a>'),
    (URL, '<a href="JaVaScRiPt:alert(XID)">x</a>'),
    (URL, '<a href=" javascript:alert(XID)">x</a>'),
    (URL, '<a href="java\tscript:alert(XID)">x</a>'),
    (URL, '<a href="java\nscript:alert(XID)">x</a>'),
    (URL, '<a href="java&#x09;script:alert(XID)">x</a>'),
    (URL, '<a href="jav&#x0A;ascript:alert(XID)">x</a>'),
    (URL, '<a href="java&NewLine;script:alert(XID)">x</a>'),
    (URL, '<a href="javascript&colon;alert(XID)">x</a>'),
    (URL, "<a href=javascript&colon;alert&lpar;XID&rpar;>x</a>"),
    (URL, '<a href="&#14;javascript:alert(XID)">x</a>'),
    (URL, '<a href="\x01javascript:alert(XID)">x</a>'),
    (URL, '<a href="javascript://%0aalert(XID)">x</a>'),
    (URL, '<a href="vbscript:msgbox(XID)">x</a>'),
    (URL, '<a href="livescript:alert(XID)">x</a>'),
    (URL, '<a href="data:text/html,<script>alert(XID)</script>">x</a>'),
    (
        URL,
        lambda n: f'<a href="data:text/html;base64,{_b64(f"<script>alert({n})</script>")}">x</a>',
    ),
    (URL, '<a href="https://example.org/" href="javascript:alert(XID)">x</a>'),
    (URL, '<img src="javascript:alert(XID)">'),
    (URL, '<img src="jav\tascript:alert(XID);">'),
    (URL, '<img dynsrc="javascript:alert(XID)" lowsrc="javascript:alert(XID)">'),
    (URL, '<img src=x srcset="javascript:alert(XID)">'),
    (URL, lambda n: f'<img src="data:image/svg+xml;base64,{_b64(_SVG_ONLOAD % n)}">'),
    (URL, '<iframe src="javascript:alert(XID)"></iframe>'),
    (URL, '<iframe srcdoc="<script>parent.alert(XID)</script>"></iframe>'),
    (
        URL,
        lambda n: (
            f'<iframe src="data:text/html;base64,{_b64(f"<script>alert({n})</script>")}"></iframe>'
        ),
    ),
    (URL, '<embed src="javascript:alert(XID)">'),
    (
        URL,
        lambda n: (
            f'<object data="data:text/html;base64,{_b64(f"<script>alert({n})</script>")}"></object>'
        ),
    ),
    (URL, '<form action="javascript:alert(XID)"><input type=submit></form>'),
    (URL, '<base href="javascript:alert(XID)//">'),
    (URL, '<meta http-equiv="refresh" content="0;url=javascript:alert(XID)">'),
    (
        URL,
        lambda n: (
            f'<meta http-equiv="refresh" content="0;url=data:text/html;base64,{_b64(f"<script>alert({n})</script>")}">'
        ),
    ),
    (
        URL,
        '<table background="javascript:alert(XID)"><tr><td background="javascript:alert(XID)">x</td></tr></table>',
    ),
    (URL, '<oembed url="javascript:alert(XID)"></oembed>'),
    (URL, '<oembed url="data:text/html,<script>alert(XID)</script>"></oembed>'),
    (URL, '<figure class="media"><oembed url=" javascript:alert(XID)"></oembed></figure>'),
    (
        URL,
        '<a href="//evil.example/xss-beacon?id=XID">protocol-relative</a><a href="javascript:top.xss=XID">x</a>',
    ),
    # --- SVG and MathML --------------------------------------------------------------------
    (SVG_MATHML, "<svg><script>alert(XID)</script></svg>"),
    (SVG_MATHML, '<svg><script href="data:,alert(XID)"></script></svg>'),
    (SVG_MATHML, '<svg><script xlink:href="data:,alert(XID)"></script></svg>'),
    (SVG_MATHML, '<svg><a xlink:href="javascript:alert(XID)"><text x=20 y=20>x</text></a></svg>'),
    (SVG_MATHML, "<svg><animate onbegin=alert(XID) attributeName=x dur=1s></svg>"),
    (SVG_MATHML, "<svg><set onbegin=alert(XID) attributeName=x to=1></svg>"),
    (SVG_MATHML, "<svg><discard onbegin=alert(XID)></svg>"),
    (
        SVG_MATHML,
        "<svg><a><animate attributeName=href values=javascript:alert(XID) /><text x=20 y=20>x</text></a></svg>",
    ),
    (SVG_MATHML, "<svg><image href=x onerror=alert(XID)></image></svg>"),
    (
        SVG_MATHML,
        '<svg><foreignObject><iframe srcdoc="<script>parent.alert(XID)</script>"></iframe></foreignObject></svg>',
    ),
    (
        SVG_MATHML,
        lambda n: f'<svg><use href="data:image/svg+xml;base64,{_b64(_SVG_USE % n)}#x"></use></svg>',
    ),
    (SVG_MATHML, "<svg><style>{font-family:'<iframe/onload=alert(XID)>'}</style></svg>"),
    (SVG_MATHML, "<svg><title><![CDATA[</title><img src=x onerror=alert(XID)>]]></title></svg>"),
    (SVG_MATHML, "<svg><desc><![CDATA[</desc><script>alert(XID)</script>]]></desc></svg>"),
    (SVG_MATHML, '<svg></p><style><a id="</style><img src=1 onerror=alert(XID)>"></style></svg>'),
    (
        SVG_MATHML,
        '<svg><p><style><g title="</style><img src=x onerror=alert(XID)>"></style></p></svg>',
    ),
    (
        SVG_MATHML,
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(XID)></style></mglyph></table></mtext></math>",
    ),
    (
        SVG_MATHML,
        "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(XID)>",
    ),
    (
        SVG_MATHML,
        '<math><mtext><h1><a><h6></a></h6><mglyph><svg><mtext><style><a title="</style><img src onerror=alert(XID)>"></style></h1>',
    ),
    (SVG_MATHML, '<math><mi xlink:href="data:x,<script>alert(XID)</script>">x</mi></math>'),
    (SVG_MATHML, '<math href="javascript:alert(XID)">click</math>'),
    (
        SVG_MATHML,
        '<math><maction actiontype=statusline xlink:href="javascript:alert(XID)">x<mtext>y</mtext></maction></math>',
    ),
    (
        SVG_MATHML,
        '<math><annotation-xml encoding="text/html"><img src=x onerror=alert(XID)></annotation-xml></math>',
    ),
    (SVG_MATHML, "<svg onload=alert(XID)//"),
    (
        SVG_MATHML,
        '<svg><handler xmlns:ev="http://www.w3.org/2001/xml-events" ev:event="load">alert(XID)</handler></svg>',
    ),
    # --- CSS -------------------------------------------------------------------------------
    (CSS, '<div style="background:url(javascript:alert(XID))">x</div>'),
    (CSS, '<div style="width:expression(alert(XID))">x</div>'),
    (CSS, '<img style="xss:expr/*x*/ession(alert(XID))" src=x>'),
    (CSS, '<div style="behavior:url(/xss-beacon?id=XID)">x</div>'),
    (CSS, '<div style="-moz-binding:url(/xss-beacon?id=XID)">x</div>'),
    (CSS, '<div style="background-image:url(/xss-beacon?id=XID)">x</div>'),
    (CSS, '<span style="display:none;background:url(/xss-beacon?id=XID)">x</span>'),
    (CSS, '<span style="display:none;" onmouseover=alert(XID)>x</span>'),
    (
        CSS,
        '<div class="page-break" style="page-break-after:always;background:url(/xss-beacon?id=XID)"><span style="display:none;">&nbsp;</span></div>',
    ),
    (
        CSS,
        '<div class="page-break" style="page-break-after:always;&#x62;ackground:url(/xss-beacon?id=XID)"></div>',
    ),
    (CSS, '<span style="display:none;}body{background:url(/xss-beacon?id=XID)">x</span>'),
    (CSS, "<p style=\"background:url('java\\0script:alert(XID)')\">x</p>"),
    (CSS, "<style>@import '/xss-beacon?id=XID';</style>"),
    (CSS, '<style>body{background:url("/xss-beacon?id=XID")}</style>'),
    (CSS, '<style>li{list-style-image:url("javascript:alert(XID)")}</style><ul><li>x</li></ul>'),
    (
        CSS,
        '<style>@keyframes x{}</style><div style="animation-name:x" onanimationstart=alert(XID)>x</div>',
    ),
    (CSS, '<link rel=stylesheet href="data:,*%7bbackground:url(/xss-beacon?id=XID)%7d">'),
    (CSS, '<img src=x style="aspect-ratio:1/1;background:url(/xss-beacon?id=XID)">'),
    (
        CSS,
        '<p style="position:fixed;top:0;left:0;width:100%;height:100%;background:url(/xss-beacon?id=XID)">overlay</p>',
    ),
    # --- malformed and nested markup -------------------------------------------------------
    (MALFORMED, "<<img src=x onerror=alert(XID)>>"),
    (MALFORMED, '<img """><script>alert(XID)</script>">'),
    (MALFORMED, "<p <script>alert(XID)</script>>x</p>"),
    (MALFORMED, '<a href="https://example.org/"onclick="alert(XID)">x</a>'),
    (MALFORMED, "<a href='https://example.org/' onclick=alert(XID)//"),
    (MALFORMED, "<img src=x onerror=alert(XID)"),
    (MALFORMED, "<!--><img src=x onerror=alert(XID)>-->"),
    (MALFORMED, "<!-- --!><img src=x onerror=alert(XID)> -->"),
    (MALFORMED, "<![CDATA[><img src=x onerror=alert(XID)>]]>"),
    (MALFORMED, '<?xml version="1.0"?><img src=x onerror=alert(XID)>'),
    (MALFORMED, "<title><img src=x onerror=alert(XID)></title>"),
    (MALFORMED, "<textarea><img src=x onerror=alert(XID)></textarea>"),
    (MALFORMED, '<noscript><p title="</noscript><img src=x onerror=alert(XID)>"></noscript>'),
    (MALFORMED, "<xmp><img src=x onerror=alert(XID)></xmp>"),
    (MALFORMED, "<iframe><img src=x onerror=alert(XID)></iframe>"),
    (MALFORMED, "<noembed><img src=x onerror=alert(XID)></noembed>"),
    (MALFORMED, "<template><img src=x onerror=alert(XID)></template>"),
    (MALFORMED, "<select><option><img src=x onerror=alert(XID)></option></select>"),
    (MALFORMED, "<table><img src=x onerror=alert(XID)><tr><td>x</td></tr></table>"),
    (MALFORMED, "<b><p><i>x</b><img src=x onerror=alert(XID)></i></p>"),
    (MALFORMED, '<a href="https://example.org/"><a href="javascript:alert(XID)">x</a></a>'),
    (MALFORMED, '<p title="&quot;><img src=x onerror=alert(XID)>">x</p>'),
    (
        MALFORMED,
        '<p><a title="</p><p><img src=x onerror=alert(XID)>" href="https://example.org/">x</a></p>',
    ),
    (MALFORMED, '<h2><a title="</h2><img src=x onerror=alert(XID)>">x</a></h2>'),
    (MALFORMED, '<p>a</p><p><a title="</p><p><img src=x onerror=alert(XID)>">b</a></p><p>c</p>'),
    (
        MALFORMED,
        '<div class="page-break" style="page-break-after:always;"><span style="display:none;">&nbsp;</span></div><img src=x onerror=alert(XID)>',
    ),
    (MALFORMED, '<div class="page-break"><script>alert(XID)</script></div>'),
    (
        MALFORMED,
        '<figure class="image"><img src="LIBSRC" alt=""><figcaption><a title="</figure><img src=x onerror=alert(XID)>">c</a></figcaption></figure>',
    ),
    (
        MALFORMED,
        '<figure class="image"><img src="LIBSRC" alt="&quot;><img src=x onerror=alert(XID)>"><figcaption>&lt;img src=x onerror=alert(XID)&gt;</figcaption></figure>',
    ),
    (MALFORMED, "<ul><li><ul><li><img src=x onerror=alert(XID)></li></ul></li></ul>"),
    (MALFORMED, "<blockquote><blockquote><p onclick=alert(XID)>x</p></blockquote>"),
    (MALFORMED, "<div>" * 40 + "<img src=x onerror=alert(XID)>" + "</div>" * 40),
    (MALFORMED, "<p>x</p><plaintext><img src=x onerror=alert(XID)>"),
    (MALFORMED, "<p>x<svg><p><img src=x onerror=alert(XID)></p></svg></p>"),
    (
        MALFORMED,
        '<figure class="table"><table><caption><img src=x onerror=alert(XID)></caption><tbody><tr><td colspan="2 onmouseover=alert(XID)">x</td></tr></tbody></table></figure>',
    ),
    (
        MALFORMED,
        '<table><tr><th rowspan=1 onclick=alert(XID) style="background:url(/xss-beacon?id=XID)">x</th></tr></table>',
    ),
    (
        MALFORMED,
        '<ul><li data-list-item-id="a&quot; onclick=&quot;alert(XID)">x</li><li data-list-item-id="javascript:alert(XID)" data-x=1 onclick=alert(XID)>y</li></ul>',
    ),
    (CSS, '<img src=x onerror=alert(XID) style="aspect-ratio:1/1;position:fixed;inset:0">'),
    (
        CSS,
        '<img src="https://example.org/x.jpg" style="aspect-ratio:1/1;}*{background:url(/xss-beacon?id=XID)">',
    ),
    # --- encoded variants ------------------------------------------------------------------
    (ENCODED, "&lt;script&gt;alert(XID)&lt;/script&gt;"),
    (ENCODED, "&lt;img src=x onerror=alert(XID)&gt;"),
    (ENCODED, "&amp;lt;img src=x onerror=alert(XID)&amp;gt;"),
    (ENCODED, "&#60;img src=x onerror=alert(XID)&#62;"),
    (ENCODED, "&#x3C;svg onload=alert(XID)&#x3E;"),
    (ENCODED, "&#x3C;/script&#x3E;&#x3C;script&#x3E;alert(XID)&#x3C;/script&#x3E;"),
    (ENCODED, "%3Cscript%3Ealert(XID)%3C/script%3E"),
    (ENCODED, "\\u003cscript\\u003ealert(XID)\\u003c/script\\u003e"),
    (ENCODED, "\\x3cimg src=x onerror=alert(XID)\\x3e"),
    (ENCODED, "+ADw-script+AD4-alert(XID)+ADw-/script+AD4-"),
    (ENCODED, "\uff1cscript\uff1ealert(XID)\uff1c/script\uff1e"),
    (ENCODED, "\u2039script\u203aalert(XID)\u2039/script\u203a"),
    (ENCODED, lambda n: f'<a href="{_dec(f"javascript:alert({n})")}">x</a>'),
    (ENCODED, lambda n: f'<a href="{_dec(f"javascript:alert({n})", pad=7)}">x</a>'),
    (ENCODED, lambda n: f'<a href="{_dec_bare(f"javascript:alert({n})")}">x</a>'),
    (ENCODED, lambda n: f'<a href="{_hex(f"javascript:alert({n})")}">x</a>'),
    (ENCODED, lambda n: f'<a href="{_url_escape("javascript")}:alert({n})">x</a>'),
    (ENCODED, '<a href="javas&#99;ript:alert(XID)">x</a>'),
    (ENCODED, '<a href="jav&#x61;script:alert(XID)">x</a>'),
    (ENCODED, '<a href="javascript&Tab;:alert(XID)">x</a>'),
    (ENCODED, lambda n: f'<img src=x onerror="{_hex(f"alert({n})")}">'),
    (ENCODED, lambda n: _dec(f"<img src=x onerror=alert({n})>")),
    (ENCODED, "<img src=x onerror=alert&#40;XID&#41;>"),
    (ENCODED, "<img src=x onerror=alert&lpar;XID&rpar;>"),
    (ENCODED, lambda n: f'<iframe src="{_dec(f"javascript:alert({n})")}"></iframe>'),
    (ENCODED, "&#0;<img src=x onerror=alert(XID)>"),
    (ENCODED, "{{ request }}{% now 'Y' %}<img src=x onerror=alert(XID)>"),
    (ENCODED, "\u2028\u2029</script><script>alert(XID)</script>"),
]

# Short and nasty: these go into every plain-text field, however short (kicker, byline role).
NASTIEST = [
    "<script>alert(XID)</script>\x0b\x1b",  # control characters XML cannot carry
    "<script>alert(XID)</script>",
    "</title><script>alert(XID)</script>",
    '"><img src=x onerror=alert(XID)>',
    "'><svg onload=alert(XID)>",
    "</script><script>alert(XID)</script>",
    "&lt;img src=x onerror=alert(XID)&gt;",
    "javascript:alert(XID)",
    "<a href=javascript:alert(XID)>x</a>",
    "\\u003c/script\\u003e",
    "<!--<img src=x onerror=alert(XID)>-->",
]
NASTIEST_FIRST = 10_000  # their numbers, apart from the corpus's


@dataclass(frozen=True)
class Vector:
    number: int
    category: str
    html: str


def _fill(template, number: int, library_src: str) -> str:
    html = template(number) if callable(template) else template.replace("XID", str(number))
    return html.replace("LIBSRC", library_src)


def vectors(library_src: str = "/media/images/00/missing.jpg") -> list[Vector]:
    """The corpus, numbered from 1."""
    return [
        Vector(number, category, _fill(template, number, library_src))
        for number, (category, template) in enumerate(_TEMPLATES, start=1)
    ]


def nastiest() -> list[Vector]:
    """The short vectors for plain-text fields, numbered from NASTIEST_FIRST."""
    return [
        Vector(NASTIEST_FIRST + i, "plain text", _fill(template, NASTIEST_FIRST + i, ""))
        for i, template in enumerate(NASTIEST)
    ]


def packed(items: list[Vector], limit: int, *, start: int = 0, prefix: str = "") -> str:
    """As many of `items` as fit in `limit` characters, from `start` round, space-separated."""
    text = prefix
    for i in range(len(items)):
        candidate = items[(start + i) % len(items)].html
        if len(text) + len(candidate) + 1 > limit:
            continue
        text = f"{text} {candidate}" if text else candidate
    return text


# --- What a sanitised fragment must not contain ----------------------------------------------

NOT_ALLOWED = {"script", "style", "iframe", "frame", "object", "embed", "svg", "math", "form",
               "input", "button", "textarea", "select", "base", "meta", "link", "template",
               "video", "audio"}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "srcset", "data", "srcdoc",
                  "background", "poster", "url"}  # fmt: skip
_NOISE = re.compile(r"[\x00-\x20]")


def problems_in(fragment: str) -> list[str]:
    """What in this HTML could run or restyle a reader's page (parsed as a browser would)."""
    import lxml.html

    from newsroom.richtext import allowed_style

    if not fragment.strip():
        return []
    found = []
    for element in lxml.html.fragment_fromstring(fragment, create_parent="div").iter():
        tag = element.tag if isinstance(element.tag, str) else "comment"
        if tag in NOT_ALLOWED:
            found.append(f"<{tag}>")
        for name, value in element.attrib.items():
            name = name.lower()
            if name.startswith("on"):
                found.append(f"{tag}[{name}]")
            if name in URL_ATTRIBUTES and re.match(
                r"(javascript|vbscript|data|livescript):", _NOISE.sub("", value).lower()
            ):
                found.append(f"{tag}[{name}={value[:60]}]")
            if name == "style" and not allowed_style(tag, value):
                found.append(f"{tag}[style={value[:60]}]")
    return found
