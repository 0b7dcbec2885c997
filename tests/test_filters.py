from publishing.filters import FirstChoices
from tests.factories import make_critique, make_source


def test_a_long_select_lists_the_first_choices_and_the_chosen_one(client, db, monkeypatch):
    monkeypatch.setattr(FirstChoices, "limit", 3)
    sources = [make_source(title=f"Source {n:02}", slug=f"source-{n:02}") for n in range(6)]
    for source in sources:
        make_critique(title=f"Critique citing {source.title}").sources.add(source)
    page = client.get("/critiques/").text
    assert [slug for slug in (s.slug for s in sources) if f'value="{slug}"' in page] == ["source-00", "source-01", "source-02"]
    chosen = client.get("/critiques/", {"source": "source-05"}).text
    assert '<option value="source-05" selected>Source 05 (1)</option>' in chosen
    assert "Critique citing Source 05" in chosen
    assert "Critique citing Source 00" not in chosen
