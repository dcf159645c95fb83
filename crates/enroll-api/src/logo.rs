//! The business profile's logo, at the image decoder's boundary: what a
//! user uploads is never served. It must be a PNG or a JPEG by its first
//! bytes (whatever its declared type), end where the image ends (no HTML
//! or script after it: a polyglot), have sides the limits allow (read
//! from the header, before any pixel is decoded, so a decompression bomb
//! costs nothing) and decode within a memory cap; then its pixels alone
//! are encoded again. EXIF (GPS, camera), text chunks, ICC profiles and
//! thumbnails stay behind; a photo's EXIF orientation is applied first.

use std::io::Cursor;

use enroll_core::business_profile::limits::{
    LOGO_MAX_DECODE_BYTES, LOGO_MAX_SIDE_PX, LOGO_MIN_SIDE_PX,
};
use enroll_core::{Problem, ProblemCode};
use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits};
use sha2::{Digest, Sha256};

/// A logo as it will be served.
#[derive(Clone, Debug)]
pub struct CleanLogo {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    /// Hex SHA-256 of `bytes` and the extension: `<hash>.png`.
    pub file_name: String,
}

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
const JPEG_START: &[u8] = b"\xff\xd8\xff";
/// JPEG's quality when encoded again: no visible loss on a logo.
const JPEG_QUALITY: u8 = 90;

/// The field the problems are at.
const FIELD: &str = "logo";

fn refused(code: ProblemCode) -> Problem {
    Problem::at(FIELD, code)
}

/// The logo in `body`, cleaned; or why it is refused (at `logo`).
pub fn clean(body: &[u8]) -> Result<CleanLogo, Problem> {
    let format = if body.starts_with(PNG_SIGNATURE) {
        ImageFormat::Png
    } else if body.starts_with(JPEG_START) {
        ImageFormat::Jpeg
    } else {
        // SVG, HTML, GIF, WebP, anything else: by its bytes, not its name.
        return Err(refused(ProblemCode::InvalidFormat));
    };
    let end = match format {
        ImageFormat::Png => png_end(body),
        _ => jpeg_end(body),
    };
    if end != Some(body.len()) {
        return Err(refused(ProblemCode::InvalidFormat));
    }
    let image = decode(body, format)?;
    if image.width().min(image.height()) < LOGO_MIN_SIDE_PX {
        return Err(refused(ProblemCode::TooShort).with_param("min", LOGO_MIN_SIDE_PX.to_string()));
    }
    let mut bytes = Vec::new();
    let encoded = match format {
        ImageFormat::Png => image.write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png),
        _ => DynamicImage::ImageRgb8(image.to_rgb8())
            .write_with_encoder(JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY)),
    };
    encoded.map_err(|_| refused(ProblemCode::InvalidFormat))?;
    let (content_type, extension) = match format {
        ImageFormat::Png => ("image/png", "png"),
        _ => ("image/jpeg", "jpg"),
    };
    let hash: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(CleanLogo {
        bytes,
        content_type,
        file_name: format!("{hash}.{extension}"),
    })
}

/// The pixels, within the limits, turned as the EXIF orientation says.
fn decode(body: &[u8], format: ImageFormat) -> Result<DynamicImage, Problem> {
    let too_large =
        || refused(ProblemCode::TooLong).with_param("max", LOGO_MAX_SIDE_PX.to_string());
    let mut limits = Limits::default();
    limits.max_image_width = Some(LOGO_MAX_SIDE_PX);
    limits.max_image_height = Some(LOGO_MAX_SIDE_PX);
    limits.max_alloc = Some(LOGO_MAX_DECODE_BYTES);
    let mut reader = ImageReader::with_format(Cursor::new(body), format);
    reader.limits(limits);
    let failed = |error: ImageError| match error {
        ImageError::Limits(_) => too_large(),
        _ => refused(ProblemCode::InvalidFormat),
    };
    let mut decoder = reader.into_decoder().map_err(failed)?;
    // `from_decoder` does not count the pixels against `max_alloc` (only
    // `ImageReader::decode` does): counted here, from the header, before
    // any is decoded. A 4,000 × 4,000 PNG of 16-bit channels is over it.
    if decoder.total_bytes() > LOGO_MAX_DECODE_BYTES {
        return Err(too_large());
    }
    let orientation = decoder.orientation().map_err(failed)?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(failed)?;
    image.apply_orientation(orientation);
    Ok(image)
}

/// Where a PNG's IEND chunk ends: its chunks walked by their lengths.
fn png_end(body: &[u8]) -> Option<usize> {
    let mut at = PNG_SIGNATURE.len();
    loop {
        let length = u32::from_be_bytes(body.get(at..at + 4)?.try_into().ok()?) as usize;
        let kind = body.get(at + 4..at + 8)?;
        let end = at.checked_add(12)?.checked_add(length)?;
        if end > body.len() {
            return None;
        }
        if kind == b"IEND" {
            return Some(end);
        }
        at = end;
    }
}

