//! `#[backends]`, used as `test_postgres::backends` (documented there).

use proc_macro::TokenStream;
use proc_macro2::{Ident, TokenStream as TokenStream2};
use quote::quote;
use syn::{parse_macro_input, Error, ItemFn, ReturnType, Type};

/// Makes `async fn name() { body }` a module `name` with the tests
/// `sqlite` and `postgres`; see `test_postgres::backends`.
#[proc_macro_attribute]
pub fn backends(args: TokenStream, item: TokenStream) -> TokenStream {
    let function = parse_macro_input!(item as ItemFn);
    expand(args.into(), function)
        .unwrap_or_else(Error::into_compile_error)
        .into()
}

fn expand(args: TokenStream2, function: ItemFn) -> syn::Result<TokenStream2> {
    check(&function)?;
    let ItemFn {
        attrs,
        vis,
        sig,
        block,
    } = function;
    let name = &sig.ident;
    // Empty arguments: `#[tokio::test]` alone, as written by hand.
    let test = if args.is_empty() {
        quote!(#[::tokio::test])
    } else {
        quote!(#[::tokio::test(#args)])
    };
    let tests =
        [("sqlite", quote!(Sqlite)), ("postgres", quote!(Postgres))].map(|(test_name, variant)| {
            // The user's span: errors and "go to definition" land on their
            // function rather than on this macro.
            let test_name = Ident::new(test_name, name.span());
            quote! {
                #(#attrs)*
                #test
                async fn #test_name() {
                    ::test_postgres::scope(
                        ::test_postgres::Backend::#variant,
                        async move #block,
                    )
                    .await
                }
            }
        });
    Ok(quote! {
        #vis mod #name {
            // The body was written for the enclosing module: give it the
            // same names (its imports, helpers, `mod common`).
            #[allow(unused_imports)]
            use super::*;

            #(#tests)*
        }
    })
}

/// Only what both generated tests can be: an `async fn` of no arguments
/// returning `()`, not already a test.
fn check(function: &ItemFn) -> syn::Result<()> {
    let sig = &function.sig;
    if sig.asyncness.is_none() {
        return Err(Error::new_spanned(
            sig.fn_token,
            "#[backends] needs an `async fn`: its body runs inside a tokio test on each backend",
        ));
    }
    if !sig.inputs.is_empty() {
        return Err(Error::new_spanned(
            &sig.inputs,
            "#[backends] takes a function without arguments: it becomes two tests",
        ));
    }
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        return Err(Error::new_spanned(
            &sig.generics,
            "#[backends] takes a function without generic parameters",
        ));
    }
    if let Some(unwanted) = sig
        .constness
        .as_ref()
        .map(|t| Error::new_spanned(t, "a `const fn` cannot be a test"))
        .or_else(|| {
            sig.unsafety
                .as_ref()
                .map(|t| Error::new_spanned(t, "an `unsafe fn` cannot be a test"))
        })
        .or_else(|| {
            sig.abi
                .as_ref()
                .map(|t| Error::new_spanned(t, "a test has Rust's ABI"))
        })
    {
        return Err(unwanted);
    }
    if let ReturnType::Type(_, returned) = &sig.output {
        let unit = matches!(&**returned, Type::Tuple(tuple) if tuple.elems.is_empty());
        if !unit {
            return Err(Error::new_spanned(
                returned,
                "#[backends] takes a function returning `()`: fail with assertions or \
                 `.expect(...)` rather than by returning an error",
            ));
        }
    }
    for attribute in &function.attrs {
        let is_test = attribute
            .path()
            .segments
            .last()
            .is_some_and(|segment| segment.ident == "test");
        if is_test {
            return Err(Error::new_spanned(
                attribute,
                "remove this: #[backends] makes both tests itself (pass tokio::test's \
                 arguments as #[backends(flavor = \"multi_thread\")])",
            ));
        }
    }
    Ok(())
}
