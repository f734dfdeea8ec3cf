#!/usr/bin/env python3
"""Checks of the built site that need no browser (issue #4), run by tests/e2e/run.sh.

    python3 site_checks.py OUTPUT_DIR BASE_URL

- Every feed (rss.xml of the site and of each section) parses with feedparser without the
  bozo flag; every item has a date and an absolute link under BASE_URL.
- No href/src in any page leaves the sub-path of BASE_URL, and every resource (src, <link href>)
  comes from the site itself: no third-party requests.
Prints "N passed, N failed" and exits 1 on any failure.
"""
import os
import re
import sys
from html.parser import HTMLParser
from urllib.parse import urlparse

import feedparser

out, base = sys.argv[1], sys.argv[2]
base_url = urlparse(base)
sub_path = base_url.path
passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL", what)


feeds = [os.path.join(dp, f) for dp, _, fs in os.walk(out) for f in fs if f == "rss.xml"]
check(len(feeds) >= 2, f"feeds found: {feeds}")
for path in feeds:
    feed = feedparser.parse(path)
    rel = os.path.relpath(path, out)
    check(not feed.bozo, f"{rel}: bozo {feed.get('bozo_exception')}")
    check(feed.feed.get("language") == "vi", f"{rel}: language")
    for e in feed.entries:
        check(e.get("published_parsed") is not None, f"{rel}: item without date: {e.get('title')}")
        check(e.get("link", "").startswith(base), f"{rel}: item link not absolute under base: {e.get('link')}")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.found.append((tag, name, value, dict(attrs).get("rel")))


pages = 0
for dp, _, fs in os.walk(out):
    for f in fs:
        if not f.endswith(".html"):
            continue
        pages += 1
        rel = os.path.relpath(os.path.join(dp, f), out)
        parser = Links()
        with open(os.path.join(dp, f), encoding="utf-8") as fh:
            parser.feed(fh.read())
        for tag, attr, value, rel_attr in parser.found:
            url = urlparse(value)
            if value.startswith("#") or url.scheme in ("mailto", "tel"):
                continue
            same_site = not url.netloc or url.netloc == base_url.netloc
            if same_site:
                check(url.path.startswith(sub_path), f"{rel}: {tag} {attr}={value} leaves {sub_path}")
            resource = attr == "src" or (tag == "link" and rel_attr not in ("canonical", "alternate"))
            if resource:
                check(same_site, f"{rel}: third-party resource {value}")
check(pages > 10, f"only {pages} pages")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
