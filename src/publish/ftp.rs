//! Publishing over FTP (`ftp://user@host/path`) and FTPS (`ftps://…`, explicit TLS). An
//! `ftp://` address asks for TLS and uses it when the server offers it; `ftps://` refuses a
//! server without it. Certificates are checked against Mozilla's roots, plus the PEM file
//! named by `CDS_FTP_CA` for a server with a certificate of its own.
//!
//! Each file is stored under a temporary name in its folder and renamed over the old one. A
//! dropped connection is opened again (three times, waiting a little longer each time) and
//! the file sent again; if the server stays away, what landed is in the manifest, and the
//! next publish sends only the rest. Every socket has a timeout: a silent server ends the
//! publish with a message, never hangs it. The password is asked for, or read from
//! `CDS_FTP_PASSWORD`; it is never written anywhere nor printed.

use std::collections::{BTreeMap, HashSet};
use std::io;
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::Duration;

use suppaftp::rustls::pki_types::CertificateDer;
use suppaftp::rustls::pki_types::pem::PemObject;
use suppaftp::rustls::{ClientConfig, RootCertStore};
use suppaftp::types::FileType;
use suppaftp::{FtpError, Mode, RustlsConnector, RustlsFtpStream, Status};

use super::{Manifest, Place, TEMP_MARK, is_plain};

/// An FTP address without its password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    /// `ftps://`: TLS or nothing.
    pub secure: bool,
    pub user: String,
    pub host: String,
    pub port: u16,
    /// The folder on the server, without a leading or trailing `/` (empty: the login folder).
    pub path: String,
}

/// Why an address cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadAddress {
    /// `ftp://user:password@…`: a password never goes in an address (it would be kept in the
    /// shell's history, the config, a screenshot).
    HasPassword,
    NoUser,
    NoHost,
    BadPort,
    /// A path with `..`, `\` or a control character.
    BadPath,
}

impl Address {
    pub fn parse(s: &str) -> Result<Address, BadAddress> {
        let (secure, rest) = match s.split_once("://") {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("ftps") => (true, rest),
            Some((_, rest)) => (false, rest),
            None => (false, s),
        };
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        let (user, host) = authority.rsplit_once('@').ok_or(BadAddress::NoUser)?;
        if user.contains(':') {
            return Err(BadAddress::HasPassword);
        }
        let user = percent_decode(user).ok_or(BadAddress::NoUser)?;
        let port_of = |p: &str| p.parse::<u16>().map_err(|_| BadAddress::BadPort);
        let (host, port) = match host.strip_prefix('[') {
            // `[::1]:2121`
            Some(v6) => {
                let (h, after) = v6.split_once(']').ok_or(BadAddress::NoHost)?;
                match after.strip_prefix(':') {
                    Some(p) => (h, port_of(p)?),
                    None if after.is_empty() => (h, 21),
                    None => return Err(BadAddress::BadPort),
                }
            }
            None => match host.rsplit_once(':') {
                Some((h, p)) => (h, port_of(p)?),
                None => (host, 21),
            },
        };
        if user.is_empty() {
            return Err(BadAddress::NoUser);
        }
        if host.is_empty() {
            return Err(BadAddress::NoHost);
        }
        let path = percent_decode(path.trim_matches('/')).ok_or(BadAddress::BadPath)?;
        if !path.is_empty() && !is_plain(&path) {
            return Err(BadAddress::BadPath);
        }
        Ok(Address {
            secure,
            user,
            host: host.to_owned(),
            port,
            path,
        })
    }

    /// `ftp://user@host:port/path`, never with a password.
    pub fn shown(&self) -> String {
        let scheme = if self.secure { "ftps" } else { "ftp" };
        let port = if self.port == 21 {
            String::new()
        } else {
            format!(":{}", self.port)
        };
        format!("{scheme}://{}@{}{port}/{}", self.user, self.host, self.path)
    }

