//! The findings (pure): classes, severity rules, one finding per root cause with the probes that showed it, and why it matters.

use corsgate_browser::ResponseInfo;
use serde::Serialize;

use super::classify::{is_redirect, Readable};
use super::fixes::{self, AuditFix};
use super::flags::Target;
use super::probes::{Call, Kind, Probe};

/// How bad a finding is; ordered, `info` lowest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A note.
    Info,
    /// Hygiene: missing `Vary`, disclosure, over-long max-age, a broken or too tight policy.
    Low,
    /// An untrusted origin can read responses without credentials (not a public `*` API).
    Medium,
    /// An untrusted origin can read responses with credentials.
    High,
}

impl Severity {
    /// `high`, `medium`, `low`, `info`.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }
}

/// What is wrong, by root cause; the JSON names are stable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs)] // each is described in docs/audit.md and by `title`
pub enum Class {
    ReflectAnyOrigin,
    NullOrigin,
    PrefixMatch,
    SuffixMatch,
    UnescapedDot,
    AnySubdomain,
    InsecureOrigin,
    SpecialChars,
    ThirdPartyHost,
    WildcardWithCredentials,
    MissingVary,
    PreflightDisclosure,
    PrivateNetworkAnyOrigin,
    TrustedOriginRefused,
    MaxAgeTooLong,
    Redirect,
}

impl Class {
    /// The class's JSON name (`reflect-any-origin`).
    pub fn id(self) -> &'static str {
        match self {
            Class::ReflectAnyOrigin => "reflect-any-origin",
            Class::NullOrigin => "null-origin",
            Class::PrefixMatch => "prefix-match",
            Class::SuffixMatch => "suffix-match",
            Class::UnescapedDot => "unescaped-dot",
            Class::AnySubdomain => "any-subdomain",
            Class::InsecureOrigin => "insecure-origin",
            Class::SpecialChars => "special-chars",
            Class::ThirdPartyHost => "third-party-host",
            Class::WildcardWithCredentials => "wildcard-with-credentials",
            Class::MissingVary => "missing-vary",
            Class::PreflightDisclosure => "preflight-disclosure",
            Class::PrivateNetworkAnyOrigin => "private-network-any-origin",
            Class::TrustedOriginRefused => "trusted-origin-refused",
            Class::MaxAgeTooLong => "max-age-too-long",
            Class::Redirect => "redirect",
        }
    }
}

/// One finding: a root cause, how bad, the probes that showed it, why, and the fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The class.
    pub class: Class,
    /// The severity, by the class's rule.
    pub severity: Severity,
    /// One line naming the problem.
    pub title: String,
    /// Why it matters, in one sentence.
    pub why: String,
    /// An untrusted page can read with credentials (cookies, HTTP auth).
    pub credentials: bool,
    /// The probes (indices into the probe list) that showed it, in order.
    pub probes: Vec<usize>,
    /// The fix, for four stacks.
    pub fix: AuditFix,
}

/// `Access-Control-Max-Age` above this is a low finding: no browser keeps a preflight longer
/// (Firefox caps at 86400 s, Chrome at 7200 s).
pub const MAX_AGE_LOW: u64 = 86_400;
/// `Access-Control-Max-Age` above this is a note: Chrome caps it here.
pub const MAX_AGE_INFO: u64 = 7_200;

/// The origin kinds whose acceptance is a hole, with their class, in the order reported.
const FORGED: [(Kind, Class); 9] = [
    (Kind::AnyOrigin, Class::ReflectAnyOrigin),
    (Kind::Null, Class::NullOrigin),
    (Kind::Prefix, Class::PrefixMatch),
    (Kind::Suffix, Class::SuffixMatch),
    (Kind::UnescapedDot, Class::UnescapedDot),
    (Kind::InsecureScheme, Class::InsecureOrigin),
    (Kind::SpecialChar, Class::SpecialChars),
    (Kind::ThirdParty, Class::ThirdPartyHost),
    (Kind::Subdomain, Class::AnySubdomain),
];

