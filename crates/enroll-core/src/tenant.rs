//! Tenant domains: the tenant that carries CSP transactions and an optional
//! separate tenant for the company's own use. Both are Microsoft Entra
//! initial domains, `<name>.onmicrosoft.com`.

use crate::{Problem, ProblemCode, Tenant};

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

fn format_problem(field: &str, typed: &str) -> Problem {
    let mut problem = Problem::new(field, ProblemCode::TenantDomainFormat);
    // "contoso" → suggest "contoso.onmicrosoft.com".
    let bare = normalize_tenant_domain(typed);
    if !bare.contains('.') && is_tenant_domain(&format!("{bare}{TENANT_SUFFIX}")) {
        problem = problem.with_param("suggestion", format!("{bare}{TENANT_SUFFIX}"));
    }
    problem
}

pub fn tenant_problems(tenant: &Tenant) -> Vec<Problem> {
    let mut problems = Vec::new();
    let csp = normalize_tenant_domain(&tenant.csp_domain);
    if csp.is_empty() {
        problems.push(Problem::new("tenant.csp_domain", ProblemCode::Required));
    } else if !is_tenant_domain(&csp) {
        problems.push(format_problem("tenant.csp_domain", &tenant.csp_domain));
    }
    let corporate = normalize_tenant_domain(&tenant.corporate_domain);
    if !corporate.is_empty() {
        if !is_tenant_domain(&corporate) {
            problems.push(format_problem(
                "tenant.corporate_domain",
                &tenant.corporate_domain,
            ));
        } else if corporate == csp {
            problems.push(Problem::new(
                "tenant.corporate_domain",
                ProblemCode::SameAsCspTenant,
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

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
