// The finder bench, run in headless Chromium by `cargo xtask bench finder`:
// the same directory (the text of GET /providers/index) indexed by our
// index (enroll-finder, compiled to wasm), FlexSearch 0.8, MiniSearch 7 and a
// naive linear scan; build time, per-keystroke time, and what each finds.
import init, { Finder } from "./pkg/finder_bench.js";

import { QUERIES, keystrokes } from "./bench-queries.js";

// Queries typed without diacritics, and a Chinese fragment inside names:
// what a user expects to find.
const RECALL = [
  { query: "sao paulo", expected: (p) => p.city === "São Paulo" },
  { query: "muller", expected: (p) => p.name.includes("Müller") },
  { query: "zurich", expected: (p) => p.city === "Zürich" },
  { query: "krakow", expected: (p) => p.city === "Kraków" },
  { query: "科技", expected: (p) => p.name.includes("科技") },
  { query: "クラウド", expected: (p) => p.name.includes("クラウド") },
];

// Each measured search runs this many times back to back (the browser's
// clock is coarsened to 0.1 ms without cross-origin isolation).
const REPEAT = 5;

/// The compact directory as plain documents for the JavaScript libraries.
function documents(text) {
  const d = JSON.parse(text);
  return d.items.map((item, i) => ({
    id: i,
    name: item[1],
    city: item[3],
    products: item[5].map((p) => d.products[p]).join(" "),
    services: item[7].map((s) => d.services[s]).join(" "),
  }));
}

const ENGINES = {
  "our index (wasm)": {
    build: (text) => new Finder(text),
    search: (index, q) => index.search(q),
  },
  "FlexSearch 0.8": {
    build(text) {
      const index = new FlexSearch.Document({
        document: { id: "id", index: ["name", "city", "products", "services"] },
        tokenize: "forward",
      });
      for (const doc of documents(text)) index.add(doc);
      return { index, all: JSON.parse(text).items.length };
    },
    search: (ix, q) => ix.index.search(q, { limit: ix.all, merge: true }).map((r) => r.id),
  },
  "MiniSearch 7": {
    build(text) {
      const index = new MiniSearch({ fields: ["name", "city", "products", "services"] });
      index.addAll(documents(text));
      return index;
    },
    search: (index, q) => index.search(q, { prefix: true, combineWith: "AND" }).map((r) => r.id),
  },
  "linear scan": {
    build: (text) =>
      documents(text).map((p) => `${p.name} ${p.city} ${p.products} ${p.services}`.toLowerCase()),
    search(haystacks, q) {
      const words = q.toLowerCase().split(/\s+/).filter(Boolean);
      const out = [];
      for (let i = 0; i < haystacks.length; i++) {
        if (words.every((w) => haystacks[i].includes(w))) out.push(i);
      }
      return out;
    },
  },
};

function percentile(samples, p) {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const pause = () => new Promise((r) => setTimeout(r, 0));

export async function run() {
  await init({ module_or_path: new URL("./pkg/finder_bench_bg.wasm", import.meta.url) });
  const started = performance.now();
  const text = await (await fetch("/api/v1/providers/index")).text();
  const download = performance.now() - started;
  const providers = documents(text);
  const result = { providers: providers.length, index_bytes: text.length, download_ms: download, engines: {} };
  for (const [name, engine] of Object.entries(ENGINES)) {
    // Build three times; the median, so one garbage collection does not decide.
    const builds = [];
    const parses = [];
    let index;
    for (let i = 0; i < 3; i++) {
      if (index && index.free) index.free();
      index = null;
      await pause();
      const t0 = performance.now();
      index = engine.build(text);
      builds.push(performance.now() - t0);
      if (index.parse_ms !== undefined) parses.push(index.parse_ms);
    }
    engine.search(index, "warm up");
    const times = [];
    for (const query of QUERIES) {
      for (const typed of keystrokes(query)) {
        const t0 = performance.now();
        for (let i = 0; i < REPEAT; i++) engine.search(index, typed);
        times.push((performance.now() - t0) / REPEAT);
      }
    }
    const recall = {};
    for (const { query, expected } of RECALL) {
      const wanted = new Set(providers.flatMap((p, i) => (expected(p) ? [i] : [])));
      const found = new Set(engine.search(index, query));
      let hits = 0;
      for (const i of wanted) if (found.has(i)) hits++;
      recall[query] = { found: hits, expected: wanted.size };
    }
    result.engines[name] = {
      build_ms: percentile(builds, 50),
      parse_ms: parses.length ? percentile(parses, 50) : null,
      keystrokes: times.length,
      p50_ms: percentile(times, 50),
      p95_ms: percentile(times, 95),
      max_ms: Math.max(...times),
      recall,
    };
    if (index && index.free) index.free();
    index = null;
  }
  return result;
}

window.runFinderBench = run;
document.getElementById("state").textContent = "ready";