/// Where a JPEG ends: after the end-of-image marker that closes its last
/// scan, its segments walked by their lengths and each scan's compressed
/// data read to the next marker (inside it a 0xFF byte is followed by 0x00
/// or a restart marker). An EXIF thumbnail's own end marker is inside a
/// segment, so it is skipped; so is an end marker that HTML appended after
/// the image carries along.
fn jpeg_end(body: &[u8]) -> Option<usize> {
    let mut at = 2;
    loop {
        // Markers may be preceded by fill bytes (0xFF).
        while body.get(at) == Some(&0xff) && body.get(at + 1) == Some(&0xff) {
            at += 1;
        }
        if body.get(at) != Some(&0xff) {
            return None;
        }
        let marker = *body.get(at + 1)?;
        at += 2;
        match marker {
            0xd9 => return Some(at),
            // Standalone markers: no length.
            0x01 | 0xd0..=0xd7 => continue,
            _ => {}
        }
        let length = u16::from_be_bytes([*body.get(at)?, *body.get(at + 1)?]) as usize;
        if length < 2 {
            return None;
        }
        at = at.checked_add(length)?;
        if at > body.len() {
            return None;
        }
        if marker == 0xda {
            // The scan's data, to the next marker that is not a restart.
            loop {
                let byte = *body.get(at)?;
                let next = body.get(at + 1).copied();
                if byte == 0xff && !matches!(next, Some(0x00) | Some(0xd0..=0xd7)) {
                    break;
                }
                at += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageBuffer, Rgba};

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = ImageBuffer::from_fn(width, height, |x, _| Rgba([x as u8, 0, 200, 255]));
        let mut bytes = Vec::new();
        DynamicImage::ImageRgba8(image)
            .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
            .unwrap();
        bytes
    }

    /// A PNG of only a header claiming `width` × `height` pixels of
    /// 16-bit RGBA, and no pixel data to speak of.
    fn png_header_only(width: u32, height: u32) -> Vec<u8> {
        let chunk = |kind: &[u8], data: &[u8]| {
            let mut crc = crc32fast::Hasher::new();
            crc.update(kind);
            crc.update(data);
            let mut out = (data.len() as u32).to_be_bytes().to_vec();
            out.extend(kind);
            out.extend(data);
            out.extend(crc.finalize().to_be_bytes());
            out
        };
        let mut header = width.to_be_bytes().to_vec();
        header.extend(height.to_be_bytes());
        header.extend([16, 6, 0, 0, 0]);
        let mut png = PNG_SIGNATURE.to_vec();
        png.extend(chunk(b"IHDR", &header));
        png.extend(chunk(b"IDAT", &[0x78, 0x9c]));
        png.extend(chunk(b"IEND", &[]));
        png
    }

    #[test]
    fn memory_is_counted_from_the_header_before_any_pixel() {
        // 4,000 × 4,000 is allowed by its sides, not at 8 bytes a pixel
        // (128 MB); 5,000 wide is refused by its side.
        assert_eq!(code(&png_header_only(4_000, 4_000)), "too_long");
        assert_eq!(code(&png_header_only(5_000, 300)), "too_long");
    }

    fn code(body: &[u8]) -> &'static str {
        clean(body).unwrap_err().code.as_str()
    }

    #[test]
    fn a_png_is_encoded_again_and_named_by_its_hash() {
        let logo = clean(&png(300, 216)).unwrap();
        assert_eq!(logo.content_type, "image/png");
        assert!(logo.file_name.ends_with(".png") && logo.file_name.len() == 68);
        assert_eq!(clean(&logo.bytes).unwrap().file_name, logo.file_name);
    }

    #[test]
    fn what_is_not_a_whole_png_or_jpeg_of_a_fit_size_is_refused() {
        assert_eq!(code(&png(300, 215)), "too_short");
        assert_eq!(
            code(b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
            "invalid_format"
        );
        assert_eq!(code(b"GIF89a"), "invalid_format");
        let mut tail = png(300, 300);
        tail.extend_from_slice(b"<html><script>alert(1)</script></html>");
        assert_eq!(code(&tail), "invalid_format");
        let whole = png(300, 300);
        assert_eq!(code(&whole[..whole.len() - 20]), "invalid_format");
        // A JPEG with HTML after it, even one ending in an end marker.
        let mut jpeg = Vec::new();
        DynamicImage::ImageRgb8(ImageBuffer::from_fn(300, 300, |x, _| {
            image::Rgb([x as u8, 1, 2])
        }))
        .write_to(&mut Cursor::new(&mut jpeg), ImageFormat::Jpeg)
        .unwrap();
        assert!(clean(&jpeg).is_ok());
        let mut polyglot = jpeg.clone();
        polyglot.extend_from_slice(b"<script>alert(1)</script>\xff\xd9");
        assert_eq!(code(&polyglot), "invalid_format");
    }
}
