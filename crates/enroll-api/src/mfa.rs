//! Two-factor authentication with time-based one-time codes (TOTP,
//! RFC 6238), the six-digit codes that authenticator apps show.
//!
//! This module only does the arithmetic and the formatting: making a
//! secret, turning it into the text and the QR code an authenticator app
//! reads, checking a typed code, and making recovery codes. Storing the
//! secret, the last accepted time step and the hashed recovery codes is
//! the store's job; the rules it must follow are spelled out on
//! [`matching_step`] and [`normalize_recovery_code`].

use std::fmt;

use hmac::{Hmac, Mac};
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};
use sha1::Sha1;

/// How long one code lasts, in seconds. Thirty is what every authenticator
/// app assumes when the enrolment URI does not say otherwise, and we say
/// it anyway.
pub const STEP_SECS: u64 = 30;

/// How many digits a code has. Six is what authenticator apps show by
/// default.
pub const DIGITS: u32 = 6;

/// How many steps either side of the current one are still accepted.
/// Phone and server clocks drift, and people type a code just as it rolls
/// over; one step (30 seconds) either way forgives that without giving an
/// attacker a much wider window.
pub const SKEW_STEPS: u64 = 1;

/// How many recovery codes a person gets when they turn on two-factor
/// authentication: enough to last through a lost phone or two, few enough
/// to print on one slip of paper.
pub const RECOVERY_CODES: usize = 10;

/// The length of a new secret: 160 bits, the length RFC 4226 recommends
/// (and the output size of SHA-1, so HMAC uses the key as it is).
const SECRET_LEN: usize = 20;

/// The RFC 4648 base32 alphabet. Authenticator apps expect secrets in it.
const BASE32_ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// The characters of recovery codes: lower-case letters and digits without
/// the ones people confuse on paper (0 and o, 1, i and l). 31 characters,
/// so a 10-character code carries about 49 bits.
const RECOVERY_ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";

/// How many characters of [`RECOVERY_ALPHABET`] make one recovery code.
const RECOVERY_LEN: usize = 10;

/// A shared TOTP secret: the key both the server and the person's
/// authenticator app hold.
///
/// `Debug` prints `Secret(..)` and never the bytes, so a secret that ends
/// up in a log line or an error message does not leak.
#[derive(Clone)]
pub struct Secret(Vec<u8>);

impl Secret {
    /// A new random secret of 20 bytes from the operating system's random
    /// source. That source failing is the only error.
    pub fn generate() -> Result<Secret, getrandom::Error> {
        let mut bytes = vec![0u8; SECRET_LEN];
        getrandom::fill(&mut bytes)?;
        Ok(Secret(bytes))
    }

    /// Reads a secret written in RFC 4648 base32, as [`Secret::to_base32`]
    /// or [`Secret::grouped`] write it, or as a person copied it: upper or
    /// lower case, spaces anywhere, `=` padding or none.
    ///
    /// `None` if a character is outside the base32 alphabet, if the length
    /// cannot be a base32 encoding, or if nothing is left (an empty key
    /// would make every code guessable).
    pub fn from_base32(text: &str) -> Option<Secret> {
        let mut bytes = Vec::with_capacity(text.len() * 5 / 8);
        let mut buffer: u32 = 0;
        let mut bits = 0u32;
        let mut symbols = 0usize;
        for c in text.bytes() {
            let value = match c {
                b' ' | b'=' => continue,
                b'A'..=b'Z' => c - b'A',
                b'a'..=b'z' => c - b'a',
                b'2'..=b'7' => c - b'2' + 26,
                _ => return None,
            };
            symbols += 1;
            buffer = (buffer << 5) | u32::from(value);
            bits += 5;
            if bits >= 8 {
                bits -= 8;
                bytes.push((buffer >> bits) as u8);
                buffer &= (1 << bits) - 1;
            }
        }
        // Whole bytes end after 0, 2, 4, 5 or 7 symbols of a group of
        // eight; 1, 3 or 6 leftover symbols are never a real encoding.
        if matches!(symbols % 8, 1 | 3 | 6) || bytes.is_empty() {
            return None;
        }
        Some(Secret(bytes))
    }

