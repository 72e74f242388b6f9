#!/usr/bin/env python3
"""Loopback targets for the benchmark, on several ports.

A connection that sends nothing (a tcp check) is closed once the client closes, so TIME_WAIT
lands on the client side as it would against a real server. A connection that sends an HTTP
request gets a small 200 response and is closed.
"""
import asyncio
import sys

RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n"


async def handle(reader, writer):
    try:
        first = await reader.read(1)
        if first:
            await reader.readuntil(b"\r\n\r\n")
            writer.write(RESPONSE)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
        pass
    finally:
        writer.close()


async def main(base_port, count):
    servers = [await asyncio.start_server(handle, "127.0.0.1", base_port + i, backlog=4096) for i in range(count)]
    print("listening", flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))


asyncio.run(main(int(sys.argv[1]), int(sys.argv[2])))