/// A response's header, its lines joined as the browser joins them, read as Latin-1.
pub fn header(resp: &ResponseInfo, name: &str) -> Option<String> {
    resp.combined(name)
        .map(|v| v.iter().map(|&b| char::from(b)).collect())
}

/// Every finding, worst first (then in class order). `responses` and `readable` are aligned
/// with `probes`.
pub fn findings(
    target: &Target,
    probes: &[Probe],
    responses: &[ResponseInfo],
    readable: &[Readable],
) -> Vec<Finding> {
    let star =
        |i: usize| header(&responses[i], "access-control-allow-origin").as_deref() == Some("*");
    let public = probes
        .iter()
        .position(|p| p.kind == Kind::AnyOrigin && p.call == Call::Simple)
        .is_some_and(|i| readable[i].without_credentials && star(i));
    let server_credentials = responses
        .iter()
        .any(|r| header(r, "access-control-allow-credentials").as_deref() == Some("true"));
    let ctx = Ctx {
        target,
        list: probes,
        server_credentials,
    };
    // A forged origin is accepted when its page reads with credentials, or reads without
    // because the server named that origin (not through `*`).
    let accepted = |i: usize| {
        let p = &probes[i];
        matches!(p.call, Call::Simple | Call::Preflight)
            && (readable[i].with_credentials || (readable[i].without_credentials && !star(i)))
    };
    let mut shown: Vec<(Class, Vec<usize>)> = FORGED
        .iter()
        .map(|(kind, class)| {
            let ids: Vec<usize> = (0..probes.len())
                .filter(|&i| probes[i].kind == *kind && accepted(i))
                .collect();
            (*class, ids)
        })
        .collect();
    // One root cause, one finding: what a broader class explains is folded into it.
    let fold = |shown: &mut Vec<(Class, Vec<usize>)>, into: Class, from: &[Class]| {
        let found = shown.iter().any(|(c, ids)| *c == into && !ids.is_empty());
        if !found {
            return;
        }
        let mut moved = Vec::new();
        for (c, ids) in shown.iter_mut() {
            if from.contains(c) {
                moved.append(ids);
            }
        }
        if let Some((_, ids)) = shown.iter_mut().find(|(c, _)| *c == into) {
            ids.extend(moved);
            ids.sort_unstable();
        }
    };
    fold(
        &mut shown,
        Class::ReflectAnyOrigin,
        &FORGED.map(|(_, c)| c)[1..],
    );
    fold(&mut shown, Class::PrefixMatch, &[Class::SpecialChars]);
    fold(
        &mut shown,
        Class::SuffixMatch,
        &[Class::AnySubdomain, Class::UnescapedDot],
    );

    let mut out = Vec::new();
    for (class, ids) in shown {
        if ids.is_empty() {
            continue;
        }
        let credentials = ids.iter().any(|&i| readable[i].with_credentials);
        let severity = if class == Class::AnySubdomain {
            Severity::Info
        } else if credentials {
            Severity::High
        } else if !public {
            Severity::Medium
        } else {
            continue;
        };
        out.push(finding(&ctx, class, severity, credentials, ids));
    }

    let simple: Vec<usize> = (0..probes.len())
        .filter(|&i| probes[i].call == Call::Simple)
        .collect();
    let star_creds: Vec<usize> = (0..probes.len())
        .filter(|&i| {
            star(i)
                && header(&responses[i], "access-control-allow-credentials").as_deref()
                    == Some("true")
                && probes[i].kind == Kind::AnyOrigin
        })
        .collect();
    if !star_creds.is_empty() {
        out.push(finding(
            &ctx,
            Class::WildcardWithCredentials,
            Severity::Low,
            false,
            star_creds,
        ));
    }
    let no_vary: Vec<usize> = simple
        .iter()
        .copied()
        .filter(|&i| {
            let r = &responses[i];
            header(r, "access-control-allow-origin").as_deref() == Some(probes[i].origin.as_str())
                && !varies_on_origin(r)
        })
        .collect();
    if !no_vary.is_empty() {
        out.push(finding(
            &ctx,
            Class::MissingVary,
            Severity::Low,
            false,
            no_vary,
        ));
    }
    let disclosed: Vec<usize> = (0..probes.len())
        .filter(|&i| {
            let r = &responses[i];
            let acao = header(r, "access-control-allow-origin");
            let origin_refused =
                acao.as_deref() != Some(probes[i].origin.as_str()) && acao.as_deref() != Some("*");
            probes[i].kind == Kind::AnyOrigin
                && probes[i].call == Call::Preflight
                && origin_refused
                && !readable[i].any()
                && !is_redirect(r)
                && [
                    "access-control-allow-methods",
                    "access-control-allow-headers",
                ]
                .iter()
                .any(|h| header(r, h).is_some_and(|v| !v.trim().is_empty()))
        })
        .collect();
    if !disclosed.is_empty() {
        out.push(finding(
            &ctx,
            Class::PreflightDisclosure,
            Severity::Low,
            false,
            disclosed,
        ));
    }
    let pna: Vec<usize> = (0..probes.len())
        .filter(|&i| probes[i].call == Call::PrivateNetwork && readable[i].any())
        .collect();
    if !pna.is_empty() {
        let credentials = pna.iter().any(|&i| readable[i].with_credentials);
        let severity = if credentials {
            Severity::High
        } else {
            Severity::Medium
        };
        out.push(finding(
            &ctx,
            Class::PrivateNetworkAnyOrigin,
            severity,
            credentials,
            pna,
        ));
    }
    let refused: Vec<usize> = (0..probes.len())
        .filter(|&i| {
            probes[i].kind == Kind::Trusted
                && matches!(probes[i].call, Call::Simple | Call::Preflight)
                && !readable[i].without_credentials
        })
        .collect();
    if !refused.is_empty() {
        out.push(finding(
            &ctx,
            Class::TrustedOriginRefused,
            Severity::Low,
            false,
            refused,
        ));
    }
    let mut longest = 0;
    let long: Vec<usize> = (0..probes.len())
        .filter(|&i| {
            let passed = probes[i].call != Call::Simple && readable[i].any();
            let age = max_age(&responses[i]).unwrap_or(0);
            if passed && age > MAX_AGE_INFO {
                longest = longest.max(age);
                return true;
            }
            false
        })
        .collect();
    if !long.is_empty() {
        let severity = if longest > MAX_AGE_LOW {
            Severity::Low
        } else {
            Severity::Info
        };
        out.push(finding(&ctx, Class::MaxAgeTooLong, severity, false, long));
    }
    let redirected: Vec<usize> = simple
        .iter()
        .copied()
        .filter(|&i| is_redirect(&responses[i]))
        .collect();
    if !redirected.is_empty() {
        out.push(finding(
            &ctx,
            Class::Redirect,
            Severity::Info,
            false,
            redirected,
        ));
    }
    out.sort_by_key(|f| std::cmp::Reverse(f.severity));
    out
}

