//! The enrollment wizard's steps and how the applicant moves between them,
//! as plain data: the views only render the current step.

use crate::reference::ReferenceData;
use crate::{msg, MessageKey};
use crate::{
    validate_section, validate_sections, Answers, Field, PartnerModel, Problem, ProblemCode,
    Section, ValidationReport,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    Start,
    Model,
    MpnId,
    Company,
    Bank,
    Admin,
    /// The code emailed to the admin's address, typed back: skipped when
    /// that address is proven already.
    ConfirmEmail,
    Tenant,
    Check,
    Confirmation,
    Status,
}

impl Step {
    /// Every page of the wizard, in the order an applicant meets them.
    pub const ALL: [Step; 11] = [
        Step::Start,
        Step::Model,
        Step::MpnId,
        Step::Company,
        Step::Bank,
        Step::Admin,
        Step::ConfirmEmail,
        Step::Tenant,
        Step::Check,
        Step::Confirmation,
        Step::Status,
    ];

    /// The step's name for the host page (`step` events).
    pub fn name(self) -> &'static str {
        match self {
            Step::Start => "start",
            Step::Model => "model",
            Step::MpnId => "mpn_id",
            Step::Company => "company",
            Step::Bank => "bank",
            Step::Admin => "admin",
            Step::ConfirmEmail => "confirm_email",
            Step::Tenant => "tenant",
            Step::Check => "check",
            Step::Confirmation => "confirmation",
            Step::Status => "status",
        }
    }

    /// The question pages, in order, between Start and Check.
    pub const QUESTIONS: &'static [Step] = Step::ALL.split_at(1).1.split_at(7).0;

    /// What a step asks for, validated when the user presses Continue.
    pub fn sections(self) -> &'static [Section] {
        match self {
            Step::Model => &[Section::Model],
            Step::MpnId => &[Section::MpnId],
            Step::Company => &[Section::Company, Section::Address],
            Step::Bank => &[Section::Bank],
            Step::Admin => &[Section::Admin],
            Step::Tenant => &[Section::Tenant, Section::Attestations],
            _ => &[],
        }
    }

    /// The catalog key of the step's title.
    pub fn title_key(self) -> MessageKey {
        match self {
            Step::Start => msg::STEP_START_TITLE,
            Step::Model => msg::STEP_MODEL_TITLE,
            Step::MpnId => msg::STEP_MPN_TITLE,
            Step::Company => msg::STEP_COMPANY_TITLE,
            Step::Bank => msg::STEP_BANK_TITLE,
            Step::Admin => msg::STEP_ADMIN_TITLE,
            Step::ConfirmEmail => msg::STEP_CONFIRM_EMAIL_TITLE,
            Step::Tenant => msg::STEP_TENANT_TITLE,
            Step::Check => msg::STEP_CHECK_TITLE,
            Step::Confirmation => msg::STEP_CONFIRMATION_TITLE,
            Step::Status => msg::STEP_STATUS_TITLE,
        }
    }

    /// The step a Change link for this field opens.
    pub fn of_section(section: Section) -> Step {
        match section {
            Section::Model => Step::Model,
            Section::MpnId => Step::MpnId,
            Section::Company | Section::Address => Step::Company,
            Section::Bank => Step::Bank,
            Section::Admin => Step::Admin,
            Section::Tenant | Section::Attestations => Step::Tenant,
        }
    }
}

/// What Continue needs to know besides the answers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Circumstances {
    /// The program takes direct partners now.
    pub direct_enrollment_open: bool,
    /// The admin address in the answers was proven with the emailed code.
    pub admin_email_proven: bool,
}

/// Where the applicant is, and whether Continue returns to Check your
/// answers (after a Change link).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Wizard {
    pub step: Step,
    pub returning_to_check: bool,
}

impl Default for Wizard {
    fn default() -> Self {
        Self {
            step: Step::Start,
            returning_to_check: false,
        }
    }
}

