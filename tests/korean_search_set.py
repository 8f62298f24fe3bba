"""A Korean search test set: words searched for in their dictionary form, and the inflected forms (particles,
endings) that a search for them must find, each in a sentence of its own. Written for DiploTrack's tests and
benchmarks/korean_search.py; the sentences are about diplomacy, as the statements are.

Each carrier sentence holds one inflected form in place of {}; the other words of the carriers are chosen to hold
none of the searched words.
"""

# Nouns with the particles Korean attaches to them: topic, subject, object, possessive, locative, comitative...
NOUN_FORMS = {
    "북한": [
        "북한은",
        "북한이",
        "북한의",
        "북한을",
        "북한에",
        "북한에서",
        "북한과",
        "북한과의",
        "북한도",
        "북한만",
        "북한까지",
        "북한으로",
    ],
    "비핵화": [
        "비핵화는",
        "비핵화가",
        "비핵화를",
        "비핵화의",
        "비핵화에",
        "비핵화와",
        "비핵화도",
        "비핵화만",
        "비핵화라는",
    ],
    "동맹": ["동맹은", "동맹이", "동맹의", "동맹을", "동맹과", "동맹도", "동맹으로"],
    "대화": ["대화는", "대화가", "대화를", "대화의", "대화에", "대화로", "대화와"],
    "제재": ["제재는", "제재가", "제재를", "제재의", "제재에", "제재와", "제재도"],
    "평화": ["평화는", "평화가", "평화를", "평화의", "평화에", "평화와", "평화로"],
    "협력": ["협력은", "협력이", "협력을", "협력의", "협력에", "협력과", "협력도"],
    "일본": ["일본은", "일본이", "일본의", "일본을", "일본에", "일본과", "일본도"],
    "러시아": ["러시아는", "러시아가", "러시아의", "러시아를", "러시아에", "러시아와"],
    "외교부": ["외교부는", "외교부가", "외교부의", "외교부를", "외교부에서"],
}

# Verbs and adjectives with their endings: past, connective, adnominal, quotative, polite, future.
VERB_FORMS = {
    "밝히다": ["밝혔다", "밝히고", "밝힌", "밝혀", "밝혔으며", "밝힐", "밝혔습니다"],
    "강조하다": ["강조했다", "강조하고", "강조한", "강조하며", "강조했습니다", "강조할"],
    "만나다": ["만났다", "만나고", "만난", "만나서", "만났습니다", "만날"],
    "규탄하다": ["규탄했다", "규탄하고", "규탄한", "규탄하며", "규탄했습니다"],
    "지원하다": ["지원했다", "지원하고", "지원한", "지원하겠다", "지원할"],
    "돕다": ["도왔다", "돕고", "도운", "도울", "도와"],
    "중요하다": ["중요하다", "중요한", "중요하며", "중요했다"],
}

NOUN_CARRIERS = [
    "정부 관계자는 {} 관련해 입장을 내놓았다.",
    "장관은 기자들에게 {} 대해 설명했다.",
    "그는 {} 거듭 언급했다.",
]
VERB_CARRIERS = [
    "대변인은 이번 회담에서 입장을 {}.",
    "장관은 그 문제를 {} 말했다.",
]


def cases():
    """(searched word, inflected form, sentence) for every form, each form in one carrier sentence."""
    rows = []
    for table, carriers in ((NOUN_FORMS, NOUN_CARRIERS), (VERB_FORMS, VERB_CARRIERS)):
        for word, forms in table.items():
            for n, form in enumerate(forms):
                rows.append((word, form, carriers[n % len(carriers)].format(form)))
    return rows
