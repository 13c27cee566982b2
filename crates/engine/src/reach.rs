//! Where a client's plan may make the server connect: public addresses
//! only. Its monitors, drill checks, webhooks and S3 endpoint would
//! otherwise reach the MSP's own network from the inside — loopback
//! services, the LAN, a cloud's metadata service — and read the answers
//! back through the evidence. The MSP's plans reach anything.
//!
//! Names are checked where they are resolved, at each connection (a name
//! that resolved to a public address when the plan was sent may not stay
//! so), and literal addresses before any is made.

use std::net::SocketAddr;
use std::sync::Arc;

pub use rempart_core::network::{internal, refused_literal};

/// The host of a target: a URL's, or that of `host:port` / `host`.
pub fn host_of(target: &str) -> Option<String> {
    if target.contains("://") {
        return url::Url::parse(target)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned));
    }
    let t = target.trim();
    if let Some(rest) = t.strip_prefix('[') {
        return rest.split_once(']').map(|(h, _)| format!("[{h}]"));
    }
    match t.rsplit_once(':') {
        Some((h, port)) if port.chars().all(|c| c.is_ascii_digit()) && !h.contains(':') => {
            Some(h.to_owned())
        }
        _ => Some(t.to_owned()),
    }
}

/// `host:port` resolved; with `public_only`, internal addresses are
/// dropped, and none left is an error that says so.
pub async fn resolve(address: &str, public_only: bool) -> Result<Vec<SocketAddr>, String> {
    if public_only && let Some(why) = host_of(address).as_deref().and_then(refused_literal) {
        return Err(why);
    }
    let all: Vec<SocketAddr> = tokio::net::lookup_host(address)
        .await
        .map_err(|e| format!("{address}: {e}"))?
        .collect();
    if !public_only {
        return Ok(all);
    }
    let public: Vec<SocketAddr> = all.iter().copied().filter(|a| !internal(a.ip())).collect();
    if public.is_empty() && !all.is_empty() {
        return Err(format!(
            "{address} resolves to an address of the MSP's own networks, which a client's plan may not reach"
        ));
    }
    Ok(public)
}

/// A DNS resolver for HTTP clients of clients' plans: internal addresses
/// are never handed to the connection.
pub struct PublicResolver;

impl reqwest::dns::Resolve for PublicResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found = resolve(&format!("{host}:0"), true).await?;
            Ok(Box::new(found.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// Makes `builder` a client for a client's plan: names resolved to public
/// addresses only, and redirects to a literal internal address refused.
pub fn public_only(builder: reqwest::ClientBuilder, redirects: usize) -> reqwest::ClientBuilder {
    builder
        .dns_resolver(Arc::new(PublicResolver))
        .redirect(reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() > redirects {
                return attempt.error("too many redirects");
            }
            match attempt.url().host_str().and_then(refused_literal) {
                Some(why) => attempt.error(why),
                None if redirects == 0 => attempt.stop(),
                None => attempt.follow(),
            }
        }))
}

/// Checks a URL before a client's plan requests it (literal addresses do
/// not go through the resolver).
pub fn check_url(url: &str) -> Result<(), String> {
    match host_of(url).as_deref().and_then(refused_literal) {
        Some(why) => Err(why),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_addresses_are_known() {
        for a in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "::",
        ] {
            assert!(internal(a.parse().unwrap()), "{a}");
        }
        for a in ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "172.32.0.1"] {
            assert!(!internal(a.parse().unwrap()), "{a}");
        }
    }

    #[test]
    fn hosts_come_out_of_urls_and_addresses() {
        assert_eq!(
            host_of("http://169.254.169.254/latest").as_deref(),
            Some("169.254.169.254")
        );
        assert_eq!(host_of("db.lan:5432").as_deref(), Some("db.lan"));
        assert_eq!(host_of("[::1]:80").as_deref(), Some("[::1]"));
        assert_eq!(host_of("example.com").as_deref(), Some("example.com"));
        assert!(refused_literal("localhost").is_some());
        assert!(refused_literal("[::1]").is_some());
        assert!(refused_literal("example.com").is_none());
        assert!(check_url("http://10.0.0.1:8080/").is_err());
        assert!(check_url("https://example.com/").is_ok());
    }

    #[tokio::test]
    async fn names_are_judged_by_what_they_resolve_to() {
        let e = resolve("localhost:80", true).await.unwrap_err();
        assert!(e.contains("MSP"), "{e}");
        assert!(!resolve("localhost:80", false).await.unwrap().is_empty());
    }
}