impl Wizard {
    /// Validates the current step; on success moves on and answers where
    /// to, on failure stays and answers the problems.
    pub fn continue_from(
        &mut self,
        answers: &Answers,
        reference: &ReferenceData,
        circumstances: Circumstances,
    ) -> Result<Step, ValidationReport> {
        let ValidationReport {
            mut errors,
            warnings,
            ..
        } = validate_sections(self.step.sections(), answers, reference);
        if self.step == Step::Model
            && answers.model == Some(PartnerModel::DirectPartner)
            && !circumstances.direct_enrollment_open
        {
            errors.push(Problem::new(
                Field::Model,
                ProblemCode::DirectEnrollmentClosed,
            ));
        }
        if !errors.is_empty() {
            return Err(ValidationReport::from_problems(errors, warnings));
        }
        if self.step == Step::ConfirmEmail && !circumstances.admin_email_proven {
            return Err(ValidationReport::from_problems(
                vec![Problem::at("code", ProblemCode::AdminEmailUnverified)],
                Vec::new(),
            ));
        }
        let proven = circumstances.admin_email_proven;
        let next = if self.step == Step::Admin && !proven {
            // Even after a Change link: a new address is proven first.
            Step::ConfirmEmail
        } else if self.returning_to_check {
            Step::Check
        } else {
            match self.step {
                Step::Start => Step::Model,
                Step::Check => Step::Confirmation,
                Step::Confirmation => Step::Status,
                step => {
                    let i = Step::QUESTIONS.iter().position(|s| *s == step).unwrap_or(0);
                    let next = Step::QUESTIONS.get(i + 1).copied().unwrap_or(Step::Check);
                    match next {
                        Step::ConfirmEmail => Step::Tenant,
                        next => next,
                    }
                }
            }
        };
        // After a Change link, Continue leads back to Check (by way of
        // proving a changed address).
        self.returning_to_check = self.returning_to_check && next == Step::ConfirmEmail;
        self.step = next;
        Ok(next)
    }

    /// The back link's target; `None` where there is no going back.
    pub fn back_target(&self) -> Option<Step> {
        // The address to prove is changed on the step before.
        if self.step == Step::ConfirmEmail {
            return Some(Step::Admin);
        }
        if self.returning_to_check {
            return Some(Step::Check);
        }
        match self.step {
            Step::Start | Step::Confirmation | Step::Status => None,
            Step::Model => Some(Step::Start),
            Step::Check => Some(Step::Tenant),
            // The code page is passed over going back: it asks nothing.
            Step::Tenant => Some(Step::Admin),
            step => {
                let i = Step::QUESTIONS.iter().position(|s| *s == step)?;
                i.checked_sub(1).map(|j| Step::QUESTIONS[j])
            }
        }
    }

    pub fn back(&mut self) {
        if let Some(target) = self.back_target() {
            // From the code page to the address, still on the way back to
            // Check after a Change link.
            self.returning_to_check = self.returning_to_check && self.step == Step::ConfirmEmail;
            self.step = target;
        }
    }

    /// A Change link on Check your answers: edit one step, then come back.
    pub fn change(&mut self, step: Step) {
        self.step = step;
        self.returning_to_check = true;
    }

    /// The application was sent: its confirmation.
    pub fn submitted(&mut self) {
        self.step = Step::Confirmation;
        self.returning_to_check = false;
    }

    /// Where a sent application stands (opened from a resume link, or a
    /// save found it sent elsewhere).
    pub fn show_status(&mut self) {
        self.step = Step::Status;
        self.returning_to_check = false;
    }

    /// A reviewer asked for more information: the answers to change, on
    /// Check your answers.
    pub fn reopened(&mut self) {
        self.step = Step::Check;
        self.returning_to_check = false;
    }

