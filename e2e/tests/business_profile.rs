//! The business profile in the browser: a global admin opens it from the
//! account, tries to publish it empty and is told what is missing (in
//! both languages), fills it in, publishes it and uploads a logo; what was
//! saved is there when the page is opened again. axe-core on each state.

use e2e::Stack;
use serde_json::json;

/// A logo of 300 × 300 pixels, as a PNG.
fn png() -> Vec<u8> {
    let image = image::ImageBuffer::from_fn(300, 300, |x, y| {
        image::Rgba([(x % 256) as u8, (y % 256) as u8, 160, 255])
    });
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgba8(image)
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .expect("encoded");
    bytes
}

#[tokio::test]
async fn the_admin_publishes_a_complete_business_profile_with_a_logo() {
    let stack = Stack::start().await;
    stack.approved_admin_signed_in().await;
    stack.click("[data-nav=business-profile]").await;
    stack.wait_for_text("h1", "Business profile").await;
    stack.wait_for("[data-standing=draft]").await;
    // Its heading has focus, as every page's does once it opens.
    e2e::eventually("the heading is focused", async || {
        let focused = stack
            .in_app(
                "body",
                "const a = host.shadowRoot.activeElement; return a ? a.tagName : '';",
            )
            .await;
        if focused == json!("H1") {
            Ok(())
        } else {
            Err(focused)
        }
    })
    .await;
    let missing = stack
        .in_app("[data-missing]", "return el.querySelectorAll('li').length;")
        .await;
    assert_eq!(missing, json!(8), "nothing is filled in yet");
    stack.shot("business-profile-1-empty").await;
    stack
        .accessible_in_both_languages("business profile, empty")
        .await;

    // Publishing it empty: every missing answer in the error summary.
    stack.click("#f-published").await;
    stack.click("form button[type=submit]").await;
    stack
        .wait_for_text(
            ".csp-error-summary",
            "Write a description before publishing",
        )
        .await;
    let links = stack
        .in_app(
            ".csp-error-summary",
            "return el.querySelectorAll('a').length;",
        )
        .await;
    assert_eq!(links, json!(8));
    stack.shot("business-profile-2-incomplete").await;
    stack
        .accessible_in_both_languages("business profile, publishing refused")
        .await;
    // Said in Chinese once the language is switched (the partners' book
    // came with the part).
    stack.click(".csp-language__option[lang=zh-CN]").await;
    stack.wait_for_text("h1", "业务资料").await;
    stack
        .wait_for_text(".csp-error-summary", "发布前请填写简介")
        .await;
    stack
        .wait_for_text("label[for=f-industries-healthcare]", "医疗保健")
        .await;
    stack.shot("business-profile-3-zh").await;
    stack.click(".csp-language__option[lang=en-US]").await;
    stack.wait_for(".csp-app[lang=en-US]").await;

    // Filled in, it publishes.
    stack
        .fill(
            "#f-description",
            "Cloud migrations for hospitals in Berlin.",
        )
        .await;
    stack.fill("#f-website", "https://contoso.com").await;
    for code in [
        "products-azure",
        "services-migration",
        "industries-healthcare",
        "customer_sizes-50_99",
        "languages-de",
    ] {
        stack.click(&format!("#f-{code}")).await;
    }
    stack.click("[data-add-location]").await;
    stack.wait_for_focus("f-locations-0-country").await;
    stack.fill("#f-locations-0-country", "DE").await;
    stack
        .fill("#f-locations-0-lines-0", "Unter den Linden 1")
        .await;
    stack.fill("#f-locations-0-locality", "Berlin").await;
    stack.fill("#f-locations-0-postal_code", "1011").await;
    let jane = stack
        .in_app("#f-referral_contact", "return el.options[1].value;")
        .await;
    stack
        .choose("#f-referral_contact", jane.as_str().expect("a user"))
        .await;
    // A wrong postal code: said at its field, nothing else lost.
    stack.click("form button[type=submit]").await;
    stack
        .wait_for_text(".csp-error-summary", "Enter a real postcode")
        .await;
    stack.fill("#f-locations-0-postal_code", "10117").await;
    stack.click("form button[type=submit]").await;
    stack
        .wait_for_text("[role=status]", "The business profile is saved.")
        .await;
    stack.wait_for("[data-standing=published]").await;
    stack.shot("business-profile-4-published").await;
    stack
        .accessible_in_both_languages("business profile, published")
        .await;

    // The logo: none chosen, or too large, is said at once; a PNG is kept
    // and shown.
    stack.click("[data-upload-logo]").await;
    stack
        .wait_for_text("#logo-error", "Choose an image file first")
        .await;
    let too_large = vec![0u8; 1024 * 1024 + 1];
    stack
        .choose_file("#f-logo", "huge.png", "image/png", &too_large)
        .await;
    stack.click("[data-upload-logo]").await;
    stack.wait_for_text("#logo-error", "larger than 1 MB").await;
    stack
        .choose_file("#f-logo", "logo.png", "image/png", &png())
        .await;
    stack.click("[data-upload-logo]").await;
    stack
        .wait_for_text("[data-logo-status]", "The logo is saved.")
        .await;
    let shown = stack
        .in_app(
            "img.csp-logo",
            "return el.complete && el.naturalWidth > 0 ? el.alt : null;",
        )
        .await;
    assert_eq!(shown, json!("The logo of Contoso Ltd"));
    stack.shot("business-profile-5-logo").await;
    stack
        .accessible_in_both_languages("business profile, logo")
        .await;

    // Opened again, it is as saved (the logo did not undo the form).
    stack.click("[data-to-account]").await;
    stack.wait_for("[data-account]").await;
    stack.click("[data-nav=business-profile]").await;
    stack.wait_for("[data-standing=published]").await;
    let kept = stack
        .in_app(
            "#f-products-azure",
            "return [el.checked, el.getRootNode().querySelector('#f-locations-0-postal_code').value];",
        )
        .await;
    assert_eq!(kept, json!([true, "10117"]));
    stack.close().await;
}
