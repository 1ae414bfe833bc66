import datetime
import hashlib

import factory
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from units.models import Agency, Membership, Pencanangan, Role, Unit


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


# The smallest file every PDF reader opens: header, one empty page, cross-reference, trailer.
MINIMAL_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    b"0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"
)


def pdf_upload(name="piagam.pdf", content=MINIMAL_PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


class PencananganFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pencanangan
        skip_postgeneration_save = True

    agency = factory.SubFactory(AgencyFactory)
    date = datetime.date(2024, 1, 15)
    place = "Pendopo Kabupaten"
    signed_by_name = "Kustini Sri Purnomo"
    signed_by_position = "Bupati"
    witness_kemenpanrb = True
    witness_kpk = True
    charter = factory.django.FileField(filename="piagam.pdf", data=MINIMAL_PDF)
    charter_sha256 = hashlib.sha256(MINIMAL_PDF).hexdigest()
    covers_whole_agency = True

    @factory.post_generation
    def units(self, create, extracted, **kwargs):
        if create and extracted:
            self.units.set(extracted)
