//! The business profile: saved against its version, checked by its rules
//! in the reader's language, published only when complete; its logo
//! cleaned or refused, served at a hashed URL as an image and nothing
//! more.

use crate::common;

use std::io::{Cursor, Write};

use test_postgres::backends;

use common::account::{as_user, fully_set_up, signed_in_user};
use common::{api_with_clock, Answer, Api, Checked};
use image::{DynamicImage, ImageBuffer, ImageFormat, Rgb, Rgba};
use reqwest::Method;
use serde_json::{json, Value};

async fn put_profile(api: &Api, token: &str, etag: &str, body: &Value, locale: &str) -> Answer {
    api.request(Method::PUT, "/account/business-profile")
        .bearer_auth(token)
        .header("If-Match", etag)
        .header("Accept-Language", locale)
        .json(body)
        .checked()
        .await
}

async fn put_logo(api: &Api, token: &str, bytes: Vec<u8>, declared: &str) -> Answer {
    api.request(Method::PUT, "/account/business-profile/logo")
        .bearer_auth(token)
        .header("Content-Type", declared)
        .body(bytes)
        .checked()
        .await
}

fn fields(answer: &Answer) -> Vec<(String, String)> {
    answer.body["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no report: {}", answer.text()))
        .iter()
        .map(|p| {
            (
                p["field"].as_str().unwrap().to_owned(),
                p["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Saved with `If-Match`, each rule at its field, publishing an
/// incomplete profile naming what it lacks (in the reader's language),
/// the referral contact one of the account's users.
#[backends]
async fn the_profile_is_saved_by_its_version_and_published_only_when_complete() {
    let (api, clock) = api_with_clock().await;
    let (admin, _, _) = fully_set_up(&api, &clock).await;
    let read = as_user(&api, &admin, Method::GET, "/account/business-profile", None).await;
    assert_eq!(read.status(), 200, "{}", read.text());
    assert_eq!(read.etag(), "\"0\"");
    assert_eq!(read.body["published"], false);
    assert_eq!(read.body["logo_url"], Value::Null);

    // Publishing at once: everything it lacks, each in Chinese.
    let mut profile = json!({"published": true, "products": ["azure"]});
    let refused = put_profile(&api, &admin, "\"0\"", &profile, "zh-CN").await;
    assert_eq!(refused.status(), 422);
    let missing: Vec<String> = fields(&refused).into_iter().map(|(f, _)| f).collect();
    assert_eq!(
        missing,
        [
            "description",
            "industries",
            "services",
            "customer_sizes",
            "languages",
            "locations",
            "referral_contact"
        ]
    );
    assert_eq!(
        refused.body["errors"][1]["message"],
        "发布前请至少选择一个行业"
    );

    // Saved unpublished, it is kept as it is.
    profile["published"] = json!(false);
    profile["description"] = json!("Cloud migrations for hospitals.");
    let saved = put_profile(&api, &admin, "\"0\"", &profile, "en-US").await;
    assert_eq!(saved.status(), 200, "{}", saved.text());
    assert_eq!(saved.etag(), "\"1\"");
    let stale = put_profile(&api, &admin, "\"0\"", &profile, "en-US").await;
    assert_eq!(stale.refusal(), (412, "profile_changed"));
    let no_version = api
        .request(Method::PUT, "/account/business-profile")
        .bearer_auth(&admin)
        .json(&profile)
        .checked()
        .await;
    assert_eq!(no_version.refusal(), (428, "if_match_required"));

    // Each rule at its field.
    let me = as_user(&api, &admin, Method::GET, "/account", None).await;
    let my_id = me.body["user"]["id"].as_str().unwrap().to_owned();
    let mut complete = json!({
        "description": "Cloud migrations for hospitals.",
        "website": "https://contoso.com",
        "linkedin": "https://www.linkedin.com/company/contoso",
        "industries": ["healthcare"],
        "products": ["azure", "microsoft_365"],
        "services": ["migration"],
        "customer_sizes": ["50_99"],
        "only_listed_sizes": true,
        "languages": ["de", "en"],
        "locations": [{"country": "DE", "lines": ["Unter den Linden 1"], "locality": "Berlin", "postal_code": "10117",
            "region": "", "dependent_locality": "", "sorting_code": ""}],
        "referral_contact": my_id,
        "published": true
    });
    let mut wrong = complete.clone();
    wrong["website"] = json!("http://contoso.com");
    wrong["linkedin"] = json!("https://www.linkedin.com/in/jane");
    wrong["industries"] = json!(["mining"]);
    wrong["description"] = json!("x".repeat(2_501));
    wrong["locations"][0]["postal_code"] = json!("1011");
    wrong["referral_contact"] = json!("u_not_a_user");
    let refused = put_profile(&api, &admin, "\"1\"", &wrong, "en-US").await;
    assert_eq!(refused.status(), 422);
    let found = fields(&refused);
    for expected in [
        ("description", "too_long"),
        ("website", "invalid_format"),
        ("linkedin", "invalid_format"),
        ("industries", "invalid_format"),
        ("locations.0.postal_code", "postal_code_format"),
        ("referral_contact", "required"),
    ] {
        assert!(
            found.contains(&(expected.0.to_owned(), expected.1.to_owned())),
            "{expected:?} not in {found:?}"
        );
    }
    let six_in_berlin = Value::Array(vec![complete["locations"][0].clone(); 6]);
    let mut crowded = complete.clone();
    crowded["locations"] = six_in_berlin;
    let refused = put_profile(&api, &admin, "\"1\"", &crowded, "en-US").await;
    assert_eq!(
        fields(&refused),
        [("locations".to_owned(), "too_long".to_owned())]
    );
    assert_eq!(
        refused.body["errors"][0]["message"],
        "Give at most 5 locations in one country (DE has more)"
    );

    // Complete, it publishes; what was sent is what is read back.
    let published = put_profile(&api, &admin, "\"1\"", &complete, "en-US").await;
    assert_eq!(published.status(), 200, "{}", published.text());
    let read = as_user(&api, &admin, Method::GET, "/account/business-profile", None).await;
    assert_eq!(read.etag(), "\"2\"");
    complete["logo_url"] = Value::Null;
    // With the users to choose the contact from (only one here).
    complete["contacts"] =
        json!([{"id": my_id, "name": "Jane Doe", "email": "jane.doe@contoso.com"}]);
    assert_eq!(read.body, complete);
}

/// Who may see and change it: its own admin and global admins change it,
/// referrals and account admins read it, other roles neither.
#[backends]
async fn the_profile_is_edited_by_its_admin_and_read_by_the_referrals_admin() {
    let (api, clock) = api_with_clock().await;
    let (admin, _, _) = fully_set_up(&api, &clock).await;
    for (role, reads, edits) in [
        ("business_profile_admin", true, true),
        ("referrals_admin", true, false),
        ("account_admin", true, false),
        ("sales_agent", false, false),
        ("user_management_admin", false, false),
    ] {
        let token = signed_in_user(
            &api,
            &clock,
            &admin,
            &format!("{role}@contoso.com"),
            &[role],
        )
        .await;
        let read = as_user(&api, &token, Method::GET, "/account/business-profile", None).await;
        assert_eq!(
            read.status() == 200,
            reads,
            "{role} reading: {}",
            read.text()
        );
        let body = json!({"description": format!("by {role}")});
        let save = put_profile(&api, &token, "*", &body, "en-US").await;
        assert_eq!(
            save.status() == 200,
            edits,
            "{role} saving: {}",
            save.text()
        );
        let logo = put_logo(&api, &token, png(300, 300), "image/png").await;
        assert_eq!(
            logo.status() == 200,
            edits,
            "{role} uploading: {}",
            logo.text()
        );
        if !edits {
            assert_eq!(save.refusal(), (403, "forbidden"));
            assert_eq!(logo.refusal(), (403, "forbidden"));
        }
    }
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let image = ImageBuffer::from_fn(width, height, |x, y| Rgba([x as u8, y as u8, 120, 255]));
    let mut bytes = Vec::new();
    DynamicImage::ImageRgba8(image)
        .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
        .unwrap();
    bytes
}

/// A JPEG whose EXIF says where the photo was taken (GPS IFD: 52° 31'
/// 12.34" N) and names its camera.
fn jpeg_with_gps() -> Vec<u8> {
    let image = ImageBuffer::from_fn(400, 300, |x, _| Rgb([x as u8, 90, 200]));
    let mut plain = Vec::new();
    DynamicImage::ImageRgb8(image)
        .write_to(&mut Cursor::new(&mut plain), ImageFormat::Jpeg)
        .unwrap();
    // TIFF, big-endian: IFD0 with the GPS IFD's pointer and a model name,
    // the GPS IFD with latitude ref and latitude.
    let mut tiff: Vec<u8> = b"MM\x00\x2a\x00\x00\x00\x08".to_vec();
    let entry = |tag: u16, kind: u16, count: u32, value: u32| {
        [
            tag.to_be_bytes().to_vec(),
            kind.to_be_bytes().to_vec(),
            count.to_be_bytes().to_vec(),
            value.to_be_bytes().to_vec(),
        ]
        .concat()
    };
    let model = b"SecretCam 3000\0";
    // IFD0 at 8: 2 entries (8 + 2 + 24 + 4 = 38), the model's text at 38,
    // the GPS IFD after it.
    let gps_at = 38 + model.len() as u32;
    tiff.extend(2u16.to_be_bytes());
    tiff.extend(entry(0x0110, 2, model.len() as u32, 38));
    tiff.extend(entry(0x8825, 4, 1, gps_at));
    tiff.extend(0u32.to_be_bytes());
    tiff.extend(model);
    let rationals_at = gps_at + 2 + 24 + 4;
    tiff.extend(2u16.to_be_bytes());
    tiff.extend(entry(0x0001, 2, 2, u32::from_be_bytes(*b"N\0\0\0")));
    tiff.extend(entry(0x0002, 5, 3, rationals_at));
    tiff.extend(0u32.to_be_bytes());
    for (n, d) in [(52u32, 1u32), (31, 1), (1234, 100)] {
        tiff.extend(n.to_be_bytes());
        tiff.extend(d.to_be_bytes());
    }
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(tiff);
    let mut jpeg = plain[..2].to_vec();
    jpeg.extend([0xff, 0xe1]);
    jpeg.extend(((app1.len() + 2) as u16).to_be_bytes());
    jpeg.extend(app1);
    jpeg.extend(&plain[2..]);
    jpeg
}

/// A PNG whose header claims 20,000 × 20,000 grey pixels (400 MB decoded)
/// over a real deflate stream of that many zeros (~390 KB).
fn png_bomb() -> Vec<u8> {
    let side: u32 = 20_000;
    let chunk = |kind: &[u8], data: &[u8]| {
        let mut crc = crc32fast::Hasher::new();
        crc.update(kind);
        crc.update(data);
        [
            (data.len() as u32).to_be_bytes().to_vec(),
            kind.to_vec(),
            data.to_vec(),
            crc.finalize().to_be_bytes().to_vec(),
        ]
        .concat()
    };
    let mut header = side.to_be_bytes().to_vec();
    header.extend(side.to_be_bytes());
    header.extend([8, 0, 0, 0, 0]);
    let mut zeros = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let row = vec![0u8; (side + 1) as usize];
    for _ in 0..side {
        zeros.write_all(&row).unwrap();
    }
    let data = zeros.finish().unwrap();
    [
        b"\x89PNG\r\n\x1a\n".to_vec(),
        chunk(b"IHDR", &header),
        chunk(b"IDAT", &data),
        chunk(b"IEND", &[]),
    ]
    .concat()
}

async fn fetch(url: &str) -> reqwest::Response {
    reqwest::get(url).await.unwrap()
}

/// The hostile logos, each refused with its reason or cleaned; a good one
/// served at a hashed URL as an image that runs nothing, for a year.
#[backends]
async fn a_logo_is_cleaned_or_refused_and_served_as_nothing_but_an_image() {
    let (api, clock) = api_with_clock().await;
    let (admin, _, _) = fully_set_up(&api, &clock).await;
    let refused = |answer: &Answer| {
        let f = fields(answer);
        assert_eq!(f.len(), 1, "{}", answer.text());
        assert_eq!(f[0].0, "logo");
        f[0].1.clone()
    };

    let svg = b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'><script>alert(document.domain)</script></svg>".to_vec();
    assert_eq!(
        refused(&put_logo(&api, &admin, svg, "image/png").await),
        "invalid_format"
    );
    let html = b"<!doctype html><script>alert(1)</script>".to_vec();
    assert_eq!(
        refused(&put_logo(&api, &admin, html, "image/jpeg").await),
        "invalid_format"
    );
    let mut polyglot = png(300, 300);
    polyglot.extend(b"<html><body><script>alert(document.cookie)</script></body></html>");
    assert_eq!(
        refused(&put_logo(&api, &admin, polyglot, "image/png").await),
        "invalid_format"
    );
    let small = put_logo(&api, &admin, png(400, 200), "image/png").await;
    assert_eq!(refused(&small), "too_short");
    assert!(small.body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("216"));

    let bomb = png_bomb();
    assert!(bomb.len() < 1024 * 1024, "{} bytes", bomb.len());
    let started = std::time::Instant::now();
    assert_eq!(
        refused(&put_logo(&api, &admin, bomb, "image/png").await),
        "too_long"
    );
    // Refused from its header: no 400 MB decoded (a figure printed, not
    // asserted: the refusal is the test).
    println!("the bomb was refused in {:?}", started.elapsed());

    let huge = vec![0x89u8; 6 * 1024 * 1024];
    assert_eq!(
        put_logo(&api, &admin, huge, "image/png").await.refusal(),
        (413, "too_large")
    );
    // Every other route keeps its 64 KB.
    let big_json = json!({"description": "x".repeat(100 * 1024)});
    assert_eq!(
        put_profile(&api, &admin, "*", &big_json, "en-US")
            .await
            .refusal(),
        (413, "too_large")
    );

    // A photo with GPS in its EXIF: kept, without the EXIF.
    let photo = jpeg_with_gps();
    assert!(photo.windows(9).any(|w| w == b"SecretCam"));
    let saved = put_logo(&api, &admin, photo, "application/octet-stream").await;
    assert_eq!(saved.status(), 200, "{}", saved.text());
    let url = saved.body["logo_url"].as_str().unwrap().to_owned();
    assert!(url.ends_with(".jpg"), "{url}");
    let served = fetch(&url).await;
    assert_eq!(served.status(), 200);
    let headers = served.headers().clone();
    assert_eq!(headers["content-type"], "image/jpeg");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["content-security-policy"], "default-src 'none'");
    assert_eq!(
        headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let bytes = served.bytes().await.unwrap();
    assert!(bytes.starts_with(b"\xff\xd8\xff"));
    for secret in [&b"Exif"[..], b"SecretCam", b"MM\x00\x2a"] {
        assert!(
            !bytes.windows(secret.len()).any(|w| w == secret),
            "{secret:?} kept"
        );
    }
    let decoded = image::load_from_memory(&bytes).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (400, 300));

    // A new logo replaces it; the old one is gone once no profile shows it.
    let replaced = put_logo(&api, &admin, png(300, 300), "image/png").await;
    let new_url = replaced.body["logo_url"].as_str().unwrap().to_owned();
    assert!(new_url.ends_with(".png") && new_url != url);
    assert_eq!(fetch(&url).await.status(), 404);
    assert_eq!(fetch(&new_url).await.headers()["content-type"], "image/png");
    let removed = as_user(
        &api,
        &admin,
        Method::DELETE,
        "/account/business-profile/logo",
        None,
    )
    .await;
    assert_eq!(removed.status(), 200, "{}", removed.text());
    assert_eq!(removed.body["logo_url"], Value::Null);
    assert_eq!(fetch(&new_url).await.status(), 404);
    // The logo never changed the profile's version.
    assert_eq!(removed.etag(), "\"0\"");
}

/// The user who acts on referrals, removed: the profile loses its
/// contact and, incomplete now, is unpublished as a new version; readers
/// are given the chosen contact only, not every user.
#[backends]
async fn removing_the_referral_contact_unpublishes_the_profile() {
    let (api, clock) = api_with_clock().await;
    let (admin, _, _) = fully_set_up(&api, &clock).await;
    let sam =
        common::account::add_user(&api, &admin, "sam@contoso.com", &["referrals_admin"]).await;
    let sam_id = sam.body["id"].as_str().unwrap().to_owned();
    let complete = json!({
        "description": "Cloud migrations for hospitals.",
        "industries": ["healthcare"], "products": ["azure"], "services": ["migration"],
        "customer_sizes": ["50_99"], "languages": ["de"],
        "locations": [{"country": "DE", "lines": ["Unter den Linden 1"], "locality": "Berlin", "postal_code": "10117"}],
        "referral_contact": sam_id, "published": true
    });
    let saved = put_profile(&api, &admin, "\"0\"", &complete, "en-US").await;
    assert_eq!(saved.status(), 200, "{}", saved.text());
    assert_eq!(saved.body["contacts"].as_array().unwrap().len(), 2);

    // An account admin reads it: the chosen contact only.
    let reader = signed_in_user(&api, &clock, &admin, "aa@contoso.com", &["account_admin"]).await;
    let read = as_user(
        &api,
        &reader,
        Method::GET,
        "/account/business-profile",
        None,
    )
    .await;
    let contacts = read.body["contacts"].as_array().unwrap();
    assert_eq!(contacts.len(), 1, "{contacts:?}");
    assert_eq!(contacts[0]["id"], sam_id.as_str());

    let removed = as_user(
        &api,
        &admin,
        Method::DELETE,
        &format!("/account/users/{sam_id}"),
        None,
    )
    .await;
    assert!(removed.status().is_success(), "{}", removed.text());
    let after = as_user(&api, &admin, Method::GET, "/account/business-profile", None).await;
    assert_eq!(after.body["referral_contact"], Value::Null);
    assert_eq!(after.body["published"], false);
    assert_eq!(
        after.etag(),
        "\"2\"",
        "a new version: a form open on the old one is told"
    );
}

/// A logo between the other routes' 64 KB and its own 1 MB is taken.
#[backends]
async fn a_logo_of_half_a_megabyte_is_taken() {
    let (api, clock) = api_with_clock().await;
    let (admin, _, _) = fully_set_up(&api, &clock).await;
    // Noise does not compress: 370 × 370 RGBA is about 540 KB as a PNG.
    let mut state: u32 = 7;
    let noise = ImageBuffer::from_fn(370, 370, |_, _| {
        state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        let [a, b, c, _] = state.to_be_bytes();
        Rgba([a, b, c, 255])
    });
    let mut bytes = Vec::new();
    DynamicImage::ImageRgba8(noise)
        .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
        .unwrap();
    assert!(
        (400_000..1_000_000).contains(&bytes.len()),
        "{} bytes",
        bytes.len()
    );
    let saved = put_logo(&api, &admin, bytes, "image/png").await;
    assert_eq!(saved.status(), 200, "{}", saved.text());
    assert!(saved.body["logo_url"].as_str().unwrap().ends_with(".png"));
}

/// The vocabularies a partner's own page may show, named in the reader's
/// language; the partners' book of messages the app fetches.
#[backends]
async fn the_vocabularies_are_named_in_the_readers_language() {
    let (api, _) = api_with_clock().await;
    let zh = api
        .request(Method::GET, "/reference/partner-vocabularies")
        .header("Accept-Language", "zh-CN")
        .checked()
        .await;
    assert_eq!(zh.status(), 200);
    assert_eq!(zh.headers()["vary"], "accept-language");
    let counts: Vec<usize> = ["industries", "products", "services", "customer_sizes"]
        .iter()
        .map(|v| zh.body[v].as_array().unwrap().len())
        .collect();
    assert_eq!(counts, [14, 20, 10, 11]);
    let healthcare = |answer: &Answer| {
        answer.body["industries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["code"] == "healthcare")
            .map(|t| t["name"].as_str().unwrap().to_owned())
    };
    assert_eq!(healthcare(&zh).as_deref(), Some("医疗保健"));
    let en = api
        .request(Method::GET, "/reference/partner-vocabularies")
        .checked()
        .await;
    assert_eq!(healthcare(&en).as_deref(), Some("Healthcare"));

    let book = api.get_json("/reference/messages/partners").await;
    assert!(book["zh-CN"]
        .as_str()
        .unwrap()
        .contains("business.title = 业务资料"));
}
