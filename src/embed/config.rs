//! What the host page configures: the element's `data-*` attributes
//! (ARCHITECTURE.md, "Embedding contract"), read into `HostConfig`. A value
//! the app does not understand is a `ConfigProblem` (the host is told, on
//! the console and by an `error` event) and its default applies.

use enroll_core::{Locale, PartnerModel};

/// The default of the largest directory the finder searches in the
/// browser (a host may set another). At 25,000 providers the compact index
/// is about 2 MB of JSON, ~370 KB gzipped (measured by `cargo xtask bench
/// finder`: 100,000 are 8.3 MB / 1.5 MB), about the size of the app
/// itself; beyond that the server searches.
pub const IN_BROWSER_LIMIT: usize = 25_000;

/// What the host page configured.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostConfig {
    /// `data-api-base`: origin that `/api/v1/...` is appended to; empty
    /// means the page's own origin.
    pub api_base: String,
    /// `data-locale`, else the browser's language, else en-US.
    pub locale: Locale,
    /// `data-owns-page`: the app is the page (it may set the title and be
    /// the page's `main`).
    pub owns_page: bool,
    /// `data-start` (or its alias `data-view`): what the app shows first.
    pub start: StartAt,
    /// `data-model`: the way of selling the host already chose.
    pub model: Option<PartnerModel>,
    /// `data-mode`: the app in the host's page, or in an iframe of its own.
    pub mode: Mode,
    /// `data-finder-in-browser-limit`: the largest directory the finder
    /// downloads and searches in the browser (default
    /// `IN_BROWSER_LIMIT`); a host whose users have fast
    /// connections may raise it.
    pub finder_in_browser_limit: usize,
    /// A resume link's `#resume=<id>.<token>`, when the page was opened
    /// from one.
    pub resume: Option<(String, String)>,
    /// A customer's link to a request for a partner,
    /// `#partner-request=<id>.<token>`: the request's page opens.
    pub partner_request: Option<(String, String)>,
    /// A partner's link inviting a customer to a reseller relationship,
    /// `#invitation=<id>.<token>`: the invitation's page opens.
    pub invitation: Option<(String, String)>,
    /// A customer's link to an admin relationship a partner asks for,
    /// `#admin-relationship=<id>.<token>`: the relationship's page opens.
    pub admin_relationship: Option<(String, String)>,
    /// The page's address without its fragment: where resume links point
    /// (in an iframe, the host page's).
    pub page_url: String,
    /// In an iframe drawn by boot.js (iframe mode): the host page's origin,
    /// the only one the app's messages go to.
    pub framed_by: Option<String>,
    /// Values that were not understood, each replaced by its default.
    pub problems: Vec<ConfigProblem>,
}

/// `data-start`: what the app shows first.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StartAt {
    /// The enrollment wizard (a resume link opens the application where
    /// it stands: its next question, or its status once sent).
    #[default]
    Wizard,
    /// The provider finder on its own.
    Finder,
    /// The partner account's sign-in, for companies already approved.
    Account,
    /// A customer looking for a partner (`find-partner`), or, opened from
    /// the link emailed, the request's page.
    FindPartner,
    /// A customer's answer to a partner's invitation (`invitation`), the
    /// invitation named by the link's fragment.
    Invitation,
    /// A customer's answer to a partner's request for admin roles
    /// (`admin-relationship`), the relationship named by the link's
    /// fragment.
    AdminRelationship,
}

/// `data-mode`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    #[default]
    Inline,
    /// boot.js draws an iframe of the app's own page instead of mounting.
    Iframe,
}

/// An attribute's value the app did not understand.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigProblem {
    pub attribute: &'static str,
    pub value: String,
    /// What it may be, for the message.
    pub expected: &'static str,
}

impl ConfigProblem {
    /// For the host's developer (console and `error` event), in English
    /// whatever the app's language: it names attributes, not the user's
    /// answers.
    pub fn message(&self) -> String {
        format!(
            "{}=\"{}\" is not understood ({}); the default applies",
            self.attribute, self.value, self.expected
        )
    }
}

