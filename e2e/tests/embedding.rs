//! The app as a partner embeds it: `examples/host/`, a page with careless
//! global styles and its own `<main>`, served from another origin than the
//! app and the API, with the README's snippet. Inline (`<csp-enroll>`) and
//! in iframe mode.

use e2e::{eventually, Stack};
use serde_json::{json, Value};

/// What the host page is, outside the app: its address, title, `<html>`
/// attributes, and how its own heading and button look.
async fn host_state(stack: &Stack) -> Value {
    stack
        .browser
        .execute(
            "const look = (el) => { const s = getComputedStyle(el); \
               return [s.fontFamily, s.color, s.backgroundColor, s.textTransform, s.borderStyle]; };
             return { url: location.href, title: document.title,
                      html: [...document.documentElement.attributes].map(a => a.name + '=' + a.value),
                      heading: look(document.querySelector('main h1')),
                      button: look(document.querySelector('#site-button')) };",
            vec![],
        )
        .await
        .expect("the host page answers")
}

/// The events the host page's script heard, `resize` left out, as
/// (name, detail).
async fn heard(stack: &Stack) -> Vec<(String, Value)> {
    let events = stack
        .browser
        .execute("return window.hostEvents;", vec![])
        .await
        .expect("the host's list");
    events
        .as_array()
        .expect("a list")
        .iter()
        .map(|e| {
            (
                e["name"].as_str().unwrap_or("").to_owned(),
                e["detail"].clone(),
            )
        })
        .filter(|(name, _)| name != "resize")
        .collect()
}

/// One `step` event for every page of an application, start to sent.
fn assert_every_step_heard(events: &[(String, Value)]) {
    let steps: Vec<&str> = events
        .iter()
        .filter(|(name, _)| name == "step")
        .map(|(_, d)| d["step"].as_str().unwrap_or(""))
        .collect();
    let expected = [
        "start",
        "model",
        "mpn_id",
        "company",
        "bank",
        "admin",
        "confirm_email",
        "tenant",
        "check",
        "confirmation",
    ];
    assert_eq!(steps, expected);
}

/// Every detail carries only what the contract lists, and nothing typed.
fn assert_no_answers_in(events: &[(String, Value)]) {
    let text = serde_json::to_string(events).expect("json");
    for answer in [
        "Contoso Ltd",
        "DE89370400440532013000",
        "jane.doe",
        "Unter den Linden",
        "1234567",
    ] {
        assert!(
            !text.contains(answer),
            "{answer:?} reached the host: {text}"
        );
    }
    for (name, detail) in events {
        let keys: Vec<&str> = detail
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let allowed: &[&str] = match name.as_str() {
            "step" => &["step", "index", "total"],
            "saved" => &["application_id"],
            "submitted" => &["application_id", "reference"],
            "error" => &["code", "message"],
            "locale" => &["locale"],
            _ => &[],
        };
        assert!(keys.iter().all(|k| allowed.contains(k)), "{name}: {detail}");
    }
}

