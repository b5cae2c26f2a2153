#!/usr/bin/env python3
"""Writes the benchmark corpus: an RSS 2.0 feed of N news items, and the PDF
attachments its press releases point to.

Deterministic: the same --items, --seed and --attachment-base give the same
bytes on any machine (random.Random(seed) only; no hash order, no clock).

Built on bench/import/generate.py (imported, not copied): the same channel,
titles with the sample's category prefixes, slugs, teasers, HTML bodies of
1-5 KB and Europe/Vienna pubDates. On top of it, each item carries
  - <category> elements: its kind (the title's prefix: "Press Release",
    "Project News", "Expert Voice", "ICMPD Around the Globe", "Statement")
    and one region ("Central Asia", "Western Balkans", ...): 13 categories;
  - for press releases (about 20%) and some project news (5%), an
    <enclosure> to a PDF under --attachment-base ("Download Press Release
    here" in the sample is such a file), with its real length; with
    --files-dir the PDFs themselves are written there (2-40 KB each, a
    valid %PDF header, deterministic filler), so that a local web server can
    hand them to `newsdesk import --fetch-attachments`.

  bench/corpus/generate.py --items 10000 -o feed.xml --files-dir files \
      --attachment-base http://127.0.0.1:8765/

python3 standard library only.
"""

import argparse
import datetime
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "import"))
import generate as base  # noqa: E402  (bench/import/generate.py)

KINDS = {
    "Press Release: ": "Press Release",
    "Project News: ": "Project News",
    "Expert Voice: ": "Expert Voice",
    "ICMPD Around the Globe: ": "ICMPD Around the Globe",
    "": "Statement",
}
REGIONS = ["Central Asia", "Western Balkans", "Mediterranean", "West Africa", "Middle East",
           "Eastern Partnership", "Silk Routes", "European Union"]


def pdf_bytes(rng, title, size):
    """A small valid-looking PDF of about `size` bytes (sniffed by its header)."""
    head = (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
            b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >> "
            b"endobj\n")
    text = ("BT /F1 12 Tf 72 770 Td (" + title.encode("ascii", "replace").decode()
            .replace("(", "[").replace(")", "]") + ") Tj ET\n").encode()
    filler = bytearray()
    while len(head) + len(text) + len(filler) < size:
        filler += ("% " + base.sentence(rng).encode("ascii", "replace").decode() + "\n").encode()
    stream = text + bytes(filler)
    return (head + b"4 0 obj << /Length " + str(len(stream)).encode() + b" >> stream\n" + stream
            + b"endstream endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")


def generate(out, items, seed, attachment_base, files_dir):
    rng = random.Random(seed)
    frng = random.Random(seed * 7919 + 1)  # attachments' own stream: bodies stay as base's
    prefixes = [p for p, _ in base.PREFIXES]
    weights = [w for _, w in base.PREFIXES]
    when = datetime.datetime(2018, 7, 4, 8, 11, 30)
    taken = set()
    out.write(base.channel_header(when))
    for i in range(items):
        prefix = rng.choices(prefixes, weights)[0]
        title = prefix + base.upper_first(base.title_for(rng, prefix))
        slug = base.slugify(title, taken)
        html = base.body(rng, prefix)
        number = items - i
        categories = [KINDS[prefix], REGIONS[frng.randrange(len(REGIONS))]]
        enclosure = ""
        if prefix == "Press Release: " or (prefix == "Project News: " and frng.random() < 0.05):
            name = f"{slug[:60].rstrip('-')}-{number}.pdf"
            data = pdf_bytes(frng, title, frng.randint(2000, 40000))
            if files_dir:
                with open(os.path.join(files_dir, name), "wb") as f:
                    f.write(data)
            enclosure = (f'<enclosure url="{attachment_base}{name}" length="{len(data)}" '
                         'type="application/pdf"/>\n')
        out.write("<item>\n"
                  f"<title>{base.esc(title)}</title>\n"
                  f"<link>https://www.icmpd.org//news-centre/news-detail/{slug}/</link>\n"
                  f"<description>{base.esc(base.teaser(html))}</description>\n"
                  f"<content:encoded><![CDATA[{html}]]></content:encoded>\n"
                  + "".join(f"<category>{base.esc(c)}</category>\n" for c in categories)
                  + enclosure +
                  f"<pubDate>{base.rfc822(when)}</pubDate>\n"
                  f'<guid isPermaLink="false">icmpd-news-{number}</guid>\n'
                  "</item>\n")
        when -= datetime.timedelta(seconds=rng.randint(600, 4 * 3600))
    out.write("</channel>\n</rss>\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=10000, help="number of items (10000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (1)")
    parser.add_argument("--attachment-base", default="https://www.icmpd.org/fileadmin/news/",
                        help="URL the PDF file names are appended to")
    parser.add_argument("--files-dir", help="write the PDF files into this folder")
    parser.add_argument("-o", "--output", help="output file (standard output)")
    args = parser.parse_args()
    if args.files_dir:
        os.makedirs(args.files_dir, exist_ok=True)
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="\n") as out:
            generate(out, args.items, args.seed, args.attachment_base, args.files_dir)
    else:
        sys.stdout.reconfigure(encoding="utf-8", newline="\n")
        generate(sys.stdout, args.items, args.seed, args.attachment_base, args.files_dir)


if __name__ == "__main__":
    main()