    /// A draft opened from a resume link: its first step with problems
    /// while it can be edited, else its status.
    pub fn resumed(
        editable: bool,
        answers: &Answers,
        reference: &ReferenceData,
        admin_email_proven: bool,
    ) -> Self {
        let step = match editable {
            true => Self::resume_at(answers, reference, admin_email_proven),
            false => Step::Status,
        };
        Self {
            step,
            returning_to_check: false,
        }
    }

    /// Where a resumed application opens: its first step with problems,
    /// else Check your answers.
    pub fn resume_at(
        answers: &Answers,
        reference: &ReferenceData,
        admin_email_proven: bool,
    ) -> Step {
        Step::QUESTIONS
            .iter()
            .copied()
            .find(|step| {
                (*step == Step::ConfirmEmail && !admin_email_proven)
                    || step
                        .sections()
                        .iter()
                        .any(|s| !validate_section(*s, answers, reference).valid)
            })
            .unwrap_or(Step::Check)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Direct enrollment closed; the admin address proven.
    const PROVEN: Circumstances = Circumstances {
        direct_enrollment_open: false,
        admin_email_proven: true,
    };

    fn walk(answers: &Answers) -> Vec<Step> {
        let reference = ReferenceData::vendored();
        let mut wizard = Wizard::default();
        let mut seen = vec![wizard.step];
        while wizard.step != Step::Check {
            wizard
                .continue_from(answers, &reference, PROVEN)
                .expect("valid answers");
            seen.push(wizard.step);
        }
        seen
    }

    #[test]
    fn a_valid_application_walks_every_question_to_check_your_answers() {
        assert_eq!(
            walk(&Answers::example()),
            // Every page before the confirmation and the status, but the
            // code page: the address is proven.
            [
                Step::Start,
                Step::Model,
                Step::MpnId,
                Step::Company,
                Step::Bank,
                Step::Admin,
                Step::Tenant,
                Step::Check
            ]
        );
    }

    #[test]
    fn an_address_not_yet_proven_is_proven_on_the_next_page_even_after_a_change_link() {
        let reference = ReferenceData::vendored();
        let answers = Answers::example();
        let unproven = Circumstances::default();
        let mut wizard = Wizard {
            step: Step::Admin,
            returning_to_check: false,
        };
        assert_eq!(
            wizard.continue_from(&answers, &reference, unproven),
            Ok(Step::ConfirmEmail)
        );
        assert_eq!(wizard.back_target(), Some(Step::Admin));
        // Continue without the code stays, with the reason.
        let report = wizard
            .continue_from(&answers, &reference, unproven)
            .unwrap_err();
        assert_eq!(report.errors[0].code, ProblemCode::AdminEmailUnverified);
        assert_eq!(
            wizard.continue_from(&answers, &reference, PROVEN),
            Ok(Step::Tenant)
        );
        // Back from the tenant passes the code page over.
        assert_eq!(wizard.back_target(), Some(Step::Admin));

        // A Change link to a new address: proven, then back to Check.
        let mut wizard = Wizard {
            step: Step::Check,
            returning_to_check: false,
        };
        wizard.change(Step::Admin);
        assert_eq!(
            wizard.continue_from(&answers, &reference, unproven),
            Ok(Step::ConfirmEmail)
        );
        // Back to the address and forward again keeps the way to Check.
        wizard.back();
        assert_eq!(wizard.step, Step::Admin);
        assert_eq!(
            wizard.continue_from(&answers, &reference, unproven),
            Ok(Step::ConfirmEmail)
        );
        assert_eq!(
            wizard.continue_from(&answers, &reference, PROVEN),
            Ok(Step::Check)
        );
        assert!(!wizard.returning_to_check);
    }

    #[test]
    fn continue_stays_on_the_step_with_its_own_problems_only() {
        let reference = ReferenceData::vendored();
        let mut answers = Answers::example();
        answers.bank.iban = "DE00".into();
        answers.admin.email.clear();
        let mut wizard = Wizard {
            step: Step::Bank,
            returning_to_check: false,
        };
        let report = wizard
            .continue_from(&answers, &reference, PROVEN)
            .unwrap_err();
        assert_eq!(wizard.step, Step::Bank);
        assert!(
            report.errors.iter().all(|p| p.field.starts_with("bank.")),
            "{:?}",
            report.errors
        );
    }

    #[test]
    fn the_direct_model_is_refused_while_direct_enrollment_is_closed() {
        let reference = ReferenceData::none();
        let mut answers = Answers::example();
        answers.model = Some(PartnerModel::DirectPartner);
        let mut wizard = Wizard {
            step: Step::Model,
            returning_to_check: false,
        };
        let report = wizard
            .continue_from(&answers, &reference, PROVEN)
            .unwrap_err();
        assert_eq!(report.errors[0].code, ProblemCode::DirectEnrollmentClosed);
        // Reopened by the setting: no code change.
        let open = Circumstances {
            direct_enrollment_open: true,
            ..PROVEN
        };
        assert_eq!(
            wizard.continue_from(&answers, &reference, open),
            Ok(Step::MpnId)
        );
    }

    #[test]
    fn a_change_link_returns_to_check_your_answers() {
        let reference = ReferenceData::vendored();
        let mut wizard = Wizard {
            step: Step::Check,
            returning_to_check: false,
        };
        wizard.change(Step::Bank);
        assert_eq!(wizard.back_target(), Some(Step::Check));
        assert_eq!(
            wizard.continue_from(&Answers::example(), &reference, PROVEN),
            Ok(Step::Check)
        );
        assert!(!wizard.returning_to_check);
        assert_eq!(wizard.back_target(), Some(Step::Tenant));
    }

    #[test]
    fn back_goes_one_question_back_and_never_past_start() {
        let mut wizard = Wizard {
            step: Step::Company,
            returning_to_check: false,
        };
        wizard.back();
        assert_eq!(wizard.step, Step::MpnId);
        wizard.back();
        wizard.back();
        assert_eq!(wizard.step, Step::Start);
        assert_eq!(wizard.back_target(), None);
    }

    #[test]
    fn a_resumed_application_opens_at_its_first_unfinished_step() {
        let reference = ReferenceData::vendored();
        let mut answers = Answers::example();
        assert_eq!(Wizard::resume_at(&answers, &reference, true), Step::Check);
        // Complete but not proven: the code page.
        assert_eq!(
            Wizard::resume_at(&answers, &reference, false),
            Step::ConfirmEmail
        );
        answers.admin.email = "info@contoso.com".into();
        assert_eq!(Wizard::resume_at(&answers, &reference, true), Step::Admin);
        assert_eq!(
            Wizard::resume_at(&Answers::default(), &reference, false),
            Step::Model
        );
        let sent = Wizard::resumed(false, &Answers::default(), &reference, false);
        assert_eq!(sent.step, Step::Status);
        let open = Wizard::resumed(true, &answers, &reference, false);
        assert_eq!(open.step, Step::Admin);
    }

    #[test]
    fn sending_and_reopening_leave_a_change_link_behind() {
        let mut wizard = Wizard::default();
        wizard.change(Step::Bank);
        wizard.submitted();
        assert_eq!(
            (wizard.step, wizard.back_target()),
            (Step::Confirmation, None)
        );
        wizard.change(Step::Bank);
        wizard.reopened();
        assert_eq!(wizard.step, Step::Check);
        assert_eq!(wizard.back_target(), Some(Step::Tenant));
        wizard.show_status();
        assert_eq!((wizard.step, wizard.back_target()), (Step::Status, None));
    }

    #[test]
    fn every_question_step_is_reachable_from_a_change_link() {
        for section in Section::ALL {
            let step = Step::of_section(section);
            assert!(step.sections().contains(&section), "{section:?}");
        }
    }
}
