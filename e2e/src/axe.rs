//! Accessibility checks: axe-core run on the page as it is now.

use crate::Stack;

impl Stack {
    /// axe-core's violations on the page as it is now (shadow root
    /// included), one line each; axe comes from `$AXE_CORE_JS`, which
    /// `cargo xtask test` installs and sets.
    pub async fn accessibility_violations(&self) -> Vec<String> {
        let path = std::env::var("AXE_CORE_JS").unwrap_or_else(|_| {
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../target/tools/axe/node_modules/axe-core/axe.min.js"
            )
            .to_owned()
        });
        let source = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!("axe-core at {path}: {e}; run `cargo xtask test`, which installs it")
        });
        // Sent as the script itself (not eval'd by the page), so the
        // page's CSP does not apply to it.
        let script = format!(
            "{source}\n;const done = arguments[arguments.length - 1];
             axe.run(document, {{ resultTypes: ['violations'] }}).then(
               r => done(r.violations.map(v => v.id + ': ' + v.help + ' @ ' + v.nodes.map(n => n.target.join(' > ')).join(', '))),
               e => done(['axe failed: ' + e]));"
        );
        let value = self
            .browser
            .execute_async(&script, vec![])
            .await
            .expect("axe runs");
        value
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_else(|| vec![format!("unexpected axe answer: {value}")])
    }

    /// axe-core finds nothing on the page as it is now; `page` names it in
    /// the failure.
    pub async fn assert_accessible(&self, page: &str) {
        let violations = self.accessibility_violations().await;
        assert!(violations.is_empty(), "{page}: {violations:#?}");
    }
}