#[tokio::test]
async fn a_partner_page_on_another_origin_embeds_the_app_and_hears_what_happens() {
    let stack = Stack::start_with_host_page().await;
    // A link with a fragment shaped like iframe mode's configuration: on
    // the partner's own page it must configure nothing (here, Chinese).
    let origin = stack.host_url("");
    let page = stack.host_url("/");
    let link = format!("{page}#host={origin}&page={origin}/&locale=zh-CN");
    stack.browser.goto(&link).await.expect("the partner's page");
    stack.wait_for_text("h1", "Apply to join").await;
    let before = host_state(&stack).await;
    // As the partner wrote it, not as the app left it.
    assert_eq!(before["url"], link);
    assert_eq!(
        before["title"],
        "Contoso Distribution – Become a cloud reseller"
    );
    assert_eq!(before["html"], json!(["lang=en", "data-site=partner"]));
    stack.shot("embedded-start").await;
    stack
        .assert_accessible("the start page in the partner's page")
        .await;

    // The host's global CSS stays outside: no uppercase, spacing, serif
    // font, centring or black-and-yellow !important buttons inside the app; the
    // documented theming property passes (the partner's blue).
    let heading = stack
        .in_app("h1", "const s = getComputedStyle(el); return [s.textTransform, s.letterSpacing, s.fontFamily, s.textAlign];")
        .await;
    assert_eq!(heading[0], "none", "{heading}");
    assert_eq!(heading[1], "normal", "{heading}");
    assert!(
        !heading[2].as_str().unwrap_or("").contains("Georgia"),
        "{heading}"
    );
    assert_ne!(heading[3], "center", "{heading}");
    let start = stack
        .in_app(".csp-button--start", "const s = getComputedStyle(el); return [s.backgroundColor, s.borderStyle, s.fontFamily];")
        .await;
    assert_eq!(
        start[0], "rgb(26, 77, 143)",
        "the partner's --csp-primary: {start}"
    );
    assert!(
        !start[1].as_str().unwrap_or("").contains("dashed"),
        "{start}"
    );
    assert!(
        !start[2].as_str().unwrap_or("").contains("Comic"),
        "{start}"
    );

    // An application, from start to sent, inside the partner's page.
    stack.start_as("indirect").await;
    stack.answer_mpn_id("1234567").await;
    stack.answer_company_to_tenant().await;
    stack.wait_for_text(".csp-button", "Accept and send").await;
    stack.click(".csp-summary ~ .csp-button").await;
    stack.wait_for_text("h1", "Application sent").await;
    stack
        .assert_accessible("the confirmation in the partner's page")
        .await;
    stack.click("[data-exit]").await;

    let id = stack.api.store.applications().await.expect("applications")[0]
        .id
        .clone();
    let events = heard(&stack).await;
    let names: Vec<&str> = events.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names.first(), Some(&"ready"), "{names:?}");
    assert_eq!(names.last(), Some(&"exit"), "{names:?}");
    assert_every_step_heard(&events);
    assert!(events.contains(&(
        "step".into(),
        json!({"step": "company", "index": 3, "total": 11})
    )));
    assert!(events.contains(&("saved".into(), json!({ "application_id": id }))));
    let submitted = names
        .iter()
        .position(|n| *n == "submitted")
        .expect("submitted");
    assert_eq!(
        events[submitted].1,
        json!({ "application_id": id, "reference": id })
    );
    assert_eq!(names.iter().filter(|n| **n == "submitted").count(), 1);
    assert!(
        submitted < names.iter().rposition(|n| *n == "step").unwrap_or(0),
        "sent before the confirmation shows: {names:?}"
    );
    assert_no_answers_in(&events);
    let heights = stack
        .browser
        .execute(
            "return window.hostEvents.filter(e => e.name === 'resize').map(e => e.detail.height);",
            vec![],
        )
        .await
        .expect("resizes");
    assert!(
        heights
            .as_array()
            .is_some_and(|h| h.iter().all(|v| v.as_u64() > Some(100)) && !h.is_empty()),
        "{heights}"
    );

    // The partner's page is as it was: address, title, <html>, its styles.
    assert_eq!(host_state(&stack).await, before);
    stack.close().await;
}

#[tokio::test]
async fn the_language_follows_the_attribute_and_a_bad_value_is_reported_not_applied() {
    let stack = Stack::start_with_host_page().await;
    stack.open_host_page("/").await;
    stack.start_as("indirect").await;
    stack.fill("#f-mpn_id", "7654321").await;

    let set = |value: &str| {
        format!("document.querySelector('csp-enroll').setAttribute('data-locale', '{value}'); return true;")
    };
    stack
        .browser
        .execute(&set("zh-CN"), vec![])
        .await
        .expect("set");
    stack.wait_for_text("h1", "你的 MPN ID").await;
    let kept = stack.in_app("#f-mpn_id", "return el.value;").await;
    assert_eq!(kept, "7654321", "the answer stays across the switch");
    stack.shot("embedded-zh-CN").await;
    stack
        .assert_accessible("a question in Chinese in the partner's page")
        .await;

    stack
        .browser
        .execute(&set("fr-FR"), vec![])
        .await
        .expect("set");
    // Once the bad value is reported, the app has seen it: it is still in
    // Chinese.
    let events = eventually("the partner's page hears an error", async || {
        let events = heard(&stack).await;
        if events.iter().any(|(name, _)| name == "error") {
            Ok(events)
        } else {
            Err(events)
        }
    })
    .await;
    stack.wait_for_text("button[type=submit]", "继续").await;
    assert!(
        events.contains(&("locale".into(), json!({ "locale": "zh-CN" }))),
        "{events:?}"
    );
    let error = events
        .iter()
        .find(|(name, _)| name == "error")
        .expect("the bad value is reported");
    assert_eq!(error.1["code"], "bad_attribute");
    assert!(error.1["message"]
        .as_str()
        .unwrap_or("")
        .contains("data-locale=\"fr-FR\""));
    stack.close().await;
}

