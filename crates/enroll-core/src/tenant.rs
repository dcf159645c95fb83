//! Tenant domains: the tenant that carries CSP transactions and an optional
//! separate tenant for the company's own use. Both are Microsoft Entra
//! initial domains, `<name>.onmicrosoft.com`.

use crate::problem::broken;
use crate::{Field, Problem, ProblemCode, Tenant};
use validator::ValidationError;

pub const TENANT_SUFFIX: &str = ".onmicrosoft.com";
/// The sign-up form for a new tenant accepts letters and digits only, at
/// most 27 of them, for the name before `.onmicrosoft.com`.
const MAX_NAME_CHARS: usize = 27;

/// The tenant domain as compared: trimmed, lower case.
pub fn normalize_tenant_domain(typed: &str) -> String {
    typed.trim().to_ascii_lowercase()
}

fn is_tenant_domain(domain: &str) -> bool {
    domain.strip_suffix(TENANT_SUFFIX).is_some_and(|name| {
        (1..=MAX_NAME_CHARS).contains(&name.len())
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    })
}

/// The CSP tenant's domain (a `validator` custom rule).
pub fn csp_domain(typed: &str) -> Result<(), ValidationError> {
    if normalize_tenant_domain(typed).is_empty() {
        return Err(broken(ProblemCode::Required, &[]));
    }
    corporate_domain(typed)
}

/// A tenant domain if given: the corporate tenant's, or the CSP tenant's
/// once it is there.
pub fn corporate_domain(typed: &str) -> Result<(), ValidationError> {
    let domain = normalize_tenant_domain(typed);
    if domain.is_empty() || is_tenant_domain(&domain) {
        return Ok(());
    }
    // "contoso" → suggest "contoso.onmicrosoft.com".
    let suggestion = format!("{domain}{TENANT_SUFFIX}");
    if !domain.contains('.') && is_tenant_domain(&suggestion) {
        return Err(broken(
            ProblemCode::TenantDomainFormat,
            &[("suggestion", &suggestion)],
        ));
    }
    Err(broken(ProblemCode::TenantDomainFormat, &[]))
}

/// What is wrong with a required tenant domain at `path` of a contract
/// other than the application's (a customer's tenant): the CSP tenant's
/// rule, as a problem.
pub fn tenant_domain_problem(path: &str, typed: &str) -> Option<Problem> {
    let error = csp_domain(typed).err()?;
    let mut problem = Problem::at(path, ProblemCode::parse(&error.code));
    for (name, value) in error.params {
        if let serde_json::Value::String(text) = value {
            problem = problem.with_param(&name, text);
        }
    }
    Some(problem)
}

/// The corporate tenant may not be the CSP tenant: a rule over both
/// answers, so not one of validator's (which sees one answer at a time).
pub fn same_tenant_problem(tenant: &Tenant) -> Option<Problem> {
    let corporate = normalize_tenant_domain(&tenant.corporate_domain);
    (is_tenant_domain(&corporate) && corporate == normalize_tenant_domain(&tenant.csp_domain))
        .then(|| Problem::new(Field::CorporateDomain, ProblemCode::SameAsCspTenant))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tenant_problems(tenant: &Tenant) -> Vec<Problem> {
        let same = same_tenant_problem(tenant).into_iter().collect();
        crate::validate::checked(tenant, same)
    }

    fn codes(csp: &str, corporate: &str) -> Vec<(String, ProblemCode)> {
        let tenant = Tenant {
            csp_domain: csp.into(),
            corporate_domain: corporate.into(),
        };
        tenant_problems(&tenant)
            .into_iter()
            .map(|p| (p.field, p.code))
            .collect()
    }

    #[test]
    fn tenant_domain_table() {
        assert_eq!(codes("contoso.onmicrosoft.com", ""), []);
        assert_eq!(
            codes(" Contoso.OnMicrosoft.com ", "contosocorp.onmicrosoft.com"),
            []
        );
        assert_eq!(codes("contoso2026.onmicrosoft.com", ""), []);
        let csp_format = [(
            "tenant.csp_domain".to_owned(),
            ProblemCode::TenantDomainFormat,
        )];
        for bad in [
            "contoso",
            "contoso.com",
            "con-toso.onmicrosoft.com",
            ".onmicrosoft.com",
            "a.b.onmicrosoft.com",
        ] {
            assert_eq!(codes(bad, ""), csp_format, "{bad}");
        }
        assert_eq!(
            codes(&format!("{}.onmicrosoft.com", "a".repeat(28)), ""),
            csp_format
        );
        assert_eq!(
            codes("", ""),
            [("tenant.csp_domain".to_owned(), ProblemCode::Required)]
        );
        assert_eq!(
            codes("contoso.onmicrosoft.com", "CONTOSO.onmicrosoft.com"),
            [(
                "tenant.corporate_domain".to_owned(),
                ProblemCode::SameAsCspTenant
            )]
        );
        assert_eq!(
            codes("contoso.onmicrosoft.com", "contoso.com"),
            [(
                "tenant.corporate_domain".to_owned(),
                ProblemCode::TenantDomainFormat
            )]
        );
    }

    #[test]
    fn a_bare_name_gets_the_full_domain_suggested() {
        let tenant = Tenant {
            csp_domain: "Contoso".into(),
            corporate_domain: String::new(),
        };
        assert_eq!(
            tenant_problems(&tenant)[0].params["suggestion"],
            "contoso.onmicrosoft.com"
        );
    }
}
