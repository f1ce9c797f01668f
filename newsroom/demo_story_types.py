"""The demo newsroom's story that someone paid for, and what its stories rest on: a
sponsored story (labelled everywhere, in no newsletter) and the sources of a few stories."""

SPONSORED_ARTICLES = [
    {
        "slug": "how-ports-are-cutting-their-emissions",
        "headline": "How Europe's ports are cutting their emissions",
        "kicker": "shipping",
        "type": "sponsored",
        "sponsor_name": "Northwind Shipping",
        "sponsor_url": "https://northwind.example.com/",
        "section": "europe",
        "series": False,
        "image": None,
        "authors": [("priya-raman", "Produced for Northwind Shipping by")],
        "tags": ["Shipping"],
        "dek": "Shore power, cleaner fuels and smarter schedules: what a cleaner port takes.",
        "body": [
            "Ships at berth burn fuel to keep their lights and pumps running. Plugging them "
            "into the grid instead, known as shore power, is the quickest cut a port can make.",
            "Several northern European ports now offer it at most of their container berths, "
            "and more are building it ahead of new European rules.",
        ],
        "days_ago": 1,
        "related": [],
    },
]

# story slug: [(title, publisher, url, date as YYYY-MM-DD or "")], in the order shown
SOURCES = {
    "diplomacy-watch-ukraine-and-russia-are-quietly-talking": [
        ("Ukraine and Russia hold quiet talks on prisoners and children", "The Washington Post",
         "https://www.washingtonpost.com/world/", ""),
        ("Black Sea Grain Initiative: Joint Coordination Centre", "United Nations",
         "https://www.un.org/en/black-sea-grain-initiative", "2023-07-17"),
    ],
    "senator-to-force-vote-on-withdrawing-us-troops-from-syria": [
        ("War Powers Resolution (50 U.S.C. 1541-1548)", "U.S. Congress",
         "https://www.congress.gov/", ""),
    ],
}  # fmt: skip
