//! The release build's files compressed once, at build time: the server
//! sends `x.br` or `x.gz` for `x` to browsers that take them, instead of
//! compressing on every request (and brotli, which it does not do live,
//! saves a quarter of the wasm's gzip bytes).

use crate::Result;
use std::io::Write;
use std::path::Path;

pub fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).map_err(|e| e.to_string())?;
    encoder.finish().map_err(|e| e.to_string())
}

pub fn brotli(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).map_err(|e| e.to_string())?;
    Ok(out)
}

/// Writes `name.br` and `name.gz` beside every file of `dir` worth it
/// (text and wasm), replacing older ones.
pub fn precompress(dir: &Path) -> Result {
    for entry in std::fs::read_dir(dir).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let worth_it = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "wasm" | "js" | "html" | "css" | "json"));
        if !path.is_file() || !worth_it {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| e.to_string())?;
        for (suffix, packed) in [("br", brotli(&bytes)?), ("gz", gzip(&bytes)?)] {
            let mut name = path.as_os_str().to_owned();
            name.push(format!(".{suffix}"));
            std::fs::write(&name, packed).map_err(|e| format!("{name:?}: {e}"))?;
        }
    }
    Ok(())
}
