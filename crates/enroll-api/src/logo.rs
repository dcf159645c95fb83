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

/// Where a JPEG ends: after its last end-of-image marker. Inside the
/// compressed data a 0xFF byte is always followed by 0x00 or a restart
/// marker, so 0xFF 0xD9 is a marker wherever it is.
fn jpeg_end(body: &[u8]) -> Option<usize> {
    body.windows(2)
        .rposition(|pair| pair == [0xff, 0xd9])
        .map(|at| at + 2)
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
    }
}
