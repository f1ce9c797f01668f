"""The demo newsroom's words: a small foreign-policy magazine, written for this project.

Structure and facts follow the kind of page such a newsroom publishes (a weekly
"Diplomacy Watch" column, Middle East and Pentagon coverage); the sentences are our own.
"""

from datetime import date

BREAK = "KEEP_READING"  # replaced by the editor's "keep reading" break when loaded

SITE = {
    "site_name": "The Foreign Desk",
    "tagline": "Independent reporting and analysis on war, diplomacy and restraint",
    # Where the contact form's messages go (the worker prints them under `make run`).
    "contact_email": "letters@foreigndesk.example",
    "x_url": "https://x.com/example",
    "bluesky_url": "https://bsky.app/profile/example.org",
    "facebook_url": "https://www.facebook.com/example",
    "linkedin_url": "https://www.linkedin.com/company/example",
    "youtube_url": "https://www.youtube.com/@example",
    "legal_name": "The Foreign Desk Media Ltd",
    "founding_date": date(2019, 3, 1),
}

# Which of the demo's pages is each Trust Project policy (site settings field -> the page's
# address), named in the settings when the page exists and the setting is empty.
POLICY_PAGES = {
    "masthead_page": "masthead",
    "publishing_principles_page": "about",
    "ethics_policy_page": "ethics-policy",
    "corrections_policy_page": "corrections-policy",
    "ownership_funding_page": "ownership-and-funding",
    "feedback_policy_page": "contact-and-tips",
}

SECTIONS = [
    # slug, name, parent slug, order, description
    ("regions", "Regions", None, 10, "Coverage by part of the world."),
    ("europe", "Europe", "regions", 11, "Russia, Ukraine, NATO and the European Union."),
    ("middle-east", "Middle East", "regions", 12, "From the Levant to the Gulf."),
    ("israel-gaza-crisis", "Israel-Gaza Crisis", None, 20, "The war in Gaza and its reach."),
    ("military", "Military", None, 30, "Budgets, bases and the business of defense."),
]

SERIES = {
    "slug": "diplomacy-watch",
    "name": "Diplomacy Watch",
    "cadence": "Every Friday",
    "description": (
        "Our weekly roundup of the talks, back channels and peace proposals that could "
        "end the war in Ukraine, and the ones that stalled."
    ),
}

AUTHORS = [
    # slug, name, job title, bio
    ("mara-lindqvist", "Mara Lindqvist", "Senior Editor",
     "Mara edits the Diplomacy Watch column and covers European security."),
    ("daniel-okafor", "Daniel Okafor", "Washington Correspondent",
     "Daniel covers Congress, war powers and the defense budget."),
    ("priya-raman", "Priya Raman", "Contributing Analyst",
     "Priya writes about the Gulf states and mediation in regional conflicts."),
    ("tomas-herrera", "Tomás Herrera", "Guest contributor",
     "Tomás is a researcher on arms control and the nuclear test ban."),
]  # fmt: skip

# What the author pages say beyond the byline: expertise, languages, photo (a key of IMAGES),
# profiles elsewhere, and a private address the contact form writes to (never shown).
AUTHOR_PROFILES = {
    "mara-lindqvist": {
        "expertise": "European security, NATO, Ukraine and Russia, diplomacy",
        "languages": "English, Swedish, Russian",
        "photo": "portrait-mara",
        "x_url": "https://x.com/example",
        "mastodon_url": "https://mastodon.social/@example",
        "contact_email": "mara.lindqvist@example.org",
    },
    "daniel-okafor": {
        "expertise": "Congress, war powers, the defense budget",
        "languages": "English, French",
        "email": "daniel.okafor@example.org",
    },
    "priya-raman": {
        "expertise": "the Gulf states, mediation, regional conflicts",
        "languages": "English, Arabic, Hindi",
        "contact_email": "priya.raman@example.org",
    },
    "tomas-herrera": {
        "expertise": "arms control, nuclear testing",
        "languages": "Spanish, English",
    },
}

# A picture whose licence runs out soon: the publisher's desk lists it with its live story.
RIGHTS_END_IN_DAYS = {"istanbul": 10}

