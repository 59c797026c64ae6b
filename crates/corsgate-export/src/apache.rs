//! Apache httpd 2.4: `SetEnvIfExpr` decides each request into environment variables,
//! `mod_rewrite` answers preflights, `mod_headers` writes the headers (`always`, so on errors
//! too) and hides the upstream's own.

use std::fmt::Write as _;

use crate::nginx::OWNED;
use crate::plan::{AllowHeaders, AllowMethods, Plan};
use crate::{preamble, regex, Target, Whole};

/// Debian's module directory.
const MODULES: &str = "/usr/lib/apache2/modules";

/// An `ap_expr` regex (`m#...#`: origins hold `/`; the expressions hold no `#`).
fn m(re: &str) -> String {
    format!("m#{re}#")
}

/// A `mod_headers` value (a format string: `%` starts a tag).
fn hv(s: &str) -> String {
    format!("\"{}\"", s.replace('%', "%%"))
}

fn set(name: &str) -> String {
    format!("-n reqenv('{name}')")
}

/// The directives for a `<VirtualHost>` (or the server config), indented by four spaces.
fn rules(plan: &Plan) -> String {
    let mut r = String::new();
    let mut line = |s: &str| {
        r.push_str("    ");
        r.push_str(s);
        r.push('\n');
    };
    line("# --- corsgate: decide (mod_setenvif, evaluated in order when the request is read) ---");
    line("# (req_novary: reading a request header adds nothing to the response's Vary.)");
    if plan.any_origin {
        line("# allow_origins = [\"*\"]: every origin (an Origin sent twice reads as one invalid value).");
        line("SetEnvIfExpr \"-n %{req_novary:Origin} && ! %{req_novary:Origin} =~ m#, #\" CORSGATE_ORIGIN_OK");
    } else {
        line("# allow_origins: anchored, case-sensitive expressions.");
        for (entry, re) in &plan.origins {
            line(&format!(
                "SetEnvIfExpr \"%{{req_novary:Origin}} =~ {}\" CORSGATE_ORIGIN_OK  # {entry}",
                m(re)
            ));
        }
    }
    line("SetEnvIfExpr \"%{REQUEST_METHOD} == 'OPTIONS' && -n %{req_novary:Origin} && -n %{req_novary:Access-Control-Request-Method}\" CORSGATE_PREFLIGHT_ASKED");
    line("# allow_methods (GET, HEAD and POST always pass; compared case-sensitively).");
    line(&format!(
        "SetEnvIfExpr \"%{{req_novary:Access-Control-Request-Method}} =~ {}\" CORSGATE_METHOD_OK",
        m(&plan.method_regex)
    ));
    line("# allow_headers: every name requested must be allowed (compared without case).");
    line(&format!(
        "SetEnvIfExpr \"%{{req_novary:Access-Control-Request-Headers}} =~ {}\" CORSGATE_HEADERS_OK",
        m(&plan.headers_regex)
    ));
    line("SetEnvIfExpr \"%{req_novary:Access-Control-Request-Private-Network} == 'true'\" CORSGATE_PNA_ASKED");
    let pna_ok = if plan.private_network {
        String::new()
    } else {
        " && -z reqenv('CORSGATE_PNA_ASKED')".to_owned()
    };
    line("# The kind of request: preflight (passes), refused, allowed, other (none or denied).");
    line(&format!(
        "SetEnvIfExpr \"{} && {} && {} && {}{pna_ok}\" CORSGATE_PREFLIGHT",
        set("CORSGATE_PREFLIGHT_ASKED"),
        set("CORSGATE_ORIGIN_OK"),
        set("CORSGATE_METHOD_OK"),
        set("CORSGATE_HEADERS_OK")
    ));
    if plan.debug {
        line("# debug: a preflight from an allowed origin that fails a later check is explained.");
        line("SetEnvIfExpr \"-n reqenv('CORSGATE_PREFLIGHT_ASKED') && -n reqenv('CORSGATE_ORIGIN_OK') && -z reqenv('CORSGATE_PREFLIGHT')\" CORSGATE_EXPLAINED");
    }
    line("SetEnvIfExpr \"-n reqenv('CORSGATE_PREFLIGHT_ASKED') && -z reqenv('CORSGATE_PREFLIGHT') && -z reqenv('CORSGATE_EXPLAINED')\" CORSGATE_REFUSED");
    line("SetEnvIfExpr \"-z reqenv('CORSGATE_PREFLIGHT_ASKED') && -n %{req_novary:Origin} && -n reqenv('CORSGATE_ORIGIN_OK')\" CORSGATE_ALLOWED");
    line("SetEnvIfExpr \"-z reqenv('CORSGATE_PREFLIGHT_ASKED') && -z reqenv('CORSGATE_ALLOWED')\" CORSGATE_OTHER");
    if plan.any_origin {
        line("SetEnvIfExpr \"-z %{req_novary:Origin}\" CORSGATE_NONE");
    }
    match plan.allow_headers {
        AllowHeaders::StarOrAuthorization => line(&format!(
            "SetEnvIfExpr \"%{{req_novary:Access-Control-Request-Headers}} =~ {}\" CORSGATE_AUTHORIZATION",
            m(&regex::lists_authorization())
        )),
        AllowHeaders::Echo => line(&format!(
            "SetEnvIfExpr \"%{{req_novary:Access-Control-Request-Headers}} =~ {}\" CORSGATE_NAMES_A_HEADER",
            m(&regex::lists_a_name())
        )),
        _ => {}
    }
    if plan.preflight_continue {
        line("# (preflight_continue: preflights go on to the upstream; its answer gets the headers.)");
    } else {
        answers(&mut line, plan);
    }
    line("# The upstream's own CORS headers are removed (they are in the `onsuccess` table), so");
    line("# none is doubled; the policy's are written `always`, on every status.");
    for h in OWNED {
        line(&format!("Header unset {h}"));
    }
    let when = |vars: &[&str]| {
        let all: Vec<String> = vars.iter().map(|v| set(v)).collect();
        format!("\"expr={}\"", all.join(" || "))
    };
    let cors = when(&[
        "CORSGATE_PREFLIGHT",
        "CORSGATE_EXPLAINED",
        "CORSGATE_ALLOWED",
    ]);
    // Answered: passed, or (debug) explained.
    let answered = "(-n reqenv('CORSGATE_PREFLIGHT') || -n reqenv('CORSGATE_EXPLAINED'))";
    let pre = format!("\"expr={answered}\"");
    let only_pre = when(&["CORSGATE_PREFLIGHT"]);
    if plan.any_origin {
        line(&format!(
            "Header always set Access-Control-Allow-Origin \"*\" {}",
            when(&[
                "CORSGATE_PREFLIGHT",
                "CORSGATE_EXPLAINED",
                "CORSGATE_ALLOWED",
                "CORSGATE_NONE"
            ])
        ));
    } else {
        line(&format!(
            "Header always set Access-Control-Allow-Origin \"expr=%{{req:Origin}}\" {cors}"
        ));
    }
    if plan.credentials {
        line(&format!(
            "Header always set Access-Control-Allow-Credentials true {cors}"
        ));
    }
    if let Some(x) = &plan.expose {
        let cond = if plan.any_origin {
            when(&["CORSGATE_ALLOWED", "CORSGATE_NONE"])
        } else {
            when(&["CORSGATE_ALLOWED"])
        };
        line(&format!(
            "Header always set Access-Control-Expose-Headers {} {cond}",
            hv(x)
        ));
    }
    match &plan.allow_methods {
        AllowMethods::None => {}
        AllowMethods::Fixed(v) => line(&format!(
            "Header always set Access-Control-Allow-Methods {} {pre}",
            hv(v)
        )),
        AllowMethods::Echo => line(&format!(
            "Header always set Access-Control-Allow-Methods \"expr=%{{req:Access-Control-Request-Method}}\" \"expr={answered} && -n reqenv('CORSGATE_METHOD_OK')\""
        )),
    }
    match &plan.allow_headers {
        AllowHeaders::None => {}
        AllowHeaders::Fixed(v) => line(&format!(
            "Header always set Access-Control-Allow-Headers {} {pre}",
            hv(v)
        )),
        AllowHeaders::StarOrAuthorization => {
            // (debug: a failed method leaves `*`; a header list that cannot be read, nothing.)
            line(&format!("Header always set Access-Control-Allow-Headers \"*\" \"expr={answered} && (-z reqenv('CORSGATE_METHOD_OK') || -n reqenv('CORSGATE_HEADERS_OK') && -z reqenv('CORSGATE_AUTHORIZATION'))\""));
            line(&format!("Header always set Access-Control-Allow-Headers \"*, authorization\" \"expr={answered} && -n reqenv('CORSGATE_METHOD_OK') && -n reqenv('CORSGATE_HEADERS_OK') && -n reqenv('CORSGATE_AUTHORIZATION')\""));
        }
        AllowHeaders::Echo => line(&format!("Header always set Access-Control-Allow-Headers \"expr=%{{req:Access-Control-Request-Headers}}\" \"expr={answered} && -n reqenv('CORSGATE_METHOD_OK') && -n reqenv('CORSGATE_HEADERS_OK') && -n reqenv('CORSGATE_NAMES_A_HEADER')\"")),
    }
    if let Some(age) = &plan.max_age {
        line(&format!(
            "Header always set Access-Control-Max-Age {} {only_pre}",
            hv(age)
        ));
    }
    if plan.private_network {
        line("Header always set Access-Control-Allow-Private-Network true \"expr=-n reqenv('CORSGATE_PREFLIGHT') && -n reqenv('CORSGATE_PNA_ASKED')\"");
    }
    line(
        "# Vary: the preflight's on preflight answers; `origin` merged into the upstream's unless",
    );
    line("# it already lists it (or `*`), compared without case.");
    if plan.preflight_continue {
        // Merged name by name (Apache joins the Vary lines and drops repeated names).
        for name in plan.vary_preflight.split(", ") {
            line(&format!(
                "Header always merge Vary {name} {}",
                when(&["CORSGATE_PREFLIGHT_ASKED"])
            ));
        }
    } else {
        line(&format!(
            "Header always set Vary {} {}",
            hv(&plan.vary_preflight),
            when(&["CORSGATE_PREFLIGHT_ASKED"])
        ));
    }
    if plan.vary_origin {
        line(&format!(
            "Header merge Vary origin \"expr=-z reqenv('CORSGATE_PREFLIGHT_ASKED') && ! %{{resp:Vary}} =~ {}\"",
            m(&regex::vary_lists_origin())
        ));
        line("# Apache's own errors (502, 503: the upstream unreachable) carry only the `always`");
        line("# table; Apache joins the tables' Vary lines into one and drops repeated names.");
        line("Header always merge Vary origin \"expr=-z reqenv('CORSGATE_PREFLIGHT_ASKED')\"");
    }
    line("# --- corsgate: end ---");
    r
}

