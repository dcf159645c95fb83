//! The first slice: the built app, served by the API under its CSP, shows
//! the program settings, and follows an operator's change.

use e2e::Stack;

#[tokio::test]
async fn the_start_page_shows_the_program_and_follows_the_operator() {
    let stack = Stack::start().await;

    // The page is served with a CSP that has no 'unsafe-inline'...
    let response = reqwest::get(stack.url("/")).await.expect("GET /");
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .expect("an ASCII header")
        .to_owned();
    assert!(!csp.contains("unsafe-inline"), "{csp}");

    // ...and the app still starts under it, and shows the settings.
    stack
        .browser
        .goto(&stack.url("/"))
        .await
        .expect("the page opens");
    let heading = stack
        .wait_for_text("h1", "Cloud Solution Provider program")
        .await;
    assert!(heading.starts_with("Apply to join"), "{heading}");
    stack
        .wait_for_text("[data-direct-enrollment]", "Direct enrollment is closed")
        .await;

    // Its CSS (adopted by the shadow root) applies under that CSP too.
    let max_width = stack
        .in_app(".csp-main", "return getComputedStyle(el).maxWidth;")
        .await;
    assert_eq!(max_width, "768px");

    // Nothing waited for anything else: the settings were asked for once,
    // by the loader, before the app had started (not by the app after).
    let timing = stack
        .browser
        .execute(
            "const all = performance.getEntriesByType('resource');
             const program = all.filter(e => e.name.endsWith('/api/v1/program'));
             const mounted = performance.getEntriesByName('csp-enroll:mounted')[0];
             return [program.length, program[0].startTime, mounted.startTime];",
            vec![],
        )
        .await
        .expect("the resource timings");
    assert_eq!(timing[0], 1, "asked for once: {timing}");
    assert!(
        timing[1].as_f64() < timing[2].as_f64(),
        "asked for before the app started: {timing}"
    );

    // An operator opens direct enrollment; a reload shows it.
    stack
        .operator(&[
            "program",
            "set",
            "--direct-enrollment",
            "open",
            "--note",
            "Direct enrollment reopened on 1 March.",
        ])
        .await;
    stack.browser.refresh().await.expect("reload");
    let notice = stack
        .wait_for_text("[data-direct-enrollment]", "Direct enrollment is open")
        .await;
    assert!(
        notice.contains("Direct enrollment reopened on 1 March."),
        "{notice}"
    );

    stack.shot("start-1280").await;
    stack.close().await;
}

#[tokio::test]
async fn the_app_fits_a_320_pixel_screen() {
    let stack = Stack::start_with_width(320).await;
    stack
        .browser
        .goto(&stack.url("/"))
        .await
        .expect("the page opens");
    stack
        .wait_for_text("h1", "Cloud Solution Provider program")
        .await;
    let width = stack
        .browser
        .execute("return window.innerWidth;", vec![])
        .await
        .expect("the script runs");
    assert_eq!(width, 320, "the viewport is really 320 px wide");
    // Nothing wider than the viewport: no sideways scrolling (WCAG 1.4.10).
    let overflow = stack
        .browser
        .execute(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
            vec![],
        )
        .await
        .expect("the script runs");
    assert_eq!(overflow, 0, "the page scrolls sideways at 320 px");
    stack.shot("start-320").await;
    // The first question, with its error summary, fits too.
    stack.click(".csp-button--start").await;
    stack.click("button[type=submit]").await;
    stack.wait_for(".csp-error-summary").await;
    let overflow = stack
        .browser
        .execute(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
            vec![],
        )
        .await
        .expect("the script runs");
    assert_eq!(overflow, 0, "the question page scrolls sideways at 320 px");
    stack.shot("model-error-320").await;
    stack.close().await;
}
