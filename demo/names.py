"""Indonesian names for the demo data: ministries, regions, the units they run, and people.

People's names come from Faker's Indonesian locale. Faker has no regencies or districts by
province, so regency and city names are generated from common Indonesian place-name parts (the
real list has 514 names; these read like them without pretending to be them). Province capitals
are real.
"""

import random

from faker import Faker

from units.provinces import PROVINCES

# Regencies + cities per province (close to the real counts; DKI Jakarta's are administrative,
# not autonomous governments, so it has none).
REGIONS_PER_PROVINCE = {
    "Aceh": 23,
    "Sumatera Utara": 33,
    "Sumatera Barat": 19,
    "Riau": 12,
    "Kepulauan Riau": 7,
    "Jambi": 11,
    "Sumatera Selatan": 17,
    "Kepulauan Bangka Belitung": 7,
    "Bengkulu": 10,
    "Lampung": 15,
    "DKI Jakarta": 0,
    "Jawa Barat": 27,
    "Banten": 8,
    "Jawa Tengah": 35,
    "DI Yogyakarta": 5,
    "Jawa Timur": 38,
    "Bali": 9,
    "Nusa Tenggara Barat": 10,
    "Nusa Tenggara Timur": 22,
    "Kalimantan Barat": 14,
    "Kalimantan Tengah": 14,
    "Kalimantan Selatan": 13,
    "Kalimantan Timur": 10,
    "Kalimantan Utara": 5,
    "Sulawesi Utara": 15,
    "Gorontalo": 6,
    "Sulawesi Tengah": 13,
    "Sulawesi Barat": 6,
    "Sulawesi Selatan": 24,
    "Sulawesi Tenggara": 17,
    "Maluku": 11,
    "Maluku Utara": 10,
    "Papua": 9,
    "Papua Barat": 7,
    "Papua Barat Daya": 6,
    "Papua Selatan": 4,
    "Papua Tengah": 8,
    "Papua Pegunungan": 8,
}
assert set(REGIONS_PER_PROVINCE) == set(PROVINCES)

CAPITALS = {
    "Aceh": "Banda Aceh",
    "Sumatera Utara": "Medan",
    "Sumatera Barat": "Padang",
    "Riau": "Pekanbaru",
    "Kepulauan Riau": "Tanjungpinang",
    "Jambi": "Jambi",
    "Sumatera Selatan": "Palembang",
    "Kepulauan Bangka Belitung": "Pangkalpinang",
    "Bengkulu": "Bengkulu",
    "Lampung": "Bandar Lampung",
    "Jawa Barat": "Bandung",
    "Banten": "Serang",
    "Jawa Tengah": "Semarang",
    "DI Yogyakarta": "Yogyakarta",
    "Jawa Timur": "Surabaya",
    "Bali": "Denpasar",
    "Nusa Tenggara Barat": "Mataram",
    "Nusa Tenggara Timur": "Kupang",
    "Kalimantan Barat": "Pontianak",
    "Kalimantan Tengah": "Palangka Raya",
    "Kalimantan Selatan": "Banjarmasin",
    "Kalimantan Timur": "Samarinda",
    "Kalimantan Utara": "Tarakan",
    "Sulawesi Utara": "Manado",
    "Gorontalo": "Gorontalo",
    "Sulawesi Tengah": "Palu",
    "Sulawesi Barat": "Mamuju",
    "Sulawesi Selatan": "Makassar",
    "Sulawesi Tenggara": "Kendari",
    "Maluku": "Ambon",
    "Maluku Utara": "Ternate",
    "Papua": "Jayapura",
    "Papua Barat": "Manokwari",
    "Papua Barat Daya": "Sorong",
    "Papua Selatan": "Merauke",
    "Papua Tengah": "Nabire",
    "Papua Pegunungan": "Wamena",
}

PLACE_HEADS = [
    "Sumber", "Tanjung", "Muara", "Bukit", "Sungai", "Padang", "Karang", "Sido", "Suka", "Mekar",
    "Tanah", "Pulau", "Labuhan", "Batu", "Teluk", "Gunung", "Lubuk", "Rantau", "Kuala", "Air",
    "Banjar", "Pagar", "Kali", "Tegal", "Lembah", "Ujung", "Pematang", "Sei", "Kampung", "Bandar",
    "Wono", "Purwo", "Margo", "Sri", "Kota", "Tebing", "Dolok", "Tapak", "Siri", "Koto",
]  # fmt: skip
PLACE_TAILS = [
    "jaya", "makmur", "rejo", "mulya", "sari", "agung", "baru", "indah", "asri", "raya", "wangi",
    "harjo", "tinggi", "lestari", "sejahtera", "permai", "damai", "kencana", "mas", "putih",
    "hijau", "merah", "tengah", "utara", "selatan", "timur", "barat", "dalam", "luhur", "anyar",
]  # fmt: skip
ROMAN = ["I", "II", "III", "IV", "V"]

