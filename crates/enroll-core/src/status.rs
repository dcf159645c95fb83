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

use crate::i18n::EmailWording;
use crate::ApplicationStatus::{self, *};
use crate::{msg, MessageKey};

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

    /// The status's name, as the applicant reads it ("In review").
    pub fn label_key(self) -> MessageKey {
        match self {
            Draft => msg::STATUS_DRAFT,
            Submitted => msg::STATUS_SUBMITTED,
            InReview => msg::STATUS_IN_REVIEW,
            Approved => msg::STATUS_APPROVED,
            Rejected => msg::STATUS_REJECTED,
            MoreInfoNeeded => msg::STATUS_MORE_INFO_NEEDED,
        }
    }

    /// What happens next in this status, in a sentence.
    pub fn next_key(self) -> MessageKey {
        match self {
            Draft => msg::STATUS_DRAFT_NEXT,
            Submitted => msg::STATUS_SUBMITTED_NEXT,
            InReview => msg::STATUS_IN_REVIEW_NEXT,
            Approved => msg::STATUS_APPROVED_NEXT,
            Rejected => msg::STATUS_REJECTED_NEXT,
            MoreInfoNeeded => msg::STATUS_MORE_INFO_NEEDED_NEXT,
        }
    }

    /// The words of the email sent on entering this status; `None` for a
    /// draft, which no change of the flow enters (nothing was sent yet).
    pub fn email(self) -> Option<EmailWording> {
        use msg::email::*;
        let (subject, body) = match self {
            Draft => return None,
            Submitted => (EMAIL_STATUS_SUBMITTED_SUBJECT, EMAIL_STATUS_SUBMITTED_BODY),
            InReview => (EMAIL_STATUS_IN_REVIEW_SUBJECT, EMAIL_STATUS_IN_REVIEW_BODY),
            Approved => (EMAIL_STATUS_APPROVED_SUBJECT, EMAIL_STATUS_APPROVED_BODY),
            Rejected => (EMAIL_STATUS_REJECTED_SUBJECT, EMAIL_STATUS_REJECTED_BODY),
            MoreInfoNeeded => (
                EMAIL_STATUS_MORE_INFO_NEEDED_SUBJECT,
                EMAIL_STATUS_MORE_INFO_NEEDED_BODY,
            ),
        };
        Some(EmailWording { subject, body })
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
        // An email for each status a change of the flow enters, and for
        // no other; worded for that status.
        for status in ApplicationStatus::ALL {
            let entered = FLOW.iter().any(|t| t.to == status);
            let email = status.email();
            assert_eq!(email.is_some(), entered, "{status:?}");
            if let Some(email) = email {
                let prefix = format!("email.status.{}.", status.as_str());
                assert!(email.subject.as_str().starts_with(&prefix), "{status:?}");
                assert!(email.body.as_str().starts_with(&prefix), "{status:?}");
            }
        }
        for status in ApplicationStatus::ALL {
            assert_eq!(
                status.label_key().as_str(),
                format!("status.{}", status.as_str())
            );
            assert_eq!(
                status.next_key().as_str(),
                format!("status.{}.next", status.as_str())
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
            if let Some(email) = status.email() {
                for key in [email.subject, email.body] {
                    // zh-CN falls back to English: its own words differ.
                    assert_ne!(zh.text(key), en.text(key), "{key:?} in zh-CN");
                }
            }
        }
    }
}
