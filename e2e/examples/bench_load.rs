//! The load bench, run by `cargo xtask bench load` (which builds the app
//! and gives this the site to serve): how soon the first page *works* —
//! "Start now" pressed shows the next question, ready for input — from a
//! cold cache, for the app and for a static HTML twin of the same first
//! page, served by the same real API. On loopback, and as a mid-range phone
//! on slow 4G (150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up, CPU ×4).
//! Also the bytes moved until then, the time from the press to the next
//! question, what arrives after (the rest the wizard fetches), and a
//! repeat visit with the browser's cache warm.
//! Figures are printed and written to target/bench-load.json, never
//! asserted.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use e2e::{Network, Stack};
use serde_json::{json, Value};

const RUNS: usize = 10;

const PHONE: Network = Network {
    offline: false,
    latency_ms: 150,
    down_bytes_per_s: Some(1_600_000 / 8),
    up_bytes_per_s: Some(750_000 / 8),
};
const PHONE_CPU_SLOWDOWN: u32 = 4;

/// Runs in every page before its own scripts: presses "Start now" as soon
/// as there is one (again and again, in case a drawn button is not yet
/// handled) and notes when the next question is there. Times are
/// `performance.now()`: milliseconds since the navigation started.
const PROBE: &str = r#"
(() => {
  const root = () => {
    const host = document.querySelector('[data-csp-enroll]');
    return (host && host.shadowRoot) || document;
  };
  const tick = () => {
    const r = root();
    if (r.querySelector('#f-model-indirect')) {
      window.__ready = performance.now();
      return;
    }
    const start = r.querySelector('.csp-button--start');
    if (start) {
      window.__pressed = performance.now();
      start.click();
    }
    setTimeout(tick, 4);
  };
  tick();
})();
"#;

/// The bytes the page moved (headers included) until `until` ms, and in
/// all so far.
const BYTES: &str = r#"
const until = arguments[0];
const entries = performance.getEntriesByType('navigation')
  .concat(performance.getEntriesByType('resource'));
let before = 0, all = 0;
for (const e of entries) {
  all += e.transferSize;
  if (e.responseEnd <= until) before += e.transferSize;
}
return [before, all, entries.length];
"#;

