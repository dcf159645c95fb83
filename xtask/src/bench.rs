//! Benchmarks that print figures; nothing here asserts a time or a size.

use crate::{build_app, root, sh, Result};

/// Time to validate a complete application natively, release build.
pub fn validate() -> Result {
    sh(
        "cargo",
        &[
            "run",
            "--quiet",
            "--release",
            "-p",
            "enroll-core",
            "--features",
            "vendored-data",
            "--example",
            "bench_validate",
        ],
    )
}
use std::io::Write;

/// Raw, gzip -9 and brotli -11 bytes of every file in dist/ (today every
/// one of them is fetched on first load), and the totals.
pub fn size() -> Result {
    build_app()?;
    let dist = root().join("dist");
    let mut files: Vec<_> = std::fs::read_dir(&dist)
        .map_err(|e| format!("cannot read {}: {e}", dist.display()))?
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.path().is_file())
        .collect();
    files.sort_by_key(|entry| entry.file_name());

    println!("\n| file | raw bytes | gzip -9 | brotli -11 |");
    println!("|---|---:|---:|---:|");
    let mut totals = [0usize; 3];
    for entry in files {
        let bytes = std::fs::read(entry.path()).map_err(|e| e.to_string())?;
        let sizes = [bytes.len(), gzip(&bytes)?, brotli(&bytes)?];
        for (total, size) in totals.iter_mut().zip(sizes) {
            *total += size;
        }
        println!(
            "| {} | {} | {} | {} |",
            entry.file_name().to_string_lossy(),
            sizes[0],
            sizes[1],
            sizes[2]
        );
    }
    println!(
        "| **total** | {} | {} | {} |",
        totals[0], totals[1], totals[2]
    );
    Ok(())
}

fn gzip(bytes: &[u8]) -> Result<usize> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).map_err(|e| e.to_string())?;
    Ok(encoder.finish().map_err(|e| e.to_string())?.len())
}

fn brotli(bytes: &[u8]) -> Result<usize> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).map_err(|e| e.to_string())?;
    Ok(out.len())
}
