"""Load the countries from ISO 3166 (via pycountry): current states and territories, former states, the EU."""

import datetime

from django.db import migrations

# Shorter names than ISO's, as news and the UN write them.
COMMON_NAMES = {
    "BN": "Brunei",
    "CD": "Democratic Republic of the Congo",
    "CG": "Republic of the Congo",
    "CV": "Cabo Verde",
    "FM": "Micronesia",
    "GB": "United Kingdom",
    "KR": "South Korea",
    "KP": "North Korea",
    "PS": "Palestine",
    "RU": "Russia",
    "SY": "Syria",
    "US": "United States",
    "VA": "Holy See",
    "BYAA": "Byelorussian SSR",
    "CSHH": "Czechoslovakia",
    "CSXX": "Serbia and Montenegro",
    "DDDE": "East Germany",
    "SUHH": "Soviet Union",
    "YDYE": "South Yemen",
    "YUCS": "Yugoslavia",
    "ZRCD": "Zaire",
    "BUMM": "Burma",
    "DYBJ": "Dahomey",
    "HVBF": "Upper Volta",
    "VDVN": "North Vietnam",
    "TPTL": "East Timor",
}

# Dependent territories and other areas with an ISO code that are not states.
TERRITORIES = set(
    "AS AI AQ AW AX BL BM BQ BV CC CK CW CX EH FK FO GF GG GI GL GP GS GU HK HM IM IO JE KY MF MO MP MQ MS NC NF NU "
    "PF PM PN PR RE SH SJ SX TC TF TK UM VG VI WF YT".split()
)


def dissolution_date(text):
    year, _, rest = text.partition("-")
    return datetime.date.fromisoformat(text) if rest else datetime.date(int(year), 1, 1)


def load_countries(apps, schema_editor):
    import pycountry

    Country = apps.get_model("statements", "Country")
    rows = []
    for country in pycountry.countries:
        code = country.alpha_2
        rows.append(
            Country(
                code=code,
                alpha3=country.alpha_3,
                name=COMMON_NAMES.get(code) or getattr(country, "common_name", None) or country.name,
                official_name=getattr(country, "official_name", country.name),
                kind="territory" if code in TERRITORIES else "state",
            )
        )
    current_alpha3 = {country.alpha_3 for country in pycountry.countries}
    for country in pycountry.historic_countries:
        code = country.alpha_4
        rows.append(
            Country(
                code=code,
                # One former code (ATF) now belongs to a current territory.
                alpha3=None if country.alpha_3 in current_alpha3 else country.alpha_3,
                name=COMMON_NAMES.get(code, country.name),
                official_name=country.name,
                kind="former",
                dissolved_on=dissolution_date(country.withdrawal_date),
            )
        )
    rows.append(Country(code="XK", name="Kosovo", official_name="Republic of Kosovo", kind="state"))
    rows.append(Country(code="EU", name="European Union", kind="union"))
    Country.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [("statements", "0001_initial")]

    operations = [migrations.RunPython(load_countries, migrations.RunPython.noop)]