    /// The secret in RFC 4648 base32, upper case, without `=` padding: the
    /// form authenticator apps accept and the one to store.
    pub fn to_base32(&self) -> String {
        let mut out = String::with_capacity(self.0.len().div_ceil(5) * 8);
        let mut buffer: u32 = 0;
        let mut bits = 0u32;
        for &byte in &self.0 {
            buffer = (buffer << 8) | u32::from(byte);
            bits += 8;
            while bits >= 5 {
                bits -= 5;
                out.push(BASE32_ALPHABET[((buffer >> bits) & 31) as usize] as char);
            }
            buffer &= (1 << bits) - 1;
        }
        if bits > 0 {
            // The last bits, padded with zeros on the right to five.
            out.push(BASE32_ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
        }
        out
    }

    /// The base32 form in groups of four separated by spaces, for a person
    /// typing it into an authenticator app when they cannot scan the QR
    /// code. [`Secret::from_base32`] reads it back.
    pub fn grouped(&self) -> String {
        let plain = self.to_base32();
        let mut out = String::with_capacity(plain.len() + plain.len() / 4);
        for (i, c) in plain.chars().enumerate() {
            if i > 0 && i % 4 == 0 {
                out.push(' ');
            }
            out.push(c);
        }
        out
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(..)")
    }
}

/// RFC 4226 HOTP: the `digits`-digit code for one counter value,
/// zero-padded on the left.
fn hotp(key: &[u8], counter: u64, digits: u32) -> String {
    let mut mac =
        <Hmac<Sha1> as Mac>::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(&counter.to_be_bytes());
    let hash = mac.finalize().into_bytes();
    // Dynamic truncation: the low four bits of the last byte pick where to
    // read four bytes; the top bit is dropped so the number is positive
    // whatever the platform's sign conventions.
    let offset = usize::from(hash[hash.len() - 1] & 0x0f);
    let number = u32::from_be_bytes([
        hash[offset] & 0x7f,
        hash[offset + 1],
        hash[offset + 2],
        hash[offset + 3],
    ]);
    let code = number % 10u32.pow(digits);
    format!("{code:0width$}", width = digits as usize)
}

/// The code an authenticator app shows at `unix_secs` (seconds since
/// 1970-01-01 UTC): RFC 6238 TOTP with HMAC-SHA-1, time steps of 30
/// seconds counted from zero, six digits with leading zeros kept.
pub fn code_at(secret: &Secret, unix_secs: u64) -> String {
    hotp(&secret.0, unix_secs / STEP_SECS, DIGITS)
}

/// Compares two byte strings in time that depends only on their lengths,
/// not on where they first differ, so timing does not reveal how many
/// leading digits of a guess were right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut diff = 0u8;
    for (x, y) in a.iter().zip(b) {
        diff |= x ^ y;
    }
    std::hint::black_box(diff) == 0
}

/// Checks a code a person typed at `unix_secs` and returns the time step
/// it belongs to (`unix_secs / 30`, give or take one), or `None`.
///
/// Spaces around and inside the code are ignored ("123 456"); anything
/// that is not exactly six ASCII digits is refused. The current step and
/// [`SKEW_STEPS`] either side are tried, each compared in constant time.
///
/// A code stays valid for up to a minute and a half, so this alone does
/// not stop replays. The caller must keep, per account, the last step it
/// accepted, and refuse a returned step that is not greater than it: that
/// refuses the same code twice and any code older than one already used.
/// After accepting, it stores the returned step as the new last step.
pub fn matching_step(secret: &Secret, code: &str, unix_secs: u64) -> Option<u64> {
    let typed: Vec<u8> = code
        .trim()
        .bytes()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    if typed.len() != DIGITS as usize || !typed.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let now = unix_secs / STEP_SECS;
    let first = now.saturating_sub(SKEW_STEPS);
    let last = now.saturating_add(SKEW_STEPS);
    // Every candidate is computed and compared, with no early return, so
    // the time taken does not tell which step matched. If two steps give
    // the same code (one chance in a million), the later one wins: that
    // moves the caller's replay mark furthest.
    let mut found = None;
    for step in first..=last {
        let expected = hotp(&secret.0, step, DIGITS);
        if constant_time_eq(expected.as_bytes(), &typed) {
            found = Some(step);
        }
    }
    found
}

/// Percent-encodes everything except the unreserved characters of
/// RFC 3986 (letters, digits, `-`, `.`, `_`, `~`). Non-ASCII text is
/// encoded byte by byte in UTF-8.
fn percent_encode(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(byte >> 4)] as char);
            out.push(HEX[usize::from(byte & 0x0f)] as char);
        }
    }
    out
}

