#!/usr/bin/env python3
"""nf.create the way a competent user scripts it: asyncio + aiohttp (Debian's python3-aiohttp).

    NEUROFLASH_CLIENT_ID=.. NEUROFLASH_CLIENT_SECRET=.. python_runner.py JOB.csv OUT.csv \
        --nf-api URL --nf-token-url URL [--concurrency 32]

Streams the CSV, keeps `concurrency` requests in flight, retries 429/5xx and
connection errors with exponential back-off and full jitter (Retry-After first),
and writes `row,status,http_status,id,attempts,error` per row as it ends.
"""
import argparse
import asyncio
import csv
import json
import os
import random
from decimal import Decimal

import aiohttp

GENDERS = ("female", "male", "nonBinary", "preferNotToSay")
LISTS = ("interests", "needs", "painPoints")
TEXTS = ("country", "nativeLanguage", "residence")
RETRIED = {429, 500, 502, 503, 504}
MAX_ATTEMPTS = 8


def as_list(cell):
    if cell.startswith("["):
        return json.loads(cell)
    return cell.split("|") if cell else []


def build_body(row):
    shares = [Decimal(row[g]) for g in GENDERS]
    if sum(shares) != 1:
        raise ValueError("gender shares must add up to 1")
    body = {"name": row["name"], "genderDistribution": {g: float(s) for g, s in zip(GENDERS, shares)}}
    for key in TEXTS:
        if row.get(key):
            body[key] = row[key]
    for key in ("minAge", "maxAge"):
        if row.get(key):
            body[key] = int(row[key])
    for key in LISTS:
        if key in row:
            body[key] = as_list(row[key])
    if row.get("shared"):
        body["shared"] = row["shared"].lower() in ("true", "1", "yes")
    return body


async def fetch_token(session, url):
    form = {"grant_type": "client_credentials", "client_id": os.environ["NEUROFLASH_CLIENT_ID"],
            "client_secret": os.environ["NEUROFLASH_CLIENT_SECRET"], "scope": "openid"}
    async with session.post(url, data=form) as answer:
        answer.raise_for_status()
        return (await answer.json())["access_token"]


async def post_with_retries(session, url, headers, body):
    """(http_status, answer json or None, attempts, error)"""
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            async with session.post(url, json=body, headers=headers) as answer:
                if answer.status not in RETRIED or attempt == MAX_ATTEMPTS:
                    return answer.status, await answer.json(content_type=None), attempt, ""
                delay = float(answer.headers.get("Retry-After") or random.uniform(0, min(30, 0.1 * 2 ** attempt)))
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            if attempt == MAX_ATTEMPTS:
                return 0, None, attempt, str(error) or type(error).__name__
            delay = random.uniform(0, min(30, 0.1 * 2 ** attempt))
        await asyncio.sleep(delay)


async def worker(rows, session, url, headers, out):
    for number, row in rows:
        try:
            body = build_body(row)
        except (ValueError, ArithmeticError) as error:
            out.writerow([number, "invalid", "", "", 0, str(error)])
            continue
        status, answer, attempts, error = await post_with_retries(session, url, headers, body)
        if 200 <= status < 300:
            out.writerow([number, "ok", status, answer["id"], attempts, ""])
        else:
            out.writerow([number, "failed", status or "", "", attempts, error or json.dumps(answer)])


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("job")
    parser.add_argument("out")
    parser.add_argument("--nf-api", required=True)
    parser.add_argument("--nf-token-url", required=True)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()

    connector = aiohttp.TCPConnector(limit=args.concurrency)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        token = await fetch_token(session, args.nf_token_url)
        headers = {"Authorization": f"Bearer {token}"}
        async with session.get(f"{args.nf_api}/workspace-service/v1/workspaces", headers=headers) as answer:
            workspace = (await answer.json())["_embedded"]["workspaces"][0]["id"]
        url = f"{args.nf_api}/audience-service/v1/workspaces/{workspace}/target-audiences"

        with open(args.job, newline="", encoding="utf-8-sig") as job, open(args.out, "w", newline="") as results:
            out = csv.writer(results, lineterminator="\n")
            out.writerow(["row", "status", "http_status", "id", "attempts", "error"])
            rows = enumerate(csv.DictReader(job), start=1)
            await asyncio.gather(*(worker(rows, session, url, headers, out) for _ in range(args.concurrency)))


if __name__ == "__main__":
    asyncio.run(main())
