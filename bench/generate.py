"""A national-scale catalogue: ~50,000 offers for the 357 municipalities, with weekly sessions.

Deterministic (fixed seed). Municipality sizes follow a skewed distribution like the real ones.
"""

import datetime
import random
import zoneinfo

from django.db import transaction
from django.utils import timezone

from ungkultur.catalogue.models import Category, Offer, Session, Venue
from ungkultur.municipalities.models import Municipality
from ungkultur.organisations.models import Unit

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
UNIT_KINDS = [Unit.Kind.KULTURSKOLE, Unit.Kind.YOUTH_CLUB, Unit.Kind.UKM, Unit.Kind.LIBRARY]
WORDS = [
    "Piano",
    "Gitar",
    "Band",
    "Kor",
    "Hiphop",
    "Ballett",
    "Teater",
    "Tegning",
    "Film",
    "Podkast",
    "Gaming",
    "Skriveverksted",
    "Keramikk",
    "Streetdance",
    "Fiolin",
    "Trommer",
]


@transaction.atomic
def generate(*, offers_total: int = 50_000, sessions_per_offer: int = 10, today=None, seed=1):
    rng = random.Random(seed)
    today = today or timezone.localdate()
    municipalities = list(Municipality.objects.order_by("code"))
    weights = [rng.lognormvariate(0, 1.1) for _ in municipalities]
    scale = offers_total / sum(weights)
    units, venues = {}, {}
    for municipality in municipalities:
        for kind in UNIT_KINDS:
            units[municipality.pk, kind] = Unit(
                municipality=municipality, kind=kind, name=f"{municipality.name} {kind}"
            )
        venues[municipality.pk] = [
            Venue(
                municipality=municipality,
                name=f"Kulturhuset {municipality.name} {n}",
                step_free=n == 1,
            )
            for n in (1, 2)
        ]
    Unit.objects.bulk_create(units.values(), batch_size=2000)
    Venue.objects.bulk_create([v for pair in venues.values() for v in pair], batch_size=2000)
    offers = []
    for municipality, weight in zip(municipalities, weights, strict=True):
        for _ in range(max(5, round(weight * scale))):
            kind = rng.choice(UNIT_KINDS)
            age_min = rng.randint(6, 16)
            offers.append(
                Offer(
                    unit=units[municipality.pk, kind],
                    municipality=municipality,
                    title=f"{rng.choice(WORDS)} {rng.randint(1, 9)}",
                    category=rng.choice(Category.values),
                    age_min=age_min,
                    age_max=min(26, age_min + rng.randint(2, 8)),
                    venue=rng.choice(venues[municipality.pk]),
                    price=rng.choice([0, 0, 500, 1800, 2400]),
                    join_mode=rng.choice(Offer.JoinMode.values),
                    capacity=rng.randint(5, 30),
                    status=Offer.Status.PUBLISHED if rng.random() < 0.9 else Offer.Status.DRAFT,
                    term_start=today - datetime.timedelta(days=30),
                    term_end=today + datetime.timedelta(days=150),
                )
            )
    Offer.objects.bulk_create(offers, batch_size=2000)
    sessions = []
    for offer in offers:
        first = today + datetime.timedelta(days=rng.randint(0, 6))
        hour = rng.randint(15, 19)
        for week in range(sessions_per_offer):
            day = first + datetime.timedelta(weeks=week)
            starts = datetime.datetime.combine(day, datetime.time(hour), OSLO)
            sessions.append(
                Session(
                    offer=offer,
                    starts_at=starts,
                    ends_at=starts + datetime.timedelta(hours=1, minutes=30),
                    weekday=day.weekday(),
                    venue=offer.venue,
                )
            )
        if len(sessions) >= 20_000:
            Session.objects.bulk_create(sessions, batch_size=5000)
            sessions = []
    Session.objects.bulk_create(sessions, batch_size=5000)
    return len(offers)
