"""A small, realistic demo dataset: agencies of every kind, their units and one user per role."""

from django.contrib.auth import get_user_model
from django.db import transaction

from units.models import Agency, Membership, Role, Unit

from . import names

DEMO_PASSWORD = "ZonaIntegritas#2026"

# (code, name, kind, province, [(unit code suffix, unit name, service kind), ...])
AGENCIES = [
    (
        "KEMENKUM",
        "Kementerian Hukum",
        "kementerian",
        "",
        [
            ("KANWIL-JABAR", "Kantor Wilayah Kementerian Hukum Jawa Barat", "hukum"),
            ("KANWIL-JATIM", "Kantor Wilayah Kementerian Hukum Jawa Timur", "hukum"),
            ("DJAHU", "Direktorat Jenderal Administrasi Hukum Umum", "umum"),
        ],
    ),
    (
        "KEMENAG",
        "Kementerian Agama",
        "kementerian",
        "",
        [
            ("KANKEMENAG-SLEMAN", "Kantor Kementerian Agama Kabupaten Sleman", "umum"),
            ("MAN1-YOGYA", "Madrasah Aliyah Negeri 1 Yogyakarta", "pendidikan"),
            ("KUA-DEPOK", "Kantor Urusan Agama Kecamatan Depok", "sosial"),
        ],
    ),
    (
        "BPS",
        "Badan Pusat Statistik",
        "lembaga",
        "",
        [
            ("BPS-JATENG", "BPS Provinsi Jawa Tengah", "umum"),
            ("BPS-KOTA-BANDUNG", "BPS Kota Bandung", "umum"),
        ],
    ),
    (
        "PROV-JABAR",
        "Pemerintah Provinsi Jawa Barat",
        "provinsi",
        "Jawa Barat",
        [
            ("BAPENDA", "Badan Pendapatan Daerah Provinsi Jawa Barat", "keuangan"),
            ("RSUD-ALIHSAN", "RSUD Al Ihsan Provinsi Jawa Barat", "kesehatan"),
            ("DPMPTSP", "Dinas Penanaman Modal dan PTSP Provinsi Jawa Barat", "perizinan"),
        ],
    ),
    (
        "PROV-JATIM",
        "Pemerintah Provinsi Jawa Timur",
        "provinsi",
        "Jawa Timur",
        [
            ("RSUD-SOETOMO", "RSUD Dr. Soetomo", "kesehatan"),
            ("DISHUB", "Dinas Perhubungan Provinsi Jawa Timur", "perhubungan"),
        ],
    ),
    (
        "KAB-SLEMAN",
        "Pemerintah Kabupaten Sleman",
        "kabupaten",
        "DI Yogyakarta",
        [
            (
                "DISDUKCAPIL",
                "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Sleman",
                "kependudukan",
            ),
            ("PUSKESMAS-DEPOK1", "Puskesmas Depok I", "kesehatan"),
            ("DPMPTSP", "Dinas Penanaman Modal dan PTSP Kabupaten Sleman", "perizinan"),
            ("RSUD-SLEMAN", "RSUD Sleman", "kesehatan"),
        ],
    ),
    (
        "KAB-BANYUWANGI",
        "Pemerintah Kabupaten Banyuwangi",
        "kabupaten",
        "Jawa Timur",
        [
            ("MPP", "Mal Pelayanan Publik Kabupaten Banyuwangi", "perizinan"),
            ("DINSOS", "Dinas Sosial Kabupaten Banyuwangi", "sosial"),
        ],
    ),
    (
        "KOTA-SURABAYA",
        "Pemerintah Kota Surabaya",
        "kota",
        "Jawa Timur",
        [
            (
                "DISDUKCAPIL",
                "Dinas Kependudukan dan Pencatatan Sipil Kota Surabaya",
                "kependudukan",
            ),
            ("BAPENDA", "Badan Pendapatan Daerah Kota Surabaya", "keuangan"),
            ("RSUD-SOEWANDHIE", "RSUD dr. Mohamad Soewandhie", "kesehatan"),
        ],
    ),
    (
        "KOTA-SEMARANG",
        "Pemerintah Kota Semarang",
        "kota",
        "Jawa Tengah",
        [
            ("DPMPTSP", "Dinas Penanaman Modal dan PTSP Kota Semarang", "perizinan"),
            ("KEC-SEMARANG-TENGAH", "Kecamatan Semarang Tengah", "umum"),
        ],
    ),
]

# (username, role, agency code, unit code or None); their names come from Faker.
USERS = [
    ("nasional", Role.NATIONAL_ADMIN, None, None),
    ("tpn.demo", Role.NATIONAL_EVALUATOR, None, None),
    ("admin.sleman", Role.AGENCY_ADMIN, "KAB-SLEMAN", None),
    ("evaluator.sleman", Role.EVALUATOR, "KAB-SLEMAN", None),
    ("operator.dukcapil", Role.UNIT_OPERATOR, "KAB-SLEMAN", "KAB-SLEMAN-DISDUKCAPIL"),
    ("bupati.sleman", Role.VIEWER, "KAB-SLEMAN", None),
]


@transaction.atomic
def seed_small(*, seed: int = 2026) -> list[tuple[str, str, str]]:
    """Create or refresh the small demo dataset; return (username, role, scope) per account.

    The accounts' names follow from the seed: the same seed gives the same people.
    """
    agencies = {}
    units = {}
    for code, name, kind, province, unit_rows in AGENCIES:
        agency, _ = Agency.objects.update_or_create(
            code=code, defaults={"name": name, "kind": kind, "province": province}
        )
        agencies[code] = agency
        for suffix, unit_name, service_kind in unit_rows:
            unit_code = f"{code}-{suffix}"
            unit, _ = Unit.objects.update_or_create(
                code=unit_code,
                defaults={"agency": agency, "name": unit_name, "service_kind": service_kind},
            )
            units[unit_code] = unit

    accounts = []
    User = get_user_model()
    fake = names.faker(seed)
    for username, role, agency_code, unit_code in USERS:
        first, last = names.person(fake)
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "is_staff": role in (Role.NATIONAL_ADMIN, Role.AGENCY_ADMIN),
                "is_superuser": role == Role.NATIONAL_ADMIN,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        Membership.objects.get_or_create(
            user=user,
            agency=agencies.get(agency_code),
            unit=units.get(unit_code),
            role=role,
        )
        scope = (
            units[unit_code].name
            if unit_code
            else (agencies[agency_code].name if agency_code else "—")
        )
        accounts.append((username, str(role.label), scope))
    return accounts
