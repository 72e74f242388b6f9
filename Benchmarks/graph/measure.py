"""Times graph API requests over one keep-alive connection: measure.py PORT REQUESTS."""
import http.client, json, sys, time

port, requests = int(sys.argv[1]), int(sys.argv[2])
check = "bbbbbbbb-0000-4000-8000-000000000001"
connection = http.client.HTTPConnection("127.0.0.1", port)

def timed(path, count):
    times = []
    for _ in range(count + 5):
        begin = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        times.append((time.perf_counter() - begin) * 1000)
        if response.status != 200:
            raise SystemExit(f"{path}: {response.status} {body[:200]!r}")
    times = sorted(times[5:])  # the first few warm the pool and PostgreSQL's caches
    return body, times

def percentile(times, p):
    return times[min(len(times) - 1, int(round(p / 100 * (len(times) - 1))))]

print(f"{'request':58} {'answer':24} {'p50':>8} {'p95':>8} {'max':>8}")
for label, path, count in [
    ("series, 1 year, 400 points", f"/api/series?check={check}&metric=load&start=-365d&points=400", requests),
    ("series, 30 days, 400 points", f"/api/series?check={check}&metric=load&start=-30d&points=400", requests),
    ("series, 1 day, 400 points (raw)", f"/api/series?check={check}&metric=load&start=-1d&points=400", requests),
    ("series, 1 year, counter, 400 points", f"/api/series?check={check}&metric=load&start=-365d&points=400&transform=counter", requests),
    ("checks, all 10,000", "/api/checks", max(20, requests // 4)),
]:
    body, times = timed(path, count)
    document = json.loads(body)
    if "series" in document:
        answer = f"{len(document['series'][0]['rows'])} rows from {document['resolution']}"
    else:
        answer = f"{document['count']} checks, {len(body) // 1024} KiB"
    print(f"{label:58} {answer:24} {percentile(times, 50):7.1f}ms {percentile(times, 95):7.1f}ms {times[-1]:7.1f}ms")
