"""Fill the configured database with synthetic content for benchmarks (never for the public site).

Only bench/settings.py installs this app: `DJANGO_SETTINGS_MODULE=bench.settings python manage.py generate_content`.
"""

import datetime
import random
import time

from django.core.cache import caches
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from critiques.models import Category, Critique
from iplus.models import Milestone, Source, SourceKind, Status
from publishing.markdown import render
from sectors.models import Sector

PREFIX = "synthetic-"

VOCABULARY = (
    "internet platform industry manufacturing finance agriculture government medical logistics retail cloud computing "
    "big data mobile network broadband services enterprises provinces cities pilot programme policy regulation "
    "security privacy information users consumers payment credit lending insurance hospital appointment records "
    "farmers supply chain e-commerce village county innovation entrepreneurship investment capital infrastructure "
    "standards interoperability transparency accountability oversight local officials targets statistics growth "
    "productivity employment training skills digital economy factories sensors automation transport energy grid "
    "education students teachers public services administration licensing procurement data sharing platforms "
    "monopoly competition market access foreign firms domestic champions censorship speech media content filtering "
    "surveillance identity registration real-name rules implementation coordination ministries council opinions "
    "action plan evaluation outcomes funding subsidies banks peer-to-peer fraud risk consumer protection"
)
WORDS = VOCABULARY.split()

CONNECTORS = (
    "because",
    "while",
    "although",
    "so that",
    "and therefore",
    "whereas",
    "since",
    "even though",
)

CRITICS = (
    "local researchers",
    "industry analysts",
    "foreign observers",
    "legal scholars",
    "press commentators",
    "economists",
    "civil-society groups",
    "provincial officials",
)

SECTOR_STEMS = (
    ("Manufacturing", "制造"),
    ("Finance", "金融"),
    ("Medical system", "医疗"),
    ("Government", "政务"),
    ("Agriculture", "农业"),
    ("E-commerce", "电子商务"),
    ("Logistics", "物流"),
    ("Energy", "能源"),
    ("Transport", "交通"),
    ("Education", "教育"),
)

ZH_VOCABULARY = "互联网 平台 产业 制造 金融 农业 政务 医疗 物流 数据 安全 隐私 监管 创新 创业 服务 网络 信息 地方 实施"
ZH_WORDS = ZH_VOCABULARY.split()


