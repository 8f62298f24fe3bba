import pytest

from statements.ingest.countries import country_from_adjective, detect_countries


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("U.S. and US and the United States and America and USA and U.S.A.", ["US"]),
        ("North Korea, the DPRK and Pyongyang", ["KP"]),
        ("South Korea, the ROK, the Republic of Korea and Seoul", ["KR"]),
        ("Türkiye, also called Turkey", ["TR"]),
        ("Czechia or the Czech Republic", ["CZ"]),
        ("Côte d'Ivoire, the Ivory Coast", ["CI"]),
        ("Myanmar, formerly Burma", ["MM"]),
        ("Taiwan, Palestine, Kosovo, the Holy See and Hong Kong", ["TW", "PS", "XK", "VA", "HK"]),
        ("the European Union", ["EU"]),
    ],
)
def test_common_names_and_variants(text, codes):
    assert detect_countries(text) == codes


def test_demonyms_and_capitals_as_metonyms():
    text = "South Korean, Japanese, Chinese, Russian, Ukrainian and American officials met in Tehran and Kyiv."
    assert detect_countries(text) == ["KR", "JP", "CN", "RU", "UA", "US", "IR"]
    assert detect_countries("Seoul, Tokyo, Beijing, Moscow, Kiev, Washington, Paris, London, Berlin") == [
        "KR",
        "JP",
        "CN",
        "RU",
        "UA",
        "US",
        "FR",
        "GB",
        "DE",
    ]


def test_order_of_first_appearance_without_duplicates():
    assert detect_countries("Japan, China, Japan again and the Japanese") == ["JP", "CN"]


def test_bare_korea_follows_the_article_context():
    assert detect_countries("Korea's value diplomacy") == ["KR"]
    assert detect_countries("Korean troops", korea="KP") == ["KP"]


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("the Koreas", ["KR", "KP"]),
        ("Korea-U.S. ties", ["KR", "US"]),
        ("North Korea-U.S. dialogue", ["KP", "US"]),
        ("South Korea-Russia relations", ["KR", "RU"]),
        ("Niger and Nigeria", ["NE", "NG"]),
        ("Guinea, Guinea-Bissau, Equatorial Guinea and Papua New Guinea", ["GN", "GW", "GQ", "PG"]),
        ("Sudan and South Sudan", ["SD", "SS"]),
        ("the Democratic Republic of the Congo and the Republic of the Congo", ["CD", "CG"]),
        ("Dominica and the Dominican Republic", ["DM", "DO"]),
        ("Georgia", ["GE"]),
        ("Washington", ["US"]),
    ],
)
def test_hard_cases(text, codes):
    assert detect_countries(text) == codes


def test_country_names_that_are_also_person_names():
    assert detect_countries("Jordan Peterson spoke in Jordan.") == ["JO"]
    assert detect_countries("Chad Smith never visited Chad.") == ["TD"]


def test_short_codes_and_regions_are_not_confused():
    assert detect_countries("let us go") == []
    assert detect_countries("across Latin America and South America") == []
    assert detect_countries("ambassadors in Americas forums") == []


def test_country_from_adjective():
    assert country_from_adjective("South Korean") == "KR"
    assert country_from_adjective("Japan's") == "JP"
    assert country_from_adjective("U.S.") == "US"
    assert country_from_adjective("Senior") is None


@pytest.mark.parametrize("apostrophe", ["'", "’"])
def test_peoples_republic_of_china_is_china_with_either_apostrophe(apostrophe):
    assert detect_countries(f"the People{apostrophe}s Republic of China") == ["CN"]
    assert detect_countries(f"the People{apostrophe}s Republic of China and the Republic of China") == ["CN", "TW"]
    assert detect_countries(f"the Republic of China and the People{apostrophe}s Republic of China") == ["TW", "CN"]


def test_republic_of_china_is_taiwan():
    assert detect_countries("the Republic of China (Taiwan)") == ["TW"]


@pytest.mark.parametrize("apostrophe", ["'", "’"])
@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Democratic People{}s Republic of Korea", "KP"),
        ("People{}s Republic of Bangladesh", "BD"),
        ("Côte d{}Ivoire", "CI"),
        ("St. John{}s", "AG"),
    ],
)
def test_names_with_an_apostrophe_are_found_with_either(name, code, apostrophe):
    assert detect_countries(name.format(apostrophe)) == [code]
