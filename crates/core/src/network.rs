//! Which addresses are the server's own networks (pure: no resolution).
//! A client's plan may not make the server reach them (see the engine's
//! `reach`).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Whether `ip` is an address of the server's own networks: loopback,
/// private, link-local (cloud metadata), shared (CGNAT), unspecified,
/// multicast, broadcast or reserved.
pub fn internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => internal_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => internal_v4(v4),
            None => internal_v6(v6),
        },
    }
}

fn internal_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || a == 0
        || (a == 100 && (64..128).contains(&b))
        || a >= 240
        || (a == 192 && b == 0 && ip.octets()[2] == 0)
}

fn internal_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
}

/// Why `host` (a name or a literal address) may not be reached by a
/// client's plan, judged without resolving it: a literal internal
/// address, or `localhost`. Names are judged when resolved.
pub fn refused_literal(host: &str) -> Option<String> {
    refused_literal_said(host).map(|said| rempart_i18n::english(&said))
}

/// [`refused_literal`], as a sentence of the catalogue (`say!`), to be
/// said in the reader's language.
pub fn refused_literal_said(host: &str) -> Option<serde_json::Value> {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return internal(ip)
            .then(|| rempart_i18n::say!("plan-trust-internal-network", host = host));
    }
    let name = bare.trim_end_matches('.').to_ascii_lowercase();
    (name == "localhost" || name.ends_with(".localhost"))
        .then(|| rempart_i18n::say!("plan-trust-server-itself", host = host))
}
