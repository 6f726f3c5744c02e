#!/usr/bin/env bash
# The module graph: the edges Package.swift declares between Hamlet's own modules must be the
# ones drawn in docs/ARCHITECTURE.md (a new edge is a decision, drawn where a reader sees it),
# the graph has no cycle, and no source file imports one of Hamlet's modules that its target
# does not declare (SwiftPM on Linux lets a module that is only reachable be imported). Route files
# call services and query types, not Fluent; only HamletDatabase tells the SQL dialects apart.
set -euo pipefail
cd "$(dirname "$0")/.."
swift package dump-package 2>/dev/null > /tmp/hamlet-package.json
python3 - <<'PY'
import json, os, re, sys
package = json.load(open("/tmp/hamlet-package.json"))
targets = {t["name"]: t for t in package["targets"]}
own = set(targets)
declared = {}
for name, t in targets.items():
    if t["type"] == "test":
        continue
    deps = set()
    for d in t["dependencies"]:
        kind = next(iter(d))
        if kind in ("byName", "target") and d[kind][0] in own:
            deps.add(d[kind][0])
    declared[name] = deps

problems = []
# The drawing: lines "Module → A, B" inside the block that follows "<!-- module graph -->".
text = open("docs/ARCHITECTURE.md", encoding="utf-8").read()
block = re.search(r"<!-- module graph -->\s*```\n(.*?)```", text, re.S)
if not block:
    sys.exit("module graph: docs/ARCHITECTURE.md has no block after <!-- module graph -->")
drawn = {}
for line in block.group(1).splitlines():
    m = re.match(r"\s*(\w+)\s*(?:→|->)\s*(.*)$", line)
    if m:
        drawn[m.group(1)] = {x.strip() for x in m.group(2).split(",") if x.strip() and x.strip() != "—"}
for name in sorted(set(declared) | set(drawn)):
    d, g = declared.get(name, set()), drawn.get(name, set())
    for extra in sorted(d - g):
        problems.append(f"{name} → {extra} is declared in Package.swift but not drawn in docs/ARCHITECTURE.md")
    for missing in sorted(g - d):
        problems.append(f"{name} → {missing} is drawn in docs/ARCHITECTURE.md but not declared in Package.swift")

# No cycle (SwiftPM refuses one too; this names it).
state = {}
def visit(n, trail):
    if state.get(n) == 1:
        problems.append("cycle: " + " → ".join(trail[trail.index(n):] + [n]))
        return
    if state.get(n) == 2:
        return
    state[n] = 1
    for m in sorted(declared.get(n, ())):
        visit(m, trail + [n])
    state[n] = 2
for n in sorted(declared):
    visit(n, [])

# Every import of a Hamlet module is declared by the importing target.
for name, t in targets.items():
    root = t.get("path") or os.path.join("Tests" if t["type"] == "test" else "Sources", name)
    allowed = declared.get(name) or {d[next(iter(d))][0] for d in t["dependencies"]}
    for folder, _, files in os.walk(root):
        for f in files:
            if not f.endswith(".swift"):
                continue
            path = os.path.join(folder, f)
            for line in open(path, encoding="utf-8"):
                m = re.match(r"\s*(?:@testable\s+|@_exported\s+|(?:public|package|internal)\s+)?import\s+(\w+)", line)
                if m and m.group(1) == name:
                    problems.append(f"{path} imports its own module {name}")
                elif m and m.group(1) in own and m.group(1) not in allowed:
                    problems.append(f"{path} imports {m.group(1)}, which {name} does not declare in Package.swift")

# Each rule in one place: routes decode, call a service or query type, and render; they do not
# read or write models through Fluent themselves. SQL dialects are told apart in HamletDatabase only.
fluent_call = re.compile(r"\b[A-Z]\w*\.(?:query\(on:|find\([^)]*on:)|\.(?:save|create|update|delete|load)\(on:|\.(?:filter|sort|with)\(\\\.\$")
for folder, _, files in os.walk("Sources"):
    for f in files:
        if not f.endswith(".swift"):
            continue
        path = os.path.join(folder, f)
        route = re.search(r"(API|Pages|Routes)\.swift$", f)
        for number, line in enumerate(open(path, encoding="utf-8"), 1):
            code = line.split("//")[0]
            if route and fluent_call.search(code):
                problems.append(f"{path}:{number}: a route file queries Fluent; call the feature's service or query type")
            if "dialect.name" in code and not path.startswith("Sources/HamletDatabase/"):
                problems.append(f"{path}:{number}: dialect.name outside HamletDatabase; use SQLText")

for p in problems:
    print("module graph:", p)
edges = sum(len(v) for v in declared.values())
print(f"module graph: {len(declared)} modules, {edges} edges, {len(problems)} problems")
sys.exit(1 if problems else 0)
PY
