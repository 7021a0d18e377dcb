#!/usr/bin/env python3
"""sarif_check.py FILE: checks that FILE has the SARIF 2.1.0 structure GitHub code scanning
requires (no jsonschema package on Debian 12's test hosts, so the rules are spelled out), then
prints one line per result: ruleId level uri:line:column."""
import json
import sys

doc = json.load(open(sys.argv[1]))
problems = []


def need(cond, what):
    if not cond:
        problems.append(what)


need(doc.get("version") == "2.1.0", "version is not 2.1.0")
need(str(doc.get("$schema", "")).startswith("https://"), "$schema is not a URL")
runs = doc.get("runs")
need(isinstance(runs, list) and len(runs) == 1, "runs is not a list of one run")
run = runs[0]
driver = run["tool"]["driver"]
need(driver.get("name") == "auditforge", "driver.name")
need(str(driver.get("informationUri", "")).startswith("https://"), "driver.informationUri")
rules = driver.get("rules", [])
ids = [r.get("id") for r in rules]
need(len(ids) == len(set(ids)), "duplicate rule ids")
for r in rules:
    need(isinstance(r.get("shortDescription", {}).get("text"), str) and r["shortDescription"]["text"],
         f"{r.get('id')}: shortDescription.text")
    need(str(r.get("helpUri", "")).startswith("https://"), f"{r.get('id')}: helpUri")
    if r.get("id", "").split("-")[0] in ("correctness", "portability", "noise", "hygiene"):
        need(r["helpUri"].endswith(f"docs/lint/{r['id']}.md"), f"{r['id']}: helpUri target")
    need(r.get("defaultConfiguration", {}).get("level") in ("error", "warning", "note", "none"),
         f"{r.get('id')}: defaultConfiguration.level")
need(len([i for i in ids if i.split("-")[0] in ("correctness", "portability", "noise", "hygiene")]) >= 30,
     "fewer than 30 lint checks in the catalogue")
lines = []
for res in run.get("results", []):
    need(res.get("ruleId") in ids, f"result ruleId {res.get('ruleId')} not among the rules")
    if "ruleIndex" in res:
        need(ids[res["ruleIndex"]] == res["ruleId"], "ruleIndex does not point at ruleId")
    need(res.get("level") in ("error", "warning", "note", "none"), "result level")
    need(isinstance(res.get("message", {}).get("text"), str), "message.text")
    locs = res.get("locations", [])
    need(len(locs) >= 1, "result without locations")
    phys = locs[0]["physicalLocation"]
    uri = phys["artifactLocation"]["uri"]
    region = phys["region"]
    need(isinstance(region.get("startLine"), int) and region["startLine"] >= 1, "region.startLine")
    need(isinstance(region.get("startColumn", 1), int) and region.get("startColumn", 1) >= 1,
         "region.startColumn")
    lines.append(f"{res['ruleId']} {res['level']} {uri}:{region['startLine']}:{region.get('startColumn', 0)}")
if problems:
    for p in problems:
        print("sarif problem:", p)
    sys.exit(1)
print(f"sarif ok: {len(lines)} results")
for line in lines:
    print(line)