/// Does `Vary` name `Origin` (or `*`)?
fn varies_on_origin(resp: &ResponseInfo) -> bool {
    header(resp, "vary").is_some_and(|v| {
        v.split(',')
            .any(|t| t.trim().eq_ignore_ascii_case("origin") || t.trim() == "*")
    })
}

/// `Access-Control-Max-Age` as a number of seconds (digits only).
fn max_age(resp: &ResponseInfo) -> Option<u64> {
    let v = header(resp, "access-control-max-age")?;
    let v = v.trim();
    (!v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
        .then(|| v.parse::<u64>().unwrap_or(u64::MAX))
}

/// What every finding's fix is made from.
struct Ctx<'a> {
    target: &'a Target,
    list: &'a [Probe],
    /// The server sent `Access-Control-Allow-Credentials: true` somewhere: its pages use
    /// credentials, and the fix keeps them.
    server_credentials: bool,
}

fn finding(
    ctx: &Ctx<'_>,
    class: Class,
    severity: Severity,
    credentials: bool,
    probes: Vec<usize>,
) -> Finding {
    let list = ctx.list;
    let (title, why) = words(class, credentials, severity);
    let origins: Vec<&str> = probes.iter().map(|&i| list[i].origin.as_str()).collect();
    Finding {
        class,
        severity,
        title,
        why,
        credentials,
        fix: fixes::fix(
            class,
            ctx.target,
            ctx.server_credentials || credentials,
            &origins,
        ),
        probes,
    }
}

