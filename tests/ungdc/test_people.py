"""Who is one person in the speakers sheet (statements.ungdc.people): plain Python, no database."""

import pytest

from statements.ungdc.people import Row, identify, likely_pairs, parse


def people_of(*rows):
    """identify() on (country, year, name, post) rows; each person as the sorted years of their rows."""
    found = identify([Row((country, year, name), country, year, name, post) for country, year, name, post in rows])
    return sorted(sorted(row.year for row in person.rows) for person in found)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Joe Biden", "Joseph R. Biden, Jr"),  # A short form of the given name; Jr.
        ("Abdel Fattah Al Sisi", "Abdel Fattah el Sisi"),  # Al and el.
        ("Mr. Abdalla Adam Hamdok", "Abdalla Hamdok"),  # A middle name dropped.
        ("King Abdullah Bin Al Hussein", "Abdullah II ibn Al Hussein"),  # bin, ibn; the regnal number added.
        ("Mr. Matamela Cyril Ramaphosa", "Cyril Ramaphosa"),
        ("Ebrahim Raisi", "Seyyed Ebrahim Raisi"),  # An honorific the reader keeps.
        ("Mr. Moon Jae-in", "Moon Jae in"),  # A hyphen or a space in a romanised name.
        ("Tae-yul Cho", "Cho Tae-yul"),  # Name order.
        ("Mr. Gudlaugur Thór Thórdarson", "Guðlaugur Þór Þórðarson"),  # Letters without a decomposition.
        ("Mr. Jean-Claude Gakosso", "Mr. J\u0435\u0430n-Claude Gakosso"),  # Cyrillic letters that look Latin.
        ("Ismail Omar Guelleh", "Mr. Isamil Omar Guelleh"),  # A misspelling.
        ("Ali Bongo Ondimba", "Li Bongo Ondimba"),  # A letter dropped.
        ("María Eugenia Brizuela de Ávila", "Mara Eugenia Brizuela de ¡vila"),  # A garbled row (2000's).
        ("Mr. ALNUAIMI", "Al-Nuaimi"),  # Al glued on.
        ("Sergei Lavrov", "Sergey Lavrov"),  # A transliteration.
        ("Emomali Rakhmonov", "Emomali Rahmon"),  # The Russian ending dropped.
        ("Mr. Cujba (first name not provided)", "Alexandru Cujba"),
        ("Андрей Громыко", "Andrei Gromyko"),  # Cyrillic, transliterated.
        ("Pohiva Tuʻiʻonetoa", "Mr. Pohiva Tu’i’onetoa"),  # An ʻokina or an apostrophe.
        ("Sayyid Badr bin Hamad Albusaidi", "Sayy id Badr bin Hamad Albusaidi"),  # An honorific split in two.
        ("Dato Seri Setia Haji Erywan bin Pehin Datu Pekerma Jaya Haji Mohd Yusof", "Erywan Yusof"),  # Titles.
    ],
)
def test_variants_of_a_name_in_consecutive_debates_are_one_person(first, second):
    assert people_of(("XX", 2020, first, "President"), ("XX", 2021, second, "President")) == [[2020, 2021]]


@pytest.mark.parametrize(
    ("older", "younger"),
    [
        ("Heydar Alirza ogly Aliyev", "Ilham Heydar oglu Aliyev"),
        ("Hafez al-Assad", "Bashar al-Assad"),
        ("Indira Gandhi", "Rajiv Gandhi"),
        ("Pierre Elliott Trudeau", "Justin Trudeau"),
        ("Sheikh Hamad bin Khalifa Al-Thani", "Sheikh Tamim bin Hamad Al-Thani"),
        ("King Abdullah II ibn Al Hussein", "Crown Prince Al Hussein bin Abdullah II"),  # Reversed around bin.
        ("George H. W. Bush", "George W. Bush"),  # Initials that differ.
        ("Mr. ZHIVKOV", "Zhivkova"),  # A father and his daughter.
        ("Mohamed Nasheed", "Mohamed Waheed"),
        ("Mr. Han Sung-Joo", "Han Seung-soo"),  # 한승주 and 한승수: one syllable apart.
        ("Pham Binh Minh", "Pham Minh Chinh"),  # Two of three words shared; the third is another name.
    ],
)
def test_relatives_and_namesakes_stay_apart(older, younger):
    assert people_of(("XX", 2000, older, "President"), ("XX", 2003, younger, "President")) == [[2000], [2003]]


