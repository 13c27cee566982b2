//! `tls`: a TLS handshake with host:port. Down when the certificate chain
//! does not verify against the platform's roots for that host name, or
//! when the certificate expires within `min_days_valid` days (or has).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use serde_json::json;

use super::{Check, CheckFuture, Probe, ProbeCx, elapsed_ms};

pub struct Tls {
    /// host:port
    pub address: String,
    pub min_days_valid: Option<u32>,
    /// A PEM file of extra trusted roots, as the plan gives it.
    pub ca: Option<String>,
}

/// Verifies with the platform verifier, keeps its verdict, and lets the
/// handshake finish either way, so an untrusted certificate can still be
/// read and reported.
#[derive(Debug)]
struct Noting {
    inner: rustls_platform_verifier::Verifier,
    verdict: Mutex<Option<Result<(), String>>>,
}

impl ServerCertVerifier for Noting {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let verdict = self
            .inner
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
            .map(|_| ())
            .map_err(|e| e.to_string());
        if let Ok(mut v) = self.verdict.lock() {
            *v = Some(verdict);
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// Seconds since the epoch at which the DER certificate expires.
fn not_after(der: &[u8]) -> Result<i64, String> {
    let (_, cert) = x509_parser::parse_x509_certificate(der)
        .map_err(|e| format!("unreadable certificate: {e}"))?;
    Ok(cert.validity().not_after.timestamp())
}

async fn handshake(
    address: &str,
    extra_roots: Vec<CertificateDer<'static>>,
    timeout: Duration,
    public_only: bool,
) -> Result<(Result<(), String>, i64), String> {
    let host = address
        .rsplit_once(':')
        .map(|(h, _)| h.trim_start_matches('[').trim_end_matches(']').to_owned())
        .ok_or_else(|| format!("\"{address}\" is not host:port"))?;
    let name = ServerName::try_from(host.clone()).map_err(|e| format!("\"{host}\": {e}"))?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let verifier = Arc::new(Noting {
        inner: rustls_platform_verifier::Verifier::new_with_extra_roots(
            extra_roots,
            provider.clone(),
        )
        .map_err(|e| format!("cannot load the certificate roots: {e}"))?,
        verdict: Mutex::new(None),
    });
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .dangerous()
        .with_custom_certificate_verifier(verifier.clone())
        .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let stream = tokio::time::timeout(timeout, async {
        let addrs = crate::reach::resolve(address, public_only).await?;
        let tcp = tokio::net::TcpStream::connect(&addrs[..])
            .await
            .map_err(|e| format!("{address}: {e}"))?;
        connector
            .connect(name, tcp)
            .await
            .map_err(|e| format!("{address}: TLS handshake failed: {e}"))
    })
    .await
    .map_err(|_| {
        format!(
            "{address}: no TLS handshake within {} ms",
            timeout.as_millis()
        )
    })??;
    let (_, session) = stream.get_ref();
    let leaf = session
        .peer_certificates()
        .and_then(|c| c.first())
        .ok_or_else(|| format!("{address} sent no certificate"))?;
    let expires = not_after(leaf.as_ref())?;
    let verdict = verifier
        .verdict
        .lock()
        .ok()
        .and_then(|v| v.clone())
        .unwrap_or_else(|| Err("the certificate was not verified".into()));
    Ok((verdict, expires))
}

impl Probe for Tls {
    fn check<'a>(&'a self, cx: &'a ProbeCx<'a>) -> CheckFuture<'a> {
        Box::pin(async move {
            let clock = Instant::now();
            let roots = match &self.ca {
                None => Vec::new(),
                Some(file) => {
                    let path = rempart_backup::secrets::plan_path(cx.base, file);
                    match CertificateDer::pem_file_iter(&path)
                        .and_then(|it| it.collect::<Result<Vec<_>, _>>())
                    {
                        Ok(r) => r,
                        Err(e) => {
                            return Check::down(
                                0,
                                format!("cannot read the CA file {}: {e}", path.display()),
                                json!({}),
                            );
                        }
                    }
                }
            };
            let (verdict, expires) =
                match handshake(&self.address, roots, cx.timeout, cx.public_only).await {
                    Ok(x) => x,
                    Err(why) => return Check::down(elapsed_ms(clock), why, json!({})),
                };
            let ms = elapsed_ms(clock);
            let now = rempart_store::now_ms() / 1_000;
            let days = (expires - now).div_euclid(86_400);
            let m =
                json!({ "not_after": expires, "days_left": days, "chain_valid": verdict.is_ok() });
            if let Err(why) = verdict {
                return Check::down(
                    ms,
                    format!(
                        "{}: certificate not trusted: {why} (expires in {days} days)",
                        self.address
                    ),
                    m,
                );
            }
            if expires <= now {
                return Check::down(
                    ms,
                    format!("{}: the certificate has expired", self.address),
                    m,
                );
            }
            match self.min_days_valid {
                Some(min) if days < i64::from(min) => Check::down(
                    ms,
                    format!(
                        "{}: the certificate expires in {days} days, under {min}",
                        self.address
                    ),
                    m,
                ),
                _ => Check::up_said(
                    ms,
                    rempart_i18n::say!(
                        "said-probe-tls",
                        address = self.address.as_str(),
                        days = days
                    ),
                    m,
                ),
            }
        })
    }
}