/// The `otpauth://` URI authenticator apps read from the QR code (the
/// "Key Uri Format" they all follow): the label `issuer:account`, the
/// secret, the issuer again (newer apps read it from here), and the
/// algorithm, digits and period spelled out so no app guesses. Issuer and
/// account are percent-encoded, so spaces, `@`, `+`, `:` or `&` in them
/// cannot break the URI.
pub fn otpauth_uri(secret: &Secret, issuer: &str, account: &str) -> String {
    let issuer = percent_encode(issuer);
    format!(
        "otpauth://totp/{issuer}:{account}?secret={secret}&issuer={issuer}\
         &algorithm=SHA1&digits={DIGITS}&period={STEP_SECS}",
        account = percent_encode(account),
        secret = secret.to_base32(),
    )
}

/// The QR code of `uri` as an SVG document, black modules on white with
/// the quiet zone scanners need, at least 200 by 200 pixels. The XML
/// declaration is left out so the result can be placed inline in HTML.
///
/// Medium error correction is used, as most enrolment QR codes do; a URI
/// too long for that falls back to low error correction, and one too long
/// for any QR code (about 2,900 bytes, far beyond a real issuer and
/// account) gives an empty string, leaving the grouped secret to type in.
pub fn qr_svg(uri: &str) -> String {
    let Ok(code) = QrCode::with_error_correction_level(uri, EcLevel::M)
        .or_else(|_| QrCode::with_error_correction_level(uri, EcLevel::L))
    else {
        return String::new();
    };
    let image = code
        .render::<svg::Color>()
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .quiet_zone(true)
        .min_dimensions(200, 200)
        .build();
    match image.find("<svg") {
        Some(start) => image[start..].to_string(),
        None => image,
    }
}

