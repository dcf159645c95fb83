//! The OpenAPI schema of [`Application`]: it is sent and read through
//! `ApplicationJson` (`serde(from, into)`), so the schema is that type's,
//! under the name clients know, `Application`.

use super::{Application, ApplicationJson};
use utoipa::openapi::schema::Schema;
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

impl PartialSchema for Application {
    fn schema() -> RefOr<Schema> {
        ApplicationJson::schema()
    }
}

impl ToSchema for Application {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        ApplicationJson::schemas(schemas);
    }
}
