//! Debian's nginx (`/usr/sbin/nginx`, nginx-light) run in the foreground on a loopback port,
//! with a configuration, pid file, error log and temp paths of its own in a fresh directory:
//! `daemon off; master_process off;`, one worker process, `-p <dir> -c <dir>/nginx.conf`.
//! Dropping it kills the process (by its handle) and removes the directory.
//!
//! **Missing nginx.** Like a missing browser: the test fails when `CI` is set; otherwise it
//! prints a loud `*** SKIPPED: ... ***` line and returns. Never a silent skip.

use std::io::Write;
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The nginx binary (Debian's nginx-light package).
pub const NGINX: &str = "/usr/sbin/nginx";
/// How long nginx may take to listen.
const START_LIMIT: Duration = Duration::from_secs(10);

/// A running nginx; killed when dropped.
pub struct Nginx {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl Nginx {
    /// Starts nginx with `http` (directives of the `http {}` block, e.g. `map`s) and `server`
    /// (directives of its one `server {}` block, listening on 127.0.0.1 on a free port).
    /// `None` (skip, said loudly) when nginx is missing and `CI` is not set; panics under
    /// `CI` when it is missing, and whenever it does not start.
    pub fn start(http: &str, server: &str) -> Option<Nginx> {
        Nginx::start_with(http, server, None, &[])
    }

    /// [`Nginx::start`] speaking TLS with `tls` (`(certificate chain PEM, key PEM)`, e.g.
    /// from [`super::tls::pems`]) when given, and serving `files` (`(name, content)`) from
    /// its root when not empty.
    pub fn start_with(
        http: &str,
        server: &str,
        tls: Option<(&str, &str)>,
        files: &[(&str, &str)],
    ) -> Option<Nginx> {
        if !Path::new(NGINX).is_file() {
            let why = format!(
                "no {NGINX}; install it with: apt-get install nginx-light (scripts/test.sh \
                 does it)"
            );
            if super::browser::under_ci() {
                panic!("CI is set, so a missing nginx fails the test: {why}");
            }
            let _ = writeln!(std::io::stderr(), "\n*** SKIPPED: {why} ***\n");
            return None;
        }
        // A free port can be taken between our probe and nginx's bind: a few tries.
        let mut last = String::new();
        for _ in 0..3 {
            match Nginx::try_start(http, server, tls, files) {
                Ok(n) => return Some(n),
                Err(e) => last = e,
            }
        }
        panic!("nginx did not start: {last}");
    }

    fn try_start(
        http: &str,
        server: &str,
        tls: Option<(&str, &str)>,
        files: &[(&str, &str)],
    ) -> Result<Nginx, String> {
        let dir = super::fresh_dir("nginx");
        std::fs::create_dir_all(dir.join("tmp")).expect("nginx temp directory");
        let port = super::browser::free_port();
        let d = dir.display();
        let mut listen = format!("127.0.0.1:{port}");
        let mut extra = String::new();
        if let Some((chain, key)) = tls {
            std::fs::write(dir.join("cert.pem"), chain).expect("cert.pem");
            std::fs::write(dir.join("key.pem"), key).expect("key.pem");
            listen.push_str(" ssl");
            extra.push_str(&format!(
                "    ssl_certificate {d}/cert.pem;\n    ssl_certificate_key {d}/key.pem;\n"
            ));
        }
        if !files.is_empty() {
            std::fs::create_dir_all(dir.join("www")).expect("nginx root");
            for (name, content) in files {
                std::fs::write(dir.join("www").join(name), content).expect("a served file");
            }
            extra.push_str(&format!("    root {d}/www;\n"));
        }
        let conf = format!(
            "daemon off;\nmaster_process off;\nworker_processes 1;\npid {d}/nginx.pid;\n\
             error_log {d}/error.log info;\nevents {{ worker_connections 256; }}\n\
             http {{\n  access_log off;\n  client_body_temp_path {d}/tmp/body;\n  \
             proxy_temp_path {d}/tmp/proxy;\n  fastcgi_temp_path {d}/tmp/fastcgi;\n  \
             uwsgi_temp_path {d}/tmp/uwsgi;\n  scgi_temp_path {d}/tmp/scgi;\n  \
             default_type text/plain;\n{http}\n  server {{\n    listen {listen};\n{extra}\
             {server}\n  }}\n}}\n"
        );
        std::fs::write(dir.join("nginx.conf"), &conf).expect("nginx.conf");
        let child = Command::new(NGINX)
            .arg("-p")
            .arg(&dir)
            .arg("-c")
            .arg(dir.join("nginx.conf"))
            // Errors before the configuration is read go here too, not to /var/log.
            .arg("-e")
            .arg(dir.join("error.log"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {NGINX}: {e}"));
        let mut nginx = Nginx { child, port, dir };
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let deadline = Instant::now() + START_LIMIT;
        loop {
            if let Ok(Some(status)) = nginx.child.try_wait() {
                return Err(format!(
                    "nginx exited at start ({status}); error.log:\n{}\nnginx.conf:\n{conf}",
                    nginx.error_log()
                ));
            }
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return Ok(nginx);
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "nginx did not listen on {addr} within {START_LIMIT:?}; error.log:\n{}",
                    nginx.error_log()
                ));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// `http://127.0.0.1:PORT` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Its port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// What nginx wrote to its error log.
    pub fn error_log(&self) -> String {
        std::fs::read_to_string(self.dir.join("error.log")).unwrap_or_default()
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
