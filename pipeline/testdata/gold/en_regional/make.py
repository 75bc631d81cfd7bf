#!/usr/bin/env python3
"""Turns articles.src (written for the tests, inline gold markup) into NAME.txt and
NAME.gold.json in the format of ../shared/eval (scored by run.py / score.py).

Markup: [[text|kind|cc|lat,lon]] a place; add |area=NAME for a state or province (also
right when the system names the same area), |opt for an optional mention. Countries:
[[text|country|CC]]. Articles start with a line "=== NAME PUBLISHED".
Usage: python3 make.py   (from this folder; the test is TestGoldSets in pipeline)
"""
import json
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
MARK = re.compile(r"\[\[([^\]]+)\]\]")


def parse(body):
    out, places, pos = [], [], 0
    text = ""
    for m in MARK.finditer(body):
        text += body[pos:m.start()]
        f = m.group(1).split("|")
        surface, kind, cc = f[0], f[1], f[2]
        start = len(text)
        text += surface
        p = dict(text=surface, start=start, end=len(text), kind=kind, name=surface,
                 geonames_id=None, lat=None, lon=None, country_code=cc, optional=False, dates=[], note="")
        for extra in f[3:]:
            if extra == "opt":
                p["optional"] = True
            elif extra.startswith("area="):
                p["area"] = True
                p["name"] = extra[5:]
                p["area_country"] = cc
            else:
                lat, lon = extra.split(",")
                p["lat"], p["lon"] = float(lat), float(lon)
        if kind != "country" and p["lat"] is None:
            raise SystemExit(f"{surface}: no coordinates")
        places.append(p)
        pos = m.end()
    text += body[pos:]
    return text, places


def main():
    src = open(os.path.join(HERE, "articles.src"), encoding="utf-8").read()
    parts = re.split(r"^=== ", src, flags=re.M)[1:]
    for part in parts:
        head, body = part.split("\n", 1)
        name, published = head.split()
        text, places = parse(body.strip() + "\n")
        with open(os.path.join(HERE, name + ".txt"), "w", encoding="utf-8") as f:
            f.write(text)
        gold = dict(article=name + ".txt", language="en", published=published,
                    offsets="unicode code points into the file's text", places=places,
                    dates=[], not_places=[])
        with open(os.path.join(HERE, name + ".gold.json"), "w", encoding="utf-8") as f:
            json.dump(gold, f, ensure_ascii=False, indent=1)
            f.write("\n")
    print(f"{len(parts)} articles")


if __name__ == "__main__":
    main()
