//! Real key presses (WebDriver actions: key events to whatever has focus),
//! for the tests that use the app with the keyboard alone.

use crate::Stack;
use fantoccini::key::Key;
use serde_json::json;

impl Stack {
    /// Presses `keys` one after another, each down and up, as a keyboard
    /// does (WebDriver actions: real key events, to whatever has focus).
    /// Special keys are `fantoccini::key::Key`s turned into `char`s.
    pub async fn keys(&self, keys: impl IntoIterator<Item = char>) {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let mut keyboard = KeyActions::new("keyboard".into());
        for key in keys {
            keyboard = keyboard
                .then(KeyAction::Down { value: key })
                .then(KeyAction::Up { value: key });
        }
        self.browser
            .perform_actions(keyboard)
            .await
            .expect("the keys are pressed");
    }

    /// Presses one special key (Tab, Enter, Space, Down…).
    pub async fn press(&self, key: Key) {
        self.keys([char::from(key)]).await;
    }

    /// Presses Tab until the element focused in the app matches
    /// `selector` (it must come within 40 presses), waiting for it to
    /// appear first.
    pub async fn tab_to(&self, selector: &str) {
        self.wait_for(selector).await;
        for _ in 0..40 {
            let focused = self
                .in_app(
                    selector,
                    "const a = host.shadowRoot.activeElement; return !!a && a === el;",
                )
                .await;
            if focused == json!(true) {
                return;
            }
            self.press(Key::Tab).await;
        }
        panic!(
            "Tab never reached `{selector}`; focused: {}",
            self.focused().await
        );
    }

    /// Picks the option `value` of the select `selector` by keyboard: Tab
    /// to it, then the arrow keys (the options' order depends on the
    /// language, so their places are read first).
    pub async fn choose_by_keys(&self, selector: &str, value: &str) {
        self.wait_for(&format!("{selector} option[value='{value}']"))
            .await;
        self.tab_to(selector).await;
        let places = self
            .in_app(
                selector,
                &format!(
                    "return [el.selectedIndex, [...el.options].findIndex(o => o.value === {})];",
                    json!(value)
                ),
            )
            .await;
        let (from, to) = (
            places[0].as_i64().unwrap_or(0),
            places[1].as_i64().expect("the option"),
        );
        let key = if to > from { Key::Down } else { Key::Up };
        self.keys(std::iter::repeat_n(
            char::from(key),
            (to - from).unsigned_abs() as usize,
        ))
        .await;
        let chosen = self.in_app(selector, "return el.value;").await;
        assert_eq!(chosen, value, "{selector} by the arrow keys");
    }

    /// Sends the form as it is with the keyboard (Tab to its button,
    /// Enter), checks that the error summary takes focus, and follows its
    /// first link (Tab, Enter) to the field it names.
    pub async fn send_empty_and_follow_the_summary(&self) {
        self.tab_to("button[type=submit]").await;
        self.press(Key::Enter).await;
        self.wait_for(".csp-error-summary a").await;
        let focused = self.focused().await;
        assert!(focused.contains("csp-error-summary"), "{focused}");
        self.tab_to(".csp-error-summary a").await;
        self.press(Key::Enter).await;
    }

    /// Tabs to a text field and types `text` into it.
    pub async fn type_into(&self, selector: &str, text: &str) {
        self.tab_to(selector).await;
        self.keys(text.chars()).await;
    }
}
