//! The platform's two endpoints over HTTPS (`platform-link.md`): `GET .../changes` and
//! `POST .../events`, with the contract's timeouts, and every answer sorted into what the
//! link does next ([`CallError`]). Owns no state and no schedule.
//!
//! TLS is rustls with the operating system's verifier (rustls-platform-verifier, through
//! reqwest): an office whose proxy re-signs traffic with its own certificate authority,
//! installed in Windows' store, works. `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` are honoured
//! (and on Windows the system proxy). The key goes only into the `Authorization` header and
//! never into a log line or an error.

use serde::Deserialize;
use serde_json::value::RawValue;
use std::time::Duration;

/// The contract's connect timeout.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The contract's whole-request timeout.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// The most records one changes page may carry (the contract's ceiling on `limit`).
pub const PAGE_LIMIT: usize = 1000;
/// The most events one delivery may carry.
pub const DELIVERY_LIMIT: usize = 500;
/// The largest answer read from the platform: a page of 1,000 records with lines is a few
/// megabytes; anything far beyond it is not a changes page.
pub const MAX_ANSWER_BYTES: usize = 64 * 1024 * 1024;

/// Why a call did not go through, sorted by what the link does about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallError {
    /// Network trouble, a timeout, 408, 429, 5xx, or an answer not of the contract's shape:
    /// try again later (after `retry_after` when the platform said so).
    #[error("{problem}")]
    Retry {
        problem: String,
        retry_after: Option<Duration>,
    },
    /// 401 or 403: the key is not accepted. No more calls until the key or URL changes.
    #[error("The platform refused FieldBridge's key (HTTP {status}). Enter the platform's current API key in the Connect page (or `fieldbridge link set`).")]
    KeyRefused { status: u16 },
    /// Another 4xx: the platform understood and said no. Kept and retried with backoff.
    #[error("The platform refused the request (HTTP {status}): {detail}")]
    Refused { status: u16, detail: String },
}

