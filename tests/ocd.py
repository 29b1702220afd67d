"""Open data against the rules of Open Civic Data's scraper schemas (pupa,
pupa/scrape/schemas, as pupa applies them: keys are optional unless
present, strings may not be empty unless the schema allows it, extra keys
are allowed) and Popolo's dates.  The rules are written here as facts,
not copied: field names, types, formats and enumerations.

Usage: python3 ocd.py DATA_DIR...  Prints one line per problem."""
import json
import re
import sys

DATE = re.compile(r"^[0-9]{4}(-[0-9]{2}){0,2}$")
problems = []


def bad(where, what):
    problems.append("%s: %s" % (where, what))


def string(where, v, blank=False):
    if not isinstance(v, str):
        bad(where, "is %s, not a string" % type(v).__name__)
    elif not blank and v == "":
        bad(where, "is an empty string")


def opt(obj, key, where, check):
    if isinstance(obj, dict) and key in obj:
        check("%s.%s" % (where, key), obj[key])


def array(where, v, item, min_items=0):
    if not isinstance(v, list):
        bad(where, "is not an array")
        return
    if len(v) < min_items:
        bad(where, "has fewer than %d items" % min_items)
    for i, x in enumerate(v):
        item("%s[%d]" % (where, i), x)


def obj(where, v, fields):
    if not isinstance(v, dict):
        bad(where, "is not an object")
        return
    for key, check in fields.items():
        opt(v, key, where, check)


def null_or(check):
    return lambda w, v: None if v is None else check(w, v)


def enum(words):
    return lambda w, v: None if v in words else bad(w, "'%s' is not one of %s" % (v, words))


S = string
SB = lambda w, v: string(w, v, blank=True)
media = lambda w, v: array(w, v, lambda w2, m: obj(w2, m, {
    "name": S, "type": S,
    "date": lambda w3, d: SB(w3, d) if d == "" else (S(w3, d), DATE.match(d or "") or bad(w3, "is not a date")),
    "offset": null_or(lambda w3, x: isinstance(x, (int, float)) or bad(w3, "is not a number")),
    "links": lambda w3, l: array(w3, l, lambda w4, k: obj(w4, k, {
        "media_type": null_or(S), "url": S}))}))
event = {
    "name": S, "all_day": lambda w, v: isinstance(v, bool) or bad(w, "is not a boolean"),
    "classification": S, "description": SB,
    "status": enum(["cancelled", "tentative", "confirmed", "passed"]),
    "location": lambda w, v: obj(w, v, {
        "name": S, "note": SB, "url": S,
        "coordinates": null_or(lambda w2, c: obj(w2, c, {"latitude": S, "longitude": S}))}),
    "media": media,
    "documents": lambda w, v: array(w, v, lambda w2, d: obj(w2, d, {
        "name": S, "url": S, "media_type": S})),
    "links": lambda w, v: array(w, v, lambda w2, d: obj(w2, d, {"note": SB, "url": S})),
    "participants": lambda w, v: array(w, v, lambda w2, p: obj(w2, p, {
        "name": S, "id": null_or(S), "type": enum(["organization", "person"]), "note": S})),
    "agenda": lambda w, v: array(w, v, lambda w2, a: obj(w2, a, {
        "description": S, "order": null_or(S),
        "subjects": lambda w3, s: array(w3, s, S), "media": media, "notes": SB,
        "related_entities": lambda w3, r: array(w3, r, lambda w4, e: obj(w4, e, {
            "type": S, "id": null_or(S), "name": S, "note": null_or(S)}))})),
    "sources": lambda w, v: array(w, v, lambda w2, s: obj(w2, s, {"url": S, "note": SB}), 1),
    "extras": lambda w, v: isinstance(v, dict) or bad(w, "is not an object"),
}
pdate = lambda w, v: (S(w, v), DATE.match(v) or bad(w, "'%s' is not YYYY[-MM[-DD]]" % v)) if isinstance(v, str) else bad(w, "is %s, not a date string" % type(v).__name__)
membership = {"person_id": S, "organization_id": S, "role": SB,
              "start_date": pdate, "end_date": pdate}
person = {"name": S, "sources": event["sources"], "links": event["links"]}
# pupa's organization classification: OCD's list and nothing else (no
# null either: the enumeration does not name it).
ORG_CLASSES = ["legislature", "executive", "upper", "lower", "party",
               "committee", "commission", "corporation", "agency",
               "department", "judiciary"]
organization = {"name": S, "sources": event["sources"], "links": event["links"],
                "classification": enum(ORG_CLASSES), "extras": event["extras"]}

for d in sys.argv[1:]:
    for name, key, fields in (("meetings.json", "events", event),
                              ("memberships.json", "memberships", membership),
                              ("people.json", "persons", person),
                              ("organizations.json", "organizations", organization)):
        with open("%s/%s" % (d, name)) as f:
            recs = json.load(f)[key]
        for i, r in enumerate(recs):
            obj("%s/%s[%d]" % (d.split("/")[-3] if d.count("/") > 2 else d, name, i), r, fields)
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