MINISTRIES = [
    ("KEMENKEU", "Kementerian Keuangan"),
    ("KEMENDAGRI", "Kementerian Dalam Negeri"),
    ("KEMLU", "Kementerian Luar Negeri"),
    ("KEMHAN", "Kementerian Pertahanan"),
    ("KEMENHAM", "Kementerian Hak Asasi Manusia"),
    ("KEMENIMIPAS", "Kementerian Imigrasi dan Pemasyarakatan"),
    ("KESDM", "Kementerian Energi dan Sumber Daya Mineral"),
    ("KEMENPERIN", "Kementerian Perindustrian"),
    ("KEMENDAG", "Kementerian Perdagangan"),
    ("KEMENTAN", "Kementerian Pertanian"),
    ("KLH", "Kementerian Lingkungan Hidup"),
    ("KEMENHUT", "Kementerian Kehutanan"),
    ("KEMENHUB", "Kementerian Perhubungan"),
    ("KKP", "Kementerian Kelautan dan Perikanan"),
    ("KEMNAKER", "Kementerian Ketenagakerjaan"),
    ("KEMENPU", "Kementerian Pekerjaan Umum"),
    ("KEMENKES", "Kementerian Kesehatan"),
    ("KEMENDIKDASMEN", "Kementerian Pendidikan Dasar dan Menengah"),
    ("KEMDIKTISAINTEK", "Kementerian Pendidikan Tinggi, Sains, dan Teknologi"),
    ("KEMENSOS", "Kementerian Sosial"),
    ("KEMENPAR", "Kementerian Pariwisata"),
    ("KOMDIGI", "Kementerian Komunikasi dan Digital"),
    ("KEMENSETNEG", "Kementerian Sekretariat Negara"),
    ("KEMENBUMN", "Kementerian Badan Usaha Milik Negara"),
    ("KEMENKOP", "Kementerian Koperasi"),
    ("KEMENUMKM", "Kementerian Usaha Mikro, Kecil, dan Menengah"),
    ("KEMENPPPA", "Kementerian Pemberdayaan Perempuan dan Perlindungan Anak"),
    ("KEMENPANRB", "Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi"),
    ("KEMENDES", "Kementerian Desa dan Pembangunan Daerah Tertinggal"),
    ("KEMENTRANS", "Kementerian Transmigrasi"),
    ("KEMENATRBPN", "Kementerian Agraria dan Tata Ruang/BPN"),
    ("KEMENPPN", "Kementerian PPN/Bappenas"),
    ("KEMENPORA", "Kementerian Pemuda dan Olahraga"),
    ("KEMENBUD", "Kementerian Kebudayaan"),
    ("KEMENEKRAF", "Kementerian Ekonomi Kreatif"),
    ("KEMENPKP", "Kementerian Perumahan dan Kawasan Permukiman"),
    ("KEMENP2MI", "Kementerian Pelindungan Pekerja Migran Indonesia"),
    ("KEMENDUKBANGGA", "Kementerian Kependudukan dan Pembangunan Keluarga"),
    ("KEMENINVES", "Kementerian Investasi dan Hilirisasi"),
    ("KEMENHAJ", "Kementerian Haji dan Umrah"),
    ("KEMENHUKUM", "Kementerian Hukum"),
    ("KEMENAGAMA", "Kementerian Agama"),
]
INSTITUTIONS = [
    ("BPS-RI", "Badan Pusat Statistik"),
    ("BKN", "Badan Kepegawaian Negara"),
    ("LAN", "Lembaga Administrasi Negara"),
    ("ANRI", "Arsip Nasional Republik Indonesia"),
    ("BPOM", "Badan Pengawas Obat dan Makanan"),
    ("BMKG", "Badan Meteorologi, Klimatologi, dan Geofisika"),
    ("BNPB", "Badan Nasional Penanggulangan Bencana"),
    ("BNN", "Badan Narkotika Nasional"),
    ("BNPT", "Badan Nasional Penanggulangan Terorisme"),
    ("BASARNAS", "Badan Nasional Pencarian dan Pertolongan"),
    ("BAKAMLA", "Badan Keamanan Laut"),
    ("BSSN", "Badan Siber dan Sandi Negara"),
    ("BRIN", "Badan Riset dan Inovasi Nasional"),
    ("BPKP", "Badan Pengawasan Keuangan dan Pembangunan"),
    ("BIG", "Badan Informasi Geospasial"),
    ("BSN", "Badan Standardisasi Nasional"),
    ("BAPETEN", "Badan Pengawas Tenaga Nuklir"),
    ("PERPUSNAS", "Perpustakaan Nasional"),
    ("LKPP", "Lembaga Kebijakan Pengadaan Barang/Jasa Pemerintah"),
    ("BPIP", "Badan Pembinaan Ideologi Pancasila"),
    ("KEJAKSAAN", "Kejaksaan Republik Indonesia"),
    ("POLRI", "Kepolisian Negara Republik Indonesia"),
    ("MA", "Mahkamah Agung"),
    ("BARANTIN", "Badan Karantina Indonesia"),
    ("BAPANAS", "Badan Pangan Nasional"),
    ("BPJPH", "Badan Penyelenggara Jaminan Produk Halal"),
    ("BGN", "Badan Gizi Nasional"),
    ("BAWASLU", "Badan Pengawas Pemilihan Umum"),
    ("KPU", "Komisi Pemilihan Umum"),
    ("SETJEN-DPR", "Sekretariat Jenderal DPR RI"),
    ("SETJEN-MPR", "Sekretariat Jenderal MPR RI"),
    ("SETJEN-DPD", "Sekretariat Jenderal DPD RI"),
    ("BPK", "Badan Pemeriksa Keuangan"),
    ("SETJEN-KY", "Sekretariat Jenderal Komisi Yudisial"),
    ("ORI", "Ombudsman Republik Indonesia"),
    ("KPPU", "Komisi Pengawas Persaingan Usaha"),
    ("KOMNASHAM", "Komisi Nasional Hak Asasi Manusia"),
    ("LPSK", "Lembaga Perlindungan Saksi dan Korban"),
    ("BP-BATAM", "Badan Pengusahaan Batam"),
]

