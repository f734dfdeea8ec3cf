//! Who may use the editor: the rules every request to the editor's port passes before anything
//! is read or written. Pure, so each refusal is a unit test.
//!
//! - `Host` must name the address the preview is bound to: a page elsewhere that points its
//!   own domain at 127.0.0.1 (DNS rebinding) sends its own name and is refused.
//! - `Origin`, when a browser sends one, must be that same address; a request that writes
//!   must carry it. `Sec-Fetch-Site`, when sent, must say the request came from the editor
//!   itself (or from the address bar).
//! - The secret made at start arrives once in the printed link (`?khoa=`), is moved into a
//!   cookie (`SameSite=Strict`, `HttpOnly`), and every request must carry the cookie; a request
//!   that writes must also repeat it in the `X-CDS-Khoa` header, which no other site can set
//!   without a CORS preflight the editor never answers.

/// The query parameter of the printed link.
pub const TOKEN_PARAM: &str = "khoa";
/// The cookie that holds the secret after the first visit (its name ends with the editor's
/// port).
pub const COOKIE: &str = "cds_khoa";
/// The header a writing request repeats the secret in.
pub const TOKEN_HEADER: &str = "X-CDS-Khoa";

/// The parts of a request the rules look at.
#[derive(Debug, Clone, Copy, Default)]
pub struct Asked<'a> {
    pub method: &'a str,
    /// `?…` without the `?`, if any.
    pub query: Option<&'a str>,
    pub host: Option<&'a str>,
    pub origin: Option<&'a str>,
    pub fetch_site: Option<&'a str>,
    pub cookie: Option<&'a str>,
    pub token_header: Option<&'a str>,
}

/// What the rules decide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    Allow,
    /// The printed link: keep the secret in a cookie and send the browser to the same page
    /// without it in the address.
    KeepToken,
    Deny(Denied),
}

/// Why a request is refused (each has its Vietnamese sentence in `messages.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    Host,
    Origin,
    Token,
}

/// The secret and the addresses the editor answers on.
#[derive(Debug, Clone)]
pub struct Rules {
    token: String,
    /// `127.0.0.1:1112`, and `localhost:1112` when bound to loopback.
    hosts: Vec<String>,
    /// The cookie's name.
    cookie: String,
}

impl Rules {
    pub fn new(token: String, hosts: Vec<String>, cookie: String) -> Rules {
        Rules {
            token,
            hosts,
            cookie,
        }
    }

    pub fn token(&self) -> &str {
        &self.token
    }

    /// Decides one request.
    pub fn check(&self, asked: &Asked) -> Access {
        let Some(host) = asked.host.filter(|h| self.hosts.iter().any(|ok| ok == h)) else {
            return Access::Deny(Denied::Host);
        };
        let writes = !matches!(asked.method, "GET" | "HEAD");
        match asked.origin {
            Some(origin) if origin != format!("http://{host}") => {
                return Access::Deny(Denied::Origin);
            }
            None if writes => return Access::Deny(Denied::Origin),
            _ => {}
        }
        if asked
            .fetch_site
            .is_some_and(|s| s != "same-origin" && s != "none")
        {
            return Access::Deny(Denied::Origin);
        }
        let link = asked.query.and_then(|q| query_param(q, TOKEN_PARAM));
        if let Some(given) = link.filter(|_| !writes) {
            return if same_secret(&given, &self.token) {
                Access::KeepToken
            } else {
                Access::Deny(Denied::Token)
            };
        }
        if !self.holds_secret(asked.cookie) {
            return Access::Deny(Denied::Token);
        }
        if writes
            && !asked
                .token_header
                .is_some_and(|t| same_secret(t, &self.token))
        {
            return Access::Deny(Denied::Token);
        }
        Access::Allow
    }

    /// Whether a `Cookie` header holds the secret.
    pub fn holds_secret(&self, cookie: Option<&str>) -> bool {
        let value = cookie.and_then(|c| cookie_value(c, &self.cookie));
        value.is_some_and(|c| same_secret(c, &self.token))
    }

