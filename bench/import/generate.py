#!/usr/bin/env python3
"""Writes a large RSS 2.0 feed modelled on examples/icmpd/news-centre.rss.xml.

Deterministic: the same --items and --seed give the same bytes, on any
machine (only random.Random(seed) is used; no hash order, no clock).

The channel is the sample's (title, link, description "NEWS CENTRE",
language, image, generator, docs, lastBuildDate). Each item is shaped like the
sample's TYPO3 tt_news items: a title with one of the sample's category
prefixes, a link https://www.icmpd.org//news-centre/news-detail/<slug>/ (the
sample's doubled slash kept; slug lowercase ASCII, punctuation dropped, at
most 100 characters), a teaser of about 100 characters cropped at a word and
ended with "...", a content:encoded CDATA body of 3-8 paragraphs and now and
then a <ul> list (1-5 KB), "Download Press Release here." on press releases,
a pubDate with the Europe/Vienna offset of its date (+0200 in summer, +0100
in winter), and a guid (the sample has none; newsdesk's own feeds do).

  bench/import/generate.py --items 10000 --seed 1 -o feed.xml

python3 standard library only.
"""

import argparse
import datetime
import random
import re
import sys
import unicodedata

PREFIXES = [  # weights roughly as in the sample: mostly project news
    ("Project News: ", 50),
    ("Press Release: ", 20),
    ("Expert Voice: ", 10),
    ("ICMPD Around the Globe: ", 12),
    ("", 8),  # "Statement on the occasion of ..." carries no prefix
]

PROJECTS = ["BOMCA", "MIEUX", "FReM II", "MPF", "EUROMED Migration IV", "the Prague Process",
            "the Budapest Process", "the Rabat Process", "the Khartoum Process", "MTM",
            "the Silk Routes project", "ICMPD THB", "the Mobility Partnership Facility",
            "EU4Borders", "the Migration Policy Facility", "MIgration EU eXpertise"]
PLACES = ["Afghanistan", "Pakistan", "Libya", "Tunisia", "Belarus", "Central Asia",
          "the Silk Routes Countries", "the Western Balkans", "Nigeria", "Jordan", "Lebanon",
          "Iraq", "Bangladesh", "Turkey", "Ukraine", "Georgia", "Armenia", "Morocco", "Ghana",
          "the Mediterranean region", "Kyrgyzstan", "Tajikistan", "Uzbekistan", "Senegal",
          "Côte d’Ivoire", "the Sahel", "Azerbaijan", "Moldova", "Egypt", "Ethiopia"]
CITIES = ["Vienna", "Kabul", "Islamabad", "Lahore", "Tunis", "Minsk", "Bishkek", "Brussels",
          "Malta", "Beirut", "Amman", "Baghdad", "Dhaka", "Ankara", "Kyiv", "Tbilisi", "Yerevan",
          "Rabat", "Accra", "Dakar", "Baku", "Chișinău", "Cairo", "Addis Ababa", "Skopje"]
TOPICS = ["labour migration", "border management", "trafficking in human beings",
          "return and reintegration", "migrant smuggling", "legal migration pathways",
          "migration data", "diaspora engagement", "integrated border management",
          "forced-return monitoring", "migration and development", "asylum systems",
          "visa facilitation", "document security", "migrant protection",
          "public communication", "capacity building", "regional cooperation"]
THINGS = ["Migrant Resource Centre", "mobile app", "training curriculum", "national strategy",
          "risk analysis unit", "online platform", "handbook", "regional network",
          "data-sharing mechanism", "awareness campaign", "border crossing point",
          "research report", "policy brief"]
EVENTS = ["workshop", "conference", "study visit", "expert meeting", "roundtable",
          "Lessons Learned Meeting", "high-level dialogue", "training", "steering committee"]
ORGS = ["the European Commission", "the EU Delegation", "UNHCR", "IOM", "the ILO", "Frontex",
        "the OSCE", "the Council of Europe", "the national authorities", "civil society",
        "the Ministry of Interior", "the Ministry of Labour", "the customs administration",
        "the border guard service", "universities", "the media"]
PEOPLE = ["Director General ICMPD Michael Spindelegger", "the Head of the EU Delegation",
          "the project manager", "the Minister of Refugees and Repatriation",
          "the Deputy Minister of Interior", "a representative of the Ministry of Labour",
          "ICMPD’s Regional Coordinator", "the Head of the Border Guard Service"]
ADJ = ["concrete", "practical", "regional", "national", "long-standing", "comprehensive",
       "evidence-based", "sustainable", "effective", "joint", "tailored", "innovative"]
VERBS = ["strengthen", "support", "improve", "enhance", "develop", "promote", "facilitate",
         "coordinate", "assess", "review"]


def upper_first(s):
    return s[:1].upper() + s[1:]