/// The attributes whose change the running app follows by being mounted
/// again (`data-locale` switches the language in place instead).
pub const REMOUNTING_ATTRIBUTES: [&str; 7] = [
    "data-api-base",
    "data-start",
    "data-view",
    "data-model",
    "data-mode",
    "data-owns-page",
    "data-finder-in-browser-limit",
];

/// `#resume=<id>.<token>` → (id, token).
pub fn parse_resume_fragment(hash: &str) -> Option<(String, String)> {
    parse_link_fragment(hash, "resume=")
}

/// `#<name><id>.<token>` (`name` with its `=`) → (id, token), both hex.
fn parse_link_fragment(hash: &str, name: &str) -> Option<(String, String)> {
    let value = hash
        .trim_start_matches('#')
        .split('&')
        .find_map(|part| part.strip_prefix(name))?;
    let (id, token) = value.split_once('.')?;
    let ok = |s: &str| !s.is_empty() && s.len() <= 128 && s.chars().all(|c| c.is_ascii_hexdigit());
    (ok(id) && ok(token)).then(|| (id.to_owned(), token.to_owned()))
}

/// `data-locale`'s value, or what the app says about it.
pub fn parse_locale(value: &str) -> Result<Locale, ConfigProblem> {
    Locale::from_tag(value.trim()).ok_or_else(|| ConfigProblem {
        attribute: "data-locale",
        value: value.to_owned(),
        expected: "en-US or zh-CN",
    })
}

impl HostConfig {
    /// Reads the configuration through `attribute` (the host element's
    /// `getAttribute`), falling back to the browser's language.
    pub fn read(
        attribute: impl Fn(&str) -> Option<String>,
        browser_language: Option<String>,
    ) -> Self {
        Self::read_with_location(attribute, browser_language, "", "", None)
    }

