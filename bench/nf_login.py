#!/usr/bin/env python3
"""Prints a bearer token and the nf.create URL of the first workspace, for wrk.

    nf_login.py NF_API TOKEN_URL      (NEUROFLASH_CLIENT_ID/SECRET from the environment)

wrk sends one fixed request, so it cannot log in itself; this does A1 and A2
of API.md once and hands it what every runner would have found.
"""
import json
import os
import sys
import urllib.parse
import urllib.request


def main():
    api, token_url = sys.argv[1:3]
    form = urllib.parse.urlencode({"grant_type": "client_credentials", "scope": "openid",
                                   "client_id": os.environ["NEUROFLASH_CLIENT_ID"],
                                   "client_secret": os.environ["NEUROFLASH_CLIENT_SECRET"]}).encode()
    with urllib.request.urlopen(token_url, data=form, timeout=5) as answer:
        token = json.load(answer)["access_token"]
    listing = urllib.request.Request(f"{api}/workspace-service/v1/workspaces",
                                     headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(listing, timeout=5) as answer:
        workspace = json.load(answer)["_embedded"]["workspaces"][0]["id"]
    print(token, f"{api}/audience-service/v1/workspaces/{urllib.parse.quote(workspace, safe='')}/target-audiences")


if __name__ == "__main__":
    main()
