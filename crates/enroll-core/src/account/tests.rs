//! Tests of `account`, kept apart from its code (they are as long).

use super::*;

#[test]
fn roles_round_trip() {
    for role in Role::ALL {
        assert_eq!(Role::parse(role.as_str()), Some(role));
        let json = serde_json::to_value(role).unwrap();
        assert_eq!(json, role.as_str());
    }
    assert_eq!(Role::parse("root"), None);
}

#[test]
fn every_role_is_in_the_table_once() {
    for role in Role::ALL {
        assert_eq!(
            GRANTS.iter().filter(|g| g.role == role).count(),
            1,
            "{role:?}"
        );
    }
    assert!(allowed_actions(&[]).is_empty());
}

/// The whole table, written out: which role may do what.
#[test]
fn each_role_may_do_what_partner_center_gives_it() {
    use Action::*;
    let everyone = [ViewAccount, ViewOrganizationProfile, ManageOwnSecurity];
    let users = [
        ListUsers,
        AddUser,
        ChangeUserRoles,
        RemoveUser,
        ResendInvitation,
    ];
    let with = |extra: &[Action]| {
        let mut all: Vec<Action> = everyone.iter().chain(extra).copied().collect();
        all.sort();
        all
    };
    let admins = with(
        &[
            &users[..],
            &[
                EditOrganizationProfile,
                ViewProviderRequests,
                ViewBusinessProfile,
            ],
        ]
        .concat(),
    );
    // Only a global admin proves another domain for the users; the
    // business profile is edited by its own admin and a global admin.
    let mut global = admins.clone();
    global.extend([
        ProveDomain,
        EditBusinessProfile,
        ViewReferrals,
        AnswerReferrals,
        ViewCustomers,
        InviteCustomers,
        ManageAdminRelationships,
    ]);
    global.sort();
    for (role, expected) in [
        (Role::GlobalAdmin, global),
        (Role::AccountAdmin, admins),
        (Role::UserManagementAdmin, with(&users)),
        (Role::BillingAdmin, with(&[])),
        (
            Role::AdminAgent,
            with(&[
                ViewProviderRequests,
                ViewCustomers,
                InviteCustomers,
                ManageAdminRelationships,
            ]),
        ),
        (
            Role::SalesAgent,
            with(&[ViewProviderRequests, ViewCustomers, InviteCustomers]),
        ),
        (Role::HelpdeskAgent, with(&[])),
        (
            Role::BusinessProfileAdmin,
            with(&[ViewBusinessProfile, EditBusinessProfile]),
        ),
        (
            Role::ReferralsAdmin,
            with(&[ViewBusinessProfile, ViewReferrals, AnswerReferrals]),
        ),
    ] {
        assert_eq!(allowed_actions(&[role]), expected, "{role:?}");
    }
    // Roles add up.
    let both = allowed_actions(&[Role::SalesAgent, Role::UserManagementAdmin]);
    assert!(both.contains(&ViewProviderRequests) && both.contains(&AddUser));
    assert!(!both.contains(&EditOrganizationProfile));
}

#[test]
fn only_a_direct_partner_has_customers() {
    use crate::PartnerModel;
    for role in [Role::GlobalAdmin, Role::AdminAgent, Role::SalesAgent] {
        let direct = account_actions(&[role], Some(PartnerModel::DirectPartner));
        assert!(direct.contains(&InviteCustomers) && direct.contains(&ViewCustomers));
        for model in [Some(PartnerModel::IndirectReseller), None] {
            let other = account_actions(&[role], model);
            assert!(!other.contains(&InviteCustomers) && !other.contains(&ViewCustomers));
            assert!(other.contains(&ViewProviderRequests), "{role:?}");
        }
    }
    let helpdesk = account_actions(&[Role::HelpdeskAgent], Some(PartnerModel::DirectPartner));
    assert!(!helpdesk.contains(&ViewCustomers));
}

