# ruff: noqa: E501  (long verbatim quotes from the articles read better unbroken)
"""The hand-written answers for the seed case: examples/rare-earths through the whole LLM engine.

Used by make_handwritten_cassettes.py. The answers are what a capable model
would give for these two articles; they are chosen by *content* (which
article excerpt, which claim lines, which points are in the request), so the
cassette can be regenerated unchanged if the chunker or the merge step moves
things around. One answer is deliberately wrong on the first try (a quote
missing "(REO)"), so the seed run also exercises a re-ask.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import llm_cases as cases
from make_handwritten_cassettes import article_of, claim, claims_json, completion, is_reask

from briefing.text import locate_quote, normalize

S1 = [  # Kallanish, 31 Oct 2025
    claim(
        "Japan and the US signed a framework to boost cooperation on rare earth elements.",
        "Japan and the US have signed a framework to boost cooperation on rare earth elements (REEs)",
        "US-Japan rare earths deal",
        "status",
        "signed",
        5,
    ),
    claim(
        "Japanese Prime Minister Takaichi Sanae and US President Donald Trump closed the deal on Monday "
        "in Tokyo.",
        # A straight apostrophe where the article has a typographic one: matching
        # normalises it, the citation keeps the article's own character.
        "The deal was closed by Japan's Prime Minister Takaichi Sanae and US President Donald Trump on Monday in Tokyo",
        "US-Japan rare earths deal",
        "signed by",
        "Prime Minister Takaichi Sanae and President Donald Trump",
        5,
    ),
    claim(
        "Takaichi Sanae is Japan's Prime Minister.",
        "Japan’s Prime Minister Takaichi Sanae",
        "Takaichi Sanae",
        "title",
        "Prime Minister",
        3,
    ),
    claim(
        "The two countries intend to support the supply of raw and processed critical minerals and rare earths.",
        "intend to support the supply of raw and processed critical minerals and rare earths",
        "US-Japan rare earths deal",
        "aim",
        "support supply of critical minerals and rare earths",
        4,
    ),
    claim(
        "Tokyo and Washington are setting up a supply security rapid response group to address supply vulnerabilities.",
        "Tokyo and Washington are establishing a “supply security rapid response group” to identify priority "
        "minerals and address supply vulnerabilities",
        "US-Japan rare earths deal",
        "new body",
        "supply security rapid response group",
        4,
    ),
    claim(
        "The US produced 45,000 tonnes of rare earth oxide equivalent last year, according to the USGS.",
        "The US produced 45,000 tonnes of rare earth oxide (REO) equivalent last year, according to the US "
        "Geological Survey",
        "US rare earth production",
        "tonnes per year",
        "45,000",
        4,
    ),
    claim(
        "The US relied on imports for 80% of its rare earth compounds and metals consumption.",
        "relied on imports for 80% of its compounds and metals consumption",
        "US rare earth imports",
        "share of consumption",
        "80%",
        3,
    ),
    claim(
        "Takaichi said both countries are overly dependent on specific countries and must diversify supply.",
        "Both Japan and the United States are overly dependent on specific countries, so we need to diversify "
        "our sources of supply.",
        "Takaichi Sanae",
        "statement",
        "need to diversify supply",
        4,
    ),
    claim(
        "Japan does not produce rare earths domestically and is looking at deep-sea mining.",
        "Japan does not produce rare earths domestically and is looking at deep-sea mining opportunities.",
        "Japan rare earth production",
        "domestic output",
        "none",
        3,
    ),
]

S2 = [  # unattributed analysis piece
    claim(
        "The United States and Japan signed a Memorandum of Cooperation on rare earth minerals on Monday.",
        "The United States and Japan signed a landmark Memorandum of Cooperation (MOC) on rare earth minerals Monday",
        "US-Japan rare earths deal",
        "status",
        "signed",
        5,
    ),
    claim(
        "US Energy Secretary Jennifer Granholm and Japanese METI Minister Ken Saito finalized the deal.",
        "The deal, finalized between U.S. Energy Secretary Jennifer Granholm and Japanese Minister of Economy, "
        "Trade and Industry (METI) Ken Saito",
        "US-Japan rare earths deal",
        "signed by",
        "Energy Secretary Jennifer Granholm and METI Minister Ken Saito",
        5,
    ),
    claim(
        "Sanae Takaichi is Japan's Economic Security Minister.",
        "Japan’s Economic Security Minister Sanae Takaichi",
        "Takaichi Sanae",
        "title",
        "Economic Security Minister",
        3,
    ),
    claim(
        "China controls about 70% of global rare earth mining and 85-90% of processing.",
        "China currently controls approximately 70% of global REE mining and a staggering 85-90% of the complex "
        "processing stage",
        "China rare earth dominance",
        "share of mining and processing",
        "70% and 85-90%",
        4,
    ),
    claim(
        "The pact aims to reduce dependence on China by building a mine-to-magnet supply chain.",
        "To reduce strategic dependence on China by jointly developing, financing, and securing a “mine-to-magnet” "
        "supply chain through allied and domestic sources.",
        "US-Japan rare earths deal",
        "goal",
        "mine-to-magnet supply chain outside China",
        4,
    ),
    claim(
        "In 2010 China halted rare earth exports to Japan during a territorial dispute.",
        "In 2010, China infamously halted REE exports to Japan during a territorial dispute over the "
        "Senkaku/Diaoyu islands",
        "China",
        "2010 export halt",
        "halted exports to Japan",
        3,
    ),
    claim(
        "The United States mined an estimated 40,000 tonnes of rare earths in 2024, about 12% of the world total.",
        "| United States | 40,000 | ~12% |",
        "US rare earth production",
        "tonnes per year",
        "40,000",
        4,
    ),
    claim(
        "China produces over 90% of the world's high-performance NdFeB permanent magnets.",
        "China produces over 90% of the world’s high-performance neodymium-iron-boron (NdFeB) permanent magnets",
        "China magnet production",
        "world share",
        "over 90%",
        4,
    ),
    claim(
        "Public lenders such as the DFC and JOGMEC will provide loans, grants and offtake agreements.",
        "will provide loans, grants, and offtake agreements",
        "US-Japan rare earths deal",
        "financing",
        "loans, grants and offtake agreements",
        4,
    ),
    claim(
        "Brookings' David S. Cohen says a full mine-to-magnet chain outside China could take a decade "
        "and cost hundreds of billions.",
        "building a complete mine-to-magnet supply chain outside of China could take a decade and cost hundreds "
        "of billions",
        "mine-to-magnet supply chain",
        "time and cost",
        "a decade, hundreds of billions",
        4,
    ),
    claim(
        "Australia's Lynas Rare Earths is the only significant non-Chinese processor.",
        "Australia’s Lynas Rare Earths is the only significant non-Chinese processor",
        "Lynas Rare Earths",
        "market position",
        "only significant non-Chinese processor",
        3,
    ),
]

# First answer for the chunk with the USGS figure: the quote drops "(REO)", so it is re-asked.
FIRST_TRY_45K = {
    **S1[5],
    "quote": "The US produced 45,000 tonnes of rare earth oxide equivalent last year, according to the US Geological "
    "Survey",
}


def extract(body: dict[str, Any], n: int) -> dict[str, Any]:
    article = article_of(body)
    found = [c for c in S1 + S2 if locate_quote(article, c["quote"]) is not None]
    if any(c is S1[5] for c in found) and not is_reask(body):
        found = [FIRST_TRY_45K if c is S1[5] else c for c in found]
    return completion(claims_json(*found), n=n, prompt_tokens=1100 + len(article) // 4)


_CLAIM_LINE = re.compile(
    r'^\[(?P<id>[^\]]+)\] \((?P<source>S\d+), [^)]*\) (?P<text>.*) \| quote: "(?P<quote>.*)"$'
)

CONFLICTS = [
    (
        "Who signed the US-Japan rare earths deal",
        [
            ("Prime Minister Takaichi Sanae and President Donald Trump closed the deal in Tokyo.", S1[1]),
            ("Energy Secretary Jennifer Granholm and METI Minister Ken Saito finalized it.", S2[1]),
        ],
    ),
    (
        "Sanae Takaichi's office",
        [
            ("Takaichi is Japan's Prime Minister.", S1[2]),
            ("Takaichi is Japan's Economic Security Minister.", S2[2]),
        ],
    ),
    (
        "US rare earth production",
        [
            ("The US produced 45,000 tonnes (REO equivalent) last year, per the USGS.", S1[5]),
            ("The US mined an estimated 40,000 tonnes in 2024.", S2[6]),
        ],
    ),
]


def reconcile(body: dict[str, Any], n: int) -> dict[str, Any]:
    user = body["messages"][1]["content"]
    ids_by_quote: dict[str, str] = {}
    for line in user.splitlines():
        m = _CLAIM_LINE.match(line)
        if m:
            ids_by_quote.setdefault(normalize(m["quote"]), m["id"])
    conflicts = []
    for topic, sides in CONFLICTS:
        positions = [
            {"text": text, "claim_ids": [ids_by_quote[normalize(c["quote"])]]}
            for text, c in sides
            if normalize(c["quote"]) in ids_by_quote
        ]
        if len(positions) == len(sides):
            conflicts.append({"topic": topic, "positions": positions})
    args = {"conflicts": conflicts}
    return completion(_json(args), n=n, name="Conflicts", prompt_tokens=1500, completion_tokens=260)


_POINT_LINE = re.compile(r"^(?P<id>\S+) \((?P<n>\d+) sources?; claims: (?P<ids>[^)]*)\): (?P<text>.*)$")

BOTTOM = [
    (
        "The United States and Japan have signed a pact to secure rare earths and critical minerals outside China.",
        ["signed a framework", "Memorandum of Cooperation"],
    ),
    (
        "The allies plan joint financing and a rapid response group, but a full mine-to-magnet chain could take a "
        "decade.",
        ["rapid response group", "take a decade"],
    ),
]
KEY = [
    ("China controls about 70% of rare earth mining and 85-90% of processing.", ["70% of global"]),
    ("China also makes over 90% of the world's high-performance permanent magnets.", ["NdFeB"]),
    (
        "The two countries intend to support the supply of raw and processed critical minerals and rare earths.",
        ["intend to support the supply"],
    ),
    (
        "Public lenders such as the DFC and JOGMEC are to provide loans, grants and offtake agreements.",
        ["DFC and JOGMEC"],
    ),
    ("The US relies on imports for 80% of its rare earth compounds and metals.", ["imports for 80%"]),
    ("Japan produces no rare earths of its own and is exploring deep-sea mining.", ["deep-sea mining"]),
    (
        "Takaichi said both countries depend too heavily on specific suppliers and must diversify.",
        ["overly dependent"],
    ),
    ("China halted rare earth exports to Japan in 2010 during a territorial dispute.", ["In 2010"]),
    ("Lynas Rare Earths of Australia is the only significant processor outside China.", ["Lynas"]),
]


def compose(body: dict[str, Any], n: int) -> dict[str, Any]:
    user = body["messages"][1]["content"]
    points = [m for m in map(_POINT_LINE.match, user.splitlines()) if m]

    def sentences(plan: list[tuple[str, list[str]]]) -> list[dict[str, Any]]:
        out = []
        for text, keys in plan:
            ids = [
                i.strip() for p in points if any(k in p["text"] for k in keys) for i in p["ids"].split(",")
            ]
            if ids:
                out.append({"text": text, "claim_ids": list(dict.fromkeys(ids))})
        return out

    args = {
        "title": "US and Japan sign rare earths pact to cut reliance on China",
        "bottom_line": sentences(BOTTOM),
        "key_points": sentences(KEY),
    }
    return completion(_json(args), n=n, name="ComposedBrief", prompt_tokens=1400, completion_tokens=420)


def _json(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def respond(body: dict[str, Any], n: int) -> tuple[int, dict[str, Any]]:
    name = body["tool_choice"]["function"]["name"]
    handler = {"ChunkClaims": extract, "Conflicts": reconcile, "ComposedBrief": compose}[name]
    return 200, handler(body, n)


def record_seed(record: Callable[..., Any]) -> None:
    def drive(client: Any) -> None:
        import briefing

        brief = briefing.make_brief(str(cases.SEED_DIR), cases.seed_options(), client=client)
        print(f"  seed: {len(brief.disagreements)} disagreements, {len(brief.key_points)} key points")

    record("seed", respond, drive)