    /// Like `read`, with the page's address split into URL and fragment,
    /// and, when the page is in a frame, the origin of the page around it
    /// as the browser says (`location.ancestorOrigins`).
    pub fn read_with_location(
        element_attribute: impl Fn(&str) -> Option<String>,
        browser_language: Option<String>,
        page_url: &str,
        hash: &str,
        framed_in: Option<&str>,
    ) -> Self {
        // In iframe mode the host element is on the host's page: boot.js
        // passes its attributes in the iframe's fragment. Only then: a
        // link's fragment must never configure an app on a partner's page,
        // nor an iframe claim a host other than the page it is in.
        let frame = FrameFragment::parse(hash).filter(|frame| framed_in == Some(&frame.host));
        let attribute = |name: &str| match &frame {
            Some(frame) => frame.attribute(name),
            None => element_attribute(name),
        };
        let mut problems = Vec::new();
        let locale = attribute("data-locale")
            .and_then(|tag| understood(&mut problems, parse_locale(&tag)))
            .or_else(|| browser_language.as_deref().and_then(Locale::from_tag))
            .unwrap_or_default();
        let start = attribute("data-start")
            .or_else(|| attribute("data-view"))
            .and_then(|value| {
                understood(
                    &mut problems,
                    match value.trim() {
                        "wizard" | "status" => Ok(StartAt::Wizard),
                        "finder" => Ok(StartAt::Finder),
                        "account" => Ok(StartAt::Account),
                        "find-partner" => Ok(StartAt::FindPartner),
                        "invitation" => Ok(StartAt::Invitation),
                        "admin-relationship" => Ok(StartAt::AdminRelationship),
                        _ => Err(ConfigProblem {
                            attribute: "data-start",
                            value,
                            expected: "wizard, finder, status, account, find-partner, invitation or admin-relationship",
                        }),
                    },
                )
            })
            .unwrap_or_default();
        // The link emailed to a customer opens the request's page, and a
        // partner's invitation or admin relationship its own, on
        // whichever page it points to.
        let partner_request = parse_link_fragment(hash, "partner-request=");
        let invitation = parse_link_fragment(hash, "invitation=");
        let admin_relationship = parse_link_fragment(hash, "admin-relationship=");
        let start = if admin_relationship.is_some() {
            StartAt::AdminRelationship
        } else if invitation.is_some() {
            StartAt::Invitation
        } else if partner_request.is_some() {
            StartAt::FindPartner
        } else {
            start
        };
        let model = attribute("data-model").and_then(|value| {
            understood(
                &mut problems,
                match value.trim() {
                    "indirect_reseller" => Ok(PartnerModel::IndirectReseller),
                    "direct_partner" => Ok(PartnerModel::DirectPartner),
                    _ => Err(ConfigProblem {
                        attribute: "data-model",
                        value,
                        expected: "indirect_reseller or direct_partner",
                    }),
                },
            )
        });
        let mode = attribute("data-mode")
            .and_then(|value| {
                understood(
                    &mut problems,
                    match value.trim() {
                        "inline" => Ok(Mode::Inline),
                        "iframe" => Ok(Mode::Iframe),
                        _ => Err(ConfigProblem {
                            attribute: "data-mode",
                            value,
                            expected: "inline or iframe",
                        }),
                    },
                )
            })
            .unwrap_or_default();
        let finder_in_browser_limit = attribute("data-finder-in-browser-limit")
            .and_then(|value| {
                understood(
                    &mut problems,
                    value.trim().parse().map_err(|_| ConfigProblem {
                        attribute: "data-finder-in-browser-limit",
                        value,
                        expected: "a number of providers",
                    }),
                )
            })
            .unwrap_or(IN_BROWSER_LIMIT);
        let api_base = attribute("data-api-base")
            .and_then(|value| understood(&mut problems, parse_api_base(&value)))
            .unwrap_or_default();
        Self {
            api_base,
            locale,
            start,
            model,
            finder_in_browser_limit,
            resume: parse_resume_fragment(hash),
            partner_request,
            invitation,
            admin_relationship,
            page_url: match &frame {
                Some(frame) => frame.page.clone(),
                None => page_url.split('#').next().unwrap_or_default().to_owned(),
            },
            // In its iframe the app is the whole document: its own `main`.
            owns_page: frame.is_some() || attribute("data-owns-page").is_some(),
            mode: if frame.is_some() { Mode::Inline } else { mode },
            framed_by: frame.map(|frame| frame.host),
            problems,
        }
    }
}

/// What boot.js puts in the fragment of the iframe it draws:
/// `#host=<origin>&page=<url>&locale=…&start=…&model=…&limit=…`
/// (and `resume=<id>.<token>` when the host page was opened from a resume
/// link), encoded as `URLSearchParams` writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameFragment {
    pub host: String,
    pub page: String,
    settings: Vec<(String, String)>,
}

impl FrameFragment {
    /// The fragment's settings; `None` unless it names the host's origin.
    pub fn parse(hash: &str) -> Option<Self> {
        let pairs: Vec<(String, String)> = hash
            .trim_start_matches('#')
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .map(|(key, value)| (decode(key), decode(value)))
            .collect();
        let get = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
        let host = get("host").filter(|host| parse_api_base(host).is_ok_and(|o| !o.is_empty()))?;
        // Resume links lead to the host's own pages only.
        let page = get("page").filter(|page| page.starts_with(&format!("{host}/")))?;
        Some(Self {
            host,
            page,
            settings: pairs,
        })
    }

    /// The host element's attribute `name`, as boot.js passed it.
    fn attribute(&self, name: &str) -> Option<String> {
        let key = match name {
            "data-locale" => "locale",
            "data-start" | "data-view" => "start",
            "data-model" => "model",
            "data-finder-in-browser-limit" => "limit",
            _ => return None,
        };
        self.settings
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    }
}