/// The preflight answers (mod_rewrite).
fn answers(line: &mut impl FnMut(&str), plan: &Plan) {
    line("# Preflights are answered here; the upstream never sees them.");
    line("RewriteEngine On");
    line("RewriteCond %{ENV:CORSGATE_PREFLIGHT} =1");
    line(&format!("RewriteRule ^ - [R={},L]", plan.preflight_status));
    if plan.debug {
        line("RewriteCond %{ENV:CORSGATE_EXPLAINED} =1");
        line(&format!("RewriteRule ^ - [R={},L]", plan.preflight_status));
    }
    line("RewriteCond %{ENV:CORSGATE_REFUSED} =1");
    line("RewriteRule ^ - [F]");
}

/// The server-wide part of a standalone config: Debian's modules, every runtime file inside
/// the server root (`-d DIR`).
pub(crate) fn base() -> String {
    let mut s = String::new();
    for (name, file) in [
        ("mpm_event_module", "mod_mpm_event.so"),
        ("authz_core_module", "mod_authz_core.so"),
        ("headers_module", "mod_headers.so"),
        ("setenvif_module", "mod_setenvif.so"),
        ("rewrite_module", "mod_rewrite.so"),
        ("proxy_module", "mod_proxy.so"),
        ("proxy_http_module", "mod_proxy_http.so"),
    ] {
        let _ = writeln!(s, "LoadModule {name} {MODULES}/{file}");
    }
    s.push_str(
        "<IfModule !ssl_module>\n    LoadModule ssl_module /usr/lib/apache2/modules/mod_ssl.so\n</IfModule>\n\
         ServerName localhost\nPidFile apache2.pid\nDefaultRuntimeDir .\nMutex file:. default\n\
         ErrorLog error.log\nLogLevel warn\n\
         # When started as root, the workers run as www-data (Debian's user).\n\
         User www-data\nGroup www-data\n",
    );
    s
}

