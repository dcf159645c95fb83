//! The status flow, stated once: which change moves an application from
//! which status to which, what the applicant may do in each status, and
//! which email each change sends. The API's handlers and store, the
//! operator's commands and the app all read it here.
//!
//! ```text
//! draft ──submit──> submitted ──start──> in_review ──approve──> approved
//!                      │ │                  │ │
//!                      │ └──reject──────────┼─┴──reject──> rejected
//!                      └──request_info──────┴────request_info──> more_info_needed
//! more_info_needed ──submit──> submitted
//! ```

use crate::ApplicationStatus::{self, *};

/// Something that moves an application along: the applicant's submit, or
/// a reviewer's decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Change {
    Submit,
    /// A reviewer starts checking it.
    StartReview,
    Approve,
    Reject,
    /// A reviewer sends it back for changes.
    RequestInfo,
}

impl Change {
    pub const ALL: [Change; 5] = [
        Change::Submit,
        Change::StartReview,
        Change::Approve,
        Change::Reject,
        Change::RequestInfo,
    ];

    /// Rejecting or asking for more must say why: the applicant acts on it.
    pub fn needs_reason(self) -> bool {
        matches!(self, Self::Reject | Self::RequestInfo)
    }
}

/// One row of the flow.
struct Transition {
    from: ApplicationStatus,
    change: Change,
    to: ApplicationStatus,
}

const fn row(from: ApplicationStatus, change: Change, to: ApplicationStatus) -> Transition {
    Transition { from, change, to }
}

/// The flow. Every change that lands here emails the admin address the
/// new status (`email.status.<to>.*` in the catalog), once, in the same
/// transaction as the change.
const FLOW: [Transition; 8] = [
    row(Draft, Change::Submit, Submitted),
    row(MoreInfoNeeded, Change::Submit, Submitted),
    row(Submitted, Change::StartReview, InReview),
    row(InReview, Change::Approve, Approved),
    row(Submitted, Change::Reject, Rejected),
    row(InReview, Change::Reject, Rejected),
    row(Submitted, Change::RequestInfo, MoreInfoNeeded),
    row(InReview, Change::RequestInfo, MoreInfoNeeded),
];

impl ApplicationStatus {
    /// Every status, in the order of the flow.
    #[rustfmt::skip]
    pub const ALL: [ApplicationStatus; 6] = [Draft, Submitted, InReview, Approved, Rejected, MoreInfoNeeded];

    /// The status `change` leads to from this one, or `None` when it is
    /// not a step of the flow.
    pub fn after(self, change: Change) -> Option<ApplicationStatus> {
        FLOW.iter()
            .find(|t| t.from == self && t.change == change)
            .map(|t| t.to)
    }

    /// The statuses `change` starts from (for telling an operator).
    pub fn before(change: Change) -> Vec<ApplicationStatus> {
        FLOW.iter()
            .filter(|t| t.change == change)
            .map(|t| t.from)
            .collect()
    }

    /// Whether the applicant may change the answers: exactly the statuses
    /// that can be submitted.
    pub fn is_editable(self) -> bool {
        self.after(Change::Submit).is_some()
    }

    /// Whether this application holds its MPN ID: another application with
    /// the same MPN ID can be neither submitted nor approved. Only an
    /// approved one: a submission holds nothing, so a stranger who knows
    /// a company's MPN ID cannot keep the company out by applying first;
    /// several may be in review together, and the reviewer approves one.
    pub fn holds_mpn_id(self) -> bool {
        matches!(self, Approved)
    }

    /// Whether the applicant may ask indirect providers to partner: once
    /// the application is sent, as long as it is not turned down.
    pub fn may_ask_providers(self) -> bool {
        matches!(self, Submitted | InReview | Approved)
    }

    /// The catalog key prefix of the email sent on entering this status;
    /// `None` for a draft (nothing was sent yet).
    pub fn email_key(self) -> Option<String> {
        FLOW.iter()
            .any(|t| t.to == self)
            .then(|| format!("email.status.{}", self.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every status × change pair, written out as the contract says it.
    #[test]
    fn every_status_and_change() {
        let expected = |status: ApplicationStatus, change: Change| match (status, change) {
            (Draft | MoreInfoNeeded, Change::Submit) => Some(Submitted),
            (Submitted, Change::StartReview) => Some(InReview),
            (InReview, Change::Approve) => Some(Approved),
            (Submitted | InReview, Change::Reject) => Some(Rejected),
            (Submitted | InReview, Change::RequestInfo) => Some(MoreInfoNeeded),
            _ => None,
        };
        let mut pairs = 0;
        for status in ApplicationStatus::ALL {
            for change in Change::ALL {
                assert_eq!(
                    status.after(change),
                    expected(status, change),
                    "{status:?} {change:?}"
                );
                pairs += 1;
            }
        }
        assert_eq!(pairs, 30);
    }

    #[test]
    fn what_each_status_allows() {
        let editable: Vec<_> = ApplicationStatus::ALL
            .into_iter()
            .filter(|s| s.is_editable())
            .collect();
        assert_eq!(editable, [Draft, MoreInfoNeeded]);
        let holding: Vec<_> = ApplicationStatus::ALL
            .into_iter()
            .filter(|s| s.holds_mpn_id())
            .collect();
        assert_eq!(holding, [Approved]);
        assert_eq!(Draft.email_key(), None);
        for status in [Submitted, InReview, Approved, Rejected, MoreInfoNeeded] {
            assert_eq!(
                status.email_key(),
                Some(format!("email.status.{}", status.as_str()))
            );
        }
        assert_eq!(
            ApplicationStatus::before(Change::Reject),
            [Submitted, InReview]
        );
        assert!(Change::Reject.needs_reason() && !Change::Approve.needs_reason());
    }

    #[test]
    fn every_email_of_the_flow_has_its_words_in_both_locales() {
        let en = crate::Catalog::get(crate::Locale::EnUs);
        let zh = crate::Catalog::get(crate::Locale::ZhCn);
        for status in ApplicationStatus::ALL {
            if let Some(key) = status.email_key() {
                for part in ["subject", "body"] {
                    let key = format!("{key}.{part}");
                    let english = en.lookup(&key);
                    assert!(english.is_some(), "{key}");
                    // zh-CN falls back to English: its own words differ.
                    assert_ne!(zh.lookup(&key), english, "{key} in zh-CN");
                }
            }
        }
    }
}