def test_another_holder_of_the_post_between_two_bushes_makes_them_two_people():
    rows = [
        ("US", 1989, "Bush", "President"),
        ("US", 1990, "George Bush", ""),
        ("US", 1992, "Mr. George BUSH", "President"),
        ("US", 1993, "William Clinton", "President"),
        ("US", 1999, "William J. Clinton", "President"),
        ("US", 2001, "George W. Bush", "President"),
        ("US", 2008, "George W. Bush", "President"),
    ]
    assert people_of(*rows) == [[1989, 1990, 1992], [1993, 1999], [2001, 2008]]


def test_a_surname_alone_joins_the_person_nearest_in_time_and_no_further():
    rows = [
        ("SU", 1957, "Mr. GROMYKO", ""),
        ("SU", 1962, "Mir. GROMYKO", ""),  # A typo in the form of address.
        ("SU", 1970, "Gromyko", ""),
        ("AF", 1974, "Mr. Abdullah", ""),
        ("AF", 1997, "Abdullah Abdullah", "Minister for Foreign Affairs"),  # 23 years on: another person.
        ("AZ", 1993, "Mr. ALIYEV", ""),
        ("AZ", 1994, "Heydar Alirza ogly Aliyev", "President"),
        ("AZ", 2003, "Ilham Heydar Aliyev", "Prime Minister"),
    ]
    assert people_of(*rows) == [[1957, 1962, 1970], [1974], [1993, 1994], [1997], [2003]]


def test_a_surname_alone_returns_to_office_within_twenty_years_when_no_other_name_of_the_country_has_it():
    rows = [
        ("IN", 1968, "MRS. INDIRA GANDHI", "Prime Minister"),
        ("IN", 1983, "Mrs. GANDHI", "Prime Minister"),  # 15 years on, both with a post: her return to office.
        ("CU", 1960, "Mr. CASTRO", "Prime Minister"),
        ("CU", 1979, "Castro", "President of the Council of State and of the Government"),
        ("LC", 1982, "Mr. Compton", "Prime Minister"),
        ("LC", 2006, "Petrus COMPTON", "Minister for Foreign Affairs"),  # 24 years on: another person.
        ("CL", 1960, "Mr. SCHWEITZER", ""),
        ("CL", 1973, "SCHWEITZER", ""),  # No posts: a surname says no more, 13 years apart.
    ]
    found = identify([Row(index, country, year, name, post) for index, (country, year, name, post) in enumerate(rows)])
    assert sorted(sorted(row.year for row in person.rows) for person in found) == [
        [1960],
        [1960, 1979],
        [1968, 1983],
        [1973],
        [1982],
        [2006],
    ]
    gandhi = next(person for person in found if person.rows[0].name == "MRS. INDIRA GANDHI")
    assert gandhi.evidence == [
        "MRS. INDIRA GANDHI (1968) and Mrs. GANDHI (1983): the one name given is among the other's, same country, "
        "15 years apart, both with a post, and no other speaker for the country within 25 years has the name"
    ]


def test_a_fuller_name_with_the_surname_nearby_keeps_a_surname_alone_to_the_usual_span():
    rows = [
        ("IN", 1968, "MRS. INDIRA GANDHI", "Prime Minister"),
        ("IN", 1983, "Mrs. GANDHI", "Prime Minister"),
        ("IN", 1995, "Mr. Rajiv Gandhi", "Prime Minister"),  # Another Gandhi of the country, nearby.
        ("AU", 1990, "Mr. Andersen", "Minister for Foreign Affairs"),
        ("AU", 2005, "Mr. Anders", "Minister for Foreign Affairs"),  # Alike, not the same surname.
    ]
    assert people_of(*rows) == [[1968], [1983], [1990], [1995], [2005]]


