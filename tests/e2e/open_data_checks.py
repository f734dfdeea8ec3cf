#!/usr/bin/env python3
"""The open data of a built site, validated by a JSON Schema validator (jsonschema, with
format checks): `du-lieu/van-ban.json` against the schema the site publishes beside it,
`du-lieu/tin-bai.json` against JSON Feed 1.1 (tests/e2e/jsonfeed-1.1.schema.json), and the
CSV against the JSON, row for row.

    python3 tests/e2e/open_data_checks.py OUTPUT_DIR
"""
import csv
import io
import json
import os
import sys

from jsonschema import Draft202012Validator

out = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))


def load(rel):
    with open(os.path.join(out, rel), encoding="utf-8") as f:
        return json.load(f)


def validate(doc, schema, what):
    Draft202012Validator.check_schema(schema)
    checker = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = sorted(checker.iter_errors(doc), key=lambda e: list(e.path))
    for e in errors:
        print(f"FAIL {what}: {list(e.path)}: {e.message}")
    if errors:
        sys.exit(1)


documents = load("du-lieu/van-ban.json")
validate(documents, load("du-lieu/van-ban.schema.json"), "van-ban.json")
assert documents["documents"], "documents listed"
with open(os.path.join(here, "jsonfeed-1.1.schema.json"), encoding="utf-8") as f:
    feed_schema = json.load(f)
feed = load("du-lieu/tin-bai.json")
validate(feed, feed_schema, "tin-bai.json")
assert feed["items"], "items listed"
with open(os.path.join(out, "du-lieu/van-ban.csv"), encoding="utf-8-sig", newline="") as f:
    rows = list(csv.reader(f))
assert len(rows) == len(documents["documents"]) + 1, (len(rows), len(documents["documents"]))
for row, doc in zip(rows[1:], documents["documents"]):
    assert row[0] == (doc["number"] or ""), (row[0], doc["number"])
    assert row[3] == doc["abstract"], row[3]
print(f"open data: van-ban.json ({len(documents['documents'])} documents) valid against its "
      f"schema, tin-bai.json ({len(feed['items'])} items) valid JSON Feed 1.1, CSV row for row")