def title_for(rng, prefix):
    p, place, topic = rng.choice(PROJECTS), rng.choice(PLACES), rng.choice(TOPICS)
    if prefix == "Expert Voice: ":
        n = rng.randint(3, 12)
        return rng.choice([
            f"{topic.capitalize()} - an enabler of transformations: {n} lessons learnt from "
            f"{rng.randint(2, 15)} years of {p}",
            f"Why {topic} matters for {place}",
            f"{topic.capitalize()} after {rng.randint(2008, 2018)}: what has changed?",
        ])
    if prefix == "ICMPD Around the Globe: ":
        return rng.choice([
            f"ICMPD's Director General visits {rng.choice(CITIES)}",
            f"ICMPD's Director General receives Award by {rng.choice(ORGS)}",
            f"ICMPD at the {rng.choice(EVENTS)} on {topic} in {rng.choice(CITIES)}",
        ])
    if prefix == "":
        return rng.choice([
            f"Statement on the occasion of World Day Against {rng.choice(['Child Labour', 'Trafficking in Persons', 'Racism'])}",
            f"Statement on {topic} in {place}",
        ])
    return rng.choice([
        f"{p} {rng.choice(EVENTS)} “{topic.capitalize()} in {place} – the state of play and "
        f"the way forward”",
        f"{rng.randint(2, 12)}th phase of {p} extended for {rng.choice([6, 12, 18, 24, 36])} "
        f"months",
        f"Launch of new {rng.choice(THINGS)} – an innovative approach to {topic} in {place}",
        f"First {rng.choice(THINGS)} opened in {place} - {rng.choice(THINGS)} being set up and "
        f"run in {rng.choice(CITIES)} by ICMPD and {rng.choice(ORGS)}",
        f"Academics and government officials discuss the state of play of research on {topic} "
        f"in {place}",
        f"{p} organises a {rng.choice(EVENTS)} for {rng.choice(ORGS)} on {topic}",
        f"{p} briefs {rng.choice(ORGS)} on outcomes of the {rng.choice(EVENTS)} in "
        f"{rng.choice(CITIES)}",
    ])


def sentence(rng):
    a, b = rng.choice(ADJ), rng.choice(ADJ)
    return rng.choice([
        f"The {rng.choice(EVENTS)} gathered {rng.randint(12, 180)} participants from "
        f"{rng.choice(ORGS)}, {rng.choice(ORGS)} and {rng.choice(ORGS)}.",
        f"Since its launch in {rng.randint(2003, 2017)}, this EU-funded programme has focused on "
        f"{rng.choice(TOPICS)} and {rng.choice(TOPICS)} across {rng.choice(PLACES)}.",
        f"Participants discussed {a} measures to {rng.choice(VERBS)} {rng.choice(TOPICS)} and "
        f"to {rng.choice(VERBS)} {b} cooperation between {rng.choice(ORGS)} and "
        f"{rng.choice(ORGS)}.",
        f"“We want to {rng.choice(VERBS)} {rng.choice(TOPICS)} in {rng.choice(PLACES)} and help "
        f"people make better-informed decisions,” {rng.choice(PEOPLE)} explained.",
        f"The {rng.choice(THINGS)} in {rng.choice(CITIES)} is being set up with funding from "
        f"the European Union as part of {rng.choice(PROJECTS)}.",
        f"Speakers also stressed that {rng.choice(TOPICS)} requires {a} coordination at "
        f"national level as well as a dedicated mechanism to take stock of progress.",
        f"{upper_first(rng.choice(PEOPLE))} underlined that “{rng.choice(TOPICS)} is an "
        f"undeniable need of human societies; we all must strive for {a} solutions.”",
        f"Plans for the near future call for further {rng.choice(THINGS)}s in "
        f"{rng.choice(PLACES)} and {rng.choice(PLACES)}.",
        f"The {rng.choice(EVENTS)} was preceded by a {rng.choice(EVENTS)} under "
        f"{rng.choice(PROJECTS)}, one of the EU funded projects that supports "
        f"{rng.choice(TOPICS)} in {rng.choice(PLACES)}.",
        f"Special attention was paid to recommendations from the report & the way forward for "
        f"{rng.choice(TOPICS)} (see Annex {rng.randint(1, 9)}).",
    ])


