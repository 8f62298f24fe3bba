"""Pages and feeds in the styles of the real sources, written for these tests (none copied from them)."""

import datetime
from email.utils import format_datetime


def page(title, paragraphs, *, lang="en", date="2024-11-15", canonical="", author="", charset="utf-8", chrome=True):
    """An official's news page: navigation and footer around the article, its title and date in the markup."""
    body = "\n".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    head = f'<meta charset="{charset}"><title>{title}</title>'
    if canonical:
        head += f'<link rel="canonical" href="{canonical}">'
    if author:
        head += f'<meta name="author" content="{author}">'
    if date:
        head += f'<meta property="article:published_time" content="{date}">'
    nav = (
        "<header><nav><ul><li><a href='/'>Home</a></li><li><a href='/press'>Press</a></li>"
        "<li><a href='/about'>About the Ministry</a></li></ul></nav></header>"
        if chrome
        else ""
    )
    foot = "<footer><p>Copyright. All rights reserved. Site map | Privacy policy</p></footer>" if chrome else ""
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head>{head}</head><body>{nav}'
        f'<main><article class="board_view"><h2>{title}</h2>{body}</article></main>{foot}</body></html>'
    )


def kr_release(n=1, minister="Cho Tae-yul", counterpart="Iwaya Takeshi"):
    return page(
        f"Outcome of Korea-Japan Foreign Ministers' Meeting No. {n}",
        [
            "Press Releases",
            f"1. Minister of Foreign Affairs {minister} held talks with Minister for Foreign Affairs of Japan "
            f"{counterpart} in Seoul (meeting {n}). The two Ministers reviewed the state of bilateral relations "
            "and agreed to continue close communication.",
            f'2. Minister {minister.split()[0]} said, "Korea and Japan will work together to respond firmly to North '
            f"Korea's provocations in close coordination with the United States, meeting number {n}.\"",
            "3. The two Ministers also exchanged views on regional and global issues.",
            "End.",
        ],
    )


def kr_briefing(n=1):
    return page(
        f"Regular Press Briefing by Spokesperson Lim Soo-suk ({n})",
        [
            "Ministry of Foreign Affairs, Republic of Korea",
            "SPOKESPERSON LIM: Good afternoon. I will begin with an announcement on the Minister's schedule.",
            "Q: What is the Government's position on the military cooperation between North Korea and Russia?",
            "SPOKESPERSON LIM: The Government has made clear that any cooperation between North Korea and Russia "
            f"that violates Security Council resolutions is unacceptable, as I said at briefing {n}.",
        ],
    )


def state_briefing(n=1):
    return page(
        f"Department Press Briefing {n}",
        [
            "MR MILLER: Good afternoon, everyone. Just one thing at the top and then I'm happy to take questions.",
            "QUESTION: Can you tell us about the Secretary's travel to Seoul?",
            "MR MILLER: The Secretary will travel to Seoul next week, where he will meet the Foreign Minister to "
            f"discuss the alliance and our shared response to the threats in the region (briefing {n}).",
        ],
        author="Matthew Miller, Department Spokesperson",
    )


def un_release(n=1):
    return page(
        f"Secretary-General Condemns Attack, Calls for Restraint {n}",
        [
            "The following statement was issued today by the Spokesperson for UN Secretary-General António Guterres:",
            '"The Secretary-General strongly condemns the attack and calls on all parties to exercise maximum '
            f'restraint and to respect international humanitarian law," the statement said (release {n}).',
            "* *** *",
        ],
    )


def jp_conference(n=1):
    return page(
        f"Press Conference by Foreign Minister Iwaya Takeshi ({n})",
        [
            "Opening Remarks",
            "Minister Iwaya: I will make an announcement about my visit to the Republic of Korea next week, "
            f"where I will hold talks with Minister Cho on our bilateral relations (conference {n}).",
            "Questions and Answers",
            "Reporter: What do you expect from the talks?",
            "Minister Iwaya: We will confirm close cooperation between Japan and the Republic of Korea.",
        ],
        lang="en",
    )


def rss(base, items, *, title="Press Releases"):
    """RSS 2.0 in the manner of a ministry's WordPress: (path, title, date, guid) items."""
    entries = "".join(
        f"<item><title>{item_title}</title><link>{base}{path}</link>"
        f'<guid isPermaLink="false">{guid or path}</guid>'
        f"<pubDate>{format_datetime(datetime.datetime.combine(date, datetime.time(9), datetime.UTC))}</pubDate></item>"
        for path, item_title, date, guid in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>{base}/</link><description>Official releases</description>"
        f"{entries}</channel></rss>"
    )


def listing(paths):
    """A board listing in the manner of Korea's and Japan's ministries: a table of links, with paging."""
    rows = "".join(
        f'<tr><td class="num">{n}</td><td class="title"><a href="{path}">Release {n}</a></td></tr>'
        for n, path in enumerate(paths, 1)
    )
    return (
        '<html lang="en"><body><nav><a href="/">Home</a></nav><div class="board_list"><table>'
        f'{rows}</table></div><div class="paging"><a href="?page=2">2</a></div></body></html>'
    )


def sitemap(base, paths):
    urls = "".join(f"<url><loc>{base}{path}</loc><lastmod>2024-11-15</lastmod></url>" for path in paths)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'


def text_pdf(lines, title="Statement"):
    """A one-page PDF with a text layer, written by hand (as the UN's documents come): Helvetica, a line a Tj."""
    stream = "BT /F1 11 Tf 50 780 Td 14 TL " + " ".join(f"({line}) '" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Title ({title}) >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out