def test_a_country_keeps_its_people_and_a_successor_state_takes_over_the_last_speaker():
    rows = [
        ("KR", 2023, "Park Jin", "Minister for Foreign Affairs"),
        ("KP", 2023, "Mr. Park Jin", "Vice-Minister"),
        ("SUHH", 1989, "SHEVARDNADZE", "Foreign minister"),
        ("SUHH", 1990, "SHEVARDNADZE", ""),
        ("GE", 1992, "SHEVARDNADZE", "Chairman"),
        ("GE", 1999, "Eduard Shevardnadze", "President"),
    ]
    found = identify([Row(index, country, year, name, post) for index, (country, year, name, post) in enumerate(rows)])
    assert sorted(sorted(row.id for row in person.rows) for person in found) == [[0], [1], [2, 3, 4, 5]]
    shevardnadze = next(person for person in found if len(person.rows) == 4)
    assert any("SUHH until 1990" in why and "GE from 1992" in why for why in shevardnadze.evidence)


def test_each_merge_says_why():
    found = identify(
        [
            Row(1, "SD", 2019, "Mr. Abdalla Adam Hamdok", "Prime Minister"),
            Row(2, "SD", 2021, "Abdalla Hamdok", "Prime Minister"),
        ]
    )
    (hamdok,) = found
    assert hamdok.evidence == [
        "Mr. Abdalla Adam Hamdok (2019) and Abdalla Hamdok (2021): one name holds the other's words, same country, "
        "2 years apart"
    ]
    assert hamdok.names == ["Abdalla Adam Hamdok", "Abdalla Hamdok"]


def test_two_names_in_one_debate_are_two_people():
    assert people_of(("IN", 1968, "Indira Gandhi", ""), ("IN", 1968, "Mr. Gandhi", "")) == [[1968], [1968]]


def test_names_are_read_without_forms_of_address_particles_and_connectors():
    name = parse("His Majesty King Abdullah II bin Al Hussein")
    assert (name.words, name.numeral, name.given) == (("abdullah", "hussein"), "ii", "abdullah")
    assert parse("Mrs. GANDHI").gender == "f" and parse("Mr. Gandhi").gender == "m"
    assert parse("George H. W. Bush").initials == {"h", "w"}


def test_likely_pairs_rank_one_name_in_one_country_first_and_skip_what_curators_refused():
    records = [
        (1, "AZ", ["Ilham Aliyev"], [2021]),
        (2, "AZ", ["Ilham Heydar oglu Aliyev"], [2003, 2020]),
        (3, "SUHH", ["Shevardnadze"], [1985, 1990]),
        (4, "GE", ["Eduard Shevardnadze"], [1992, 1999]),
        (5, "AZ", ["Heydar Aliyev"], [1994]),
        (6, "FR", ["Emmanuel Macron"], [2017]),
    ]
    pairs = likely_pairs(records)
    assert [(a, b) for a, b, *_ in pairs][:1] == [(1, 2)]
    assert {frozenset((a, b)) for a, b, *_ in pairs} >= {frozenset((1, 2)), frozenset((3, 4))}
    assert frozenset((1, 5)) not in {frozenset((a, b)) for a, b, *_ in pairs}  # Ilham is not Heydar.
    assert all(6 not in (a, b) for a, b, *_ in pairs)
    score, reasons = pairs[0][2], pairs[0][3]
    assert score > 0 and "the same country" in reasons
    refused = likely_pairs(records, not_same={frozenset((1, 2))})
    assert frozenset((1, 2)) not in {frozenset((a, b)) for a, b, *_ in refused}


def test_the_whole_same_name_decades_apart_is_one_person_but_not_the_same_words_in_another_order():
    rows = [
        ("MY", 1994, "Anwar Ibrahim", "Deputy Prime Minister"),
        ("MY", 2023, "Anwar Ibrahim", "Prime Minister"),  # Back in office 29 years on.
        ("SA", 1946, "H.R.H. Amir Faisal Al Saud", ""),
        ("SA", 1975, "Prince Saud Al-Faisal", ""),  # The son.
    ]
    assert people_of(*rows) == [[1946], [1975], [1994, 2023]]


def test_a_successor_states_first_speaker_may_be_the_former_states_from_years_before():
    rows = [
        ("YUCS", 1989, "Janez Drnovsek", "President"),
        ("YUCS", 1990, "Mr. Loncar", "Minister for Foreign Affairs"),
        ("SI", 1992, "Mr. Rupel", "Minister for Foreign Affairs"),
        ("SI", 1993, "MR. JANEZ DRNOVSEK", "Prime Minister"),
    ]
    assert people_of(*rows) == [[1989, 1993], [1990], [1992]]