    /// `rel` on the server: under the address's folder.
    fn remote(&self, rel: &str) -> String {
        match self.path.is_empty() {
            true => rel.to_owned(),
            false => format!("{}/{rel}", self.path),
        }
    }
}

/// `%40` → `@`; `None` for a broken escape, bytes that are not UTF-8, or a control character.
fn percent_decode(s: &str) -> Option<String> {
    crate::urls::percent_decode(s).filter(|text| !text.contains(char::is_control))
}

/// The server's address; a name that does not resolve is said so, in Vietnamese.
fn resolve(a: &Address) -> io::Result<std::net::SocketAddr> {
    let unknown = || {
        io::Error::other(format!(
            "{} `{}`",
            crate::messages::publish::FTP_NO_HOST,
            a.host
        ))
    };
    (a.host.as_str(), a.port)
        .to_socket_addrs()
        .map_err(|_| unknown())?
        .next()
        .ok_or_else(unknown)
}

/// A control or data connection: every wait on it, to open, read or write, ends at
/// [`TIMEOUT`], so a silent server never hangs a publish.
fn connect(addr: &std::net::SocketAddr) -> io::Result<TcpStream> {
    let tcp = TcpStream::connect_timeout(addr, TIMEOUT)?;
    tcp.set_read_timeout(Some(TIMEOUT))?;
    tcp.set_write_timeout(Some(TIMEOUT))?;
    Ok(tcp)
}

/// How long a connection may stay silent before the publish gives up on it.
const TIMEOUT: Duration = Duration::from_secs(30);

/// Waits before opening a dropped connection again.
const RECONNECT: [Duration; 3] = [
    Duration::from_millis(500),
    Duration::from_secs(2),
    Duration::from_secs(5),
];

/// A connection to an FTP server, opened again when it drops.
pub struct Ftp {
    address: Address,
    password: String,
    tls: Option<Arc<ClientConfig>>,
    stream: Option<RustlsFtpStream>,
    /// Whether TLS protects the connection (for the report).
    pub secured: bool,
    /// Folders known to exist, so each is made once.
    made: HashSet<String>,
    /// Connections opened again after a drop.
    pub reconnects: usize,
}

impl Ftp {
    /// Connects and logs in.
    pub fn connect(address: Address, password: String) -> io::Result<Ftp> {
        let mut ftp = Ftp {
            address,
            password,
            tls: Some(Arc::new(tls_config()?)),
            stream: None,
            secured: false,
            made: HashSet::new(),
            reconnects: 0,
        };
        ftp.open()?;
        Ok(ftp)
    }

    fn open(&mut self) -> io::Result<()> {
        let tcp = connect(&resolve(&self.address)?)?;
        let stream = RustlsFtpStream::connect_with_stream(tcp)
            .map_err(to_io)?
            .passive_stream_builder(|addr| connect(&addr).map_err(FtpError::ConnectionError));
        // Once a connection had TLS, every later one must: a reconnect never falls back.
        let required = self.address.secure || self.secured;
        let (mut stream, secured) = self.secure(stream, required)?;
        let user = self.address.user.clone();
        stream
            .login(user.as_str(), self.password.as_str())
            .map_err(to_io)?;
        stream.transfer_type(FileType::Binary).map_err(to_io)?;
        stream.set_mode(Mode::Passive);
        self.stream = Some(stream);
        self.secured = secured;
        Ok(())
    }

    /// TLS when the server offers it (`AUTH TLS`); a server that does not is used in the
    /// clear for `ftp://` only, and only if no connection of this publish had TLS
    /// (`required`). A certificate that fails its check stops the publish.
    fn secure(
        &self,
        plain: RustlsFtpStream,
        required: bool,
    ) -> io::Result<(RustlsFtpStream, bool)> {
        let config = self.tls.clone().ok_or_else(|| io::Error::other("tls"))?;
        let connector = RustlsConnector::from(config);
        match plain.into_secure(connector, &self.address.host) {
            Ok(stream) => Ok((stream, true)),
            Err(FtpError::UnexpectedResponse(r)) if !required && refused_tls(r.status) => {
                // The refusal consumed the stream: a new one, in the clear.
                let tcp = connect(&resolve(&self.address)?)?;
                Ok((
                    RustlsFtpStream::connect_with_stream(tcp).map_err(to_io)?,
                    false,
                ))
            }
            Err(FtpError::UnexpectedResponse(r)) if refused_tls(r.status) => Err(io::Error::new(
                io::ErrorKind::Unsupported,
                crate::messages::publish::FTP_NO_TLS,
            )),
            Err(e) => Err(to_io(e)),
        }
    }