class Command(BaseCommand):
    help = (
        "Fill the database with synthetic sectors, critiques, sources and milestones (slugs start with "
        f"'{PREFIX}') for benchmarks. Refuses a database holding real content unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--critiques", type=int, default=100_000)
        parser.add_argument("--sectors", type=int, default=1_000)
        parser.add_argument("--sources", type=int, default=10_000)
        parser.add_argument("--milestones", type=int, default=60)
        parser.add_argument("--drafts", type=float, default=0.02, help="Share of drafts among critiques (default 0.02).")
        parser.add_argument("--seed", type=int, default=2015)
        parser.add_argument("--force", action="store_true", help="Add synthetic content beside the real content.")

    def handle(self, *args, critiques, sectors, sources, milestones, drafts, seed, force, verbosity, **options):
        if min(critiques, sectors, sources, milestones) < 0 or sectors < 1 or sources < 1:
            raise CommandError("Counts must not be negative; at least one sector and one source are needed.")
        real = sum(model.objects.filter(~Q(slug__startswith=PREFIX)).count() for model in (Source, Sector, Critique, Milestone))
        if real and not force:
            raise CommandError(
                f"The database holds {real} real content objects; synthetic content belongs in a database of its own "
                "(e.g. DATABASE_URL=sqlite:///var/bench.sqlite3). Pass --force to add it anyway."
            )
        self.random = random.Random(seed)
        self.sentences = [self.sentence() for _ in range(5_000)]
        started = time.perf_counter()
        with transaction.atomic():
            self.delete_previous()
            source_ids = self.make_sources(sources)
            sector_ids = self.make_sectors(sectors, source_ids)
            self.make_critiques(critiques, drafts, sector_ids, source_ids)
            self.make_milestones(milestones, source_ids)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        # bulk_create sends no signal: stored pages show none of this until the pages cache is emptied.
        caches["pages"].clear()
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Generated {sources} sources, {sectors} sectors, {critiques} critiques and {milestones} milestones "
                    f"in {time.perf_counter() - started:.1f} s."
                )
            )

    def sentence(self):
        words = self.random.sample(WORDS, self.random.randint(6, 12))
        cut = self.random.randint(3, len(words) - 2)
        text = " ".join(words[:cut]) + f" {self.random.choice(CONNECTORS)} " + " ".join(words[cut:])
        return text[0].upper() + text[1:] + "."

    def text(self, sentences):
        return " ".join(self.random.choices(self.sentences, k=sentences))

    def markdown(self, paragraphs):
        parts = [self.text(self.random.randint(2, 5)) for _ in range(paragraphs)]
        parts.insert(1, "\n".join(f"- {self.random.choice(self.sentences)}" for _ in range(3)))
        parts[0] = parts[0].replace(".", " **in practice**.", 1)
        return "\n\n".join(parts)

    def title(self, words):
        return " ".join(self.random.sample(WORDS, words)).capitalize()

    def delete_previous(self):
        for model in (Critique, Milestone, Sector, Source):
            model.objects.filter(slug__startswith=PREFIX).delete()

    def make_sources(self, count):
        kinds = SourceKind.values
        objs = [
            Source(
                slug=f"{PREFIX}source-{i}",
                title=f"{self.title(5)} ({i})",
                publisher=self.random.choice(CRITICS).title(),
                published_on=datetime.date(2010, 1, 1) + datetime.timedelta(days=self.random.randint(0, 4000)),
                url=f"https://example.org/synthetic/{i}",
                kind=self.random.choice(kinds),
                note=self.text(1),
                status=Status.PUBLISHED,
            )
            for i in range(count)
        ]
        Source.objects.bulk_create(objs, batch_size=2_000)
        return list(Source.objects.filter(slug__startswith=PREFIX).values_list("pk", flat=True))

    def make_sectors(self, count, source_ids):
        objs = []
        for i in range(count):
            stem, stem_zh = SECTOR_STEMS[i % len(SECTOR_STEMS)]
            body = self.markdown(4)
            objs.append(
                Sector(
                    slug=f"{PREFIX}sector-{i}",
                    name=f"Internet + {stem} {i}",
                    name_zh=f"互联网+{stem_zh}{i}",
                    summary=self.text(2),
                    body=body,
                    body_html=render(body),
                    position=i,
                    status=Status.PUBLISHED,
                )
            )
        Sector.objects.bulk_create(objs, batch_size=2_000)
        sector_ids = list(Sector.objects.filter(slug__startswith=PREFIX).values_list("pk", flat=True))
        through = Sector.sources.through
        through.objects.bulk_create(
            [through(sector_id=sector, source_id=source) for sector in sector_ids for source in self.random.sample(source_ids, 2)],
            batch_size=5_000,
        )
        return sector_ids

    def make_critiques(self, count, drafts, sector_ids, source_ids):
        categories = Category.values
        start = timezone.now() - datetime.timedelta(minutes=15 * count)
        batch = 5_000
        sector_through, source_through = Critique.sectors.through, Critique.sources.through
        for first in range(0, count, batch):
            arguments = [self.markdown(self.random.randint(2, 4)) for _ in range(first, min(first + batch, count))]
            objs = [
                Critique(
                    slug=f"{PREFIX}critique-{i}",
                    title=f"{self.title(6)} ({i})",
                    title_zh="".join(self.random.sample(ZH_WORDS, 4)),
                    category=self.random.choice(categories),
                    raised_by=self.random.choice(CRITICS).capitalize(),
                    summary=self.text(2),
                    summary_zh="，".join("".join(self.random.sample(ZH_WORDS, 3)) for _ in range(3)) + "。",
                    argument=argument,
                    argument_html=render(argument),
                    quotation=self.text(1) if self.random.random() < 0.3 else "",
                    status=Status.DRAFT if self.random.random() < drafts else Status.PUBLISHED,
                    created=start + datetime.timedelta(minutes=15 * i, seconds=self.random.randint(0, 599)),
                )
                for i, argument in enumerate(arguments, start=first)
            ]
            created = Critique.objects.bulk_create(objs)
            sector_through.objects.bulk_create(
                [
                    sector_through(critique_id=critique.pk, sector_id=sector)
                    for critique in created
                    for sector in self.random.sample(sector_ids, min(len(sector_ids), self.random.randint(1, 3)))
                ]
            )
            source_through.objects.bulk_create(
                [
                    source_through(critique_id=critique.pk, source_id=source)
                    for critique in created
                    for source in self.random.sample(source_ids, min(len(source_ids), self.random.randint(1, 2)))
                ]
            )

    def make_milestones(self, count, source_ids):
        kinds = Milestone.Kind.values
        descriptions = [self.markdown(1) for _ in range(count)]
        objs = [
            Milestone(
                slug=f"{PREFIX}milestone-{i}",
                title=self.title(5),
                date=datetime.date(2012 + i % 10, 1 + i % 12, 1),
                precision=Milestone.Precision.MONTH,
                kind=self.random.choice(kinds),
                description=description,
                description_html=render(description),
                status=Status.PUBLISHED,
            )
            for i, description in enumerate(descriptions)
        ]
        Milestone.objects.bulk_create(objs)
        through = Milestone.sources.through
        through.objects.bulk_create(
            [
                through(milestone_id=milestone, source_id=self.random.choice(source_ids))
                for milestone in Milestone.objects.filter(slug__startswith=PREFIX).values_list("pk", flat=True)
            ]
        )
