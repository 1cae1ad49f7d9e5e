#!/usr/bin/python3
"""The simulator as an independent OAuth 1.0a signer sees it.

requests-oauthlib (what the official X Ads Python SDK signs with) signs
requests against a running `audience-batch sim`, so that the simulator's
verification is not checked only by our own signer: every correctly signed
request must pass whichever name the client used for the host (localhost or
127.0.0.1), queries with spaces, commas, '+', '%' and Unicode included; a
wrong secret must not. Then X's shapes the SDK reads: B9's account, the
errors array of a 404.

usage: requests_oauthlib_interop.py AUDIENCE_BATCH_BINARY
"""
import json
import subprocess
import sys
import urllib.parse

import requests
from requests_oauthlib import OAuth1

failures = []


def check(condition, what):
    print(("ok    " if condition else "FAIL  ") + what)
    if not condition:
        failures.append(what)


def main():
    sim = subprocess.Popen([sys.argv[1], "sim", "--port", "0"], stdout=subprocess.PIPE, text=True)
    try:
        where = json.loads(sim.stdout.readline())
        run(where)
    finally:
        sim.terminate()
        sim.wait(timeout=10)
    if failures:
        print(f"{len(failures)} check(s) failed", file=sys.stderr)
        return 1
    return 0


def run(where):
    auth = OAuth1(where["consumer_key"], where["consumer_secret"], where["access_token"], where["access_token_secret"])
    account = where["tw_account"]
    session = requests.Session()
    session.auth = auth
    port = urllib.parse.urlsplit(where["tw_api"]).port

    for host in ("127.0.0.1", "localhost"):
        for version_url, resource in ((where["tw_api"], "custom_audiences"), (where["tw_api_v8"], "tailored_audiences")):
            path = urllib.parse.urlsplit(version_url).path
            base = f"http://{host}:{port}{path}"
            got = session.get(f"{base}/accounts/{account}")
            check(got.status_code == 200, f"{host} {path}: GET accounts/:id signed by requests-oauthlib -> {got.status_code}")
            if got.status_code == 200:
                body = got.json()
                check(body["data"]["id"] == account and body["data"]["approval_status"] == "ACCEPTED",
                      f"{host} {path}: the account as the SDK reads it")
            name = f"SDK {host} {resource} a+b, 100% ünïcode"
            created = session.post(f"{base}/accounts/{account}/{resource}", params={"name": name})
            check(created.status_code == 200, f"{host} {path}: POST {resource} with a query of spaces, +, %, commas, Unicode -> {created.status_code} {created.text[:200]}")
            if created.status_code != 200:
                continue
            check(created.json()["data"]["name"] == name, f"{host} {path}: the name arrived intact")
            audience_id = created.json()["data"]["id"]
            ids = "tailored_audience_ids" if resource == "tailored_audiences" else "custom_audience_ids"
            listed = session.get(f"{base}/accounts/{account}/{resource}", params={ids: audience_id, "q": name[:8]})
            check(listed.status_code == 200 and [a["id"] for a in listed.json()["data"]] == [audience_id],
                  f"{host} {path}: GET {resource}?{ids}=... finds it")
            form = session.put(f"{base}/accounts/{account}/{resource}/{audience_id}", data={"description": "from a form body"})
            check(form.status_code == 200 and form.json()["data"]["description"] == "from a form body",
                  f"{host} {path}: PUT with a signed form body -> {form.status_code}")

    missing = session.get(f"{where['tw_api']}/accounts/{account}/custom_audiences/zzzzzzz")
    check(missing.status_code == 404 and missing.json()["errors"][0]["code"] == "NOT_FOUND",
          "a 404 carries X's errors array")

    wrong = OAuth1(where["consumer_key"], "not-the-secret", where["access_token"], where["access_token_secret"])
    refused = requests.get(f"{where['tw_api']}/accounts/{account}", auth=wrong)
    check(refused.status_code == 401 and refused.json()["errors"][0]["code"] == "INVALID_AUTH",
          "a request signed with a wrong secret is 401 INVALID_AUTH")

    stats = requests.get(f"http://127.0.0.1:{port}/__stats").json()
    check(stats["violations"].get("bad_signature") == 1 and stats["total_violations"] == 1,
          f"the referee counted only the wrong secret: {stats['violations']}")


if __name__ == "__main__":
    sys.exit(main())
