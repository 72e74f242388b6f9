"""A webhook receiver for the alerting benchmark: answers 202 and records, per request, the
time from the value being stored (the notification's details.stored_at, set by stratcond when
the batch holding the value committed) to the request's arrival here.

  receiver.py PORT OUT_FILE
"""
import json, sys, threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port, out_path = int(sys.argv[1]), sys.argv[2]
lock = threading.Lock()
out = open(out_path, "a", buffering=1)

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        arrived = datetime.now().timestamp()
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        self.send_response(202)
        self.send_header("content-length", "0")
        self.end_headers()
        try:
            event = json.loads(body)
            stored = datetime.fromisoformat(event["details"]["stored_at"].replace("Z", "+00:00")).timestamp()
            with lock:
                out.write("%s %.1f\n" % (event["action"], (arrived - stored) * 1000))
        except (ValueError, KeyError, TypeError):
            pass

    def log_message(self, *args):
        pass

server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
print("listening", flush=True)
server.serve_forever()
