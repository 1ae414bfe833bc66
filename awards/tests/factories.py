import datetime

import factory

from awards.models import Award
from units.tests.factories import UnitFactory


class AwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Award

    unit = factory.SubFactory(UnitFactory)
    predicate = "WBK"
    year = 2023
    decree_number = factory.Sequence(lambda n: f"SK-{n}/MENPANRB/2023")
    decree_date = factory.LazyAttribute(lambda o: datetime.date(o.year, 12, 9))
