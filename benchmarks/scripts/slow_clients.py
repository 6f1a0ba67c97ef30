#!/usr/bin/env python3
"""Opens N connections that send a request body at 1 byte per second (or stall after the headers) and measures
GET /ping latency meanwhile. Usage: slow_clients.py PORT [N] [SECONDS] [--stall]. Loopback only."""
import socket
import sys
import time
import http.client
import resource

port = int(sys.argv[1])
n = int(sys.argv[2]) if len(sys.argv) > 2 else 300
duration = float(sys.argv[3]) if len(sys.argv) > 3 else 15
stall = "--stall" in sys.argv
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, n + 256)), hard))

socks = []
for i in range(n):
    s = socket.create_connection(("127.0.0.1", port))
    s.setblocking(False)
    s.sendall(b"POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\nContent-Length: 100000\r\n\r\n")
    socks.append(s)
print(f"{n} slow connections open ({'stalled' if stall else '1 byte/s'})", flush=True)

worst = 0.0
pings = 0
failures = 0
closed_by_server = 0
start = time.time()
while time.time() - start < duration:
    t0 = time.time()
    for s in socks:
        if s.fileno() < 0:
            continue
        try:
            if not stall:
                s.send(b"1")
            data = s.recv(4096)
            if data:
                if b" 408 " in data[:20] or b"408" in data[:40]:
                    pass
                s.close()
                closed_by_server += 1
        except BlockingIOError:
            pass
        except OSError:
            s.close()
            closed_by_server += 1
    p0 = time.time()
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        c.request("GET", "/ping")
        r = c.getresponse()
        r.read()
        c.close()
        if r.status != 200:
            failures += 1
    except Exception:
        failures += 1
    lat = (time.time() - p0) * 1000
    worst = max(worst, lat)
    pings += 1
    time.sleep(max(0, 1 - (time.time() - t0)))
print(f"pings {pings}, failed {failures}, worst /ping latency {worst:.1f} ms, slow connections closed by the "
      f"server {closed_by_server}/{n}")
