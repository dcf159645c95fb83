//! Time to validate a complete application natively (`cargo xtask bench
//! validate`). Prints figures; asserts nothing.

use enroll_core::{validate, Answers, ReferenceData};
use std::hint::black_box;
use std::time::Instant;

/// The contract's example, with a GB address (the longest postal-code
/// pattern) and every optional answer given.
fn complete() -> Answers {
    let mut a = Answers::example();
    a.address.country = "GB".into();
    a.address.lines = vec!["1 Long Lane".into()];
    a.address.locality = "London".into();
    a.address.postal_code = "ec1a1bb".into();
    a.bank.iban = "DE89 3704 0044 0532 0130 00".into();
    a.admin.phone = "+44 20 7946 0000".into();
    a.tenant.corporate_domain = "contosocorp.onmicrosoft.com".into();
    a
}

fn time_per_call(label: &str, iterations: u32, mut f: impl FnMut()) {
    for _ in 0..iterations / 10 {
        f();
    }
    let mut samples = Vec::new();
    for _ in 0..10 {
        let started = Instant::now();
        for _ in 0..iterations / 10 {
            f();
        }
        samples.push(started.elapsed().as_secs_f64() * 1e6 / f64::from(iterations / 10));
    }
    samples.sort_by(f64::total_cmp);
    println!(
        "| {label} | {:.2} µs | {:.2} µs | {:.2} µs |",
        samples[0], samples[5], samples[9]
    );
}

fn main() {
    let started = Instant::now();
    let reference = ReferenceData::vendored();
    println!(
        "loading the vendored reference data (252 address formats, 14,125 free-mail domains): {:.1} ms\n",
        started.elapsed().as_secs_f64() * 1e3
    );
    println!("| validate | min | median | max (of 10 batches) |");
    println!("|---|---:|---:|---:|");
    let valid = complete();
    assert!(
        validate(&valid, &reference).valid,
        "the benchmark's application is valid"
    );
    time_per_call(
        "complete, valid application (GB address, DE IBAN)",
        20_000,
        || {
            black_box(validate(black_box(&valid), &reference));
        },
    );
    let mut broken = complete();
    broken.bank.iban = "DE89 3704 0044 0532 0130 01".into();
    broken.admin.email = "info@gmial.com".into();
    broken.address.postal_code = "nonsense".into();
    time_per_call("application with 4 problems", 20_000, || {
        black_box(validate(black_box(&broken), &reference));
    });
    let empty = Answers::default();
    time_per_call("empty application", 20_000, || {
        black_box(validate(black_box(&empty), &reference));
    });
}
