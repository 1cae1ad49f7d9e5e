#!/usr/bin/env python3
"""Writes a benchmark job file: the same rows for the same arguments, every time.

    gen_job.py nf.create 1000000 > job.csv
    gen_job.py tw.count 1000 > counts.csv

nf.create rows vary like a marketing team's sheet (lists, optional cells left
empty, gender splits whose binary sum is not 1.0 but whose decimal sum is), so
that every runner parses and builds real bodies, not one cached string.
"""
import argparse
import csv
import random
import sys

# Each split sums to exactly 1 in decimal; several do not in binary floating point.
SPLITS = [
    ("0.5", "0.4", "0.07", "0.03"),
    ("0.7", "0.1", "0.1", "0.1"),
    ("0.35", "0.35", "0.21", "0.09"),
    ("0.25", "0.25", "0.25", "0.25"),
    ("0.48", "0.47", "0.03", "0.02"),
]
COUNTRIES = ["US", "DE", "FR", "GB", "ES", "IT", "NL", ""]
LANGUAGES = ["en", "de", "fr", "es", "it", "nl"]
CITIES = ["Berlin", "Hamburg", "Paris", "London", "Madrid", "New York", ""]
INTERESTS = ["AI", "content marketing", "SEO", "e-commerce", "fitness", "travel", "gaming", "finance"]
NEEDS = ["scale content production", "save time", "reach new markets", "consistent brand voice"]
PAINS = ["manual workflows", "small team", "tight budget", "slow approvals"]

NF_CREATE_COLUMNS = ["name", "female", "male", "nonBinary", "preferNotToSay", "country", "minAge", "maxAge",
                     "interests", "needs", "painPoints", "nativeLanguage", "residence", "shared"]


def nf_create_rows(count, rng):
    for i in range(1, count + 1):
        min_age = rng.randrange(18, 50)
        yield [
            f"Bench audience {i}",
            *SPLITS[i % len(SPLITS)],
            rng.choice(COUNTRIES),
            min_age,
            min_age + rng.randrange(5, 30),
            "|".join(rng.sample(INTERESTS, rng.randrange(1, 4))),
            rng.choice(NEEDS),
            "|".join(rng.sample(PAINS, rng.randrange(0, 3))),
            rng.choice(LANGUAGES),
            rng.choice(CITIES),
            rng.choice(["true", "false"]),
        ]


def tw_count_rows(count, _rng):
    for i in range(1, count + 1):
        yield [f"bench-{i:05d}"]


KINDS = {
    "nf.create": (NF_CREATE_COLUMNS, nf_create_rows),
    "tw.count": (["q"], tw_count_rows),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kind", choices=sorted(KINDS))
    parser.add_argument("rows", type=int)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    columns, rows = KINDS[args.kind]
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(columns)
    out.writerows(rows(args.rows, random.Random(args.seed)))


if __name__ == "__main__":
    main()