def body(rng, prefix):
    parts = []
    for _ in range(rng.randint(3, 8)):
        parts.append("<p>" + " ".join(sentence(rng) for _ in range(rng.randint(2, 5))) + "</p>")
        if rng.random() < 0.08:
            items = "".join(f"<li>{rng.choice(TOPICS).capitalize()} in {rng.choice(PLACES)}</li>"
                            for _ in range(rng.randint(2, 6)))
            parts.append(f"<ul>{items}</ul>")
    if prefix == "Press Release: ":
        parts.append("<p>Download Press Release here.</p>")
    if rng.random() < 0.3:
        parts.append(f"<p>For more information please contact "
                     f"{rng.choice(['press', 'info', 'mieux', 'bomca'])}@icmpd.org.</p>")
    html = "\n".join(parts)
    # 1-5 KB: drop trailing paragraphs above 5 KB, pad below 1 KB.
    while len(html.encode()) > 5000 and len(parts) > 1:
        parts.pop()
        html = "\n".join(parts)
    while len(html.encode()) < 1000:
        parts.append("<p>" + " ".join(sentence(rng) for _ in range(3)) + "</p>")
        html = "\n".join(parts)
    return html


def slugify(title, taken):
    # As the sample: "ICMPD's" -> "icmpds"; letters folded to ASCII.
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower().replace("'", ""))
    slug = slug.strip("-")[:100].rstrip("-")
    base, n = slug, 2
    while slug in taken:
        suffix = f"-{n}"
        slug = base[:100 - len(suffix)].rstrip("-") + suffix
        n += 1
    taken.add(slug)
    return slug


def teaser(html):
    text = re.sub(r"<[^>]+>", " ", html)
    text = " ".join(text.split())
    if len(text) <= 100:
        return text
    cut = text.rfind(" ", 0, 101)
    return text[:cut if cut > 0 else 100].rstrip(",;:") + "..."


def last_sunday(year, month):
    d = datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)
    return d - datetime.timedelta(days=(d.weekday() + 1) % 7)


def vienna_offset(utc):
    """+0200 between the last Sundays of March and October (01:00 UTC), else +0100."""
    start = datetime.datetime.combine(last_sunday(utc.year, 3), datetime.time(1))
    end = datetime.datetime.combine(last_sunday(utc.year, 10), datetime.time(1))
    return 2 if start <= utc.replace(tzinfo=None) < end else 1


DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def rfc822(utc):
    hours = vienna_offset(utc)
    local = utc + datetime.timedelta(hours=hours)
    return (f"{DAYS[local.weekday()]}, {local.day:02d} {MONTHS[local.month - 1]} {local.year} "
            f"{local.hour:02d}:{local.minute:02d}:{local.second:02d} +0{hours}00")


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def channel_header(when):
    """The sample's channel, up to its first item (shared with bench/corpus)."""
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">\n'
            '<channel>\n'
            '<title>www.icmpd.org</title>\n'
            '<link>https://www.icmpd.org/</link>\n'
            '<description>NEWS CENTRE</description>\n'
            '<language>en</language>\n'
            '<image><title>www.icmpd.org</title>'
            '<url>https://www.icmpd.org/typo3conf/ext/tt_news/ext_icon.gif</url>'
            '<link>https://www.icmpd.org/</link><width>18</width><height>16</height>'
            '<description>NEWS CENTRE</description></image>\n'
            '<generator>TYPO3 - get.content.right</generator>\n'
            '<docs>http://blogs.law.harvard.edu/tech/rss</docs>\n'
            f'<lastBuildDate>{rfc822(when)}</lastBuildDate>\n')


def generate(out, items, seed):
    rng = random.Random(seed)
    prefixes = [p for p, _ in PREFIXES]
    weights = [w for _, w in PREFIXES]
    # Newest first, as the sample: 08:11:30 UTC on 4 July 2018, then back
    # 10 minutes to 4 hours per item.
    when = datetime.datetime(2018, 7, 4, 8, 11, 30)
    taken = set()
    out.write(channel_header(when))
    for i in range(items):
        prefix = rng.choices(prefixes, weights)[0]
        title = prefix + upper_first(title_for(rng, prefix))
        slug = slugify(title, taken)
        html = body(rng, prefix)
        out.write("<item>\n"
                  f"<title>{esc(title)}</title>\n"
                  f"<link>https://www.icmpd.org//news-centre/news-detail/{slug}/</link>\n"
                  f"<description>{esc(teaser(html))}</description>\n"
                  f"<content:encoded><![CDATA[{html}]]></content:encoded>\n"
                  f"<pubDate>{rfc822(when)}</pubDate>\n"
                  f'<guid isPermaLink="false">icmpd-news-{items - i}</guid>\n'
                  "</item>\n")
        when -= datetime.timedelta(seconds=rng.randint(600, 4 * 3600))
    out.write("</channel>\n</rss>\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=10000, help="number of items (10000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (1)")
    parser.add_argument("-o", "--output", help="output file (standard output)")
    args = parser.parse_args()
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="\n") as out:
            generate(out, args.items, args.seed)
    else:
        sys.stdout.reconfigure(encoding="utf-8", newline="\n")
        generate(sys.stdout, args.items, args.seed)


if __name__ == "__main__":
    main()
