//! Is an S3 copy really immutable? A plan may say `immutable = true`; the
//! bucket's object lock configuration (read with a signed
//! `GET ?object-lock`) says whether the storage enforces it: object lock
//! enabled, with a default retention so that every pack written is locked.
//! OpenDAL has no call for this, so the request is signed here (SigV4,
//! reqsign) and sent with reqwest, both already used by OpenDAL.

use std::time::Duration;

use reqsign_aws_v4::{RequestSigner, StaticCredentialProvider};
use reqsign_core::{Context, Signer};

/// Where and how to reach an S3 bucket (credentials never printed).
#[derive(Clone)]
pub struct S3Access {
    pub endpoint: String,
    pub region: String,
    pub bucket: String,
    pub key: Option<(String, String)>,
}

impl std::fmt::Debug for S3Access {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Access")
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("bucket", &self.bucket)
            .finish_non_exhaustive()
    }
}

/// A bucket's object lock, as the storage reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectLock {
    /// `Enabled`, or none when the bucket has no object lock.
    pub enabled: bool,
    /// `COMPLIANCE` or `GOVERNANCE`, when a default retention is set.
    pub mode: Option<String>,
    /// The default retention, in days (years counted as 365 days).
    pub days: Option<u32>,
}

impl ObjectLock {
    /// Whether every object written is locked: object lock on, with a
    /// default retention of at least a day.
    pub fn enforced(&self) -> bool {
        self.enabled && self.mode.is_some() && self.days.is_some_and(|d| d >= 1)
    }

    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "object_lock": self.enabled,
            "mode": self.mode,
            "retention_days": self.days,
            "enforced": self.enforced(),
        })
    }
}

/// The text of the first `<tag>…</tag>` in `xml`.
fn tag<'a>(xml: &'a str, tag: &str) -> Option<&'a str> {
    let open = format!("<{tag}>");
    let start = xml.find(&open)? + open.len();
    let end = xml[start..].find(&format!("</{tag}>"))? + start;
    Some(xml[start..end].trim())
}

/// Reads an `ObjectLockConfiguration` document.
pub fn parse(xml: &str) -> ObjectLock {
    let days = tag(xml, "Days").and_then(|d| d.parse().ok()).or_else(|| {
        tag(xml, "Years")
            .and_then(|y| y.parse::<u32>().ok())
            .map(|y| y.saturating_mul(365))
    });
    ObjectLock {
        enabled: tag(xml, "ObjectLockEnabled") == Some("Enabled"),
        mode: tag(xml, "Mode").map(str::to_owned),
        days,
    }
}

/// Asks the storage for the bucket's object lock configuration.
pub fn object_lock(access: &S3Access) -> Result<ObjectLock, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the HTTP client: {e}"))?;
    runtime.block_on(fetch(access))
}

async fn fetch(access: &S3Access) -> Result<ObjectLock, String> {
    let url = format!(
        "{}/{}?object-lock",
        access.endpoint.trim_end_matches('/'),
        access.bucket
    );
    let mut parts = http::Request::get(&url)
        .body(())
        .map_err(|e| format!("bad S3 address {url}: {e}"))?
        .into_parts()
        .0;
    if let Some((key, secret)) = &access.key {
        let signer = Signer::new(
            Context::new(),
            StaticCredentialProvider::new(key, secret),
            RequestSigner::new("s3", &access.region),
        );
        signer
            .sign(&mut parts, None)
            .await
            .map_err(|e| format!("cannot sign the request to {url}: {e}"))?;
    }
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| format!("cannot start the HTTP client: {e}"))?;
    let response = client
        .get(parts.uri.to_string())
        .headers(parts.headers)
        .send()
        .await
        .map_err(|e| format!("{url}: {e}"))?;
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    if status.is_success() {
        return Ok(parse(&body));
    }
    // No configuration at all: object lock was never enabled.
    if status.as_u16() == 404 && body.contains("ObjectLockConfigurationNotFound") {
        return Ok(ObjectLock {
            enabled: false,
            mode: None,
            days: None,
        });
    }
    Err(format!(
        "{url} answered {status}: {}",
        tag(&body, "Message")
            .or_else(|| tag(&body, "Code"))
            .unwrap_or("no reason given")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_configuration() {
        let on = parse(
            "<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Mode>COMPLIANCE</Mode><Days>30</Days></DefaultRetention></Rule></ObjectLockConfiguration>",
        );
        assert_eq!(
            on,
            ObjectLock {
                enabled: true,
                mode: Some("COMPLIANCE".into()),
                days: Some(30)
            }
        );
        assert!(on.enforced());
        let years = parse(
            "<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Mode>GOVERNANCE</Mode><Years>2</Years></DefaultRetention></Rule></ObjectLockConfiguration>",
        );
        assert_eq!(years.days, Some(730));
        let no_rule = parse(
            "<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled></ObjectLockConfiguration>",
        );
        assert!(
            no_rule.enabled && !no_rule.enforced(),
            "no default retention: objects are not locked"
        );
        assert!(!parse("").enforced());
    }
}