/// One changes page: the records as the platform sent them (an import-format document,
/// not parsed here: the import path parses it once), the cursor after it, and `more`.
#[derive(Debug)]
pub struct ChangesPage {
    pub records: Box<RawValue>,
    pub cursor: String,
    pub more: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PageShape {
    records: Box<RawValue>,
    cursor: String,
    more: bool,
}

/// Where the platform is, and the key.
pub struct PlatformClient {
    http: reqwest::Client,
    base: String,
    key: String,
}

/// A URL the link may call: `https://`, or `http://` only for this computer (testing).
/// Returns the base without a trailing slash.
pub fn check_url(url: &str) -> Result<String, String> {
    let parsed = reqwest::Url::parse(url.trim())
        .map_err(|e| format!("\"{url}\" is not a web address ({e})"))?;
    let local = matches!(
        parsed.host(),
        Some(url::Host::Domain("localhost"))
            | Some(url::Host::Ipv4(std::net::Ipv4Addr::LOCALHOST))
            | Some(url::Host::Ipv6(std::net::Ipv6Addr::LOCALHOST))
    );
    match parsed.scheme() {
        "https" => {}
        "http" if local => {}
        "http" => {
            return Err(format!(
                "\"{url}\" is not secure: the platform's address must start with https:// (plain http:// is accepted only for localhost)"
            ))
        }
        other => return Err(format!("\"{url}\" uses {other}://; the platform's address must start with https://")),
    }
    if parsed.query().is_some()
        || parsed.fragment().is_some()
        || !parsed.username().is_empty()
        || parsed.password().is_some()
    {
        return Err(format!("\"{url}\" must be the platform's base address, without a query, a #fragment or a user name"));
    }
    Ok(parsed.as_str().trim_end_matches('/').to_owned())
}

fn ensure_crypto_provider() {
    // reqwest is built without a crypto provider of its own (aws-lc-rs needs a C toolchain
    // the Windows cross-build lacks); ring is installed once per process. Err means one is
    // installed already, which is what we want.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

impl PlatformClient {
    /// A client for `base` (already checked by [`check_url`]) with `key`.
    pub fn new(base: &str, key: &str) -> Result<Self, String> {
        ensure_crypto_provider();
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .user_agent(concat!("FieldBridge/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| {
                format!("FieldBridge could not prepare its connection to the platform: {e}")
            })?;
        Ok(Self {
            http,
            base: base.to_owned(),
            key: key.to_owned(),
        })
    }

    /// `GET {base}/fieldbridge/v1/changes?cursor=C&limit=N`.
    pub async fn changes(
        &self,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<ChangesPage, CallError> {
        let mut url = reqwest::Url::parse(&format!("{}/fieldbridge/v1/changes", self.base))
            .map_err(|e| CallError::Retry {
                problem: format!("The platform's address is not usable: {e}"),
                retry_after: None,
            })?;
        {
            let mut q = url.query_pairs_mut();
            if let Some(c) = cursor {
                q.append_pair("cursor", c);
            }
            q.append_pair("limit", &limit.clamp(1, PAGE_LIMIT).to_string());
        }
        let req = self.http.get(url).bearer_auth(&self.key);
        let body = self.send(req).await?;
        let page: PageShape = serde_json::from_slice(&body).map_err(|e| CallError::Retry {
            problem: format!("The platform's changes page is not in the expected shape ({e}); FieldBridge will ask again."),
            retry_after: None,
        })?;
        if !page.records.get().trim_start().starts_with('{') {
            return Err(CallError::Retry {
                problem: "The platform's changes page holds no records document; FieldBridge will ask again.".into(),
                retry_after: None,
            });
        }
        Ok(ChangesPage {
            records: page.records,
            cursor: page.cursor,
            more: page.more,
        })
    }

    /// `POST {base}/fieldbridge/v1/events`: `events` are the feed's objects, oldest first,
    /// seqs `first..=last`. Ok means the platform has them (2xx).
    pub async fn deliver<E: serde::Serialize>(
        &self,
        source: &str,
        events: &[E],
        first: i64,
        last: i64,
    ) -> Result<(), CallError> {
        let body = serde_json::json!({ "source": source, "events": events });
        let req = self
            .http
            .post(format!("{}/fieldbridge/v1/events", self.base))
            .bearer_auth(&self.key)
            .header("Idempotency-Key", format!("{source}:{first}-{last}"))
            .header("Content-Type", "application/json")
            .body(body.to_string());
        self.send(req).await.map(|_| ())
    }

    /// Sends, and sorts the answer: the body of a 2xx, or what to do.
    async fn send(&self, req: reqwest::RequestBuilder) -> Result<Vec<u8>, CallError> {
        let resp = req.send().await.map_err(|e| CallError::Retry {
            problem: transport_words(&e),
            retry_after: None,
        })?;
        let status = resp.status().as_u16();
        let retry_after = resp
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        let body = read_limited(resp).await?;
        match status {
            200..=299 => Ok(body),
            401 | 403 => Err(CallError::KeyRefused { status }),
            408 | 429 | 500..=599 => Err(CallError::Retry {
                problem: format!(
                    "The platform is not answering properly (HTTP {status}{}); FieldBridge keeps trying.",
                    detail_of(&body).map(|d| format!(": {d}")).unwrap_or_default()
                ),
                retry_after,
            }),
            _ => Err(CallError::Refused {
                status,
                detail: detail_of(&body).unwrap_or_else(|| "no reason given".into()),
            }),
        }
    }
}

async fn read_limited(mut resp: reqwest::Response) -> Result<Vec<u8>, CallError> {
    let mut body = Vec::new();
    loop {
        match resp.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > MAX_ANSWER_BYTES {
                    return Err(CallError::Retry {
                        problem: "The platform's answer is far larger than any changes page; FieldBridge will ask again.".into(),
                        retry_after: None,
                    });
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body),
            Err(e) => {
                return Err(CallError::Retry {
                    problem: transport_words(&e),
                    retry_after: None,
                })
            }
        }
    }
}

/// A problem+json `detail` (or `title`), cut to a readable length.
fn detail_of(body: &[u8]) -> Option<String> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    let text = v.get("detail").or_else(|| v.get("title"))?.as_str()?;
    Some(text.chars().take(300).collect())
}

/// `Retry-After`: delta-seconds or an HTTP date (RFC 9110 §10.2.3).
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let secs = (when.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_seconds();
    Some(Duration::from_secs(secs.max(0) as u64))
}

/// A transport failure in words (never the URL's query or the key: reqwest's Display of
/// the error names the URL, which holds neither).
fn transport_words(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "The platform did not answer in time; FieldBridge keeps trying.".into()
    } else if e.is_connect() {
        "FieldBridge could not reach the platform (no connection: check the internet connection or the proxy); it keeps trying.".into()
    } else {
        format!(
            "The connection to the platform broke off ({}); FieldBridge keeps trying.",
            root_cause(e)
        )
    }
}

fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_or_a_local_http_address_is_accepted() {
        assert_eq!(
            check_url("https://platform.example/base/").unwrap(),
            "https://platform.example/base"
        );
        assert_eq!(
            check_url("http://127.0.0.1:9000").unwrap(),
            "http://127.0.0.1:9000"
        );
        assert_eq!(
            check_url("http://localhost:9000/").unwrap(),
            "http://localhost:9000"
        );
        assert_eq!(check_url("http://[::1]:9000").unwrap(), "http://[::1]:9000");
        assert!(check_url("http://platform.example")
            .unwrap_err()
            .contains("https://"));
        assert!(
            check_url("http://10.0.0.5").is_err(),
            "a LAN address is not this computer"
        );
        assert!(check_url("ftp://platform.example").is_err());
        assert!(check_url("https://user:pw@platform.example").is_err());
        assert!(check_url("https://platform.example/?key=1").is_err());
        assert!(check_url("platform.example").is_err());
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        assert_eq!(parse_retry_after("7"), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO),
            "a past date: now"
        );
        assert_eq!(parse_retry_after("soon"), None);
    }

    async fn platform(p: &refplatform::Platform) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let p = p.clone();
        tokio::spawn(async move { p.serve(listener, std::future::pending()).await });
        format!("http://{addr}")
    }

    fn raw(v: serde_json::Value) -> Box<RawValue> {
        RawValue::from_string(v.to_string()).unwrap()
    }

    #[tokio::test]
    async fn against_the_reference_platform_every_answer_is_sorted_into_what_to_do() {
        let p = refplatform::Platform::new("the-key");
        p.upsert(&serde_json::json!({"customers": [{"id": "C-1", "name": "A"}, {"id": "C-2", "name": "B"}]})).unwrap();
        let base = platform(&p).await;
        let client = PlatformClient::new(&base, "the-key").unwrap();

        let first = client.changes(None, 1).await.unwrap();
        assert!(first.more);
        let v: serde_json::Value = serde_json::from_str(first.records.get()).unwrap();
        assert_eq!(v["customers"][0]["id"], "C-1");
        let second = client.changes(Some(&first.cursor), 1000).await.unwrap();
        assert!(!second.more);

        let events = [raw(
            serde_json::json!({"seq": 5, "at": "2026-12-02T10:00:00Z", "type": "session.finished", "kind": null, "id": null, "data": {}}),
        )];
        client.deliver("inst-1", &events, 5, 5).await.unwrap();
        assert_eq!(p.received().sources["inst-1"].seqs.len(), 1);

        let wrong = PlatformClient::new(&base, "not-the-key").unwrap();
        assert_eq!(
            wrong.changes(None, 10).await.unwrap_err(),
            CallError::KeyRefused { status: 401 }
        );

        p.set_faults(refplatform::Faults {
            unavailable_rate: 1.0,
            retry_after_s: 9,
            ..refplatform::Faults::none()
        });
        match client.changes(None, 10).await.unwrap_err() {
            CallError::Retry {
                retry_after,
                problem,
            } => {
                assert_eq!(retry_after, Some(Duration::from_secs(9)));
                assert!(problem.contains("HTTP 503"), "{problem}");
            }
            other => panic!("503 must be retried: {other:?}"),
        }
        p.set_faults(refplatform::Faults {
            drop_rate: 1.0,
            ..refplatform::Faults::none()
        });
        assert!(
            matches!(
                client.changes(None, 10).await.unwrap_err(),
                CallError::Retry {
                    retry_after: None,
                    ..
                }
            ),
            "a dropped connection is retried"
        );
        p.set_faults(refplatform::Faults {
            invalid_pages: 1,
            ..refplatform::Faults::none()
        });
        match client.changes(None, 10).await.unwrap_err() {
            CallError::Retry { problem, .. } => assert!(problem.contains("shape"), "{problem}"),
            other => panic!("a malformed page is treated as a 5xx: {other:?}"),
        }
        p.set_faults(refplatform::Faults::none());
        let bad_key_header = client.deliver("inst-1", &events, 5, 6).await.unwrap_err();
        assert!(
            matches!(bad_key_header, CallError::Refused { status: 400, .. }),
            "{bad_key_header:?}"
        );
        assert!(
            client.changes(Some("c999"), 10).await.is_err(),
            "a cursor the platform never issued is refused"
        );
    }

    #[tokio::test]
    async fn nobody_listening_is_a_retry_in_plain_words() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let client = PlatformClient::new(&format!("http://127.0.0.1:{port}"), "k").unwrap();
        match client.changes(None, 1).await.unwrap_err() {
            CallError::Retry { problem, .. } => {
                assert!(problem.contains("could not reach"), "{problem}")
            }
            other => panic!("{other:?}"),
        }
    }
}