    /// The `Set-Cookie` value that keeps the secret for the editor's pages under `path`.
    pub fn cookie(&self, path: &str) -> String {
        format!(
            "{}={}; Path={path}; HttpOnly; SameSite=Strict",
            self.cookie, self.token
        )
    }
}

/// A new secret from the system's random source: 128 bits, as hex.
pub fn new_token() -> std::io::Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The value of `name` in a query string, percent-decoded.
pub fn query_param(query: &str, name: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (k == name)
            .then(|| crate::urls::percent_decode(v))
            .flatten()
    })
}

/// The value of cookie `name` in a `Cookie` header.
fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

/// Compares two secrets in time that does not depend on where they first differ.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "0123456789abcdef0123456789abcdef";

    fn rules() -> Rules {
        Rules::new(
            TOKEN.into(),
            vec!["127.0.0.1:1111".into(), "localhost:1111".into()],
            COOKIE.into(),
        )
    }

    fn cookie() -> String {
        format!("theme=dark; {COOKIE}={TOKEN}")
    }

    fn get<'a>(cookie: &'a str) -> Asked<'a> {
        Asked {
            method: "GET",
            host: Some("127.0.0.1:1111"),
            cookie: Some(cookie),
            ..Asked::default()
        }
    }

    #[test]
    fn the_printed_link_sets_the_cookie_and_the_cookie_lets_in() {
        let link = Asked {
            query: Some("khoa=0123456789abcdef0123456789abcdef"),
            cookie: None,
            ..get("")
        };
        assert_eq!(rules().check(&link), Access::KeepToken);
        let c = cookie();
        assert_eq!(rules().check(&get(&c)), Access::Allow);
        assert!(rules().cookie("/").contains("SameSite=Strict"));
    }

    #[test]
    fn a_wrong_or_missing_secret_is_refused() {
        let wrong = format!("{COOKIE}=0123456789abcdef0123456789abcdee");
        for asked in [get(""), get(&wrong), get("cds_khoa")] {
            assert_eq!(rules().check(&asked), Access::Deny(Denied::Token));
        }
        let bad_link = Asked {
            query: Some("khoa=nope"),
            ..get("")
        };
        assert_eq!(rules().check(&bad_link), Access::Deny(Denied::Token));
    }

    #[test]
    fn a_rebinding_host_is_refused() {
        let c = cookie();
        for host in [None, Some("evil.example:1111"), Some("127.0.0.1:2222")] {
            let asked = Asked { host, ..get(&c) };
            assert_eq!(rules().check(&asked), Access::Deny(Denied::Host));
        }
        let local = Asked {
            host: Some("localhost:1111"),
            ..get(&c)
        };
        assert_eq!(rules().check(&local), Access::Allow);
    }

    #[test]
    fn a_write_needs_its_own_origin_and_the_secret_twice() {
        let c = cookie();
        let post = Asked {
            method: "POST",
            origin: Some("http://127.0.0.1:1111"),
            token_header: Some(TOKEN),
            ..get(&c)
        };
        assert_eq!(rules().check(&post), Access::Allow);
        let cases = [
            (
                Asked {
                    origin: Some("http://evil.example"),
                    ..post
                },
                Denied::Origin,
            ),
            (
                Asked {
                    origin: None,
                    ..post
                },
                Denied::Origin,
            ),
            (
                Asked {
                    fetch_site: Some("cross-site"),
                    ..post
                },
                Denied::Origin,
            ),
            (
                Asked {
                    token_header: None,
                    ..post
                },
                Denied::Token,
            ),
            (
                Asked {
                    cookie: None,
                    ..post
                },
                Denied::Token,
            ),
            (
                Asked {
                    query: Some("khoa=0123456789abcdef0123456789abcdef"),
                    token_header: None,
                    ..post
                },
                Denied::Token,
            ),
        ];
        for (asked, why) in cases {
            assert_eq!(rules().check(&asked), Access::Deny(why), "{asked:?}");
        }
    }

    #[test]
    fn tokens_are_new_each_time_and_long() {
        let (a, b) = (new_token().unwrap(), new_token().unwrap());
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
    }
}