pub(crate) fn render(plan: &Plan, whole: Option<&Whole>) -> String {
    let mut out = preamble(plan, Target::Apache, "#");
    let Some(w) = whole else {
        out.push_str(
            "#\n# Needs mod_headers, mod_setenvif and mod_rewrite (a2enmod headers setenvif rewrite).\n\
             # Put these lines in the <VirtualHost> that proxies to your API (server context: not\n\
             # in a <Location> or <Directory>, where they would run too late).\n",
        );
        out.push_str(&rules(plan));
        return out;
    };
    let up = w.upstream.url();
    let ssl = if w.upstream.scheme == "https" {
        "    SSLProxyEngine on\n"
    } else {
        ""
    };
    let _ = write!(
        out,
        "#\n# A whole configuration: listens on {listen}, proxies to {up}. Run it in the\n\
         # foreground with DIR as its server root (this file as DIR/apache2.conf); every file\n\
         # it writes (pid, error log, mutexes) is in DIR:\n\
         #   apache2 -d DIR -f DIR/apache2.conf -DFOREGROUND\n\
         # Check it: apache2 -t -d DIR -f DIR/apache2.conf\n\n{base}\
         Listen {listen}\n\n<VirtualHost {listen}>\n{rules}{ssl}    ProxyPass \"/\" \"{up}/\"\n</VirtualHost>\n",
        listen = w.listen,
        base = base(),
        rules = rules(plan),
    );
    out
}
