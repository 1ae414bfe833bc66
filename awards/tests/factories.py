import datetime

import factory

from awards.models import Award
from units.tests.factories import UnitFactory


class AwardFactory(factory.django.DjangoModelFactory):
    """An award announced in an earlier year: published, public since its decree date."""

    class Meta:
        model = Award

    unit = factory.SubFactory(UnitFactory)
    predicate = "WBK"
    year = 2023
    decree_number = factory.Sequence(lambda n: f"SK-{n}/MENPANRB/2023")
    decree_date = factory.LazyAttribute(lambda o: datetime.date(o.year, 12, 9))
    is_published = True
    published_on = factory.LazyAttribute(lambda o: o.decree_date if o.is_published else None)
