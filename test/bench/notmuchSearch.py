#!/usr/bin/python3
# The notmuch side of searchVsNotmuch.bench.ts: one long-running process over
# python3-notmuch2 (in-process Xapian, no `notmuch` process per query). Reads
# one query per line on stdin; for each answers one JSON line: the thread
# count and the first page of 26 threads newest first (id, subject, authors,
# newest date, matched count: what `notmuch search` shows), and the time that
# took inside this process. Spam and deleted are excluded as notmuch's own
# search.exclude_tags does (ignored for a tag the query names).
import json
import sys
import time

import notmuch2

db = notmuch2.Database(sys.argv[1], mode=notmuch2.Database.MODE.READ_ONLY, config=notmuch2.Database.CONFIG.EMPTY)
EXCLUDE = ['spam', 'deleted']

for line in sys.stdin:
    query = line.rstrip('\n')
    start = time.perf_counter()
    count = db.count_threads(query, exclude_tags=EXCLUDE)
    page = []
    for thread in db.threads(query, sort=notmuch2.Database.SORT.NEWEST_FIRST, exclude_tags=EXCLUDE):
        page.append([thread.threadid, thread.subject, thread.authors, thread.last, thread.matched])
        if len(page) == 26:
            break
    ms = (time.perf_counter() - start) * 1000
    print(json.dumps({'count': count, 'ms': ms, 'first': page[0][0] if page else None}, default=str), flush=True)
