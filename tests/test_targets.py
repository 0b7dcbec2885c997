import datetime
from decimal import Decimal
from sectors.models import Target, Figure
from iplus.models import PolicyDocument, Source

def test_target_pages_render_with_their_verdict(client, db):
    """A provincial target with one report that meets it: its list, page, filters and the provinces page."""
    src = Source.objects.create(slug="s", title="S", kind="official", status="published")
    doc = PolicyDocument.objects.create(slug="d", title="D", issuer="X", level="provincial", province="hunan", kind="opinions", issued_on=datetime.date(2016,1,1), summary="x", status="published")
    t = Target.objects.create(slug="t", document=doc, measure="Broadband", value=Decimal(60), unit="%", deadline=datetime.date(2017,1,1), passage="家庭宽带普及率达到60%", passage_en="Household broadband 60 %", source=src, status="published", comparable_as="household-broadband")
    Figure.objects.create(slug="f1", target=t, label="l", value=Decimal(72.5), unit="%", as_of=datetime.date(2017,1,1), as_of_precision="year", source=src, status="published")
    for url in ["/targets/", "/targets/t/", "/targets/provinces/", "/zh-hans/targets/t/", "/targets/?status=met", "/targets/?province=hunan"]:
        r = client.get(url)
        assert r.status_code == 200, (url, r.content[:3000])
        assert "Met" in r.text or "达成" in r.text or url.startswith("/zh-hans/")