IMAGES = {
    # key: title, caption, credit, source, colours
    "senate": (
        "Senator at a committee hearing",
        "A Republican senator listens during a Senate committee hearing in Washington.",
        "Alex Edelman/Pool via REUTERS",
        "Reuters",
        ((40, 52, 74), (148, 76, 60)),
    ),
    "istanbul": (
        "Bosphorus at dusk",
        "Ships wait to cross the Bosphorus, a waypoint for talks on Black Sea shipping.",
        "Demo Photo Desk",
        "Staff",
        ((22, 60, 90), (210, 150, 80)),
    ),
    "summit": (
        "Conference hall before a summit",
        "Flags line an empty hall before a peace conference opens.",
        "Demo Photo Desk",
        "Staff",
        ((70, 70, 90), (190, 190, 200)),
    ),
    "pentagon": (
        "The Pentagon from the air",
        "The Department of Defense headquarters in Arlington, Virginia.",
        "U.S. Department of Defense handout via Demo Wire",
        "Handout",
        ((60, 70, 50), (170, 160, 120)),
    ),
    "portrait-mara": (
        "Mara Lindqvist, portrait",
        "Mara Lindqvist, senior editor.",
        "Demo Photo Desk",
        "Staff",
        ((90, 60, 70), (200, 170, 150)),
    ),
    "gaza": (
        "Aid trucks at a border crossing",
        "Aid trucks queue at a crossing point into Gaza.",
        "Demo Wire",
        "Agency",
        ((120, 80, 50), (230, 200, 150)),
    ),
}

