"""The pages the browser, accessibility and HTML checks visit. Call these inside a test: they query the database."""

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from critiques.models import Critique
from iplus.models import KeyAction, PolicyDocument, Source
from publishing.models import DraftChange
from sectors.models import Sector, Target
from tests.routes import counterpart

LIST_PAGES = ["iplus:home", "iplus:strategy", "iplus:keyaction-list", "iplus:compare", "iplus:timeline", "iplus:glossary",
              "iplus:source-list", "iplus:document-list", "iplus:outcomes", "iplus:coverage", "iplus:changes", "data:index",
              "sectors:list", "critiques:list", "iplus:target-list", "iplus:provinces"]  # fmt: skip
EDITED_APPS = {"iplus", "sectors", "critiques"}


def public_pages():
    """Every public page kind, in both editions: each list, every sector and critique, a policy document of each
    level (one with targets, one undated), a key action, a source, and a target with reports and one without."""
    documents = PolicyDocument.objects.published()
    samples = [
        *(documents.filter(level=level).first() for level in ("national", "ministerial", "provincial")),
        documents.filter(targets__isnull=False).first(),
        documents.filter(issued_on__isnull=True).first(),
    ]
    targets = Target.objects.published()
    details = [*Sector.objects.published(), *Critique.objects.published(), *dict.fromkeys(filter(None, samples)),
               KeyAction.objects.published().first(), Source.objects.published().first(),
               targets.filter(reports__isnull=False).first(), targets.filter(reports__isnull=True).first()]  # fmt: skip
    history = reverse("iplus:history", args=["sectors", details[0].slug])
    return both_editions([reverse(name) for name in LIST_PAGES] + [obj.get_absolute_url() for obj in details] + [history])


def both_editions(paths):
    """Each English page and its Chinese counterpart."""
    return [*paths, *(counterpart(path, "zh-hans") for path in paths)]


def finding_pages():
    """Pages that search, filter and sort: the lists with their forms in use, in both editions (and a Chinese query)."""
    category = Critique.objects.published().values_list("category", flat=True).first()
    return both_editions(
        [
            reverse("iplus:search") + "?q=互联网",
            reverse("iplus:search") + "?q=finance",
            reverse("iplus:search") + "?q=nothing-matches-this",
            reverse("critiques:list") + f"?category={category}",
            reverse("sectors:list") + "?q=internet",
            reverse("iplus:timeline") + "?year=2015",
            reverse("iplus:document-list") + "?level=provincial&ordering=-issued_on",
            reverse("iplus:outcomes") + "?sector=finance",
            reverse("iplus:target-list") + "?province=hunan&status=no-report",
        ]
    )


def admin_pages():
    """The admin pages editors use: the index, and each content model's list, change form, add form, history and
    deleted items. The first critique gets a draft change here, so its change form shows the draft's banner."""
    critique = Critique.objects.first()
    content_type = ContentType.objects.get_for_model(Critique)
    DraftChange.objects.update_or_create(content_type=content_type, object_id=critique.pk, defaults={"data": {"summary": ["A draft."]}})
    pages = [reverse("admin:index")]
    for model in admin.site._registry:
        meta = model._meta
        if meta.app_label not in EDITED_APPS:
            continue
        name = f"admin:{meta.app_label}_{meta.model_name}"
        pages += [reverse(f"{name}_changelist"), reverse(f"{name}_add"), reverse(f"{name}_deleted")]
        obj = model.objects.first()
        if obj is not None:
            pages += [reverse(f"{name}_change", args=[obj.pk]), reverse(f"{name}_history", args=[obj.pk])]
    return pages