#[tokio::test]
async fn in_iframe_mode_the_app_works_in_its_own_page_and_only_its_origin_is_heard() {
    let stack = Stack::start_with_host_page().await;
    let page = stack.host_url("/iframe.html");
    stack.browser.goto(&page).await.expect("the partner's page");
    let before = host_state(&stack).await;

    // Anything not from the app's origin is ignored, however it is dressed.
    stack
        .browser
        .execute(
            "window.postMessage({type: 'csp-enroll', name: 'submitted', detail: {application_id: 'x'}}, '*'); return true;",
            vec![],
        )
        .await
        .expect("a forged message");

    stack.enter_app_frame().await;
    stack.wait_for_text("h1", "Apply to join").await;
    stack
        .assert_accessible("the start page in its iframe")
        .await;
    stack.start_as("indirect").await;
    stack.answer_mpn_id("1234567").await;
    // Resume links lead back to the partner's page, not the iframe's.
    stack.click(".csp-later .csp-link-button").await;
    stack.wait_for("#f-resume-link").await;
    let link = stack.in_app("#f-resume-link", "return el.value;").await;
    let link = link.as_str().expect("a link");
    assert!(link.starts_with(&format!("{page}#resume=")), "{link}");
    stack.answer_company_to_tenant().await;
    stack.click(".csp-summary ~ .csp-button").await;
    stack.wait_for_text("h1", "Application sent").await;
    stack
        .assert_accessible("the confirmation in its iframe")
        .await;
    stack.click("[data-exit]").await;

    stack
        .browser
        .enter_parent_frame()
        .await
        .expect("the host page");
    stack
        .assert_accessible("the partner's page around the iframe")
        .await;
    let events = heard(&stack).await;
    let names: Vec<&str> = events.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names.first(), Some(&"ready"), "{names:?}");
    assert_eq!(names.last(), Some(&"exit"), "Done in the iframe: {names:?}");
    assert!(
        !events.contains(&("submitted".into(), json!({ "application_id": "x" }))),
        "the forged message was heard: {names:?}"
    );
    assert_eq!(
        names.iter().filter(|n| **n == "submitted").count(),
        1,
        "{names:?}"
    );
    assert!(names.contains(&"saved"), "{names:?}");
    assert_every_step_heard(&events);
    assert_no_answers_in(&events);
    // The iframe is as tall as the app in it.
    let height = stack
        .browser
        .execute(
            "const frame = document.querySelector('csp-enroll').shadowRoot.querySelector('iframe'); \
             const last = window.hostEvents.filter(e => e.name === 'resize').pop(); \
             return [frame.getBoundingClientRect().height, last && last.detail.height];",
            vec![],
        )
        .await
        .expect("heights");
    assert!(height[1].as_f64().is_some_and(|h| h > 300.0), "{height}");
    assert!(
        (height[0].as_f64().unwrap_or(0.0) - height[1].as_f64().unwrap_or(0.0)).abs() <= 1.0,
        "{height}"
    );
    stack.shot("embedded-iframe").await;
    assert_eq!(host_state(&stack).await, before);

    // The app's own iframe, now showing a page of the host's origin that
    // claims to be the app: the source matches, only the origin check
    // stops it. The partner's page notes every message that reaches it,
    // after boot.js's listener has run on it (listeners run in the order
    // they were added, boot.js's first, each to its end): once the forged
    // one is noted, boot.js has already relayed it, or not.
    stack
        .browser
        .execute(
            "window.messagesSeen = []; \
             window.addEventListener('message', (e) => window.messagesSeen.push(e.data)); \
             document.querySelector('csp-enroll').shadowRoot.querySelector('iframe').srcdoc = \
               '<script>parent.postMessage({type: \"csp-enroll\", name: \"submitted\", \
                 detail: {application_id: \"forged\"}}, \"*\")<' + '/script>'; return true;",
            vec![],
        )
        .await
        .expect("a forged page in the iframe");
    eventually("the forged message reaches the partner's page", async || {
        let seen = stack
            .browser
            .execute(
                "return window.messagesSeen.some(m => m && m.detail && m.detail.application_id === 'forged');",
                vec![],
            )
            .await
            .expect("the messages seen");
        if seen == json!(true) {
            Ok(())
        } else {
            Err(seen)
        }
    })
    .await;
    let forged = heard(&stack)
        .await
        .into_iter()
        .filter(|(_, detail)| detail["application_id"] == "forged")
        .count();
    assert_eq!(forged, 0, "a message from another origin was relayed");
    stack.close().await;
}

