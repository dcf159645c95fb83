//! The OpenAPI schema of [`CompactDirectory`]'s JSON, which its own
//! `Serialize` writes (not a derive): the four facet lists, then each
//! provider as an eight-element array. Kept beside that impl's crate so a
//! change to the layout is a change here too; the API's tests check every
//! answer of `GET /providers/index` against it.

use crate::CompactDirectory;
use utoipa::openapi::schema::{ArrayBuilder, ArrayItems, ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

fn strings(description: &str) -> ArrayBuilder {
    ArrayBuilder::new()
        .items(ObjectBuilder::new().schema_type(Type::String))
        .description(Some(description))
}

fn positions(description: &str) -> ArrayBuilder {
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(0))
                .maximum(Some(u16::MAX)),
        )
        .description(Some(description))
}

fn text(description: &str) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
}

impl PartialSchema for CompactDirectory {
    fn schema() -> RefOr<Schema> {
        let item = ArrayBuilder::new()
            .prefix_items([
                Schema::from(text("id")),
                text("name").into(),
                text("country (ISO 3166-1 alpha-2)").into(),
                text("city").into(),
                positions("countries served: positions in `countries`").into(),
                positions("products: positions in `products`").into(),
                positions("languages: positions in `languages`").into(),
                positions("services: positions in `services`").into(),
            ])
            .items(ArrayItems::False)
            .min_items(Some(8))
            .description(Some(
                "One provider: [id, name, country, city, served, products, languages, services]",
            ));
        ObjectBuilder::new()
            .description(Some(
                "The whole directory, compact: each country, product, language and service \
                 named once in its list, and each provider an array referring to them by position",
            ))
            .property(
                "countries",
                strings("Countries served (ISO 3166-1 alpha-2), sorted"),
            )
            .required("countries")
            .property("products", strings("Products, sorted"))
            .required("products")
            .property("languages", strings("Languages (BCP 47), sorted"))
            .required("languages")
            .property("services", strings("Services, sorted"))
            .required("services")
            .property("items", ArrayBuilder::new().items(item))
            .required("items")
            .into()
    }
}

impl ToSchema for CompactDirectory {}
