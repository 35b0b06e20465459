"""A scripted webhook receiver for delivery tests: answers each attempt as the script says, records everything."""
from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

from aiohttp import web

from claimwatch.broker import free_port

Script = Callable[[int], tuple[int, dict]]  # attempt number for this webhook-id (1-based) -> (status, headers)


@dataclass
class Received:
    at: float
    webhook_id: str
    status: int
    headers: dict
    body: bytes


@dataclass
class ScriptedReceiver:
    script: Script
    port: int = field(default_factory=free_port)
    received: list[Received] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def set_script(self, script: Script) -> None:
        self.script = script

    def attempts(self, webhook_id: str) -> list[Received]:
        return [r for r in self.received if r.webhook_id == webhook_id]

    def start(self) -> "ScriptedReceiver":
        ready = threading.Event()

        async def handle(request: web.Request) -> web.Response:
            body = await request.read()
            webhook_id = request.headers.get("webhook-id", "")
            attempt = len(self.attempts(webhook_id)) + 1
            status, headers = self.script(attempt)
            self.received.append(Received(time.monotonic(), webhook_id, status, dict(request.headers), body))
            return web.Response(status=status, headers=headers)

        def serve() -> None:
            self.loop = asyncio.new_event_loop()
            app = web.Application()
            app.router.add_post("/hook", handle)
            runner = web.AppRunner(app)
            self.loop.run_until_complete(runner.setup())
            self.loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", self.port).start())
            self.runner = runner
            ready.set()
            self.loop.run_forever()

        self.thread = threading.Thread(target=serve, daemon=True)
        self.thread.start()
        ready.wait(10)
        return self

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