    /// Runs `op` on the connection, opening it again after a drop.
    fn with_retry<T>(
        &mut self,
        mut op: impl FnMut(&mut RustlsFtpStream) -> Result<T, FtpError>,
    ) -> io::Result<T> {
        let mut waits = RECONNECT.iter();
        loop {
            let failed = match self.stream.as_mut() {
                Some(stream) => match op(stream) {
                    Ok(v) => return Ok(v),
                    Err(e) if is_drop(&e) => to_io(e),
                    Err(e) => return Err(to_io(e)),
                },
                // Opening again failed before: try again after the next wait.
                None => match self.open() {
                    Ok(()) => continue,
                    Err(e) if is_lost(&e) => e,
                    Err(e) => return Err(e),
                },
            };
            let Some(wait) = waits.next() else {
                return Err(failed);
            };
            self.stream = None;
            self.made.clear();
            self.reconnects += 1;
            std::thread::sleep(*wait);
        }
    }

    /// Makes each folder on the way to `dir`, once.
    fn make_dirs(&mut self, dir: &str) -> io::Result<()> {
        let mut at = String::new();
        for part in dir.split('/').filter(|p| !p.is_empty()) {
            if !at.is_empty() {
                at.push('/');
            }
            at.push_str(part);
            if self.made.contains(&at) {
                continue;
            }
            let path = at.clone();
            // An existing folder answers 550 too: that is fine, the upload says if it was not.
            self.with_retry(|s| match s.mkdir(&path) {
                Err(FtpError::UnexpectedResponse(_)) => Ok(()),
                other => other,
            })?;
            self.made.insert(at.clone());
        }
        Ok(())
    }

    pub fn quit(mut self) {
        if let Some(mut s) = self.stream.take() {
            let _ = s.quit();
        }
    }
}

/// What the server says when it has no TLS: 500, 502, 504 (not understood or not
/// implemented), 534 (refused by policy), 431.
fn refused_tls(status: Status) -> bool {
    matches!(status.code(), 500 | 502 | 504 | 534 | 431)
}

/// A connection that could not be opened again for now (refused, reset, timed out), not a
/// refusal of the login, of TLS, or a name that does not resolve.
fn is_lost(e: &io::Error) -> bool {
    use io::ErrorKind as K;
    matches!(
        e.kind(),
        K::ConnectionRefused
            | K::ConnectionReset
            | K::ConnectionAborted
            | K::UnexpectedEof
            | K::BrokenPipe
            | K::TimedOut
            | K::WouldBlock
            | K::NotConnected
    )
}

/// An I/O error that is TLS refusing the other end.
fn is_tls(e: &io::Error) -> bool {
    e.get_ref()
        .is_some_and(|inner| inner.is::<suppaftp::rustls::Error>())
}

/// The connection itself failed (dropped, reset, timed out), not the server's answer nor TLS.
fn is_drop(e: &FtpError) -> bool {
    matches!(e, FtpError::ConnectionError(io) if !is_tls(io))
        || matches!(e, FtpError::BadResponse)
        || matches!(e, FtpError::UnexpectedResponse(r) if matches!(r.status.code(), 421 | 425 | 426))
}

