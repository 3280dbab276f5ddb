from datetime import UTC, datetime

from tests.factories import EpisodeFactory


def test_anonymous_is_sent_to_log_in(client):
    assert client.get("/history/")["Location"].startswith("/accounts/login/")


def test_it_groups_by_day_in_the_users_time_zone_newest_first(alice_client, alice):
    # 23:30 Berlin on 10 Nov (22:30 UTC) and 00:30 Berlin on 11 Nov (23:30 UTC on the 10th).
    EpisodeFactory(user=alice, started_at=datetime(2026, 11, 10, 22, 30, tzinfo=UTC))
    EpisodeFactory(user=alice, started_at=datetime(2026, 11, 10, 23, 30, tzinfo=UTC))
    EpisodeFactory(user=alice, started_at=datetime(2026, 11, 10, 8, 0, tzinfo=UTC))
    response = alice_client.get("/history/")
    days = [
        (day.isoformat(), [e.started_at.hour for e in items])
        for day, items in response.context["days"]
    ]
    assert days == [("2026-11-11", [23]), ("2026-11-10", [22, 8])]
    html = response.content.decode()
    assert html.index("Wednesday 11 November 2026") < html.index("Tuesday 10 November 2026")
    assert "23:30" in html and "00:30" in html


def test_it_never_shows_another_users_episodes(alice_client, bob):
    EpisodeFactory(user=bob, notes="bob only")
    response = alice_client.get("/history/")
    assert response.context["days"] == []
    assert "bob only" not in response.content.decode()


def test_it_filters_by_site_and_dates(alice_client, alice):
    EpisodeFactory(user=alice, site="calf", started_at=datetime(2026, 11, 3, 12, tzinfo=UTC))
    EpisodeFactory(user=alice, site="foot", started_at=datetime(2026, 11, 3, 13, tzinfo=UTC))
    EpisodeFactory(user=alice, site="calf", started_at=datetime(2026, 11, 9, 12, tzinfo=UTC))
    response = alice_client.get(
        "/history/", {"site": "calf", "from": "2026-11-01", "to": "2026-11-05"}
    )
    shown = [e for _, items in response.context["days"] for e in items]
    assert [(e.site, e.started_at.day) for e in shown] == [("calf", 3)]


def test_a_bad_filter_says_so_and_shows_nothing(alice_client, alice):
    EpisodeFactory(user=alice)
    response = alice_client.get("/history/", {"from": "not-a-date", "site": "knee"})
    assert response.status_code == 200
    assert response.context["days"] == []
    html = response.content.decode()
    assert "Enter a valid date" in html and "Select a valid choice" in html


def test_notes_with_html_are_shown_escaped(alice_client, alice):
    EpisodeFactory(user=alice, notes='<script>alert("x")</script><b>bold</b>')
    html = alice_client.get("/history/").content.decode()
    assert "<script>alert" not in html and "<b>bold" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_it_pages_by_25_with_older_and_newer_links_keeping_the_filter(alice_client, alice):
    for day in range(1, 16):
        for hour in range(4):
            EpisodeFactory(user=alice, started_at=datetime(2026, 10, day, hour * 5, tzinfo=UTC))

    def shown(response):
        return [e for _, items in response.context["days"] for e in items]

    first = alice_client.get("/history/", {"from": "2026-10-01"})
    html = first.content.decode()
    assert len(shown(first)) == 25 and "Page 1 of 3" in html
    assert 'href="?from=2026-10-01&amp;page=2">Older</a>' in html and ">Newer<" not in html
    second = alice_client.get("/history/", {"from": "2026-10-01", "page": "2"})
    assert 'href="?from=2026-10-01&amp;page=1">Newer</a>' in second.content.decode()
    last = alice_client.get("/history/", {"from": "2026-10-01", "page": "3"})
    assert len(shown(last)) == 10 and ">Older<" not in last.content.decode()
    # Newest first across pages: page 2 starts where page 1 ended.
    assert shown(first)[-1].started_at > shown(second)[0].started_at
    assert alice_client.get("/history/", {"page": "zzz"}).status_code == 200


def test_cramps_with_warning_signs_are_marked_with_what_was_noted(alice_client, alice):
    EpisodeFactory(user=alice, symptoms=["swelling", "redness_warmth"], notes="flagged")
    EpisodeFactory(user=alice, symptoms=["knot"], notes="plain")
    html = alice_client.get("/history/").content.decode()
    assert html.count('class="card flagged"') == 1
    mark = html[html.index('class="ep-warning"') :]
    assert "Warning signs:</strong> swelling and redness or warmth." in mark
    assert "Talk to a doctor about this" in mark and 'href="/alerts/"' in mark


def test_swelling_in_one_leg_in_pregnancy_is_marked_as_the_rule_reads_it(alice_client, alice):
    alice.profile.pregnant_or_recent_birth = True
    alice.profile.save()
    EpisodeFactory(user=alice, symptoms=["swelling"], side="left")
    html = alice_client.get("/history/").content.decode()
    assert "swelling in one leg, while pregnant or soon after giving birth" in html


def test_a_wrong_method_gets_405(alice_client):
    assert alice_client.post("/history/").status_code == 405