/// `application/x-www-form-urlencoded` text (`+` is a space, `%XX` a
/// byte); what is not valid UTF-8 after decoding is replaced.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .filter(|hex| hex.iter().all(u8::is_ascii_hexdigit))
                    .and_then(|hex| std::str::from_utf8(hex).ok())
                    .and_then(|hex| u8::from_str_radix(hex, 16).ok());
                match hex {
                    Some(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The value, or `None` with its problem noted.
fn understood<T>(problems: &mut Vec<ConfigProblem>, parsed: Result<T, ConfigProblem>) -> Option<T> {
    parsed.map_err(|problem| problems.push(problem)).ok()
}

/// `data-api-base`: empty (the page's origin) or an http(s) origin, with
/// no path; a trailing slash is forgiven.
fn parse_api_base(value: &str) -> Result<String, ConfigProblem> {
    let base = value.trim().trim_end_matches('/');
    let origin = base
        .strip_prefix("https://")
        .or_else(|| base.strip_prefix("http://"));
    match origin {
        _ if base.is_empty() => Ok(String::new()),
        Some(host) if !host.is_empty() && !host.contains(['/', '?', '#', ' ']) => {
            Ok(base.to_owned())
        }
        _ => Err(ConfigProblem {
            attribute: "data-api-base",
            value: value.to_owned(),
            expected: "an origin such as https://api.example",
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn data_locale_wins_over_the_browser_language() {
        let config = HostConfig::read(attrs(&[("data-locale", "zh-CN")]), Some("en-GB".into()));
        assert_eq!(config.locale, Locale::ZhCn);
        assert!(config.problems.is_empty());
    }

    #[test]
    fn the_browser_language_is_used_when_the_host_says_nothing() {
        assert_eq!(
            HostConfig::read(attrs(&[]), Some("zh-TW".into())).locale,
            Locale::ZhCn
        );
        assert_eq!(
            HostConfig::read(attrs(&[]), Some("fr".into())).locale,
            Locale::EnUs
        );
    }

    #[test]
    fn a_value_not_understood_is_a_problem_and_the_default_applies() {
        let config = HostConfig::read(
            attrs(&[
                ("data-locale", "xx"),
                ("data-start", "shop"),
                ("data-model", "cloud"),
                ("data-mode", "popup"),
                ("data-finder-in-browser-limit", "lots"),
                ("data-api-base", "api.example/v2"),
            ]),
            Some("zh-CN".into()),
        );
        assert_eq!(config.locale, Locale::ZhCn, "the browser's, as without it");
        assert_eq!(config.start, StartAt::Wizard);
        assert_eq!(config.model, None);
        assert_eq!(config.mode, Mode::Inline);
        assert_eq!(config.finder_in_browser_limit, IN_BROWSER_LIMIT);
        assert_eq!(config.api_base, "");
        let named: Vec<_> = config.problems.iter().map(|p| p.attribute).collect();
        assert_eq!(
            named,
            [
                "data-locale",
                "data-start",
                "data-model",
                "data-mode",
                "data-finder-in-browser-limit",
                "data-api-base"
            ]
        );
        assert_eq!(
            config.problems[1].message(),
            "data-start=\"shop\" is not understood (wizard, finder, status, account, find-partner, invitation or admin-relationship); the default applies"
        );
    }

    #[test]
    fn the_documented_values_are_understood() {
        let config = HostConfig::read(
            attrs(&[
                ("data-start", "finder"),
                ("data-model", "direct_partner"),
                ("data-mode", "iframe"),
                ("data-finder-in-browser-limit", "100000"),
                ("data-api-base", "https://api.example/"),
            ]),
            None,
        );
        assert_eq!(config.start, StartAt::Finder);
        assert_eq!(config.model, Some(PartnerModel::DirectPartner));
        assert_eq!(config.mode, Mode::Iframe);
        assert_eq!(config.finder_in_browser_limit, 100_000);
        assert_eq!(config.api_base, "https://api.example");
        assert!(config.problems.is_empty());
        let alias = HostConfig::read(attrs(&[("data-view", "finder")]), None);
        assert_eq!(alias.start, StartAt::Finder, "data-view stays an alias");
    }

    #[test]
    fn find_partner_starts_there_and_a_request_link_opens_its_page_anywhere() {
        let asked = HostConfig::read(attrs(&[("data-start", "find-partner")]), None);
        assert_eq!(asked.start, StartAt::FindPartner);
        assert_eq!(asked.partner_request, None);
        let wizard_page = |hash: &str| {
            HostConfig::read_with_location(
                attrs(&[("data-start", "wizard")]),
                None,
                "https://partner.example/apply",
                hash,
                None,
            )
        };
        let opened = wizard_page("#partner-request=ab12.cd34");
        assert_eq!(opened.start, StartAt::FindPartner);
        assert_eq!(opened.partner_request, Some(("ab12".into(), "cd34".into())));
        assert_eq!(opened.resume, None);
        let bad = wizard_page("#partner-request=ab12.<script>");
        assert_eq!((bad.start, bad.partner_request), (StartAt::Wizard, None));
    }

    #[test]
    fn an_invitation_link_opens_its_page_anywhere() {
        let asked = HostConfig::read(attrs(&[("data-start", "invitation")]), None);
        assert_eq!(asked.start, StartAt::Invitation);
        assert_eq!(
            asked.invitation, None,
            "the page says the link is not complete"
        );
        let find_partner_page = |hash: &str| {
            HostConfig::read_with_location(
                attrs(&[("data-start", "find-partner")]),
                None,
                "https://partner.example/customers",
                hash,
                None,
            )
        };
        let opened = find_partner_page("#invitation=ab12.cd34");
        assert_eq!(opened.start, StartAt::Invitation);
        assert_eq!(opened.invitation, Some(("ab12".into(), "cd34".into())));
        assert_eq!((opened.partner_request, opened.resume), (None, None));
        assert_eq!(opened.page_url, "https://partner.example/customers");
        for bad in [
            "#invitation=ab12.<script>",
            "#invitation=ab12",
            "#invitation=.cd34",
        ] {
            let config = find_partner_page(bad);
            assert_eq!(
                (config.start, config.invitation),
                (StartAt::FindPartner, None),
                "{bad}"
            );
        }
        // In the iframe boot.js draws, beside the host element's settings.
        let framed = HostConfig::read_with_location(
            attrs(&[]),
            None,
            "https://app.example/index.html",
            "#host=https%3A%2F%2Fpartner.example&page=https%3A%2F%2Fpartner.example%2Fjoin\
             &start=invitation&invitation=ef56.ab78",
            Some("https://partner.example"),
        );
        assert_eq!(framed.start, StartAt::Invitation);
        assert_eq!(framed.invitation, Some(("ef56".into(), "ab78".into())));
    }

    #[test]
    fn an_admin_relationship_link_opens_its_page_anywhere() {
        let asked = HostConfig::read(attrs(&[("data-start", "admin-relationship")]), None);
        assert_eq!(asked.start, StartAt::AdminRelationship);
        assert_eq!(
            asked.admin_relationship, None,
            "the page says the link is not complete"
        );
        let invitation_page = |hash: &str| {
            HostConfig::read_with_location(
                attrs(&[("data-start", "invitation")]),
                None,
                "https://app.example/invitation.html",
                hash,
                None,
            )
        };
        let opened = invitation_page("#admin-relationship=ab12.cd34");
        assert_eq!(opened.start, StartAt::AdminRelationship);
        assert_eq!(
            opened.admin_relationship,
            Some(("ab12".into(), "cd34".into()))
        );
        assert_eq!(
            (opened.invitation, opened.partner_request, opened.resume),
            (None, None, None)
        );
        assert_eq!(opened.page_url, "https://app.example/invitation.html");
        for bad in [
            "#admin-relationship=ab12.<script>",
            "#admin-relationship=ab12",
            "#admin-relationship=.cd34",
            "#admin-relationship=",
            "#xadmin-relationship=ab12.cd34",
        ] {
            let config = invitation_page(bad);
            assert_eq!(
                (config.start, config.admin_relationship),
                (StartAt::Invitation, None),
                "{bad}"
            );
        }
        // In the iframe boot.js draws, beside the host element's settings.
        let framed = HostConfig::read_with_location(
            attrs(&[]),
            None,
            "https://app.example/index.html",
            "#host=https%3A%2F%2Fpartner.example&page=https%3A%2F%2Fpartner.example%2Fadmin\
             &start=admin-relationship&admin-relationship=ef56.ab78",
            Some("https://partner.example"),
        );
        assert_eq!(framed.start, StartAt::AdminRelationship);
        assert_eq!(
            framed.admin_relationship,
            Some(("ef56".into(), "ab78".into()))
        );
        assert!(framed.problems.is_empty(), "{:?}", framed.problems);
    }

    #[test]
    fn a_resume_fragment_gives_the_draft_and_its_token() {
        assert_eq!(
            parse_resume_fragment("#resume=abc123.def456"),
            Some(("abc123".to_owned(), "def456".to_owned()))
        );
        assert_eq!(
            parse_resume_fragment("#other=1&resume=ab.cd"),
            Some(("ab".into(), "cd".into()))
        );
        for bad in [
            "",
            "#resume=",
            "#resume=abc",
            "#resume=a.b<script>",
            "#resume=.x",
        ] {
            assert_eq!(parse_resume_fragment(bad), None, "{bad}");
        }
        let config = HostConfig::read_with_location(
            attrs(&[]),
            None,
            "https://partner.example/join#resume=a.b",
            "#resume=a.b",
            None,
        );
        assert_eq!(config.page_url, "https://partner.example/join");
    }

    #[test]
    fn in_an_iframe_the_fragment_carries_the_host_elements_settings() {
        let hash = "#host=https%3A%2F%2Fpartner.example&page=https%3A%2F%2Fpartner.example%2Fjoin%3Fa%3D1\
                    &locale=zh-CN&model=indirect_reseller&api=https%3A%2F%2Fevil.example&resume=ab.cd";
        // The iframe's own element says otherwise: the fragment wins.
        let config = HostConfig::read_with_location(
            attrs(&[("data-locale", "en-US"), ("data-api-base", "")]),
            None,
            "https://app.example/index.html",
            hash,
            Some("https://partner.example"),
        );
        assert_eq!(config.framed_by.as_deref(), Some("https://partner.example"));
        assert_eq!(config.page_url, "https://partner.example/join?a=1");
        assert_eq!(config.locale, Locale::ZhCn);
        assert_eq!(config.model, Some(PartnerModel::IndirectReseller));
        assert_eq!(
            config.api_base, "",
            "the app's own API: never one a fragment names"
        );
        assert_eq!(config.resume, Some(("ab".into(), "cd".into())));
        assert!(config.owns_page, "the iframe's document is the app's");

        // The same fragment in a link to a partner's page (not framed), or
        // an iframe in some other page: nothing of it applies.
        for framed_in in [None, Some("https://evil.example")] {
            let config = HostConfig::read_with_location(
                attrs(&[("data-locale", "en-US")]),
                None,
                "https://partner.example/join",
                hash,
                framed_in,
            );
            assert_eq!(config.framed_by, None, "{framed_in:?}");
            assert_eq!(config.locale, Locale::EnUs);
            assert_eq!(config.page_url, "https://partner.example/join");
        }
        assert!(config.problems.is_empty());
    }

    #[test]
    fn a_fragment_without_a_host_origin_is_not_a_frame() {
        for hash in [
            "",
            "#resume=ab.cd",
            "#host=javascript:alert(1)",
            "#host=%ZZ&locale=zh-CN",
        ] {
            assert_eq!(FrameFragment::parse(hash), None, "{hash}");
        }
        assert_eq!(decode("a+b%20c%e4%b8%ad%"), "a b c中%");
        assert_eq!(decode("%é"), "%é", "a % before a multibyte character");
        assert_eq!(decode("%+4"), "% 4", "two hex digits, no sign");
    }

    #[test]
    fn an_absent_api_base_means_the_same_origin() {
        assert_eq!(HostConfig::read(attrs(&[]), None).api_base, "");
        let config = HostConfig::read(attrs(&[("data-api-base", " https://api.example ")]), None);
        assert_eq!(config.api_base, "https://api.example");
    }
}
