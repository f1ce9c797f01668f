"""The demo newsroom's own pages: About, Masthead, its policies and how to reach it, in the
voice of The Foreign Desk (written for this project, like newsroom/demo_content.py).

Flat addresses (/ethics-policy/, not /policies/ethics/): /corrections/ and /contact/ are the
site's own pages (the corrections list, the contact form), and a top-level page may not take
them. Each page is one dict; `body` is a list of paragraphs (HTML when it starts with "<").
"""

PUBLISHED_DAYS_AGO = 400  # live long before the demo's stories
REVIEWED_DAYS_AGO = 45  # "Last reviewed" a month and a half ago

# The footer links the loader adds to the menu (after its links), as (page's address, label):
# readers find the newsroom's own pages on every page, as the demo asks.
FOOTER = [
    ("about", "About"),
    ("masthead", "Masthead"),
    ("ethics-policy", "Ethics policy"),
    ("corrections-policy", "Corrections policy"),
    ("contact-and-tips", "Contact and tips"),
    ("privacy", "Privacy"),
]

PAGES = [
    {
        "slug": "about",
        "title": "About The Foreign Desk",
        "seo_description": (
            "Who we are: a small, reader-funded magazine on war, diplomacy and the case for "
            "restraint in foreign policy."
        ),
        "body": [
            "The Foreign Desk is a small magazine about what governments do beyond their "
            "borders, and what it costs. We report on wars and the talks that might end them, "
            "on military budgets and who benefits from them, and on the quiet work of "
            "mediators that rarely makes the front page.",
            "We start from a question more than a doctrine: does a policy make the people it "
            "claims to protect safer? We publish reporting, analysis and opinion, and we label "
            "each for what it is, so you always know whether you are reading what happened, "
            "what it means, or what one of our writers thinks about it.",
            "<h2>What we publish</h2>",
            "<ul><li><strong>News</strong>: what happened, checked and sourced.</li>"
            "<li><strong>Analysis</strong>: why it happened and what may follow, grounded in "
            "the record.</li><li><strong>Opinion</strong>: an argument, signed by its author, "
            "who speaks for themselves and not for the magazine.</li>"
            "<li><strong>Diplomacy Watch</strong>: our weekly look at negotiations and back "
            "channels, every Friday.</li></ul>",
            '<p>Who edits the magazine is on our <a href="/masthead/">masthead</a>; how we '
            'work is in our <a href="/ethics-policy/">ethics policy</a> and our '
            '<a href="/corrections-policy/">corrections policy</a>; who pays for it is under '
            '<a href="/ownership-and-funding/">ownership and funding</a>.</p>',
        ],
    },
    {
        "slug": "masthead",
        "title": "Masthead",
        "seo_description": "The editors, correspondents and contributors of The Foreign Desk.",
        "body": [
            "<h2>Editorial</h2>",
            "<ul><li><strong>Mara Lindqvist</strong>, Senior Editor: edits Diplomacy Watch and "
            "signs off on corrections.</li><li><strong>Daniel Okafor</strong>, Washington "
            "Correspondent: Congress, war powers and the defense budget.</li>"
            "<li><strong>Priya Raman</strong>, Contributing Analyst: the Gulf states and "
            "regional mediation.</li></ul>",
            "<h2>Contributors</h2>",
            "<p>Guest writers such as <strong>Tomás Herrera</strong> (arms control) are named "
            "on every piece they write, with a line on who they are and where they work.</p>",
            "<h2>Publisher</h2>",
            "The Foreign Desk is published by The Foreign Desk Trust, a nonprofit. The trust's "
            "board appoints the senior editor and has no say in what we cover or how.",
        ],
    },
    {
        "slug": "ethics-policy",
        "title": "Ethics policy",
        "seo_description": "How The Foreign Desk reports, sources and keeps its independence.",
        "body": [
            "Our readers trust us to tell them what we know, how we know it and what we do "
            "not know yet. These are the rules we hold ourselves to.",
            "<h2>Sources</h2>",
            "We name our sources wherever we can, and link to the reports and documents we "
            "rely on. When we report what another outlet found, we say so and link to it. We "
            "grant anonymity only when a source would face real harm for speaking, and only "
            "when an editor knows who the source is; the story then says why the source was "
            "not named.",
            "<h2>Independence</h2>",
            "Staff do not accept gifts, paid travel or speaking fees from governments, arms "
            "makers or lobbies we cover. Writers disclose any tie to a subject in the piece "
            "itself. Donors and sponsors have no say over our journalism; sponsored content, "
            "when we publish it, is labelled as such on every page it appears.",
            "<h2>Opinion and analysis</h2>",
            "Opinion pieces reflect the author's views, not the magazine's. Analysis is held "
            "to the same standard of fact as news: an interpretation, never a rumour.",
        ],
    },
    {
        "slug": "corrections-policy",
        "title": "Corrections policy",
        "seo_description": "How The Foreign Desk corrects its mistakes, and where to find them.",
        "body": [
            "We make mistakes, and we fix them in the open. When a story gets a fact wrong, "
            "we correct it as soon as we have checked, and a note at the end of the story "
            "says what was wrong and when it was fixed. We do not quietly rewrite what we "
            "published.",
            "A correction fixes an error of fact. A clarification adds context a story needed "
            "to be fair. An update adds news that came after publication. Each is labelled for "
            "what it is.",
            '<p>Every correction we have made is listed on our <a href="/corrections/">'
            "corrections page</a>, which has its own feed. Spotted an error? Use the "
            "“Report an error” link under any story, or write to us through our "
            '<a href="/contact/">contact form</a>: the senior editor reads every report.</p>',
        ],
    },
    {
        "slug": "ownership-and-funding",
        "title": "Ownership and funding",
        "seo_description": "Who owns The Foreign Desk and where its money comes from.",
        "body": [
            "The Foreign Desk is owned by The Foreign Desk Trust, a nonprofit with no "
            "shareholders. Most of our budget comes from readers: small monthly donations and "
            "newsletter subscriptions. The rest comes from foundation grants for reporting, "
            "which we list here every year with their amounts.",
            "We do not take money from governments, political parties or defense contractors.",
        ],
    },
    {
        "slug": "contact-and-tips",
        "title": "Contact and tips",
        "seo_description": "How to reach The Foreign Desk: tips, letters, corrections.",
        "body": [
            '<p>The quickest way to reach the newsroom is our <a href="/contact/">contact '
            "form</a>: every message reaches an editor, and we never publish your address.</p>",
            "<h2>Tips</h2>",
            "If you know something we should look into, write to us through the form and say "
            "how you would like to be contacted. Tell us if you need us to protect your "
            "identity before you send anything sensitive.",
            "<h2>Errors and letters</h2>",
            "To report a mistake in a story, use the “Report an error” link beneath it. "
            "Letters to the editor are welcome through the form; we may edit them for length.",
        ],
    },
    {
        # What audience/ counts and keeps (docs/audience.md): change both together.
        "slug": "privacy",
        "title": "Privacy",
        "seo_description": (
            "What we count when you read The Foreign Desk, and what we never collect: no "
            "cookies, no IP addresses, no tracking across days."
        ),
        "body": [
            "We want to know which of our stories are read, and read to the end, so we can do "
            "more of the work that matters to you. We count that ourselves, on our own site, "
            "and in a way that cannot follow you. There is no advertising network, no "
            "analytics company and no third-party script on our pages.",
            "<h2>What we count</h2>",
            "<ul><li>That a page was opened, which page, and roughly what kind of device "
            "opened it (phone, tablet or computer).</li>"
            "<li>Where the visit came from, as a kind (a search engine, a social network, our "
            "newsletter, another site) and, for other sites, their name only.</li>"
            "<li>How long the story was on your screen, and whether you reached its end.</li>"
            "<li>Your country, only when our network provider tells us; never your town.</li>"
            "<li>What readers search for on our own search page, without who searched.</li>"
            "<li>Clicks on the stories in our newsletters, and newsletter sign-ups made from "
            "a story's page, counted per story.</li></ul>",
            "<h2>What we never collect or keep</h2>",
            "<ul><li><strong>No cookies</strong> and nothing stored in your browser: you "
            "will not see a consent banner from us because there is nothing to consent to.</li>"
            "<li><strong>No IP address</strong> is stored, and no browser signature "
            "(user agent) is kept: we only note whether it is a phone, tablet or computer.</li>"
            "<li><strong>No tracking across days.</strong> To count how many different people "
            "read us in a day, we mix your address and browser with a random secret that is "
            "replaced every day and then deleted. The result lets us tell two visits apart "
            "that day, and nothing else: tomorrow you are a stranger to us again.</li>"
            "<li><strong>No profile</strong>: figures are added up per story, per page and "
            "per day. The individual records of each visit wait only until they are added up, "
            "and are deleted after a few days at most. The totals are kept.</li></ul>",
            "<h2>If you ask not to be tracked</h2>",
            "If your browser sends Global Privacy Control (Sec-GPC) or Do Not Track, we still "
            "count that a page was opened, but we do not count you as a visitor at all: not "
            "even for that day.",
            "<h2>Robots</h2>",
            "Search engine crawlers, link previews and other automated visits are recognised "
            "and not counted.",
            "<h2>Newsletters</h2>",
            "The story links in our newsletters lead first to our own site, which counts the "
            "click for that issue and story and sends you on to the story. The link names the "
            "issue and the story, not you. We do not put tracking pixels in our emails, so we "
            "do not know whether or when you open them. How we keep your email address is "
            'explained on our <a href="/newsletters/#privacy">newsletters page</a>.',
            "<h2>Questions</h2>",
            '<p>Write to us through our <a href="/contact/">contact form</a>.</p>',
        ],
    },
]