/// One load of `path`, from a cold cache unless `warm`: (ms until the
/// first page works, ms from the press to the next question, KB moved
/// until then, KB moved in all once the page is quiet).
async fn load(stack: &Stack, path: &str, patience: Duration, warm: bool) -> [f64; 4] {
    stack
        .browser
        .goto("about:blank")
        .await
        .expect("a blank page");
    if !warm {
        stack.devtools("Network.clearBrowserCache", json!({})).await;
    }
    stack
        .browser
        .goto(&stack.url(path))
        .await
        .expect("the page opens");
    let deadline = Instant::now() + patience;
    let ready = loop {
        let got = stack
            .browser
            .execute("return [window.__ready, window.__pressed];", vec![])
            .await
            .expect("the probe answers");
        if let Some(ready) = got[0].as_f64() {
            break [ready, ready - got[1].as_f64().unwrap_or(ready)];
        }
        assert!(Instant::now() < deadline, "{path} did not start");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    // Quiet: no new request for a while (what the app fetches after).
    let mut count = 0;
    let mut bytes = Value::Null;
    for _ in 0..100 {
        tokio::time::sleep(patience / 20).await;
        bytes = stack
            .browser
            .execute(BYTES, vec![json!(ready[0])])
            .await
            .expect("the resource timings");
        let now = bytes[2].as_u64().unwrap_or(0);
        if now == count {
            break;
        }
        count = now;
    }
    let kb = |v: &Value| v.as_f64().unwrap_or(0.0) / 1000.0;
    [ready[0], ready[1], kb(&bytes[0]), kb(&bytes[1])]
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Writes the twin: the app's first page and the question after it as
/// plain HTML with the app's CSS, and a script that swaps one for the other.
async fn write_twin(stack: &Stack, site: &std::path::Path) {
    stack.browser.goto(&stack.url("/")).await.expect("the app");
    stack.wait_for(".csp-button--start").await;
    let markup = "return document.querySelector('[data-csp-enroll]').shadowRoot.querySelector('.csp-app').outerHTML;";
    let first = stack.browser.execute(markup, vec![]).await.expect("page 1");
    stack.click(".csp-button--start").await;
    stack.wait_for("#f-model-indirect").await;
    let second = stack.browser.execute(markup, vec![]).await.expect("page 2");
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let css = std::fs::read_to_string(repo.join("style/app.css")).expect("app.css");
    let page_css = std::fs::read_to_string(repo.join("style/page.css")).expect("page.css");
    // The app's CSS is written for its shadow root; in a document, :host
    // is the twin's host element.
    let css = css.replace(":host", "[data-csp-twin]");
    std::fs::write(site.join("twin.css"), format!("{page_css}\n{css}")).expect("twin.css");
    std::fs::write(
        site.join("twin.js"),
        format!(
            "const next = {};\ndocument.querySelector('.csp-button--start').addEventListener('click', () => {{ document.querySelector('[data-csp-twin]').innerHTML = next; }});\n",
            serde_json::to_string(&text(&second)).expect("JSON")
        ),
    )
    .expect("twin.js");
    std::fs::write(
        site.join("twin.html"),
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Static twin</title><link rel=\"stylesheet\" href=\"twin.css\"><script type=\"module\" src=\"twin.js\"></script></head>\n<body><div data-csp-twin>{}</div></body></html>\n",
            text(&first)
        ),
    )
    .expect("twin.html");
}

#[tokio::main]
async fn main() {
    let site = PathBuf::from(std::env::args().nth(1).expect("the site to serve"));
    let stack = Stack::start_serving(1280, site.clone(), None).await;
    write_twin(&stack, &site).await;
    stack
        .devtools(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": PROBE }),
        )
        .await;
    let mut results = serde_json::Map::new();
    println!("\n| network | page | until Start works (ms) | press → next question (ms) | KB until then | KB once quiet |");
    println!("|---|---|---:|---:|---:|---:|");
    let mut ratios = Vec::new();
    for (network, conditions, cpu, patience) in [
        ("loopback", Network::FAST, 1, Duration::from_secs(10)),
        ("phone", PHONE, PHONE_CPU_SLOWDOWN, Duration::from_secs(60)),
    ] {
        stack.set_network(conditions).await;
        stack
            .devtools("Emulation.setCPUThrottlingRate", json!({ "rate": cpu }))
            .await;
        let mut medians = Vec::new();
        let pages = [
            ("app", "/", false),
            ("static twin", "/twin.html", false),
            ("app, repeat visit", "/", true),
        ];
        for (page, path, warm) in pages {
            let mut runs = Vec::new();
            for _ in 0..RUNS {
                runs.push(load(&stack, path, patience, warm).await);
            }
            let m: Vec<f64> = (0..4)
                .map(|i| median(runs.iter().map(|r| r[i]).collect()))
                .collect();
            println!(
                "| {network} | {page} | {:.0} | {:.0} | {:.1} | {:.1} |",
                m[0], m[1], m[2], m[3]
            );
            results.insert(
                format!("{network}/{page}"),
                json!({
                    "ready_ms": m[0], "press_to_next_ms": m[1],
                    "kb_until_ready": m[2], "kb_once_quiet": m[3],
                    "runs": runs,
                }),
            );
            medians.push(m[0]);
        }
        // Cold app against cold twin.
        ratios.push((network, medians[0] / medians[1]));
    }
    for (network, ratio) in &ratios {
        println!("{network}: the app takes {ratio:.1}× the static twin's time");
        results.insert(format!("{network}/ratio"), json!(ratio));
    }
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/bench-load.json");
    std::fs::write(&out, serde_json::to_string_pretty(&results).expect("JSON")).expect("written");
    println!(
        "(median of {RUNS} cold loads each; all runs in {})",
        out.display()
    );
    stack.close().await;
}
