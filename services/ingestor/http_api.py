"""The authenticated HTTP ingest endpoint: POST /articles with a bearer token."""
from __future__ import annotations

import asyncio
import errno
import hmac
import json
import os
import sys
from pathlib import Path

from aiohttp import web

from services.common.errors import ConfigError
from services.common.metrics_http import render
from services.ingestor import metrics
from services.ingestor.publisher import ArticlePublisher, PublishError
from services.ingestor.settings import IngestorSettings
from services.ingestor.sources import Article, Rejection, article_from_mapping

OPENAPI_PATH = Path(__file__).with_name("openapi.json")
JSON_TYPES = {"application/json", "application/x-ndjson", "application/jsonl"}


def _problem(status: int, title: str, detail: str, **extra) -> web.Response:
    body = {"title": title, "status": status, "detail": detail, **extra}
    headers = {"WWW-Authenticate": 'Bearer realm="claimwatch"'} if status == 401 else None
    return web.json_response(body, status=status, content_type="application/problem+json", headers=headers)


def require_token(settings: IngestorSettings) -> str:
    try:
        token = settings.token()
    except OSError as exc:
        raise ConfigError(f"CLAIMWATCH_INGESTOR_API_TOKEN_FILE: cannot read {settings.api_token_file} "
                          f"({exc.strerror or exc})") from exc
    if not token:
        raise ConfigError("CLAIMWATCH_INGESTOR_API_TOKEN: the ingest API needs a token: set it, or "
                          "CLAIMWATCH_INGESTOR_API_TOKEN_FILE, in the environment or .env")
    return token


def make_app(settings: IngestorSettings, publisher: ArticlePublisher) -> web.Application:
    token = require_token(settings)
    expected = f"Bearer {token}".encode()

    async def post_articles(request: web.Request) -> web.Response:
        supplied = request.headers.get("Authorization", "").encode()
        if not hmac.compare_digest(supplied, expected):  # constant time, whatever is supplied
            metrics.REJECTED.labels(input="http", reason="unauthorized").inc()
            return _problem(401, "Unauthorized", "a valid bearer token is required")
        if request.content_type not in JSON_TYPES:
            metrics.REJECTED.labels(input="http", reason="unsupported_media_type").inc()
            return _problem(415, "Unsupported Media Type", "send application/json (an Article or a list) "
                                                           "or application/x-ndjson")
        if request.content_length and request.content_length > settings.max_body_bytes:
            metrics.REJECTED.labels(input="http", reason="too_large").inc()
            return _problem(413, "Payload Too Large", f"the limit is {settings.max_body_bytes} bytes")
        try:
            raw = await request.read()
        except web.HTTPRequestEntityTooLarge:
            metrics.REJECTED.labels(input="http", reason="too_large").inc()
            return _problem(413, "Payload Too Large", f"the limit is {settings.max_body_bytes} bytes")
        try:
            text = raw.decode("utf-8")
            if request.content_type == "application/json":
                document = json.loads(text)
                records = document if isinstance(document, list) else [document]
            else:
                records = [json.loads(line) for line in text.splitlines() if line.strip()]
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            metrics.REJECTED.labels(input="http", reason="malformed").inc()
            return _problem(400, "Bad Request", f"the body is not valid JSON: {exc}")
        if not records:
            return _problem(422, "Unprocessable Entity", "no articles in the body")
        parsed = [article_from_mapping(record, f"body[{i}]") for i, record in enumerate(records)]
        refusals = [r for r in parsed if isinstance(r, Rejection)]
        rejected = [{"item": r.origin, "reason": r.reason} for r in refusals]
        articles = [a for a in parsed if isinstance(a, Article)]
        for refusal in refusals:
            metrics.REJECTED.labels(input="http", reason=refusal.kind).inc()
        if not articles:
            return _problem(422, "Unprocessable Entity", "no valid article in the body", rejected=rejected)

        def send() -> list[Article]:
            stamped = [publisher.publish(article, "http") for article in articles]
            publisher.flush()
            return stamped

        try:
            stamped = await asyncio.get_running_loop().run_in_executor(None, send)
        except PublishError as exc:
            return _problem(503, "Service Unavailable", str(exc))
        accepted = [{"id": a.id, "content_hash": a.content_hash} for a in stamped]
        return web.json_response({"accepted": accepted, "rejected": rejected}, status=202)

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def metrics_page(_: web.Request) -> web.Response:
        body, content_type = render(metrics.REGISTRY)
        return web.Response(body=body, headers={"Content-Type": content_type})

    async def openapi(_: web.Request) -> web.Response:
        return web.json_response(json.loads(OPENAPI_PATH.read_text()))

    app = web.Application(client_max_size=settings.max_body_bytes)
    app.router.add_post("/articles", post_articles)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics_page)
    app.router.add_get("/openapi.json", openapi)
    return app


def listening_url(host: str, port: int) -> str:
    return f"http://{f'[{host}]' if ':' in host else host}:{port}/articles"


def serve(settings: IngestorSettings) -> None:
    """Check the token, then reach Kafka (bounded), then listen; each failure is one ConfigError line."""
    require_token(settings)  # first: without a token there is nothing to wait for Kafka for
    publisher = ArticlePublisher(settings.kafka, settings.send_timeout_s)
    url = listening_url(settings.http_host, settings.http_port)
    try:
        web.run_app(make_app(settings, publisher), host=settings.http_host, port=settings.http_port,
                    print=lambda *_: print(f"ingest API listening on {url}", file=sys.stdout, flush=True))
    except OSError as exc:
        if exc.errno not in (errno.EADDRINUSE, errno.EADDRNOTAVAIL, errno.EACCES):
            raise
        raise ConfigError(f"CLAIMWATCH_INGESTOR_HTTP_PORT: cannot listen on {settings.http_host}:"
                          f"{settings.http_port} ({os.strerror(exc.errno).lower()}): choose another port or host "
                          f"(CLAIMWATCH_INGESTOR_HTTP_HOST)") from exc
    finally:
        publisher.close()