/// One-time recovery codes for when the phone with the authenticator app
/// is lost: [`RECOVERY_CODES`] of them, each ten characters from an
/// alphabet without look-alikes (no 0/o, 1/i/l), shown lower case as
/// `xxxxx-xxxxx`. All distinct. The random source failing is the only
/// error.
///
/// Show them once; store only hashes of [`normalize_recovery_code`] of
/// each, and delete a code's hash when it is used.
pub fn recovery_codes() -> Result<Vec<String>, getrandom::Error> {
    let mut codes: Vec<String> = Vec::with_capacity(RECOVERY_CODES);
    while codes.len() < RECOVERY_CODES {
        let code = recovery_code()?;
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    Ok(codes)
}

/// One recovery code, `xxxxx-xxxxx`.
fn recovery_code() -> Result<String, getrandom::Error> {
    let chars = crate::auth::random_text(RECOVERY_ALPHABET, RECOVERY_LEN)?;
    let (first, second) = chars.split_at(RECOVERY_LEN / 2);
    Ok(format!("{first}-{second}"))
}

/// The form of a recovery code to hash and compare: lower case, with
/// spaces and hyphens removed, so "ABCDE-FGHJK", "abcde fghjk" and
/// "abcdefghjk" are the same code. The store hashes this form both when
/// saving the codes and when checking one a person typed.
pub fn normalize_recovery_code(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn rfc_secret() -> Secret {
        Secret(b"12345678901234567890".to_vec())
    }

    #[test]
    fn rfc6238_sha1_vectors() {
        let vectors: [(u64, &str); 6] = [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ];
        let secret = rfc_secret();
        for (t, eight) in vectors {
            assert_eq!(
                hotp(&secret.0, t / STEP_SECS, 8),
                eight,
                "8 digits at T={t}"
            );
            assert_eq!(code_at(&secret, t), &eight[2..], "6 digits at T={t}");
        }
    }

    #[test]
    fn codes_are_zero_padded() {
        // 07081804 at T=1111111109 gives 081804: the leading zero stays.
        assert_eq!(code_at(&rfc_secret(), 1_111_111_109), "081804");
    }

    #[test]
    fn rfc4648_base32_vectors() {
        let vectors = [
            ("f", "MY"),
            ("fo", "MZXQ"),
            ("foo", "MZXW6"),
            ("foob", "MZXW6YQ"),
            ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI"),
        ];
        for (plain, encoded) in vectors {
            let secret = Secret(plain.as_bytes().to_vec());
            assert_eq!(secret.to_base32(), encoded, "encoding {plain:?}");
            let decoded = Secret::from_base32(encoded).expect(encoded);
            assert_eq!(decoded.0, plain.as_bytes(), "decoding {encoded}");
            let lower = Secret::from_base32(&encoded.to_lowercase()).expect(encoded);
            assert_eq!(lower.0, plain.as_bytes(), "decoding lower-case {encoded}");
        }
        // The padded forms of RFC 4648 read the same.
        assert_eq!(Secret::from_base32("MY======").unwrap().0, b"f");
        assert_eq!(Secret::from_base32("MZXW6YQ=").unwrap().0, b"foob");
        assert_eq!(Secret::from_base32(" mzxw 6ytb oi ").unwrap().0, b"foobar");
    }

    #[test]
    fn base32_round_trips_random_secrets() {
        for _ in 0..100 {
            let secret = Secret::generate().unwrap();
            assert_eq!(secret.0.len(), 20);
            let plain = secret.to_base32();
            assert_eq!(plain.len(), 32);
            assert_eq!(plain, plain.to_uppercase());
            assert!(!plain.contains('='));
            assert_eq!(Secret::from_base32(&plain).unwrap().0, secret.0);
            let grouped = secret.grouped();
            assert_eq!(grouped.split(' ').count(), 8);
            assert!(grouped.split(' ').all(|g| g.len() == 4));
            assert_eq!(Secret::from_base32(&grouped).unwrap().0, secret.0);
            let lower = grouped.to_lowercase();
            assert_eq!(Secret::from_base32(&lower).unwrap().0, secret.0);
        }
    }

    #[test]
    fn odd_lengths_round_trip() {
        for len in 1..=41 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            let secret = Secret(bytes.clone());
            assert_eq!(Secret::from_base32(&secret.to_base32()).unwrap().0, bytes);
        }
    }

    #[test]
    fn base32_rejects_bad_input() {
        for bad in [
            "1", "8", "!", "MZXW1", "MZXW8YQ", "MZ!W6", "MZXW6-YQ", "0O", "é",
        ] {
            assert!(Secret::from_base32(bad).is_none(), "accepted {bad:?}");
        }
        // Lengths that no encoding has, and nothing at all.
        for bad in ["M", "MZX", "MZXW6Y", "", "   ", "===="] {
            assert!(Secret::from_base32(bad).is_none(), "accepted {bad:?}");
        }
    }

    #[test]
    fn debug_hides_the_bytes() {
        let secret = rfc_secret();
        assert_eq!(format!("{secret:?}"), "Secret(..)");
        assert_eq!(format!("{secret:#?}"), "Secret(..)");
    }

    #[test]
    fn matching_step_accepts_one_step_either_side() {
        let secret = rfc_secret();
        let now = 1_111_111_111;
        let step = now / STEP_SECS;
        let prev = code_at(&secret, now - STEP_SECS);
        let curr = code_at(&secret, now);
        let next = code_at(&secret, now + STEP_SECS);
        assert_eq!(matching_step(&secret, &prev, now), Some(step - 1));
        assert_eq!(matching_step(&secret, &curr, now), Some(step));
        assert_eq!(matching_step(&secret, &next, now), Some(step + 1));

        let too_old = code_at(&secret, now - 2 * STEP_SECS);
        let too_new = code_at(&secret, now + 2 * STEP_SECS);
        // The test means something only if those codes differ from the
        // three accepted ones.
        for far in [&too_old, &too_new] {
            assert!(![&prev, &curr, &next].contains(&far));
        }
        assert_eq!(matching_step(&secret, &too_old, now), None);
        assert_eq!(matching_step(&secret, &too_new, now), None);
    }

    #[test]
    fn matching_step_at_the_epoch() {
        // No step before zero: nothing underflows, and step 0 and 1 work.
        let secret = rfc_secret();
        assert_eq!(matching_step(&secret, &code_at(&secret, 0), 5), Some(0));
        assert_eq!(matching_step(&secret, &code_at(&secret, 30), 5), Some(1));
    }

    #[test]
    fn matching_step_ignores_spaces() {
        let secret = rfc_secret();
        let now = 1_234_567_890;
        let code = code_at(&secret, now);
        let spaced = format!(" {} {} ", &code[..3], &code[3..]);
        assert_eq!(matching_step(&secret, &spaced, now), Some(now / STEP_SECS));
        let tabbed = format!("\t{}\n", code);
        assert_eq!(matching_step(&secret, &tabbed, now), Some(now / STEP_SECS));
    }

    #[test]
    fn matching_step_refuses_malformed_codes() {
        let secret = rfc_secret();
        let now = 1_234_567_890;
        let code = code_at(&secret, now);
        let bad = [
            code[..5].to_string(),
            format!("{code}0"),
            format!("0{code}"),
            format!("{}a", &code[..5]),
            format!("{}-{}", &code[..3], &code[3..]),
            // Full-width digits are digits to Unicode but not to us.
            "１２３４５６".to_string(),
            String::new(),
            "      ".to_string(),
        ];
        for typed in bad {
            assert_eq!(
                matching_step(&secret, &typed, now),
                None,
                "accepted {typed:?}"
            );
        }
        // The RFC's eight-digit value is not the six-digit code.
        assert_eq!(matching_step(&secret, "89005924", now), None);
    }

    #[test]
    fn constant_time_eq_compares() {
        assert!(constant_time_eq(b"123456", b"123456"));
        assert!(!constant_time_eq(b"123456", b"123457"));
        assert!(!constant_time_eq(b"123456", b"023456"));
        assert!(!constant_time_eq(b"123456", b"12345"));
        assert!(constant_time_eq(b"", b""));
    }

    #[test]
    fn otpauth_uri_encodes_issuer_and_account() {
        let secret = Secret(b"foobar".to_vec());
        assert_eq!(
            otpauth_uri(&secret, "Contoso Ltd", "jane.doe+x@contoso.com"),
            "otpauth://totp/Contoso%20Ltd:jane.doe%2Bx%40contoso.com\
             ?secret=MZXW6YTBOI&issuer=Contoso%20Ltd&algorithm=SHA1&digits=6&period=30"
        );
    }

    #[test]
    fn percent_encoding_keeps_only_unreserved() {
        assert_eq!(percent_encode("aZ09-._~"), "aZ09-._~");
        assert_eq!(
            percent_encode("a:b&c=d?e/f#g%"),
            "a%3Ab%26c%3Dd%3Fe%2Ff%23g%25"
        );
        assert_eq!(percent_encode("Zoë"), "Zo%C3%AB");
    }

    #[test]
    fn qr_svg_is_an_inline_svg_document() {
        let uri = otpauth_uri(&rfc_secret(), "Contoso Ltd", "jane.doe+x@contoso.com");
        let svg = qr_svg(&uri);
        assert!(svg.starts_with("<svg"), "{}", &svg[..svg.len().min(80)]);
        assert!(svg.trim_end().ends_with("</svg>"));
        assert!(!svg.contains("<?xml"));
        assert!(svg.contains("#000000") && svg.contains("#ffffff"));
    }

    #[test]
    fn qr_svg_of_an_impossible_uri_is_empty() {
        assert_eq!(qr_svg(&"x".repeat(5000)), "");
    }

    #[test]
    fn recovery_codes_are_ten_distinct_well_formed_codes() {
        let codes = recovery_codes().unwrap();
        assert_eq!(codes.len(), RECOVERY_CODES);
        assert_eq!(codes.iter().collect::<HashSet<_>>().len(), RECOVERY_CODES);
        for code in &codes {
            let (left, right) = code.split_once('-').expect(code);
            assert_eq!((left.len(), right.len()), (5, 5), "{code}");
            for c in left.bytes().chain(right.bytes()) {
                assert!(RECOVERY_ALPHABET.contains(&c), "{code}");
                assert!(!b"01ilo".contains(&c), "{code}");
                assert!(!c.is_ascii_uppercase(), "{code}");
            }
            assert_eq!(normalize_recovery_code(code).len(), 10);
        }
    }

    #[test]
    fn recovery_alphabet_has_no_look_alikes() {
        assert_eq!(RECOVERY_ALPHABET.len(), 31);
        let unique: HashSet<_> = RECOVERY_ALPHABET.iter().collect();
        assert_eq!(unique.len(), RECOVERY_ALPHABET.len());
        for c in b"01ilo" {
            assert!(!RECOVERY_ALPHABET.contains(c));
        }
    }

    #[test]
    fn recovery_codes_normalize() {
        assert_eq!(normalize_recovery_code("ABCDE-fghjk "), "abcdefghjk");
        assert_eq!(normalize_recovery_code(" abcde fghjk"), "abcdefghjk");
        assert_eq!(normalize_recovery_code("abcdefghjk"), "abcdefghjk");
    }
}
