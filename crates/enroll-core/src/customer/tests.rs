use super::*;

fn partner(account: &str, country: &str, csp: &str, corporate: &str) -> PartnerTenants {
    PartnerTenants {
        account_id: account.into(),
        country: country.into(),
        csp_domain: csp.into(),
        corporate_domain: corporate.into(),
    }
}

/// The inviting partner, in China, and two other approved partners.
fn partners() -> (PartnerTenants, Vec<PartnerTenants>) {
    let inviter = partner(
        "ours",
        "CN",
        "ourcsp.onmicrosoft.com",
        "ourcorp.onmicrosoft.com",
    );
    let others = vec![
        inviter.clone(),
        partner(
            "fabrikam",
            "CN",
            "fabrikamcsp.onmicrosoft.com",
            "fabrikamcorp.onmicrosoft.com",
        ),
        partner("tailspin", "DE", "tailspincsp.onmicrosoft.com", ""),
    ];
    (inviter, others)
}

fn refusals(country: &str, tenant: &str) -> Vec<(String, ProblemCode)> {
    let (inviter, all) = partners();
    let acceptance = InvitationAcceptance {
        company_name: "Contoso".into(),
        country: country.into(),
        tenant_domain: tenant.into(),
    }
    .trimmed();
    resale_refusals(&acceptance, &inviter, &all, &[])
        .into_iter()
        .map(|p| (p.field, p.code))
        .collect()
}

fn at(field: &str, code: ProblemCode) -> (String, ProblemCode) {
    (field.to_owned(), code)
}

