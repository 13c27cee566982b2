//! Authentication and tenant access, in one place: a handler asks for a
//! [`Caller`] and gets a tenant's scope through [`Caller::tenant`].

use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use rempart_core::plan::trust::Author;
use rempart_store::{TenantScope, TokenScope};
use utoipa::Modify;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

use crate::AppState;
use crate::error::ApiError;

/// An authenticated caller and what its token may reach.
pub struct Caller {
    pub scope: TokenScope,
    /// The token's name: who the caller is, in every record it causes.
    token_name: String,
    state: AppState,
}

impl Caller {
    /// The tenant's scope, or 404 when it does not exist or this token
    /// may not see it (the two are indistinguishable on purpose).
    pub async fn tenant(&self, tenant: &str) -> Result<TenantScope, ApiError> {
        if !self.scope.allows(tenant) {
            return Err(ApiError::no_tenant(tenant));
        }
        Ok(self.state.store.tenant(tenant).await?)
    }

    pub fn store(&self) -> &rempart_store::Store {
        &self.state.store
    }

    /// Who the caller is, as records name them: `api:<token name>`. The
    /// API never takes a "by" from the request itself.
    pub fn identity(&self) -> String {
        format!("api:{}", self.token_name)
    }

    /// Whether the caller writes with the MSP's authority or a client's.
    pub fn author(&self) -> Author {
        match self.scope {
            TokenScope::Msp => Author::Msp,
            TokenScope::Tenant(_) | TokenScope::Metrics => Author::Client,
        }
    }

    /// Only a token of the whole server (the MSP) may do this.
    pub fn require_msp(&self) -> Result<(), ApiError> {
        match self.scope {
            TokenScope::Msp => Ok(()),
            TokenScope::Tenant(_) | TokenScope::Metrics => Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "this needs a server-wide (MSP) token",
            )),
        }
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let unauthorized = || {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "send a valid API token: Authorization: Bearer rpt_… (create one with `rempart token create`)",
            )
        };
        let token = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            // The scheme is case-insensitive (RFC 9110 §11.1): "bearer" too.
            .and_then(|v| {
                v.get(..7)
                    .filter(|s| s.eq_ignore_ascii_case("bearer "))
                    .map(|_| &v[7..])
            })
            .map(str::trim)
            .ok_or_else(unauthorized)?;
        let token = state
            .store
            .authenticate(token)
            .await?
            .ok_or_else(unauthorized)?;
        Ok(Caller {
            scope: token.scope,
            token_name: token.name,
            state: state.clone(),
        })
    }
}

/// Declares the bearer scheme in the OpenAPI document.
pub struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}
