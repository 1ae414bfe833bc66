import factory
from django.contrib.auth import get_user_model

from units.models import Agency, Membership, Role, Unit


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Pemerintah Kabupaten Contoh {n}")
    code = factory.Sequence(lambda n: f"KAB-{n:04d}")
    kind = Agency.Kind.REGENCY
    province = "Jawa Tengah"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Dinas Pelayanan {n}")
    code = factory.Sequence(lambda n: f"UNIT-{n:05d}")
    service_kind = Unit.ServiceKind.GENERAL


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"pengguna{n}")
    first_name = "Pengguna"
    password = factory.django.Password("rahasia-uji-123")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    unit = None
    role = Role.VIEWER