/// The title and the one-sentence why of a finding.
fn words(class: Class, credentials: bool, severity: Severity) -> (String, String) {
    let read = if credentials {
        "read its responses with the visitor's cookies, as the visitor"
    } else {
        "read its responses (without cookies: still whatever the visitor's network position or IP grants)"
    };
    let (title, who) = match class {
        Class::ReflectAnyOrigin => ("The server trusts any origin (it echoes the request's Origin)", "Any website a visitor opens can"),
        Class::NullOrigin => ("The server trusts the origin null", "Any sandboxed iframe, data: URL or file, which every site can create, can"),
        Class::PrefixMatch => ("The origin check matches only the beginning of the origin", "A site whose name starts with a trusted origin (e.g. example.com.attacker.net), which anyone can register, can"),
        Class::SuffixMatch => ("The origin check matches only the end of the origin", "A site whose name ends with the trusted name (e.g. attackerexample.com), which anyone can register, can"),
        Class::UnescapedDot => ("A dot in the origin check matches any character", "A site such as wwwxexample.com, which anyone can register, can"),
        Class::InsecureOrigin => ("An https API trusts its origin over plain http", "Anyone on the network path (public Wi-Fi) can inject a page at the http origin and"),
        Class::SpecialChars => ("The origin check lets characters through after the host", "A site with a name like example.com_.attacker.net can"),
        Class::ThirdPartyHost => ("The server trusts shared hosting where anyone can publish", "Anyone with a page on a shared host (github.io, codepen.io, ...) can"),
        Class::AnySubdomain => ("Every subdomain is trusted", "Any subdomain, including one taken over or with an XSS hole, can"),
        Class::WildcardWithCredentials => {
            return (
                "Access-Control-Allow-Origin: * with credentials: broken, not a hole".to_owned(),
                "Browsers refuse * when the page sends credentials, so credentialed calls from your own pages fail while nothing is gained."
                    .to_owned(),
            )
        }
        Class::MissingVary => {
            return (
                "A reflected origin without Vary: Origin".to_owned(),
                "A cache (CDN, proxy, the browser) can store the answer made for one origin and serve it to another, breaking your pages or leaking a permissive answer (cache poisoning)."
                    .to_owned(),
            )
        }
        Class::PreflightDisclosure => {
            return (
                "A rejected preflight still lists the allowed methods and headers".to_owned(),
                "Any origin learns the API's methods and headers from a preflight it is refused, which helps an attacker map the API."
                    .to_owned(),
            )
        }
        Class::PrivateNetworkAnyOrigin => {
            let tail = if credentials { ", with credentials" } else { "" };
            return (
                format!("Private Network Access is granted to any origin{tail}"),
                format!(
                    "Any public website a visitor on this network opens can send requests into the private network to this server and {read}."
                ),
            )
        }
        Class::TrustedOriginRefused => {
            return (
                "A trusted origin is refused".to_owned(),
                "The pages at the trusted origin cannot read the answers (a policy too tight to use): browsers block them."
                    .to_owned(),
            )
        }
        Class::MaxAgeTooLong => {
            let why = if severity == Severity::Low {
                "No browser keeps a preflight longer than a day (Firefox 86400 s, Chrome 7200 s): a value this long is usually a copied config, and a policy you tighten reaches browsers only as their caches expire."
            } else {
                "Chrome keeps a preflight at most 7200 s, so more only matters to Firefox, which then keeps a policy you tighten for up to a day."
            };
            return ("Access-Control-Max-Age is longer than browsers keep it".to_owned(), why.to_owned());
        }
        Class::Redirect => {
            return (
                "The URL redirects: what is behind the redirect was not audited".to_owned(),
                "The audit never follows a redirect (only the given URL is probed); audit the URL it leads to as well."
                    .to_owned(),
            )
        }
    };
    let title = if credentials && class != Class::AnySubdomain {
        format!("{title}, with credentials")
    } else {
        title.to_owned()
    };
    (title, format!("{who} {read}."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::classify::verdicts;
    use crate::audit::probes::probes;
    use corsgate_browser::response;

    const URL: &str = "https://api.example.com/data";
    const APP: &str = "https://app.example.com";

    /// The findings for a server answering `server(probe)`.
    fn audit(server: impl Fn(&Probe) -> ResponseInfo) -> Vec<(Class, Severity)> {
        let t = Target::new(URL, &[APP.to_owned()], "GET", &[]).unwrap();
        let list = probes(&t);
        let responses: Vec<ResponseInfo> = list.iter().map(&server).collect();
        let readable = verdicts(&t.url, &list, &responses);
        findings(&t, &list, &responses, &readable)
            .into_iter()
            .map(|f| (f.class, f.severity))
            .collect()
    }

    fn allow(origin: &str, creds: bool) -> ResponseInfo {
        let mut r = response(204, &[("vary", "Origin")]);
        r = r.header("access-control-allow-origin", origin);
        if creds {
            r = r.header("access-control-allow-credentials", "true");
        }
        r
    }

    fn exact(p: &Probe) -> ResponseInfo {
        if p.origin == APP {
            allow(APP, true)
        } else {
            response(403, &[("vary", "Origin")])
        }
    }

    #[test]
    fn an_exact_policy_has_no_findings() {
        assert_eq!(audit(exact), []);
    }

    #[test]
    fn reflecting_every_origin_is_one_finding() {
        assert_eq!(
            audit(|p| allow(&p.origin, true)),
            [(Class::ReflectAnyOrigin, Severity::High)]
        );
        assert_eq!(
            audit(|p| allow(&p.origin, false)),
            [(Class::ReflectAnyOrigin, Severity::Medium)]
        );
    }

    #[test]
    fn each_forged_class_alone() {
        for (kind, class) in FORGED {
            if kind == Kind::AnyOrigin {
                continue;
            }
            let got = audit(|p| {
                if p.kind == kind || p.origin == APP {
                    allow(&p.origin, true)
                } else {
                    exact(p)
                }
            });
            let severity = if class == Class::AnySubdomain {
                Severity::Info
            } else {
                Severity::High
            };
            assert_eq!(got, [(class, severity)], "{kind:?}");
        }
    }

    #[test]
    fn a_public_api_is_no_finding() {
        assert_eq!(
            audit(|_| response(200, &[("access-control-allow-origin", "*")])),
            []
        );
        assert_eq!(
            audit(|_| response(
                200,
                &[
                    ("access-control-allow-origin", "*"),
                    ("access-control-allow-credentials", "true")
                ]
            )),
            [(Class::WildcardWithCredentials, Severity::Low)]
        );
    }

    #[test]
    fn hygiene() {
        let got = audit(|p| {
            if p.origin == APP {
                response(
                    204,
                    &[
                        ("access-control-allow-origin", APP),
                        ("access-control-max-age", "1728000"),
                    ],
                )
            } else {
                response(204, &[("access-control-allow-methods", "GET, PUT")])
            }
        });
        assert_eq!(
            got,
            [
                (Class::MissingVary, Severity::Low),
                (Class::PreflightDisclosure, Severity::Low),
                (Class::MaxAgeTooLong, Severity::Low),
            ]
        );
        assert_eq!(
            audit(|_| response(404, &[])),
            [(Class::TrustedOriginRefused, Severity::Low)]
        );
        assert_eq!(
            audit(|_| response(301, &[("location", "https://www.example.com/")])),
            [
                (Class::TrustedOriginRefused, Severity::Low),
                (Class::Redirect, Severity::Info)
            ]
        );
    }

    #[test]
    fn private_network_for_anyone() {
        let got = audit(|p| {
            if p.call == Call::PrivateNetwork {
                response(
                    204,
                    &[
                        ("access-control-allow-origin", "*"),
                        ("access-control-allow-private-network", "true"),
                    ],
                )
            } else {
                exact(p)
            }
        });
        assert_eq!(got, [(Class::PrivateNetworkAnyOrigin, Severity::Medium)]);
    }
}