#[test]
fn only_a_global_admin_makes_or_unmakes_a_global_admin() {
    use Role::*;
    assert!(may_assign(&[GlobalAdmin], GlobalAdmin));
    for actor in [UserManagementAdmin, AccountAdmin] {
        assert!(!may_assign(&[actor], GlobalAdmin), "{actor:?}");
        assert!(may_assign(&[actor], SalesAgent), "{actor:?}");
        assert!(!may_change_roles(
            &[actor],
            &[SalesAgent],
            &[SalesAgent, GlobalAdmin]
        ));
        assert!(!may_change_roles(&[actor], &[GlobalAdmin], &[SalesAgent]));
        // Nor the roles beside it.
        assert!(!may_change_roles(
            &[actor],
            &[GlobalAdmin, SalesAgent],
            &[GlobalAdmin]
        ));
    }
    assert!(may_change_roles(
        &[GlobalAdmin],
        &[GlobalAdmin, SalesAgent],
        &[GlobalAdmin]
    ));
    // Likewise a user management admin and an account admin's roles.
    assert!(!may_change_roles(
        &[UserManagementAdmin],
        &[AccountAdmin, SalesAgent],
        &[AccountAdmin]
    ));
    assert!(may_change_roles(
        &[AccountAdmin],
        &[AccountAdmin, SalesAgent],
        &[AccountAdmin]
    ));
}

/// The grant column over every pair of roles: the actor's role down,
/// the role granted across. A role grants nothing beyond what it could
/// do itself.
#[test]
fn who_grants_which_role_over_every_pair() {
    use Role::*;
    let expected: [(Role, &[Role]); 9] = [
        (GlobalAdmin, &Role::ALL),
        (
            AccountAdmin,
            &[
                AccountAdmin,
                UserManagementAdmin,
                BillingAdmin,
                AdminAgent,
                SalesAgent,
                HelpdeskAgent,
                BusinessProfileAdmin,
                ReferralsAdmin,
            ],
        ),
        (
            UserManagementAdmin,
            &[
                UserManagementAdmin,
                AdminAgent,
                SalesAgent,
                HelpdeskAgent,
                BusinessProfileAdmin,
                ReferralsAdmin,
            ],
        ),
        (BillingAdmin, &[]),
        (AdminAgent, &[]),
        (SalesAgent, &[]),
        (HelpdeskAgent, &[]),
        (BusinessProfileAdmin, &[]),
        (ReferralsAdmin, &[]),
    ];
    for (actor, grants) in expected {
        for role in Role::ALL {
            assert_eq!(
                may_assign(&[actor], role),
                grants.contains(&role),
                "{actor:?} granting {role:?}"
            );
            // Giving and taking away are the same right, over a user
            // whose roles the actor may assign.
            assert_eq!(
                may_change_roles(&[actor], &[SalesAgent], &[SalesAgent, role]),
                grants.contains(&SalesAgent) && grants.contains(&role),
                "{actor:?} adding {role:?}"
            );
        }
        // Whoever grants a role may also make every change it makes, so
        // no grant raises a user beyond the granter's own rights over
        // users and the account (an agent's reading of its provider
        // requests, and the business profile its admin keeps, are the
        // work the role is given for).
        for role in grants {
            let granter = allowed_actions(&[actor]);
            let changes = allowed_actions(&[*role]).into_iter().filter(|a| {
                !matches!(
                    a,
                    ViewProviderRequests
                        | ViewBusinessProfile
                        | EditBusinessProfile
                        | ViewReferrals
                        | AnswerReferrals
                        | ViewCustomers
                        | InviteCustomers
                        | ManageAdminRelationships
                )
            });
            for action in changes {
                assert!(
                    granter.contains(&action),
                    "{actor:?} grants {role:?}, which may {action:?}"
                );
            }
        }
    }
}

/// The examples: what an attacker tries first is refused, with
/// the reason; passphrases pass.
#[test]
fn a_guessable_password_is_refused_with_the_reason() {
    let own = own_words("sam.lee@fabrikam.com", &["Sam", "Lee", "Fabrikam Inc."]);
    let why = |password: &str| guessable_password(password, &own);
    for (password, reason) in [
        ("123456789012", Guessable::Sequence),
        ("aaaaaaaaaaaa", Guessable::Repeat),
        ("abcdefghijkl", Guessable::Sequence),
        ("qwertyuiopas", Guessable::CommonWords),
        ("zxcvfdsaqwer", Guessable::Keyboard),
        ("07/12/1987", Guessable::Dates),
        ("长城长城长城长城长城长城", Guessable::Repeat),
        ("sam.lee@fabrikam.com", Guessable::OwnWords),
        ("fabrikamfabrikam", Guessable::OwnWords),
        ("Fabrikam Inc. 2026", Guessable::OwnWords),
        ("Fabrikam Ltd. 2026!", Guessable::OwnWords),
        ("Sam Lee of Fabrikam", Guessable::OwnWords),
        ("password1234", Guessable::CommonWords),
    ] {
        assert_eq!(why(password), Some(reason), "{password}");
    }
    for strong in [
        "correct horse battery staple lantern",
        "Seven tall ships sail at noon",
        // The tests' own passwords.
        "violet quarry tandem",
        "amber canyon lantern",
        "七只白鹤飞过蓝色山脉上空",
        // Their own words beside enough of something else.
        "Fabrikam ferries violet quartz",
    ] {
        assert_eq!(why(strong), None, "{strong}");
    }
}