fn to_io(e: FtpError) -> io::Error {
    match e {
        // rustls reports a refused certificate on the first read, as an I/O error.
        FtpError::ConnectionError(e) if is_tls(&e) => io::Error::other(format!(
            "{} ({e})",
            crate::messages::publish::FTP_BAD_CERTIFICATE
        )),
        FtpError::ConnectionError(e) => e,
        FtpError::UnexpectedResponse(r) => {
            use crate::messages::publish::{FTP_LOGIN_FAILED, FTP_SAID};
            let body = String::from_utf8_lossy(&r.body).trim().to_owned();
            match r.status.code() {
                530 => io::Error::other(format!("{FTP_LOGIN_FAILED} ({FTP_SAID}: {body})")),
                452 | 552 => io::Error::from(io::ErrorKind::StorageFull),
                _ => io::Error::other(format!("{FTP_SAID}: {body}")),
            }
        }
        // Not InvalidData: its words are about text files.
        FtpError::SecureError(detail) => io::Error::other(format!(
            "{} ({detail})",
            crate::messages::publish::FTP_BAD_CERTIFICATE
        )),
        other => io::Error::other(other.to_string()),
    }
}

/// Mozilla's roots, and the certificates of the PEM file `CDS_FTP_CA` names.
fn tls_config() -> io::Result<ClientConfig> {
    let mut roots = RootCertStore::from_iter(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(file) = std::env::var_os("CDS_FTP_CA") {
        for cert in CertificateDer::pem_file_iter(&file).map_err(io::Error::other)? {
            roots
                .add(cert.map_err(io::Error::other)?)
                .map_err(io::Error::other)?;
        }
    }
    Ok(ClientConfig::builder()
        .with_root_certificates(roots)
        .with_no_client_auth())
}

impl Place for Ftp {
    fn name(&self) -> String {
        self.address.shown()
    }

    fn read(&mut self, rel: &str) -> io::Result<Option<Vec<u8>>> {
        let path = self.address.remote(rel);
        self.with_retry(|s| match s.retr_as_buffer(&path) {
            Ok(buf) => Ok(Some(buf.into_inner())),
            Err(FtpError::UnexpectedResponse(r)) if r.status.code() == 550 => Ok(None),
            Err(e) => Err(e),
        })
    }

    fn append(&mut self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.address.remote(rel);
        self.with_retry(|s| s.append_file(&path, &mut io::Cursor::new(bytes)).map(drop))
    }

    /// Listing every folder would take a round trip each: the manifest says what cds put
    /// there. Beside it, each name at the top of the site that is there but not cds's (another
    /// person's), and for each new file of the site inside a folder of cds's, whether a file
    /// is there already (one `SIZE` each: a publish adds a few files, a first one none there).
    fn present(
        &mut self,
        manifest: &Manifest,
        built: &Manifest,
    ) -> io::Result<BTreeMap<String, u64>> {
        let mut found: BTreeMap<String, u64> = manifest
            .files
            .iter()
            .map(|(p, e)| (p.clone(), e.size))
            .collect();
        let owned: HashSet<&str> = manifest.files.keys().map(|p| super::top(p)).collect();
        // Each top-level name the site needs that is not cds's yet, asked for with MLST on the
        // control connection: a listing needs a data connection, and an empty one over TLS
        // is where servers and clients disagree on how it ends.
        let tops: std::collections::BTreeSet<&str> = (built.files.keys())
            .map(|p| super::top(p))
            .filter(|t| !owned.contains(t))
            .collect();
        for name in tops {
            let remote = self.address.remote(name);
            let there = self.with_retry(|s| match s.mlst(Some(remote.as_str())) {
                Ok(_) => Ok(true),
                Err(FtpError::UnexpectedResponse(r)) if r.status.code() == 550 => Ok(false),
                Err(e) => Err(e),
            })?;
            if there {
                found.insert(name.to_owned(), u64::MAX);
            }
        }
        let new_inside_ours = built
            .files
            .keys()
            .filter(|p| p.contains('/') && !manifest.files.contains_key(*p))
            .filter(|p| owned.contains(super::top(p)));
        for path in new_inside_ours {
            let remote = self.address.remote(path);
            let size = self.with_retry(|s| match s.size(&remote) {
                Ok(n) => Ok(Some(n as u64)),
                Err(FtpError::UnexpectedResponse(r)) if r.status.code() == 550 => Ok(None),
                Err(e) => Err(e),
            })?;
            if let Some(size) = size {
                found.insert(path.clone(), size);
            }
        }
        Ok(found)
    }

    fn put(&mut self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.address.remote(rel);
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", &path));
        self.make_dirs(dir)?;
        let temp = match dir.is_empty() {
            true => format!(".{name}{TEMP_MARK}"),
            false => format!("{dir}/.{name}{TEMP_MARK}"),
        };
        self.with_retry(|s| {
            s.put_file(&temp, &mut io::Cursor::new(bytes))?;
            // Some servers (IIS) refuse to rename over a file: delete it, then rename. The
            // file is cds's (or taken over with --force): the plan checked it is.
            match s.rename(&temp, &path) {
                Err(FtpError::UnexpectedResponse(_)) => {
                    let _ = s.rm(&path);
                    s.rename(&temp, &path)
                }
                other => other,
            }
        })
    }

    fn delete(&mut self, rel: &str) -> io::Result<()> {
        let path = self.address.remote(rel);
        self.with_retry(|s| match s.rm(&path) {
            Err(FtpError::UnexpectedResponse(r)) if r.status.code() == 550 => Ok(()),
            other => other,
        })?;
        // Folders left empty go too; a folder that is not empty answers 550 and stays.
        let mut dir = rel;
        while let Some((parent, _)) = dir.rsplit_once('/') {
            let remote = self.address.remote(parent);
            let gone = self.with_retry(|s| Ok(s.rmdir(&remote).is_ok()))?;
            if !gone {
                break;
            }
            self.made.remove(&remote);
            dir = parent;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_name_user_host_port_and_folder_never_a_password() {
        let a =
            Address::parse("ftp://bbt@daihai.cantho.gov.vn/public_html/chuyen-doi-so/").unwrap();
        assert_eq!(
            a,
            Address {
                secure: false,
                user: "bbt".into(),
                host: "daihai.cantho.gov.vn".into(),
                port: 21,
                path: "public_html/chuyen-doi-so".into(),
            }
        );
        assert_eq!(
            a.shown(),
            "ftp://bbt@daihai.cantho.gov.vn/public_html/chuyen-doi-so"
        );
        let a = Address::parse("FTPS://bbt%40daihai@127.0.0.1:2121").unwrap();
        assert!(a.secure);
        assert_eq!(
            (a.user.as_str(), a.port, a.path.as_str()),
            ("bbt@daihai", 2121, "")
        );
        let a = Address::parse("ftp://u@[::1]:2121/web").unwrap();
        assert_eq!((a.host.as_str(), a.port), ("::1", 2121));
        for (bad, why) in [
            ("ftp://bbt:matkhau@host/web", BadAddress::HasPassword),
            ("ftp://host/web", BadAddress::NoUser),
            ("ftp://@host/web", BadAddress::NoUser),
            ("ftp://bbt@/web", BadAddress::NoHost),
            ("ftp://bbt@host:cong/web", BadAddress::BadPort),
            ("ftp://bbt@host:99999/web", BadAddress::BadPort),
            ("ftp://bbt@host/web/../etc", BadAddress::BadPath),
            ("ftp://bbt@host/web%2f..%2fetc", BadAddress::BadPath),
            ("ftp://bbt@host/a%0ab", BadAddress::BadPath),
            ("ftp://bbt@host/a%zz", BadAddress::BadPath),
        ] {
            assert_eq!(Address::parse(bad), Err(why), "{bad}");
        }
    }

    #[test]
    fn remote_paths_stay_under_the_folder() {
        let a = Address::parse("ftp://u@h/web/cds").unwrap();
        assert_eq!(a.remote("tin-tuc/index.html"), "web/cds/tin-tuc/index.html");
        let a = Address::parse("ftp://u@h").unwrap();
        assert_eq!(a.remote(super::super::MANIFEST), super::super::MANIFEST);
    }
}
