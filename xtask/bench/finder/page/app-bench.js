// Search plus render in the real app: type each keystroke into the
// finder's search box and time from the input event to the last change
// the app makes to its DOM for it (seen by a MutationObserver).
import { QUERIES, keystrokes } from "./bench-queries.js";

const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function percentile(samples, p) {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function run() {
  const started = performance.now();
  const host = document.querySelector("[data-csp-enroll]");
  let root;
  while (!(root = host.shadowRoot) || !root.querySelector("#finder-count[data-total]")) await sleep(5);
  const ready = performance.now() - started;
  const input = root.querySelector("#finder-q");
  let last = 0;
  const observer = new MutationObserver(() => { last = performance.now(); });
  observer.observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
  const times = [];
  for (const query of QUERIES) {
    for (const typed of keystrokes(query)) {
      last = 0;
      const t0 = performance.now();
      input.value = typed;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      // Let the app finish: two frames without a change.
      await frame();
      await frame();
      if (last) times.push(last - t0);
    }
  }
  observer.disconnect();
  return { ready_ms: ready, keystrokes: times.length, p50_ms: percentile(times, 50), p95_ms: percentile(times, 95), max_ms: Math.max(...times) };
}

window.runAppBench = run;