#[test]
fn a_new_password_is_long_new_and_uncommon() {
    let common = CommonPasswords::from_lines("password\nqwertyuiop\n1q2w3e4r5t6y\n");
    let problem = |new: &str| new_password_problem(new, "Temporary-Pass-1234", &common);
    assert_eq!(problem(""), Some(ProblemCode::Required));
    assert_eq!(problem("short pass1"), Some(ProblemCode::TooShort));
    // Counted in characters, not bytes: 12 Chinese characters are enough.
    assert_eq!(problem("长城长城长城长城长城长城"), None);
    assert_eq!(problem(&"x".repeat(257)), Some(ProblemCode::TooLong));
    assert_eq!(
        problem("Temporary-Pass-1234"),
        Some(ProblemCode::SameAsPrevious)
    );
    assert_eq!(problem("1Q2W3E4R5T6Y"), Some(ProblemCode::CommonPassword));
    assert_eq!(problem("Password2026!"), Some(ProblemCode::CommonPassword));
    assert_eq!(problem("!!qwertyuiop12"), Some(ProblemCode::CommonPassword));
    assert_eq!(problem("correct horse battery"), None);
}

#[test]
fn the_vendored_list_refuses_what_people_pick() {
    let common = crate::reference::vendored_common_passwords();
    assert!(common.len() > 19_000, "{}", common.len());
    for picked in [
        "Password2026!",
        "qwerty123456",
        "iloveyou1234",
        "Sunshine!!2024",
    ] {
        assert!(common.contains(picked), "{picked}");
    }
    assert!(!common.contains("violet quarry tandem"));
}

#[test]
fn each_stage_allows_only_its_step() {
    let state = |mfa_enrolled, mfa_passed, temporary_password| {
        SessionStage::of(SignInState {
            mfa_enrolled,
            mfa_passed,
            temporary_password,
        })
    };
    use Request::*;
    use SessionStage::*;
    assert_eq!(state(true, false, false), NeedsMfaCode);
    assert_eq!(state(false, false, true), MustChangePassword);
    // Every user sets up a second factor, whatever the roles.
    assert_eq!(state(false, false, false), MustEnrolMfa);
    assert_eq!(state(true, true, false), Ready);

    assert_eq!(NeedsMfaCode.refusal(Account), Some(ErrorCode::MfaRequired));
    assert_eq!(
        NeedsMfaCode.refusal(ChangePassword),
        Some(ErrorCode::MfaRequired)
    );
    assert_eq!(NeedsMfaCode.refusal(MfaCode), None);
    assert_eq!(
        MustChangePassword.refusal(Account),
        Some(ErrorCode::PasswordChangeRequired)
    );
    assert_eq!(
        MustChangePassword.refusal(EnrolMfa),
        Some(ErrorCode::PasswordChangeRequired)
    );
    assert_eq!(MustChangePassword.refusal(ChangePassword), None);
    assert_eq!(
        MustEnrolMfa.refusal(Account),
        Some(ErrorCode::MfaEnrolmentRequired)
    );
    assert_eq!(MustEnrolMfa.refusal(EnrolMfa), None);
    assert_eq!(Ready.refusal(MfaCode), Some(ErrorCode::MfaNotDue));
    for stage in [NeedsMfaCode, MustChangePassword, MustEnrolMfa, Ready] {
        assert_eq!(stage.refusal(SignOut), None, "{stage:?}");
    }
    assert_eq!(Ready.refusal(Account), None);
}

/// Each role and each reason a password is guessable is worded by its own
/// message, not a neighbour's.
#[test]
fn each_role_and_each_weakness_has_its_own_words() {
    for role in Role::ALL {
        assert_eq!(role.label_key().as_str(), format!("role.{}", role.as_str()));
    }
    for why in super::passwords::Guessable::ALL {
        assert_eq!(
            why.label_key().as_str(),
            format!("password.why.{}", why.as_str())
        );
    }
}
