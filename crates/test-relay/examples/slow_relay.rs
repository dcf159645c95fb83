//! A relay for `cargo xtask bench api`: answers each message after
//! `--delay-ms` (a slow relay), writes its certificate to `--certificate`,
//! prints `listening on PORT`, and runs until killed.

use std::time::Duration;
use test_relay::{Relay, RelayOptions};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let delay = value("--delay-ms")
        .and_then(|ms| ms.parse().ok())
        .unwrap_or(500);
    let certificate = value("--certificate").expect("--certificate FILE");
    let relay = Relay::start(RelayOptions {
        answer_delay: Duration::from_millis(delay),
        ..RelayOptions::default()
    })
    .await;
    std::fs::write(&certificate, relay.certificate_pem()).expect("the certificate is written");
    println!("listening on {}", relay.addr().port());
    loop {
        tokio::time::sleep(Duration::from_secs(5)).await;
        eprintln!("slow relay: {} message(s) taken", relay.messages().len());
    }
}