# slug, headline, kicker, type, section, series, image, authors [(slug, role)], tags, dek,
# body paragraphs, days ago (None: draft; negative: scheduled in the future), related slugs
ARTICLES = [
    {
        "slug": "diplomacy-watch-ukraine-and-russia-are-quietly-talking",
        "headline": "Diplomacy Watch: Ukraine and Russia are (quietly) talking",
        "kicker": "ukraine war",
        "type": "analysis",
        "section": "europe",
        "series": True,
        "image": "istanbul",
        "authors": [("mara-lindqvist", "")],
        "tags": ["Ukraine", "Russia", "Diplomacy", "Turkey"],
        "dek": "Officials from the two sides still meet, far from the cameras, on the narrow "
        "questions where a deal is possible.",
        "body": [
            "Peace talks between Kyiv and Moscow collapsed in the first spring of the war, but "
            "the two governments never entirely stopped speaking. Newspaper reporting this week "
            "describes regular, difficult meetings held near the border and in Istanbul.",
            "The agenda is modest. Negotiators deal with exchanges of prisoners and with the "
            "return of Ukrainian children taken to Russia, rather than with ceasefire lines.",
            BREAK,
            "Third parties carry much of the load. Turkey, Qatar, the United Arab Emirates, "
            "Saudi Arabia and the Holy See each broker part of the traffic, and the Red Cross "
            "handles some of the lists.",
            "The Black Sea grain arrangement, now defunct, remains the clearest example of what "
            "this quiet channel once produced: a four-party format in which Turkey and the "
            "United Nations sat between the two militaries.",
            "<h2>Elsewhere this week</h2>",
            "Sweden's path into NATO moved forward in Ankara, while Budapest again delayed its "
            "own vote. In Washington, the White House recast its Ukraine funding request as an "
            "investment in American factories.",
        ],
        "days_ago": 0.05,  # an hour ago: "published today" on the publisher's desk
        "related": ["diplomacy-watch-new-revelations-shed-light-on-early-talks"],
    },
    {
        "slug": "diplomacy-watch-a-peace-summit-without-russia",
        "headline": "Diplomacy Watch: A peace summit without Russia",
        "kicker": "ukraine war",
        "type": "analysis",
        "section": "europe",
        "series": True,
        "image": "summit",
        "authors": [("mara-lindqvist", ""), ("tomas-herrera", "With reporting by")],
        "tags": ["Ukraine", "Russia", "Diplomacy"],
        "dek": "Kyiv's partners gathered to discuss a settlement. The other party to the war "
        "was not invited.",
        "body": [
            "Delegations from dozens of countries met this weekend to discuss Ukraine's terms "
            "for peace. Russia was not at the table, and China sent no senior envoy.",
            "Organisers called the meeting a first step. Critics asked what a peace process "
            "can achieve when only one of the warring parties takes part.",
            BREAK,
            "Several governments from the Global South attended as observers and declined to "
            "sign the closing statement, a sign of how narrow the coalition behind Kyiv's plan "
            "remains outside Europe and North America.",
        ],
        "days_ago": 8,
        "related": ["diplomacy-watch-ukraine-and-russia-are-quietly-talking"],
    },
    {
        "slug": "diplomacy-watch-new-revelations-shed-light-on-early-talks",
        "headline": "Diplomacy Watch: New revelations shed light on early talks",
        "kicker": "ukraine war",
        "type": "analysis",
        "section": "europe",
        "series": True,
        "image": None,
        "authors": [("mara-lindqvist", "")],
        "tags": ["Ukraine", "Russia", "NATO", "Diplomacy"],
        "dek": "Kyiv's chief negotiator says Moscow was ready to end the war in exchange for "
        "Ukrainian neutrality.",
        "body": [
            "The head of Ukraine's delegation at the 2022 negotiations has said in an interview "
            "that Russia's central demand was a pledge of neutrality, with Ukraine staying out "
            "of NATO.",
            "By his account, Kyiv turned the offer down because it did not believe Moscow "
            "would keep its side of any bargain.",
            BREAK,
            "The remarks add to a growing record of how close the two sides came in the first "
            "weeks of the invasion, and of why the talks fell apart.",
        ],
        "days_ago": 15,
        "related": [],
    },
    {
        "slug": "senator-to-force-vote-on-withdrawing-us-troops-from-syria",
        "headline": "Senator to force vote on withdrawing U.S. troops from Syria",
        "kicker": "war powers",
        "type": "news",
        "section": "middle-east",
        "series": False,
        "image": "senate",
        "authors": [("daniel-okafor", "")],
        "tags": ["Syria", "Congress", "War Powers"],
        "dek": "A Kentucky Republican wants the Senate on record about roughly 900 American "
        "troops deployed without congressional authorization.",
        "body": [
            "A Republican senator from Kentucky plans to force a floor vote in the coming weeks "
            "on his bill to bring home the roughly 900 U.S. troops still stationed in Syria.",
            "His office argues that the deployment has no defined mission, no exit plan and no "
            "authorization from Congress. A vote could come as soon as next week.",
            BREAK,
            "Supporters of the deployment say the troops keep pressure on the remnants of the "
            "Islamic State. Opponents counter that they are exposed to attacks by militias "
            "aligned with Iran.",
        ],
        "days_ago": 2,
        "related": ["pentagon-budget-complaints-get-a-friendly-hearing"],
    },
    {
        "slug": "pentagon-budget-complaints-get-a-friendly-hearing",
        "headline": "Pentagon's budget complaints get a friendly hearing",
        "kicker": "defense spending",
        "type": "opinion",
        "section": "military",
        "series": False,
        "image": "pentagon",
        "authors": [("daniel-okafor", "")],
        "tags": ["Pentagon", "Defense Budget", "Congress"],
        "dek": "A department that cannot pass an audit says it is running short of money.",
        "body": [
            "Anyone who has followed the defense budget over the past twenty years knows the "
            "department is not short of cash. It has yet to pass a full audit of what it has.",
            "This week, officials nonetheless found a receptive outlet for the claim that "
            "stopgap funding is starving the military.",
            BREAK,
            "The argument deserves scrutiny: continuing resolutions are disruptive, but they "
            "hold spending at levels that are already historically high.",
        ],
        "days_ago": 3,
        "related": [],
    },
    {
        "slug": "gaza-war-tests-the-wests-case-on-ukraine",
        "headline": "The Gaza war tests the West's case on Ukraine",
        "kicker": "israel-gaza",
        "type": "analysis",
        "section": "israel-gaza-crisis",
        "series": False,
        "image": "gaza",
        "authors": [("priya-raman", "")],
        "tags": ["Gaza", "Israel", "Global South", "Ukraine"],
        "dek": "Leaders across the Global South say Washington applies one standard in Europe "
        "and another in the Middle East.",
        "body": [
            "For two years Western governments have asked the rest of the world to treat the "
            "invasion of Ukraine as a test of international law.",
            "Diplomats from Africa, Asia and Latin America now ask why the same principles are "
            "applied less strictly to the war in Gaza.",
            "The charge of double standards makes it harder still to win support for sanctions "
            "on Russia from countries such as India and Turkey.",
        ],
        "days_ago": 4,
        "related": ["diplomacy-watch-ukraine-and-russia-are-quietly-talking"],
    },
    {
        "slug": "russia-withdraws-from-nuclear-test-ban-ratification",
        "headline": "Russia withdraws its ratification of the nuclear test ban",
        "kicker": "arms control",
        "type": "explainer",
        "section": "europe",
        "series": False,
        "image": None,
        "authors": [("tomas-herrera", "")],
        "tags": ["Russia", "Nuclear Weapons", "Arms Control"],
        "dek": "Moscow says it is only matching Washington, which signed the treaty but never "
        "ratified it.",
        "body": [
            "Russia has revoked its ratification of the Comprehensive Nuclear Test Ban Treaty, "
            "leaving its signature in place but loosening its commitment.",
            "Officials say Russia will test again only if the United States does first. "
            "Satellite imagery shows both countries expanding their test sites.",
        ],
        "days_ago": 6,
        "related": [],
    },
    {
        "slug": "diplomacy-watch-what-to-expect-from-the-next-round",
        "headline": "Diplomacy Watch: What to expect from the next round",
        "kicker": "ukraine war",
        "type": "analysis",
        "section": "europe",
        "series": True,
        "image": None,
        "authors": [("mara-lindqvist", "")],
        "tags": ["Ukraine", "Diplomacy"],
        "dek": "Scheduled for tomorrow: this story stays hidden until its time.",
        "body": ["A preview of the coming week's diplomatic calendar."],
        "days_ago": -1,  # tomorrow: on the publisher's 48-hour timeline
        "related": [],
    },
    {
        "slug": "grain-corridor-talks-may-resume",
        "headline": "Grain corridor talks may resume",
        "kicker": "black sea",
        "type": "news",
        "section": "europe",
        "series": False,
        "image": None,
        "authors": [("priya-raman", "")],
        "tags": ["Ukraine", "Turkey"],
        "dek": "A draft: readers never see it.",
        "body": ["Early notes on renewed contacts over Black Sea shipping."],
        "days_ago": None,
        "related": [],
    },
]

