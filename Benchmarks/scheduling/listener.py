#!/usr/bin/env python3
"""Accepts TCP connections on several loopback ports and closes each once the client does.

The benchmark's targets: cheap enough not to steal the CPU it is measuring, and the client
closes first so TIME_WAIT lands on the client side, as it would against a real server.
"""
import asyncio
import sys


async def handle(reader, writer):
    try:
        await reader.read(1)
    finally:
        writer.close()


async def main(base_port, count):
    servers = [await asyncio.start_server(handle, "127.0.0.1", base_port + i, backlog=4096) for i in range(count)]
    print("listening", flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))


asyncio.run(main(int(sys.argv[1]), int(sys.argv[2])))