# Units a ministry or institution runs across the country: (name template, service kind).
# {region} is a regency or city ("Kabupaten Sukamakmur"), {city} a bare city name, {prov} a
# province.
NATIONAL_UNITS = {
    "KEMENKEU": [
        ("Kantor Pelayanan Pajak Pratama {city}", "keuangan"),
        ("Kantor Pengawasan dan Pelayanan Bea dan Cukai {city}", "keuangan"),
        ("Kantor Pelayanan Perbendaharaan Negara {city}", "keuangan"),
        ("Kantor Pelayanan Kekayaan Negara dan Lelang {city}", "keuangan"),
        ("Kantor Wilayah DJP {prov}", "keuangan"),
    ],
    "KEMENIMIPAS": [
        ("Kantor Imigrasi Kelas I {city}", "hukum"),
        ("Lembaga Pemasyarakatan Kelas IIA {city}", "hukum"),
        ("Rumah Tahanan Negara Kelas IIB {city}", "hukum"),
        ("Balai Pemasyarakatan {city}", "hukum"),
    ],
    "KEMENAGAMA": [
        ("Kantor Kementerian Agama {region}", "umum"),
        ("Kantor Urusan Agama Kecamatan {place}", "sosial"),
        ("Madrasah Aliyah Negeri {n} {region}", "pendidikan"),
    ],
    "KEMENATRBPN": [("Kantor Pertanahan {region}", "perizinan")],
    "MA": [
        ("Pengadilan Negeri {city}", "hukum"),
        ("Pengadilan Agama {city}", "hukum"),
        ("Pengadilan Tata Usaha Negara {city}", "hukum"),
    ],
    "KEJAKSAAN": [("Kejaksaan Negeri {region}", "hukum")],
    "POLRI": [("Kepolisian Resor {region}", "keamanan"), ("Polda {prov}", "keamanan")],
    "BPS-RI": [("BPS {region}", "umum")],
    "KEMENHUKUM": [("Kantor Wilayah Kementerian Hukum {prov}", "hukum")],
    "KEMENKES": [
        ("Kantor Kesehatan Pelabuhan {city}", "kesehatan"),
        ("RSUP {person}", "kesehatan"),
    ],
    "KEMENHUB": [
        ("Kantor Kesyahbandaran dan Otoritas Pelabuhan {city}", "perhubungan"),
        ("Balai Pengelola Transportasi Darat {prov}", "perhubungan"),
    ],
    "BPOM": [("Balai Besar POM di {city}", "kesehatan")],
    "BMKG": [("Stasiun Meteorologi {city}", "umum")],
    "BASARNAS": [("Kantor Pencarian dan Pertolongan {city}", "keamanan")],
    "BARANTIN": [("Balai Karantina Hewan, Ikan, dan Tumbuhan {prov}", "perizinan")],
}
GENERIC_NATIONAL_UNITS = [
    ("Perwakilan {agency} Provinsi {prov}", "umum"),
    ("Balai {agency} {city}", "umum"),
    ("Direktorat Pelayanan {n} {agency}", "umum"),
]

