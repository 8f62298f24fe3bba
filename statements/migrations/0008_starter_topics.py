"""A starter set of diplomatic topics, with the web-search terms that assign them to imported statements.

Slugs, names and descriptions the demo (load_demo) also uses are the demo's, so either can come first:
the demo reuses a topic by its slug, and this migration only fills in the search terms of a topic that
exists already without any. Terms are PostgreSQL web-search queries, matched against a statement's whole
text: a speech of 3,000 words mentions most subjects in passing, so terms are phrases, and broad
subjects need two of their phrases together ("a b OR c" is "(a AND b) OR c"). The share of the UN
General Debate speeches 2014-2024 each one matches is noted beside it.
"""

from django.db import migrations

# (slug, name, parent slug, description, search terms)
TOPICS = [
    (
        "climate-change",
        "Climate change",
        None,
        "Climate change, its effects and the response to it.",
        # 54%: most speeches name climate change; these need the Paris Agreement, emissions or a crisis too.
        '"climate change" "Paris Agreement" OR "climate change" "greenhouse gas" OR "climate change" emissions '
        'OR "climate crisis" OR "climate emergency" OR "global warming"',
    ),
    (
        "climate-finance",
        "Climate finance",
        "climate-change",
        "Money for adaptation and mitigation; loss and damage.",
        '"climate finance" OR "climate financing" OR "loss and damage" OR "Green Climate Fund"',  # 18%
    ),
    (
        "sea-level-rise",
        "Sea-level rise",
        "climate-change",
        "Rising seas and the states they threaten.",
        '"sea level rise" OR "sea-level rise" OR "rising sea levels" OR "rising sea level" OR "sea levels rise"',  # 9%
    ),
    (
        "nuclear-non-proliferation",
        "Nuclear non-proliferation and disarmament",
        None,
        "The Non-Proliferation Treaty, nuclear disarmament, test bans and the ban treaty.",
        '"nuclear disarmament" OR "Non-Proliferation Treaty" '
        'OR "Treaty on the Non-Proliferation of Nuclear Weapons" OR "Prohibition of Nuclear Weapons" '
        'OR "Comprehensive Nuclear-Test-Ban Treaty" OR "nuclear non-proliferation" '
        'OR "nuclear weapons" "weapons of mass destruction"',  # 16%
    ),
    (
        "iran-nuclear-deal",
        "Iran nuclear deal",
        "nuclear-non-proliferation",
        "The Joint Comprehensive Plan of Action (JCPOA) on Iran's nuclear programme.",
        '"Joint Comprehensive Plan of Action" OR JCPOA OR "Iran nuclear deal" OR "Iranian nuclear" '
        'OR "Iran\'s nuclear programme"',  # 6%
    ),
    (
        "korean-peninsula",
        "Korean Peninsula",
        None,
        "Security and diplomacy on the Korean Peninsula.",
        '"Korean Peninsula" OR "North Korea" OR DPRK OR "Democratic People\'s Republic of Korea" OR Pyongyang '
        'OR "inter-Korean"',  # 14%
    ),
    (
        "denuclearization",
        "Denuclearization",
        "korean-peninsula",
        "The denuclearization of North Korea.",
        'denuclearization "Korean Peninsula" OR denuclearization DPRK OR denuclearization "North Korea" '
        'OR denuclearisation "Korean Peninsula" OR "complete denuclearization"',  # 3%
    ),
    (
        "ukraine",
        "War in Ukraine",
        None,
        "Russia's war against Ukraine and its consequences.",
        # 17%, from Crimea and the Donbas in 2014 to the invasion of 2022.
        '"war in Ukraine" OR "aggression against Ukraine" OR "invasion of Ukraine" OR "war against Ukraine" '
        'OR "conflict in Ukraine" OR "crisis in Ukraine" OR "Russian aggression" Ukraine OR "Russia\'s war" Ukraine '
        'OR "territorial integrity of Ukraine" OR "Ukraine\'s territorial integrity" OR Crimea OR Donbas OR Donbass',
    ),
    (
        "middle-east",
        "Middle East",
        None,
        "Peace and conflict in the Middle East.",
        '"Middle East" OR "Persian Gulf" OR "Gulf region"',  # 33%, and its subtopics' statements too.
    ),
    (
        "israeli-palestinian-conflict",
        "Israeli–Palestinian conflict",
        "middle-east",
        "Israel, Palestine, Gaza and the two-State solution.",
        'Palestinian Israel OR "two-State solution" OR Gaza OR "occupied Palestinian" OR "Palestinian question" '
        'OR "question of Palestine" OR "Palestinian people"',  # 34%
    ),
    (
        "syria",
        "War in Syria",
        "middle-east",
        "The Syrian civil war and its refugees.",
        '"Syrian crisis" OR "conflict in Syria" OR "crisis in Syria" OR "war in Syria" OR "Syrian conflict" '
        'OR "Syrian refugees" OR "Syrian people" OR "situation in Syria"',  # 15%
    ),
    (
        "yemen",
        "War in Yemen",
        "middle-east",
        "The war in Yemen and its humanitarian crisis.",
        '"conflict in Yemen" OR "crisis in Yemen" OR "war in Yemen" OR "situation in Yemen" OR "Yemeni people" '
        'OR "Yemeni crisis" OR "people of Yemen"',  # 4%
    ),
    (
        "un-reform",
        "UN reform",
        None,
        "Reform of the United Nations: the Security Council, the General Assembly, the Secretariat.",
        '"Security Council reform" OR "reform of the Security Council" OR "reform the Security Council" '
        'OR "reform of the United Nations" OR "United Nations reform" OR "revitalization of the General Assembly" '
        'OR "Intergovernmental Negotiations" OR "reform of the Organization" '
        'OR "expansion of the Security Council" OR "permanent members" reform',  # 38%
    ),
    (
        "security-council-reform",
        "Security Council reform",
        "un-reform",
        "Membership, veto and working methods of the Security Council.",
        '"Security Council reform" OR "reform of the Security Council" OR "reform the Security Council" '
        'OR "Intergovernmental Negotiations" OR "expansion of the Security Council" '
        'OR "enlargement of the Security Council" OR "Ezulwini Consensus"',  # 25%
    ),
    (
        "sustainable-development",
        "Sustainable development",
        None,
        "The 2030 Agenda and its Sustainable Development Goals.",
        # 35%: the Goals alone are in 62% of speeches; with the 2030 Agenda named too, they are a subject.
        '"Sustainable Development Goals" "2030 Agenda" OR SDGs "2030 Agenda"',
    ),
    (
        "financing-for-development",
        "Financing for development",
        "sustainable-development",
        "Aid, debt and the international financial architecture.",
        '"financing for development" OR "Addis Ababa Action Agenda" OR "debt relief" OR "debt crisis" '
        'OR "debt burden" OR "official development assistance" OR "debt distress" '
        'OR "international financial architecture" OR "debt sustainability"',  # 24%
    ),
    (
        "food-security",
        "Food security",
        "sustainable-development",
        "Hunger, famine and food crises.",
        '"food security" OR "food insecurity" OR famine OR "food crisis" OR "zero hunger"',  # 25%
    ),
    (
        "terrorism",
        "Terrorism",
        None,
        "Terrorism, violent extremism and the fight against them.",
        '"fight against terrorism" OR "combat terrorism" OR "combating terrorism" OR "counter-terrorism" '
        'OR "counter terrorism" OR "violent extremism" OR "terrorist groups" OR "terrorist organizations" '
        'OR "foreign terrorist fighters" OR ISIL OR Daesh OR "Boko Haram" OR "Al-Shabaab"',  # 39%
    ),
    (
        "global-health",
        "Pandemics and global health",
        None,
        "Pandemics, epidemics and health for all.",
        'pandemic OR Ebola OR "global health" OR "universal health coverage" OR "World Health Organization" '
        'OR "HIV/AIDS" OR "non-communicable diseases" OR vaccines',  # 49%, half of them in 2020-2022.
    ),
    (
        "covid-19",
        "COVID-19",
        "global-health",
        "The COVID-19 pandemic and the recovery from it.",
        "COVID-19 OR COVID OR coronavirus",  # 29%
    ),
    (
        "trade",
        "Trade and protectionism",
        None,
        "Tariffs, trade policy and protectionism.",
        '"World Trade Organization" OR WTO OR protectionism OR "multilateral trading system" OR "free trade" '
        'OR tariffs OR "trade war" OR "trade barriers" OR "Doha Development"',  # 15%
    ),
    (
        "migration-and-refugees",
        "Migration and refugees",
        None,
        "Migrants, refugees, displacement and the Global Compacts.",
        'migrants refugees OR migration refugees OR "Global Compact for Migration" OR "Global Compact on Migration" '
        'OR "Global Compact for Safe, Orderly and Regular Migration" OR "Global Compact on Refugees" '
        'OR "refugee crisis" OR "migration crisis" OR "irregular migration" OR "migrant crisis" '
        'OR "forced displacement"',  # 27%
    ),
    (
        "human-rights",
        "Human rights",
        None,
        "Human rights, their violations and the bodies that watch over them.",
        # 33%: "human rights" alone is in two speeches out of three.
        '"Human Rights Council" OR "Universal Declaration of Human Rights" OR "human rights violations" '
        'OR "violations of human rights" OR "human rights abuses" OR "Universal Periodic Review" '
        'OR "human rights defenders" OR "fundamental freedoms" "human rights"',
    ),
    (
        "gender-equality",
        "Women's rights and gender equality",
        "human-rights",
        "Gender equality, the empowerment of women and violence against women.",
        '"gender equality" OR "empowerment of women" OR "women\'s empowerment" OR "violence against women" '
        'OR "rights of women" OR "women\'s rights"',  # 27%
    ),
    (
        "indo-pacific",
        "Indo-Pacific strategy",
        None,
        "Strategies for a free and open Indo-Pacific.",
        '"Indo-Pacific"',  # 2%
    ),
    (
        "peacekeeping",
        "Peacekeeping",
        None,
        "UN peacekeeping operations and the peacekeepers who serve in them.",
        '"peacekeeping operations" OR peacekeepers OR "peace operations" OR "peacekeeping missions"',  # 31%
    ),
    (
        "oceans",
        "Oceans and the law of the sea",
        None,
        "The law of the sea, maritime disputes and the health of the oceans.",
        '"law of the sea" OR UNCLOS OR "Ocean Conference" OR "marine pollution" OR "plastic pollution" '
        'OR "marine biodiversity" OR "South China Sea" OR "oceans and seas" OR "blue economy"',  # 16%
    ),
    (
        "sanctions",
        "Sanctions and embargoes",
        None,
        "Unilateral sanctions and embargoes, the embargo against Cuba first of all.",
        '"unilateral coercive measures" OR embargo Cuba OR blockade Cuba OR "unilateral sanctions" '
        'OR "economic blockade"',  # 22%
    ),
]


def add_topics(apps, schema_editor):
    Topic = apps.get_model("statements", "Topic")
    topics = {}
    for slug, name, parent, description, search_terms in TOPICS:
        topic = Topic.objects.filter(slug=slug).first()
        if topic is None:
            topic = Topic.objects.create(
                slug=slug, name=name, parent=topics.get(parent), description=description, search_terms=search_terms
            )
        elif not topic.search_terms:
            topic.search_terms = search_terms
            topic.save(update_fields=["search_terms"])
        topics[slug] = topic


class Migration(migrations.Migration):
    # Needs only Topic.search_terms (0005); depends on the latest migration so that there is one leaf.
    dependencies = [("statements", "0007_name_trigrams")]

    operations = [migrations.RunPython(add_topics, migrations.RunPython.noop)]
