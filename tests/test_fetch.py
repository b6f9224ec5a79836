"""briefing fetch: feeds and articles from a local HTTP server into a folder of .md files."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.sources import load_sources
from briefing.sources.fetch import INDEX_NAME, FetchOptions, fetch_sources, read_source_list
from briefing.testing.fakesite import FakeSite, article_html, rss_feed

PARAS_A = [
    "The harbour authority of Varnholt said on Monday that the northern pier will close for repairs "
    "for six weeks starting in March, after divers found cracked pilings.",
    "Ferries will use the southern pier meanwhile, and the authority expects delays of about twenty "
    "minutes at peak hours, a spokeswoman for the operator said.",
    "The repair will cost 4.2 million crowns, paid from the port's maintenance fund, according to the "
    "budget the council approved last year.",
]
PARAS_B = [
    "Councillors in Varnholt voted 7 to 2 on Monday to fund a second inspection of the northern pier, "
    "citing the cracked pilings reported by divers last week.",
    "The inspection will begin in February and take about ten days, the council's planning office said "
    "in a statement published after the vote.",
]


@pytest.fixture
def site() -> Iterator[FakeSite]:
    with FakeSite() as s:
        s.add(
            "/news/pier.html",
            article_html("Northern pier to close for repairs", PARAS_A, site_name="Coast Post"),
        )
        s.add(
            "/news/vote.html", article_html("Council funds pier inspection", PARAS_B, site_name="Coast Post")
        )
        s.add("/news/photo.jpg", b"\xff\xd8\xff\xe0binary", content_type="image/jpeg")
        yield s


def _feed(site: FakeSite, links: list[tuple[str, str]]) -> str:
    return site.add(
        "/feed.xml",
        rss_feed("Coast Post", [(site.url(p), t, "2026-03-02") for p, t in links]),
        content_type="application/rss+xml",
    )


def test_fetch_feed_saves_articles_readable_with_front_matter(site: FakeSite, tmp_path: Path) -> None:
    feed = _feed(site, [("/news/pier.html", "Northern pier to close"), ("/news/vote.html", "Pier vote")])
    report = fetch_sources([feed], tmp_path / "out")
    assert [f.url for f in report.saved] == [site.url("/news/pier.html"), site.url("/news/vote.html")]
    assert report.failed == [] and report.feeds == 1
    loaded = load_sources(tmp_path / "out")
    by_url = {s.url: s for s in loaded.sources}
    pier = by_url[site.url("/news/pier.html")]
    assert pier.outlet == "Coast Post"
    assert pier.title == "Northern pier to close"  # the feed's title wins over the page's
    assert pier.published == "2026-03-02"
    assert "cracked pilings" in pier.text
    assert all(ua.startswith("briefing/") for _, ua in site.requests)


def test_fetch_lists_failures_and_duplicates_without_stopping(site: FakeSite, tmp_path: Path) -> None:
    site.add("/news/slow.html", article_html("Slow", PARAS_B), delay=3.0)
    site.add("/news/empty.html", "<html><head><title>Empty</title></head><body></body></html>")
    feed = _feed(
        site,
        [
            ("/news/pier.html", "Pier"),
            ("/news/missing.html", "Gone"),
            ("/news/photo.jpg", "Photo"),
            ("/news/pier.html#comments", "Pier again"),
            ("/news/slow.html", "Slow"),
            ("/news/empty.html", "Empty"),
            ("/news/vote.html", "Vote"),
        ],
    )
    report = fetch_sources([feed], tmp_path, FetchOptions(timeout=1.0))
    reasons = {f.url.rsplit("/", 1)[-1]: f.reason for f in report.failed}
    assert reasons["missing.html"] == "HTTP 404 Not Found"
    assert reasons["photo.jpg"] == "unsupported content type image/jpeg"
    assert reasons["slow.html"].startswith("timed out after 1 s")
    assert reasons["empty.html"] == "no article text found"
    assert [s.reason for s in report.skipped] == ["duplicate in this run"]
    assert len(report.saved) == 2


def test_fetch_again_skips_urls_in_the_index(site: FakeSite, tmp_path: Path) -> None:
    feed = _feed(site, [("/news/pier.html", "Pier")])
    fetch_sources([feed], tmp_path)
    _feed(site, [("/news/pier.html", "Pier"), ("/news/vote.html", "Vote")])
    site.requests.clear()
    report = fetch_sources([feed], tmp_path)
    assert [f.url for f in report.saved] == [site.url("/news/vote.html")]
    assert report.skipped[0].reason.startswith("already fetched")
    assert "/news/pier.html" not in [p for p, _ in site.requests]
    index = json.loads((tmp_path / INDEX_NAME).read_text())
    assert len(index["urls"]) == 2
    assert len(list(tmp_path.glob("*.md"))) == 2


def test_fetch_size_cap_and_per_host_limit(site: FakeSite, tmp_path: Path) -> None:
    big = article_html("Big", PARAS_A * 400)
    site.add("/news/big.html", big)
    for i in range(6):
        site.add(f"/news/p{i}.html", article_html(f"Page {i}", PARAS_B), delay=0.2)
    urls = [site.url("/news/big.html")] + [site.url(f"/news/p{i}.html") for i in range(6)]
    report = fetch_sources(urls, tmp_path, FetchOptions(max_bytes=50_000, per_host=2))
    assert report.failed[0].reason.startswith("too large")
    assert len(report.saved) == 6
    assert site.max_active <= 2


def test_read_source_list_reads_opml_and_url_files(tmp_path: Path) -> None:
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>'
        '<outline text="group"><outline type="rss" text="A" xmlUrl="http://127.0.0.1:1/a.xml"/></outline>'
        '<outline type="rss" text="B" xmlUrl="https://127.0.0.1:1/b.xml"/></body></opml>'
    )
    urls = tmp_path / "list.urls"
    urls.write_text("# morning list\nhttp://127.0.0.1:1/x.html\n\nhttp://127.0.0.1:1/y.html#part\n")
    assert read_source_list([opml, urls, "http://127.0.0.1:1/z"]) == [
        "http://127.0.0.1:1/a.xml",
        "https://127.0.0.1:1/b.xml",
        "http://127.0.0.1:1/x.html",
        "http://127.0.0.1:1/y.html#part",
        "http://127.0.0.1:1/z",
    ]


def test_cli_fetch_bad_list_is_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "list.urls"
    bad.write_text("ftp://example.invalid/file\n")
    result = CliRunner().invoke(app, ["fetch", str(bad), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "not an http(s) URL" in result.output
    assert "Traceback" not in result.output


def test_cli_fetch_prints_failures_and_summary(site: FakeSite, tmp_path: Path) -> None:
    feed = _feed(site, [("/news/pier.html", "Pier"), ("/news/missing.html", "Gone")])
    result = CliRunner().invoke(app, ["fetch", feed, "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "failed " + site.url("/news/missing.html") + ": HTTP 404 Not Found" in result.output
    assert "fetched 1 article from 1 feed into" in result.output


def test_cli_make_from_a_url_list_fetches_into_a_dated_cache_folder(
    site: FakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import date

    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    feed = _feed(site, [("/news/pier.html", "Pier"), ("/news/vote.html", "Vote")])
    urls = tmp_path / "morning.urls"
    urls.write_text(f"{feed}\n{site.url('/news/missing.html')}\n")
    result = CliRunner().invoke(app, ["make", "-s", str(urls), "--engine", "extractive", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert "failed " + site.url("/news/missing.html") + ": HTTP 404 Not Found" in result.stderr
    brief = json.loads(result.stdout)
    assert {s["url"] for s in brief["sources"]} == {site.url("/news/pier.html"), site.url("/news/vote.html")}
    folder = tmp_path / "cache" / "fetched" / date.today().isoformat()
    assert len(list(folder.glob("*.md"))) == 2


def test_fetch_direct_url_already_fetched_is_not_requested(site: FakeSite, tmp_path: Path) -> None:
    url = site.url("/news/pier.html")
    fetch_sources([url], tmp_path)
    site.requests.clear()
    report = fetch_sources([url], tmp_path)
    assert site.requests == []
    assert report.saved == [] and report.skipped[0].reason.startswith("already fetched")


def test_cli_fetch_nothing_fetched_exits_2(site: FakeSite, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["fetch", site.url("/news/gone.html"), "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert "HTTP 404" in result.output and "nothing could be fetched" in result.output


def test_fetch_reads_atom_and_reports_a_broken_feed(site: FakeSite, tmp_path: Path) -> None:
    atom = site.add(
        "/atom.xml",
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Coast Wire</title><id>urn:x</id><updated>2026-03-02T06:00:00Z</updated>"
        f'<entry><title>Pier vote</title><link href="{site.url("/news/vote.html")}"/><id>urn:1</id>'
        "<updated>2026-03-02T06:00:00Z</updated></entry></feed>",
        content_type="application/atom+xml",
    )
    broken = site.add("/broken.xml", "<?xml version='1.0'?><rss><channel><item>", content_type="text/xml")
    report = fetch_sources([atom, broken], tmp_path)
    assert [(f.url, f.published) for f in report.saved] == [(site.url("/news/vote.html"), "2026-03-02")]
    assert report.failed[0].url == broken and report.failed[0].reason.startswith("not a readable feed")


def test_fetch_recognises_a_feed_served_as_html(site: FakeSite, tmp_path: Path) -> None:
    body = rss_feed("Coast Post", [(site.url("/news/pier.html"), "Pier", "2026-03-02")])
    feed = site.add("/feed", "<!-- generated -->\n" + body, content_type="text/html; charset=utf-8")
    report = fetch_sources([feed], tmp_path)
    assert report.feeds == 1 and [f.url for f in report.saved] == [site.url("/news/pier.html")]


def test_fetch_never_replaces_a_link_in_the_way(site: FakeSite, tmp_path: Path) -> None:
    url = site.url("/news/pier.html")
    fetch_sources([url], tmp_path / "a")
    name = next((tmp_path / "a").glob("*.md")).name
    out = tmp_path / "b"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    (out / name).symlink_to(victim)
    report = fetch_sources([url], out)
    assert report.failed[0].reason.endswith("is not a regular file; not replaced")
    assert victim.read_text() == "keep me" and (out / name).is_symlink()


def test_fetch_works_inside_a_running_event_loop(site: FakeSite, tmp_path: Path) -> None:
    import asyncio

    async def inside() -> int:
        return len(fetch_sources([site.url("/news/vote.html")], tmp_path).saved)

    assert asyncio.run(inside()) == 1
