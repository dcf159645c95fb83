//! The app as a user meets it, inside its shadow root: reading it, clicking,
//! typing by script, choosing; what has focus; what the browser keeps; a
//! screenshot to look at.

use crate::Stack;
use serde_json::{json, Value};

impl Stack {
    /// Runs `script` in the page with `arguments[0]` = `selector` looked up
    /// inside the app's shadow root as `el` (null when absent).
    pub async fn in_app(&self, selector: &str, script: &str) -> Value {
        let full = format!(
            "const host = document.querySelector('csp-enroll, [data-csp-enroll]');
             const el = host && host.shadowRoot && host.shadowRoot.querySelector(arguments[0]);
             {script}"
        );
        self.browser
            .execute(&full, vec![json!(selector)])
            .await
            .expect("the script runs")
    }

    /// Whether `selector` matches in the app now.
    pub async fn is_in_app(&self, selector: &str) -> bool {
        self.in_app(selector, "return !!el;").await == json!(true)
    }

    /// The text of the first element matching `selector` in the app.
    pub async fn text(&self, selector: &str) -> Option<String> {
        self.in_app(selector, "return el ? el.textContent : null;")
            .await
            .as_str()
            .map(str::to_owned)
    }

    /// Clicks the element, as a user's click would (it must exist).
    pub async fn click(&self, selector: &str) {
        self.wait_for(selector).await;
        self.in_app(selector, "el.click(); return true;").await;
    }

    /// Types into an input: sets its value and fires `input`, as a
    /// keyboard would.
    pub async fn fill(&self, selector: &str, value: &str) {
        self.wait_for(selector).await;
        let script = format!(
            "el.focus(); el.value = {}; el.dispatchEvent(new Event('input', {{bubbles: true}})); return true;",
            json!(value)
        );
        self.in_app(selector, &script).await;
    }

    /// Picks an option of a select and fires `change`.
    pub async fn choose(&self, selector: &str, value: &str) {
        self.wait_for(&format!("{selector} option[value='{value}']"))
            .await;
        let script = format!(
            "el.value = {}; el.dispatchEvent(new Event('change', {{bubbles: true}})); return true;",
            json!(value)
        );
        self.in_app(selector, &script).await;
    }

    /// Chooses a file for a file input, as the file chooser would: `bytes`
    /// named `name`, of `kind` (`image/png`), then `change`.
    pub async fn choose_file(&self, selector: &str, name: &str, kind: &str, bytes: &[u8]) {
        self.wait_for(selector).await;
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let script = format!(
            "const bytes = new Uint8Array({hex:?}.match(/../g).map(h => parseInt(h, 16)));
             const chosen = new DataTransfer();
             chosen.items.add(new File([bytes], {name:?}, {{type: {kind:?}}}));
             el.files = chosen.files;
             el.dispatchEvent(new Event('change', {{bubbles: true}}));
             return true;"
        );
        self.in_app(selector, &script).await;
    }

    /// The id and class of the element focused inside the app.
    pub async fn focused(&self) -> String {
        let value = self
            .in_app(
                "body",
                "const a = host.shadowRoot.activeElement; return a ? (a.id + '|' + a.className) : '';",
            )
            .await;
        value.as_str().unwrap_or_default().to_owned()
    }

    /// Everything the browser keeps for this page outside the app's memory:
    /// storage, cookies and the URL.
    pub async fn browser_storage(&self) -> String {
        let value = self
            .browser
            .execute(
                "return JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage), document.cookie, location.href]);",
                vec![],
            )
            .await
            .expect("the script runs");
        value.as_str().unwrap_or_default().to_owned()
    }

    /// Saves the page as `<name>.png` in `$CSP_SCREENSHOTS`, when set: for
    /// looking at, not for asserting.
    pub async fn shot(&self, name: &str) {
        let Some(dir) = std::env::var_os("CSP_SCREENSHOTS") else {
            return;
        };
        let png = self.browser.screenshot().await.expect("a screenshot");
        let path = std::path::Path::new(&dir).join(format!("{name}.png"));
        std::fs::write(path, png).expect("the screenshot is written");
    }
}