# Units of a regional government: {region} is the government's own name ("Kota Tarakan").
REGIONAL_UNITS = [
    ("Dinas Kependudukan dan Pencatatan Sipil {region}", "kependudukan"),
    ("Dinas Penanaman Modal dan PTSP {region}", "perizinan"),
    ("Dinas Pendidikan {region}", "pendidikan"),
    ("Dinas Kesehatan {region}", "kesehatan"),
    ("Dinas Sosial {region}", "sosial"),
    ("Dinas Perhubungan {region}", "perhubungan"),
    ("Dinas Pekerjaan Umum dan Penataan Ruang {region}", "umum"),
    ("Dinas Lingkungan Hidup {region}", "umum"),
    ("Dinas Tenaga Kerja {region}", "umum"),
    ("Dinas Pertanian {region}", "umum"),
    ("Dinas Komunikasi dan Informatika {region}", "umum"),
    ("Dinas Perpustakaan dan Kearsipan {region}", "umum"),
    ("Badan Pendapatan Daerah {region}", "keuangan"),
    ("Badan Pengelolaan Keuangan dan Aset Daerah {region}", "keuangan"),
    ("Badan Kepegawaian dan Pengembangan SDM {region}", "umum"),
    ("Satuan Polisi Pamong Praja {region}", "keamanan"),
    ("Mal Pelayanan Publik {region}", "perizinan"),
    ("RSUD {region}", "kesehatan"),
    ("RSUD {person}", "kesehatan"),
]
# Repeatable per place: health centres and districts.
REGIONAL_PLACE_UNITS = [
    ("Puskesmas {place}", "kesehatan"),
    ("Kecamatan {place}", "umum"),
    ("Kelurahan {place}", "umum"),
]


def faker(seed: int) -> Faker:
    """Return an Indonesian Faker whose names follow from the seed alone (same seed, same names)."""
    fake = Faker("id_ID")
    fake.seed_instance(seed)
    return fake


def person(fake: Faker, male: bool | None = None) -> tuple[str, str]:
    """Return a first and a last name of one gender (the locale's surnames are gendered)."""
    if male is None:
        male = fake.boolean()
    if male:
        return fake.first_name_male(), fake.last_name_male()
    return fake.first_name_female(), fake.last_name_female()


def official(fake: Faker) -> str:
    """Return an official's name with a degree, as it is written on a letter they sign."""
    return f"{' '.join(person(fake))}, {fake.suffix()}"


# Hospitals are named after doctors and notables: of the locale's titles, these fit (not Ir., Drs.).
NAMESAKE_TITLES = {
    True: ("dr.", "Dr.", "H.", "R.", "KH.", "Tgk."),
    False: ("dr.", "Hj.", "R.A.", "Cut"),
}


def namesake(fake: Faker) -> str:
    """Return a titled name a hospital may be named after ("dr. Agus Santoso", "R.A. Sri …")."""
    male = fake.boolean()
    return " ".join((fake.random_element(NAMESAKE_TITLES[male]), *person(fake, male)))


def place_name(rng: random.Random) -> str:
    """Return a place name like "Sukamakmur" or "Tanjung Sari" (districts repeat across Indonesia,
    so these may too)."""
    head, tail = rng.choice(PLACE_HEADS), rng.choice(PLACE_TAILS)
    return f"{head}{tail}" if rng.random() < 0.6 else f"{head} {tail.capitalize()}"


def place_names(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    """Return `count` new place names, none in `taken` (which grows by them)."""
    names = []
    while len(names) < count:
        name = place_name(rng)
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names
