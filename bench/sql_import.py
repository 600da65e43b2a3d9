"""Times imports of table `big` through the service against pd.read_sql, alternating, and prints the ratio."""
import json
import statistics
import sys
import time
import urllib.request

import pandas as pd
import sqlalchemy

base, url, repeat, rows = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
engine = sqlalchemy.create_engine(url)


def service():
    body = json.dumps({"source": "bench", "table": "public.big"}).encode()
    req = urllib.request.Request(base + "/api/session/create", body, {"Content-Type": "application/json"})
    start = time.perf_counter()
    with urllib.request.urlopen(req, timeout=900) as r:
        created = json.load(r)
    took = time.perf_counter() - start
    assert created["data_info"]["rows"] == rows, created["data_info"]["rows"]
    urllib.request.urlopen(urllib.request.Request(base + "/api/session/" + created["session_id"], method="DELETE"))
    return took


def pandas():
    start = time.perf_counter()
    df = pd.read_sql("SELECT * FROM big", engine, parse_dates=["d", "i"])
    took = time.perf_counter() - start
    assert len(df) == rows
    return took


times = {"service": [], "pandas": []}
for i in range(repeat):
    times["service"].append(service())
    times["pandas"].append(pandas())
    print(f"round {i + 1}: service {times['service'][-1]:.2f} s, pd.read_sql {times['pandas'][-1]:.2f} s", flush=True)
s, p = statistics.median(times["service"]), statistics.median(times["pandas"])
print(f"{rows} rows x 10 columns: service median {s:.2f} s, pd.read_sql median {p:.2f} s,"
      f" ratio pandas/service {p / s:.2f} (>= 1 means the service is at least as fast)")
