"""Loads Styra's OData feed with python-odata (an OData v4 client that reads $metadata), the way
Power BI's OData connector does: every entity set through all @odata.nextLink pages, then
$filter, $select, $orderby and $count. Run by scripts/odata-client-check.sh; exits non-zero on any
failure.

    python odata_client_check.py <feed url> <bearer token> <page size>
"""

import datetime
import sys
import time

import requests
from odata import ODataService

feed, token, page_size = sys.argv[1], sys.argv[2], int(sys.argv[3])
failures = []


def check(ok, message):
    print(("ok   " if ok else "FAIL ") + message)
    if not ok:
        failures.append(message)


# Every request the library makes, with its time, to count pages and see their latency.
session = requests.Session()
session.headers["Authorization"] = f"Bearer {token}"
requests_seen = []


def record(response, *args, **kwargs):
    requests_seen.append((response.request.url, response.status_code, response.elapsed.total_seconds()))


session.hooks["response"].append(record)

# Power BI's credential test: the feed root without query options.
root = session.get(feed)
check(root.status_code == 200 and root.headers.get("OData-Version") == "4.0",
      f"service document answers 200 with OData-Version 4.0 ({root.status_code})")
listed = [s["name"] for s in root.json()["value"]]

service = ODataService(feed, reflect_entities=True, session=session, quiet_progress=True)
check(sorted(service.entities) == sorted(listed),
      f"$metadata declares the {len(listed)} entity sets of the service document")

slowest = 0.0
for name in listed:
    entity = service.entities[name]
    before = len(requests_seen)
    started = time.monotonic()
    rows = list(service.query(entity))
    elapsed = time.monotonic() - started
    pages = len(requests_seen) - before
    count = service.query(entity).count()
    # Flat tables are keyed by id; report tables by the synthesized row_key.
    is_table = hasattr(entity, "id")
    keys = [row.id if is_table else row.row_key for row in rows]
    slowest = max([slowest] + [t for _, _, t in requests_seen[before:]])
    check(len(rows) == count and len(set(keys)) == count and (count > 0 or not is_table),
          f"{name}: {len(rows)} rows in {pages} pages ({elapsed:.2f} s), each once, $count {count}")
    if count > page_size:
        check(pages == -(-count // page_size), f"{name}: followed every @odata.nextLink")

# $filter through the library's typed properties, checked against the rows themselves.
Activity = service.entities["activities"]
everything = list(service.query(Activity))
in_2026 = list(service.query(Activity).filter(Activity.year == 2026))
check(len(in_2026) == sum(1 for a in everything if a.year == 2026) and all(a.year == 2026 for a in in_2026),
      f"$filter year eq 2026: {len(in_2026)} rows")
not_ideas = service.query(Activity).filter(Activity.phase != "idea").filter(Activity.year >= 2025)
check(not_ideas.count() == sum(1 for a in everything if a.phase != "idea" and a.year >= 2025),
      "$filter phase ne 'idea' and year ge 2025 with $count")

# Incremental refresh: half-open modified_at ranges split the rows exactly.
stamps = sorted(a.modified_at for a in everything)
middle = stamps[len(stamps) // 2]
far = datetime.datetime(9999, 1, 1, tzinfo=datetime.timezone.utc)
lower = service.query(Activity).filter(Activity.modified_at < middle).count()
upper = service.query(Activity).filter(Activity.modified_at >= middle).filter(Activity.modified_at < far).count()
check(lower + upper == len(everything) and lower == sum(1 for s in stamps if s < middle),
      f"half-open modified_at ranges: {lower} + {upper} = {len(everything)}")

# $select returns only those properties; $orderby orders.
selected = list(service.query(Activity).select(Activity.id, Activity.title, Activity.year)
                .order_by(Activity.year.desc()))
check(len(selected) == len(everything) and all(set(r) == {"id", "title", "year"} for r in selected),
      "$select id,title,year over all pages")
years = [r["year"] for r in selected]
check(years == sorted(years, reverse=True), "$orderby year desc across pages")

# $count=true in the page itself.
page = session.get(feed + "activities", params={"$count": "true", "$top": "1"}).json()
check(page.get("@odata.count") == len(everything), "@odata.count with $count=true")

# A report table with its own filter as a parameter, and $filter on its result.
Portfolio = service.entities["portfolio"]
rest = session.get(feed.replace("/odata/", "/api/v1/reports/portfolio"), params={"year": "2026"}).json()["rows"]
odata_rows = service.query(Portfolio).raw({"year": "2026", "$filter": "phase eq 'completed'"})
check(len(odata_rows) == sum(1 for r in rest if r["phase"] == "completed") > 0,
      f"report portfolio?year=2026 with $filter: {len(odata_rows)} rows as in /api/v1/reports/portfolio")

# The gaps set pages in SQL (keyset on the report's order): its pages, followed by the library,
# are the whole report row for row, with consecutive row keys.
Gap = service.entities["documentation_completeness_gaps"]
rest = session.get(feed.replace("/odata/", "/api/v1/reports/documentation-completeness/gaps")).json()["rows"]
walked = list(service.query(Gap))
check([(g.row_key, g.activity_id, g.requirement, g.status) for g in walked]
      == [(i + 1, r["activity_id"], r["requirement"], r["status"]) for i, r in enumerate(rest)]
      and len(rest) > page_size,
      f"documentation_completeness_gaps: {len(walked)} rows paged in SQL, the report's rows in its order")

# Dates are ISO 8601 and typed as the metadata says.
system = next(iter(service.query(service.entities["systems"])))
check(isinstance(system.modified_at, datetime.datetime) and system.modified_at.tzinfo is not None,
      "Edm.DateTimeOffset reads as an aware datetime")

# A bad filter is a 400 the library reports with the server's message.
bad = session.get(feed + "activities", params={"$filter": "colour eq 'red'"})
check(bad.status_code == 400 and "colour" in bad.json()["error"]["message"],
      f"bad $filter: 400 naming the property ({bad.json().get('detail')})")

print(f"\n{len(requests_seen)} requests; slowest {slowest * 1000:.0f} ms")
if failures:
    print(f"{len(failures)} check(s) failed", file=sys.stderr)
    sys.exit(1)
print("every check passed")