#[tokio::test]
async fn a_changed_attribute_mounts_the_app_again_with_it() {
    let stack = Stack::start_with_host_page().await;
    stack.open_host_page("/").await;
    stack.wait_for_text("h1", "Apply to join").await;
    // The partner's script decides the way of selling after the app started.
    stack
        .browser
        .execute(
            "document.querySelector('csp-enroll').setAttribute('data-model', 'indirect_reseller'); return true;",
            vec![],
        )
        .await
        .expect("set");
    stack.click(".csp-button--start").await;
    stack
        .wait_for_text("h1", "How will your company sell?")
        .await;
    let chosen = stack
        .in_app("#f-model-indirect", "return el.checked;")
        .await;
    assert_eq!(chosen, true, "data-model chose it already");
    let readies = heard(&stack)
        .await
        .iter()
        .filter(|(name, _)| name == "ready")
        .count();
    assert_eq!(readies, 2, "mounted again");
    stack.close().await;
}

#[tokio::test]
async fn in_a_narrow_column_of_a_phone_wide_page_nothing_runs_off_the_side() {
    let stack = Stack::start_with_host_page().await;
    stack
        .browser
        .set_window_size(320, 800)
        .await
        .expect("a phone-wide window");
    stack.open_host_page("/").await;
    stack.wait_for_text("h1", "Apply to join").await;
    // A partner's sidebar, narrower than the phone.
    stack
        .browser
        .execute(
            "document.querySelector('csp-enroll').style.width = '220px'; return true;",
            vec![],
        )
        .await
        .expect("a narrow column");
    let outside = "const edge = host.getBoundingClientRect().right + 0.5; \
                   return [...host.shadowRoot.querySelectorAll('*')] \
                     .filter(e => e.getBoundingClientRect().right > edge) \
                     .map(e => e.tagName + '.' + e.className);";
    let start = stack.in_app("body", outside).await;
    assert_eq!(
        start,
        json!([]),
        "past the app's right edge on the start page"
    );
    stack.shot("embedded-320").await;
    stack.start_as("indirect").await;
    stack.answer_mpn_id("1234567").await;
    let company = stack.in_app("body", outside).await;
    assert_eq!(
        company,
        json!([]),
        "past the app's right edge on the company page"
    );
    stack.close().await;
}

#[tokio::test]
async fn the_finder_in_chinese_in_the_partners_page_passes_axe() {
    let stack = Stack::start_with_host_page().await;
    let (id, token) = stack.submitted_application().await;
    // The resume link leads to the partner's page, which opens its status.
    stack
        .open_host_page(&format!("/#resume={id}.{token}"))
        .await;
    stack.wait_for("[data-status='submitted']").await;
    stack.click(".csp-language__option[lang=zh-CN]").await;
    stack.click("[data-open-finder]").await;
    stack.wait_for_text("#finder-count", "5,000").await;
    stack.wait_for_text("h1", "查找间接提供商").await;
    stack.shot("embedded-finder-zh-CN").await;
    stack
        .assert_accessible("the finder in Chinese in the partner's page")
        .await;
    stack.close().await;
}