#[test]
fn the_resale_rule_on_a_table_of_tenants() {
    use ProblemCode::*;
    /// The customer's country and tenant, and the refusals expected.
    type Case<'a> = (&'a str, &'a str, &'a [(&'a str, ProblemCode)]);
    let cases: &[Case] = &[
        // A customer's own tenant, in the partner's country.
        ("CN", "contoso.onmicrosoft.com", &[]),
        // Another partner's CSP-transaction tenant: seed fact 5.
        (
            "CN",
            "fabrikamcsp.onmicrosoft.com",
            &[("tenant_domain", CspTenantOfAnotherPartner)],
        ),
        // ... in another country too, and as typed (case, spaces).
        (
            "cn",
            "  TailspinCSP.onmicrosoft.com ",
            &[("tenant_domain", CspTenantOfAnotherPartner)],
        ),
        // Another partner's corporate (non-CSP) tenant may buy.
        ("CN", "fabrikamcorp.onmicrosoft.com", &[]),
        ("CN", "FabrikamCorp.OnMicrosoft.com", &[]),
        // The inviting partner's own tenants, either of them.
        (
            "CN",
            "ourcsp.onmicrosoft.com",
            &[("tenant_domain", OwnTenant)],
        ),
        (
            " CN ",
            " OurCorp.onmicrosoft.com",
            &[("tenant_domain", OwnTenant)],
        ),
        // Another country than the partner's.
        (
            "DE",
            "contoso.onmicrosoft.com",
            &[("country", OtherCountry)],
        ),
        // Both at once: each on its field.
        (
            "US",
            "fabrikamcsp.onmicrosoft.com",
            &[
                ("tenant_domain", CspTenantOfAnotherPartner),
                ("country", OtherCountry),
            ],
        ),
    ];
    for (country, tenant, expected) in cases {
        let expected: Vec<_> = expected.iter().map(|(f, c)| at(f, *c)).collect();
        assert_eq!(refusals(country, tenant), expected, "{country} {tenant:?}");
    }
}

#[test]
fn a_partner_without_a_corporate_tenant_owns_no_empty_one() {
    let (_, all) = partners();
    let tailspin = &all[2];
    let acceptance = InvitationAcceptance {
        company_name: "Contoso".into(),
        country: "DE".into(),
        tenant_domain: String::new(),
    };
    assert!(resale_refusals(&acceptance, tailspin, &all, &[]).is_empty());
}

#[test]
fn a_tenant_is_a_customer_of_a_partner_once() {
    let (inviter, all) = partners();
    let acceptance = InvitationAcceptance {
        company_name: "Contoso".into(),
        country: "CN".into(),
        tenant_domain: " Contoso.onmicrosoft.com".into(),
    };
    let customers = ["contoso.onmicrosoft.com".to_owned()];
    let refusals = resale_refusals(&acceptance, &inviter, &all, &customers);
    assert_eq!(refusals.len(), 1);
    assert_eq!(refusals[0].code, ProblemCode::AlreadyCustomer);
    assert!(resale_refusals(&acceptance, &inviter, &all, &[]).is_empty());
}

#[test]
fn partner_tenants_read_from_an_application_as_the_wizard_stored_them() {
    let mut answers = Answers::example();
    answers.tenant.csp_domain = " ContosoCSP.onmicrosoft.com".into();
    answers.tenant.corporate_domain = String::new();
    answers.address.country = "de".into();
    let tenants = PartnerTenants::of("a1", &answers);
    assert_eq!(tenants.csp_domain, "contosocsp.onmicrosoft.com");
    assert_eq!(tenants.corporate_domain, "");
    assert_eq!(tenants.country, "DE");
}

#[test]
fn the_customer_answers_are_checked_before_the_rule() {
    let reference = ReferenceData::vendored();
    let empty = InvitationAcceptance::default()
        .trimmed()
        .validate(&reference);
    let codes: Vec<_> = empty
        .errors
        .iter()
        .map(|p| (p.field.as_str(), p.code))
        .collect();
    assert_eq!(
        codes,
        [
            ("company_name", ProblemCode::Required),
            ("country", ProblemCode::Required),
            ("tenant_domain", ProblemCode::Required),
        ]
    );
    let typed = InvitationAcceptance {
        company_name: "Contoso".into(),
        country: "XX".into(),
        tenant_domain: "contoso".into(),
    }
    .trimmed()
    .validate(&reference);
    let tenant = &typed.errors[1];
    assert_eq!(typed.errors[0].code, ProblemCode::UnknownCountry);
    assert_eq!(tenant.code, ProblemCode::TenantDomainFormat);
    assert_eq!(
        tenant.params.get("suggestion").map(String::as_str),
        Some("contoso.onmicrosoft.com")
    );
    let good = InvitationAcceptance {
        company_name: " Contoso ".into(),
        country: "cn".into(),
        tenant_domain: " Contoso.onmicrosoft.com ".into(),
    }
    .trimmed();
    assert!(good.validate(&reference).valid);
    assert_eq!(good.tenant_domain, "contoso.onmicrosoft.com");
    assert_eq!(good.country, "CN");
}

#[test]
fn an_invitation_needs_a_name_a_language_and_a_work_address_if_any() {
    let reference = ReferenceData::vendored();
    let codes = |invitation: NewInvitation| -> Vec<(String, ProblemCode)> {
        let report = invitation.trimmed().validate(&reference);
        report
            .errors
            .into_iter()
            .map(|p| (p.field, p.code))
            .collect()
    };
    assert_eq!(
        codes(NewInvitation::default()),
        [
            at("company_name", ProblemCode::Required),
            at("locale", ProblemCode::InvalidFormat)
        ]
    );
    let good = NewInvitation {
        company_name: "Contoso".into(),
        admin_email: String::new(),
        locale: "zh-CN".into(),
        link_base: None,
    };
    assert!(codes(good.clone()).is_empty());
    let free_mail = NewInvitation {
        admin_email: "someone@gmail.com".into(),
        ..good.clone()
    };
    assert_eq!(
        codes(free_mail),
        [at("admin_email", ProblemCode::FreeEmailDomain)]
    );
    let long = NewInvitation {
        company_name: "x".repeat(limits::COMPANY_NAME_MAX_CHARS + 1),
        ..good
    };
    assert_eq!(codes(long), [at("company_name", ProblemCode::TooLong)]);
}

#[test]
fn a_sent_invitation_expires_at_its_end_and_only_a_sent_one_is_open() {
    let end = 1_000;
    assert_eq!(InvitationStatus::Sent.at(999, end), InvitationStatus::Sent);
    assert_eq!(
        InvitationStatus::Sent.at(1_000, end),
        InvitationStatus::Expired
    );
    assert_eq!(
        InvitationStatus::Accepted.at(5_000, end),
        InvitationStatus::Accepted
    );
    for status in InvitationStatus::ALL {
        assert_eq!(status.is_open(), status == InvitationStatus::Sent);
        assert_eq!(InvitationStatus::parse(status.as_str()), Some(status));
    }
}
