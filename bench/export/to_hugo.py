#!/usr/bin/env python3
"""Converts the benchmark corpus (bench/corpus/generate.py's RSS feed) into a
Hugo site for bench/export: one content file per item with front matter
(title, date with its offset, slug, categories, teaser as summary, guid,
attachments), the site configuration, and the attachment files as Hugo
static files (Hugo copies them, as newsdesk export writes /files/).

  bench/export/to_hugo.py FEED.xml FILES_DIR OUT_DIR

python3 standard library only. Deterministic: same feed, same files.
"""

import email.utils
import json
import os
import shutil
import sys
import xml.etree.ElementTree as ET

CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"

CONFIG = """baseURL = "https://www.icmpd.org/"
languageCode = "en"
title = "www.icmpd.org"
theme = "hugo-theme"
themesDir = "{themes}"
paginate = 10
disableKinds = []
[params]
description = "NEWS CENTRE"
[permalinks]
news = "/news-centre/news-detail/:slug/"
[taxonomies]
category = "categories"
[outputs]
home = ["HTML", "RSS"]
section = ["HTML", "RSS"]
taxonomy = ["HTML"]
term = ["HTML", "RSS"]
"""


def toml_string(s):
    return json.dumps(s, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    feed, files_dir, out = sys.argv[1:]
    here = os.path.dirname(os.path.abspath(__file__))
    if os.path.exists(out):
        shutil.rmtree(out)
    content = os.path.join(out, "content", "news")
    os.makedirs(content)
    with open(os.path.join(out, "config.toml"), "w", encoding="utf-8") as f:
        f.write(CONFIG.replace("{themes}", here))
    # Hugo looks for themesDir/<theme>: bench/export/hugo-theme.
    static = os.path.join(out, "static", "files")
    os.makedirs(static)
    with open(os.path.join(out, "static", "style.css"), "w") as f:
        f.write("body{font-family:sans-serif;max-width:50rem;margin:auto}\n")
    with open(os.path.join(out, "content", "news", "_index.md"), "w") as f:
        f.write('+++\ntitle = "News"\n+++\n')
    count = 0
    for _, el in ET.iterparse(feed):
        if el.tag != "item":
            continue
        title = el.findtext("title")
        link = el.findtext("link").rstrip("/")
        slug = link.rsplit("/", 1)[-1]
        date = email.utils.parsedate_to_datetime(el.findtext("pubDate")).isoformat()
        cats = [c.text for c in el.findall("category")]
        attachments = []
        for enc in el.findall("enclosure"):
            name = enc.get("url").rsplit("/", 1)[-1]
            src = os.path.join(files_dir, name)
            if os.path.exists(src):
                shutil.copyfile(src, os.path.join(static, name))
            attachments.append({"url": "/files/" + name, "name": name})
        front = [
            "+++",
            "title = " + toml_string(title),
            "date = " + date,
            "slug = " + toml_string(slug),
            "guid = " + toml_string(el.findtext("guid") or ""),
            "summary = " + toml_string(el.findtext("description") or ""),
            "categories = [" + ", ".join(toml_string(c) for c in cats) + "]",
        ]
        for a in attachments:
            front += ["[[attachments]]", "url = " + toml_string(a["url"]),
                      "name = " + toml_string(a["name"])]
        front.append("+++")
        with open(os.path.join(content, slug + ".html"), "w", encoding="utf-8") as f:
            f.write("\n".join(front) + "\n" + (el.findtext(CONTENT) or "") + "\n")
        count += 1
        el.clear()
    print(f"to_hugo.py: {count} items into {out}")


if __name__ == "__main__":
    main()
