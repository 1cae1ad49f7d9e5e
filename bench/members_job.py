#!/usr/bin/env python3
"""The tw.members bench job: MEMBERS rows of one audience, an email, a handle
and a phone number a row, written as exports write them; and, when asked,
the body audience-batch sends for the first 2,500 of them (one operation of
2,500 users), for wrk.

    bench/members_job.py MEMBERS JOB.csv [BODY.json]
"""
import hashlib
import json
import sys


def person(i):
    return (f" Customer.{i}@Example.COM ", f"@Fan_{i}", f"+1 (415) {i % 1000:03d}-{i % 10000:04d}")


def main():
    n, job = int(sys.argv[1]), sys.argv[2]
    with open(job, "w") as out:
        out.write("audience_id,operation,email,handle,phone_number\n")
        for i in range(n):
            email, handle, phone = person(i)
            out.write(f"bench1,add,{email},{handle},{phone}\n")
    if len(sys.argv) < 4:
        return
    sha = lambda text: hashlib.sha256(text.encode()).hexdigest()
    users = []
    for i in range(2500):
        email, handle, phone = person(i)
        digits = "+" + "".join(c for c in phone if c.isdigit())
        users.append({"email": [sha(email.strip().lower())], "handle": [sha(handle[1:].lower())],
                      "phone_number": [sha(digits)]})
    body = [{"operation_type": "Update", "params": {"users": users}}]
    open(sys.argv[3], "w").write(json.dumps(body, separators=(",", ":")))


main()