ARTICLES.append(
    {
        "slug": "gulf-mediators-step-into-prisoner-talks",
        "headline": "Gulf mediators step into prisoner talks",
        "kicker": "mediation",
        "type": "analysis",
        "section": "middle-east",
        "series": False,
        "image": None,
        "authors": [("priya-raman", "")],
        "tags": ["Diplomacy", "Qatar", "Saudi Arabia"],
        "dek": "Submitted for edit: waiting for an editor to approve or return it.",
        "body": [
            "Qatar and Saudi Arabia have quietly become the brokers of choice for exchanges "
            "of prisoners between governments that do not talk to each other.",
        ],
        "days_ago": None,
        "status": "submitted",
        "related": [],
    }
)

# Something in every desk queue: a story returned to its writer with the editor's comment,
# and one approved and waiting for a publisher.
ARTICLES += [
    {
        "slug": "black-sea-grain-corridor-insurers-return",
        "headline": "Insurers edge back into the Black Sea grain corridor",
        "kicker": "shipping",
        "type": "news",
        "section": "europe",
        "series": False,
        "image": None,
        "authors": [("priya-raman", "")],
        "tags": ["Ukraine", "Turkey"],
        "dek": "Returned to its writer: the editor wants a second source.",
        "body": [
            "War-risk premiums for ships calling at Odesa have fallen for a third month, "
            "according to two brokers in London.",
        ],
        "days_ago": None,
        "status": "returned",
        "from_status": "submitted",
        "comment": "Good find. Before this runs we need a second broker on the record, and "
        "the premium figures for last quarter so readers can see the trend.",
        "related": [],
    },
    {
        "slug": "nato-summit-host-city-braces-for-protests",
        "headline": "NATO summit host city braces for protests",
        "kicker": "nato",
        "type": "news",
        "section": "europe",
        "series": False,
        "image": None,
        "authors": [("mara-lindqvist", "")],
        "tags": ["NATO"],
        "dek": "Approved: waiting for a publisher to publish or schedule it.",
        "body": [
            "City officials expect tens of thousands of demonstrators during the two-day "
            "meeting and have closed the old town to traffic.",
        ],
        "days_ago": None,
        "status": "approved",
        "from_status": "submitted",
        "related": [],
    },
]

CORRECTIONS = {
    "senator-to-force-vote-on-withdrawing-us-troops-from-syria": (
        "update",
        "This story was updated to include the expected timing of the vote.",
    ),
}

STAFF = [
    # username, role, author slug
    ("contributor", "Contributor", "priya-raman"),
    ("editor", "Editor", "mara-lindqvist"),
    ("publisher", "Publisher", "daniel-okafor"),
]

# The series' newsletter: each installment goes out by itself as it goes live.
NEWSLETTER = {
    "slug": "diplomacy-watch",
    "name": "Diplomacy Watch",
    "description": (
        "Every installment of our weekly roundup of the talks and back channels that could "
        "end the war in Ukraine, in your inbox as it is published."
    ),
    "sender_name": "Diplomacy Watch at The Foreign Desk",
    "sender_email": "diplomacy-watch@example.org",
    "reply_to": "editors@example.org",
}
# Readers who confirmed their subscription, and the installment they have already received.
SUBSCRIBERS = ["ana.reader@example.org", "ben.analyst@example.org", "chloe.student@example.org"]
SENT_INSTALLMENT = "diplomacy-watch-ukraine-and-russia-are-quietly-talking"

# The sponsored story and the stories' sources: newsroom/demo_story_types.py.
from newsroom.demo_story_types import SOURCES, SPONSORED_ARTICLES  # noqa: E402, F401

ARTICLES += SPONSORED_ARTICLES
