//! The finder bench, run by `cargo xtask bench finder` (which builds the
//! site it serves): for 10,000 and 100,000 generated providers, the real
//! API serves the directory and the bench pages, and one headless Chromium
//! times our index beside FlexSearch, MiniSearch and a linear scan
//! (bench.html), then the real app's finder, typing (app.html).
//! Figures are printed, never asserted.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use e2e::Stack;
use fantoccini::wd::TimeoutConfiguration;
use serde_json::Value;

const SIZES: [usize; 2] = [10_000, 100_000];

async fn run(stack: &Stack, page: &str, function: &str) -> Value {
    stack
        .browser
        .goto(&stack.url(page))
        .await
        .expect("the page opens");
    let deadline = Instant::now() + Duration::from_secs(30);
    let check = format!("return typeof window.{function} === 'function';");
    while stack.browser.execute(&check, vec![]).await.ok() != Some(Value::Bool(true)) {
        assert!(Instant::now() < deadline, "{page} did not load");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let script = format!(
        "const done = arguments[arguments.length - 1];
         window.{function}().then(r => done(JSON.stringify(r)), e => done(JSON.stringify({{error: String(e && e.stack || e)}})));"
    );
    let text = stack
        .browser
        .execute_async(&script, vec![])
        .await
        .expect("the bench runs");
    let value: Value = serde_json::from_str(text.as_str().unwrap_or("{}")).expect("JSON results");
    assert!(value.get("error").is_none(), "{page}: {}", value["error"]);
    value
}

fn ms(value: &Value) -> String {
    format!("{:.2}", value.as_f64().unwrap_or(f64::NAN))
}

#[tokio::main]
async fn main() {
    let site = PathBuf::from(
        std::env::args()
            .nth(1)
            .expect("usage: bench_finder <site dir>"),
    );
    for size in SIZES {
        let stack = Stack::start_serving(1280, site.clone(), Some(size)).await;
        stack
            .browser
            .update_timeouts(TimeoutConfiguration::new(
                Some(Duration::from_secs(600)),
                Some(Duration::from_secs(60)),
                None,
            ))
            .await
            .expect("timeouts");
        let libraries = run(&stack, "/bench.html", "runFinderBench").await;
        println!(
            "\n{} providers: index {} bytes of JSON, downloaded in {} ms",
            libraries["providers"],
            libraries["index_bytes"],
            ms(&libraries["download_ms"])
        );
        println!(
            "{:<20} {:>10} {:>10} {:>10} {:>10}  found / expected",
            "search alone", "build ms", "p50 ms", "p95 ms", "max ms"
        );
        if let Some(engines) = libraries["engines"].as_object() {
            for (name, e) in engines {
                let recall: Vec<String> = e["recall"]
                    .as_object()
                    .map(|r| {
                        r.iter()
                            .map(|(q, v)| format!("{q}: {}/{}", v["found"], v["expected"]))
                            .collect()
                    })
                    .unwrap_or_default();
                println!(
                    "{:<20} {:>10} {:>10} {:>10} {:>10}  {}",
                    name,
                    ms(&e["build_ms"]),
                    ms(&e["p50_ms"]),
                    ms(&e["p95_ms"]),
                    ms(&e["max_ms"]),
                    recall.join(", ")
                );
            }
        }
        if let Some(parse) = libraries["engines"]["our index (wasm)"]["parse_ms"].as_f64() {
            println!("(our build includes {parse:.0} ms reading the JSON text into columns)");
        }
        let app = run(&stack, "/app.html", "runAppBench").await;
        println!(
            "{:<20} {:>10} {:>10} {:>10} {:>10}  ({} keystrokes; input event to the app's last DOM change)",
            "app: search+render",
            format!("{} ready", ms(&app["ready_ms"])),
            ms(&app["p50_ms"]),
            ms(&app["p95_ms"]),
            ms(&app["max_ms"]),
            app["keystrokes"]
        );
        stack.close().await;
    }
}
