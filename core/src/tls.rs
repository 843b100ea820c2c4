//! TLS for client and worker connections, on rustls with the *ring* crypto
//! provider.
//!
//! Why rustls + ring: PHP processes often load ext-openssl; a second OpenSSL
//! (or a library exporting `SSL_*`/`EVP_*` symbols) in the same process can
//! bind to the wrong copy. rustls is Rust, and ring's few C/assembly symbols
//! are prefixed (`ring_core_0_17_*`), so nothing can clash. ring builds from
//! crates.io with only a C compiler (no cmake, Go or bindgen, no download at
//! build time), which is what a PECL-style build host has; aws-lc-rs needs
//! more of that toolchain and a much longer build.
//!
//! What is verified, by default: the server's certificate chain against the
//! system CA store (`SSL_CERT_FILE`/`SSL_CERT_DIR` or the distribution's
//! bundle, e.g. Debian's `/etc/ssl/certs`) or the given `cafile`/`capath`,
//! its validity period, and that it names the host given to `addServer`
//! (or `peer_name`). TLS 1.2 and 1.3 are offered.
//!
//! Sessions are never resumed: a forked child that inherits a client must not
//! reuse its parent's session state, and one handshake per connection (not per
//! request) costs nothing measurable. Dropping a [`TlsStream`] sends nothing,
//! so a child closing an inherited connection leaves the parent's session
//! intact.

use std::fmt;
use std::io::{self, BufRead, IoSlice, Read, Write};
use std::os::fd::RawFd;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{Resumption, WebPkiServerVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, ClientConnection, DigitallySignedStruct, RootCertStore,
    SignatureScheme,
};

use crate::transport::Handshake;
use crate::{sys, Error, ReturnCode};

/// Largest amount of TLS input decrypted per [`TlsStream::recv`] call, so one
/// busy connection cannot starve the others of a poll loop turn.
const RECV_BUDGET: usize = 1 << 20;
/// Plaintext accepted (and encrypted) ahead of the socket.
const SEND_BUFFER: usize = 256 * 1024;

/// TLS settings, named after PHP's stream-context `ssl` options.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlsOptions {
    /// PEM file of CA certificates to trust (instead of the system store).
    pub cafile: Option<PathBuf>,
    /// Directory of PEM CA certificates to trust (instead of the system store).
    pub capath: Option<PathBuf>,
    /// PEM client certificate chain (may also hold the private key).
    pub local_cert: Option<PathBuf>,
    /// PEM private key of `local_cert` (PKCS#8, PKCS#1 or SEC1, unencrypted).
    pub local_pk: Option<PathBuf>,
    /// Verify the server's certificate chain (default true).
    pub verify_peer: bool,
    /// Verify that the certificate names the server (default true).
    pub verify_peer_name: bool,
    /// The name to expect (and send as SNI) instead of the `addServer` host.
    pub peer_name: Option<String>,
    /// Accept a self-signed server certificate that is not otherwise trusted.
    pub allow_self_signed: bool,
}

impl Default for TlsOptions {
    fn default() -> TlsOptions {
        TlsOptions {
            cafile: None,
            capath: None,
            local_cert: None,
            local_pk: None,
            verify_peer: true,
            verify_peer_name: true,
            peer_name: None,
            allow_self_signed: false,
        }
    }
}

/// A ready rustls client configuration, shared by every connection of a
/// client or worker; or the reason it could not be built, which every
/// connect then reports (TLS was asked for: never fall back to plaintext).
pub struct TlsConfig(Result<Ready, Error>);

struct Ready {
    config: Arc<ClientConfig>,
    peer_name: Option<ServerName<'static>>,
}

impl fmt::Debug for TlsConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Ok(r) => f
                .debug_struct("TlsConfig")
                .field("peer_name", &r.peer_name)
                .finish_non_exhaustive(),
            Err(e) => f.debug_tuple("TlsConfig").field(e).finish(),
        }
    }
}

fn setup_error(message: String) -> Error {
    Error::new(
        ReturnCode::InvalidArgument,
        "gearman_universal_set_ssl",
        message,
    )
}

impl TlsConfig {
    /// Loads the CA store and client certificate and builds the config.
    /// Fails (INVALID_ARGUMENT, naming the file) on unreadable or empty
    /// files, a key that does not parse, or no trusted CA at all.
    pub fn new(opts: &TlsOptions) -> Result<TlsConfig, Error> {
        Ready::new(opts).map(|r| TlsConfig(Ok(r)))
    }

    /// A configuration whose every connect fails with `setup`'s message
    /// (as COULD_NOT_CONNECT).
    pub fn failed(setup: Error) -> TlsConfig {
        TlsConfig(Err(setup))
    }

    /// Why the configuration could not be built, if it could not.
    pub fn setup_error(&self) -> Option<&Error> {
        self.0.as_ref().err()
    }

    /// Starts a client session towards `host` (`addServer`'s host, unless
    /// `peer_name` overrides it). `peer` names the server in messages.
    pub(crate) fn start(&self, host: &str, peer: String) -> Result<TlsStream, Error> {
        match &self.0 {
            Ok(r) => r.start(host, peer),
            Err(e) => Err(Error::new(
                ReturnCode::CouldNotConnect,
                "gearman_connection_st::connect",
                format!("TLS to {} not possible: {}", peer, e.message),
            )),
        }
    }
}

impl Ready {
    fn new(opts: &TlsOptions) -> Result<Ready, Error> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let peer_name =
            match &opts.peer_name {
                Some(n) => Some(ServerName::try_from(n.clone()).map_err(|_| {
                    setup_error(format!("peer_name '{}' is not a valid host name", n))
                })?),
                None => None,
            };
        let verifier = Verifier::new(opts, provider.clone())?;
        let builder = ClientConfig::builder_with_provider(provider)
            .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
            .map_err(|e| setup_error(format!("TLS setup failed: {}", e)))?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier));
        let mut config = match &opts.local_cert {
            Some(cert_path) => {
                let certs = load_certs(cert_path, "local_cert")?;
                let key_path = opts.local_pk.as_deref().unwrap_or(cert_path);
                let key = PrivateKeyDer::from_pem_file(key_path).map_err(|e| {
                    setup_error(format!(
                        "local_pk: no usable private key in '{}': {}",
                        key_path.display(),
                        pem_reason(&e)
                    ))
                })?;
                builder.with_client_auth_cert(certs, key).map_err(|e| {
                    setup_error(format!(
                        "local_cert/local_pk: '{}' cannot be used: {}",
                        key_path.display(),
                        e
                    ))
                })?
            }
            None => {
                if let Some(pk) = &opts.local_pk {
                    return Err(setup_error(format!(
                        "local_pk '{}' given without local_cert",
                        pk.display()
                    )));
                }
                builder.with_no_client_auth()
            }
        };
        config.resumption = Resumption::disabled();
        Ok(Ready {
            config: Arc::new(config),
            peer_name,
        })
    }

    fn start(&self, host: &str, peer: String) -> Result<TlsStream, Error> {
        let name = match &self.peer_name {
            Some(n) => n.clone(),
            None => ServerName::try_from(host.to_owned()).map_err(|_| {
                Error::new(
                    ReturnCode::CouldNotConnect,
                    "gearman_connection_st::connect",
                    format!("TLS: '{}' is not a valid server name (set peer_name)", host),
                )
            })?,
        };
        let mut conn = ClientConnection::new(self.config.clone(), name).map_err(|e| {
            Error::new(
                ReturnCode::CouldNotConnect,
                "gearman_connection_st::connect",
                format!("TLS setup failed: {}", e),
            )
        })?;
        conn.set_buffer_limit(Some(SEND_BUFFER));
        Ok(TlsStream {
            conn,
            peer,
            app_data: false,
        })
    }
}

fn pem_reason(e: &rustls::pki_types::pem::Error) -> String {
    match e {
        rustls::pki_types::pem::Error::Io(io) => io.to_string(),
        rustls::pki_types::pem::Error::NoItemsFound => {
            "no PEM key found (encrypted keys are not supported: decrypt with `openssl pkey`)"
                .into()
        }
        other => format!("{:?}", other),
    }
}

fn load_certs(path: &Path, what: &str) -> Result<Vec<CertificateDer<'static>>, Error> {
    let certs: Result<Vec<_>, _> = CertificateDer::pem_file_iter(path)
        .map_err(|e| {
            setup_error(format!(
                "{}: cannot read '{}': {}",
                what,
                path.display(),
                pem_reason(&e)
            ))
        })?
        .collect();
    let certs = certs.map_err(|e| {
        setup_error(format!(
            "{}: bad PEM in '{}': {}",
            what,
            path.display(),
            pem_reason(&e)
        ))
    })?;
    if certs.is_empty() {
        return Err(setup_error(format!(
            "{}: no certificate in '{}'",
            what,
            path.display()
        )));
    }
    Ok(certs)
}

fn root_store(opts: &TlsOptions) -> Result<RootCertStore, Error> {
    let mut roots = RootCertStore::empty();
    if opts.cafile.is_none() && opts.capath.is_none() {
        // The system store; unreadable entries are skipped, as OpenSSL does.
        let found = rustls_native_certs::load_native_certs();
        roots.add_parsable_certificates(found.certs);
        return Ok(roots);
    }
    if let Some(f) = &opts.cafile {
        let (ok, _) = roots.add_parsable_certificates(load_certs(f, "cafile")?);
        if ok == 0 {
            return Err(setup_error(format!(
                "cafile: no usable CA certificate in '{}'",
                f.display()
            )));
        }
    }
    if let Some(dir) = &opts.capath {
        let entries = std::fs::read_dir(dir).map_err(|e| {
            setup_error(format!(
                "capath: cannot read directory '{}': {}",
                dir.display(),
                e
            ))
        })?;
        for entry in entries.flatten() {
            if let Ok(iter) = CertificateDer::pem_file_iter(entry.path()) {
                roots.add_parsable_certificates(iter.flatten());
            }
        }
    }
    Ok(roots)
}

/// Certificate checks per the options; handshake signatures are always
/// verified (even with `verify_peer` off the peer must own the key it shows).
#[derive(Debug)]
struct Verifier {
    webpki: Option<Arc<WebPkiServerVerifier>>,
    verify_peer: bool,
    verify_peer_name: bool,
    allow_self_signed: bool,
    provider: Arc<CryptoProvider>,
}

impl Verifier {
    fn new(opts: &TlsOptions, provider: Arc<CryptoProvider>) -> Result<Verifier, Error> {
        let roots = root_store(opts)?;
        let webpki = if roots.is_empty() {
            if opts.verify_peer && !opts.allow_self_signed {
                return Err(setup_error(
                    "no trusted CA certificate found (set cafile/capath or install the system CA store)".into(),
                ));
            }
            None
        } else {
            Some(
                WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                    .build()
                    .map_err(|e| setup_error(format!("TLS setup failed: {}", e)))?,
            )
        };
        Ok(Verifier {
            webpki,
            verify_peer: opts.verify_peer,
            verify_peer_name: opts.verify_peer_name,
            allow_self_signed: opts.allow_self_signed,
            provider,
        })
    }

    fn self_signed(
        &self,
        end_entity: &CertificateDer<'_>,
        server_name: &ServerName<'_>,
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let mut roots = RootCertStore::empty();
        roots.add(end_entity.clone())?;
        let v = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), self.provider.clone())
            .build()
            .map_err(|e| rustls::Error::General(e.to_string()))?;
        self.name_policy(v.verify_server_cert(end_entity, &[], server_name, &[], now))
    }

    fn name_policy(
        &self,
        r: Result<ServerCertVerified, rustls::Error>,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match r {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) if !self.verify_peer_name => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if !self.verify_peer {
            return Ok(ServerCertVerified::assertion());
        }
        let r = match &self.webpki {
            Some(v) => {
                v.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
            }
            None => Err(rustls::Error::InvalidCertificate(
                CertificateError::UnknownIssuer,
            )),
        };
        match r {
            Err(rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer))
                if self.allow_self_signed && intermediates.is_empty() =>
            {
                self.self_signed(end_entity, server_name, now)
            }
            other => self.name_policy(other),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// The socket as `Read`/`Write` for rustls: non-blocking, no SIGPIPE.
struct Fd(RawFd);

impl Read for Fd {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // SAFETY: buf is a valid, writable slice.
        let n = unsafe { libc::recv(self.0, buf.as_mut_ptr().cast(), buf.len(), 0) };
        if n < 0 {
            Err(io::Error::last_os_error())
        } else {
            Ok(n as usize)
        }
    }
}

impl Write for Fd {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        sys::send_vectored(self.0, &[IoSlice::new(buf)])
    }

    fn write_vectored(&mut self, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
        sys::send_vectored(self.0, bufs)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// One TLS client session over a connection's socket.
pub(crate) struct TlsStream {
    conn: ClientConnection,
    /// `host:port`, for messages.
    peer: String,
    /// Application data arrived: the server accepted us (with TLS 1.3 a
    /// rejected client certificate is only reported after the handshake).
    app_data: bool,
}

impl TlsStream {
    fn refused(&self, why: impl fmt::Display) -> Error {
        Error::new(
            ReturnCode::CouldNotConnect,
            "gearman_connection_st::connect",
            format!("TLS handshake with {} failed: {}", self.peer, why),
        )
    }

    /// A rustls error: sends the alert rustls queued (best effort) and maps
    /// it to COULD_NOT_CONNECT before any application data, LOST_CONNECTION
    /// after.
    fn fatal(&mut self, fd: RawFd, e: rustls::Error) -> Error {
        let _ = self.conn.write_tls(&mut Fd(fd));
        if self.app_data {
            Error::lost_connection(&format!("TLS: {}", e))
        } else {
            self.refused(Self::explain(&e))
        }
    }

    /// rustls' text, led by what it means for the user.
    fn explain(e: &rustls::Error) -> String {
        use CertificateError as C;
        let lead = match e {
            rustls::Error::InvalidCertificate(C::Expired | C::ExpiredContext { .. }) => {
                "server certificate expired"
            }
            rustls::Error::InvalidCertificate(C::NotValidYet | C::NotValidYetContext { .. }) => {
                "server certificate not valid yet"
            }
            rustls::Error::InvalidCertificate(C::UnknownIssuer) => {
                "server certificate not issued by a trusted CA (set cafile/capath)"
            }
            rustls::Error::InvalidCertificate(
                C::NotValidForName | C::NotValidForNameContext { .. },
            ) => "host name mismatch",
            rustls::Error::InvalidCertificate(_) => "server certificate rejected",
            rustls::Error::InvalidMessage(_) => {
                "the server did not answer with TLS (not a TLS endpoint: plaintext gearmand?)"
            }
            rustls::Error::AlertReceived(_) => {
                "the server refused the connection (client certificate missing or not accepted?)"
            }
            _ => return e.to_string(),
        };
        format!("{}: {}", lead, e)
    }

    fn closed_early(&self) -> Error {
        self.refused("the server closed the connection (not a TLS endpoint, or it requires a client certificate?)")
    }

    pub(crate) fn handshake(&mut self, fd: RawFd) -> Result<Handshake, Error> {
        loop {
            while self.conn.wants_write() {
                match self.conn.write_tls(&mut Fd(fd)) {
                    Ok(_) => {}
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                        return Ok(Handshake::Waiting)
                    }
                    Err(e) => return Err(self.reset(&e)),
                }
            }
            if !self.conn.is_handshaking() {
                return Ok(Handshake::Done);
            }
            match self.conn.read_tls(&mut Fd(fd)) {
                Ok(0) => return Err(self.closed_early()),
                Ok(_) => {
                    if let Err(e) = self.conn.process_new_packets() {
                        return Err(self.fatal(fd, e));
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(Handshake::Waiting),
                Err(e) => return Err(self.reset(&e)),
            }
        }
    }

    /// A socket error before any application data: the server hung up on us
    /// (a refused client certificate often ends in a reset that discards the
    /// alert before we read it).
    fn reset(&self, e: &io::Error) -> Error {
        let mut err = self.closed_early();
        err.message.push_str(&format!(" ({})", e));
        err
    }

    /// Before any application data: why the server refused us, if what it
    /// sent before closing says so (an alert, or a close).
    pub(crate) fn refusal(&mut self, fd: RawFd) -> Option<Error> {
        if self.app_data {
            return None;
        }
        loop {
            match self.conn.read_tls(&mut Fd(fd)) {
                Ok(0) => break,
                Ok(_) => {
                    if let Err(e) = self.conn.process_new_packets() {
                        return Some(self.fatal(fd, e));
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        Some(self.closed_early())
    }

    pub(crate) fn handshake_events(&self) -> i16 {
        if self.conn.wants_write() {
            libc::POLLOUT
        } else {
            libc::POLLIN
        }
    }

    pub(crate) fn has_pending(&self) -> bool {
        self.conn.wants_write()
    }

    pub(crate) fn flush_pending(&mut self, fd: RawFd) -> io::Result<bool> {
        while self.conn.wants_write() {
            match self.conn.write_tls(&mut Fd(fd)) {
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(false),
                Err(e) => return Err(e),
            }
        }
        Ok(true)
    }

    /// Encrypts as much of `bufs` as fits the send buffer once the previous
    /// records are on the wire; `WouldBlock` while they are not.
    pub(crate) fn send(&mut self, fd: RawFd, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
        if !self.flush_pending(fd)? {
            return Err(io::ErrorKind::WouldBlock.into());
        }
        let n = self.conn.writer().write_vectored(bufs)?;
        self.flush_pending(fd)?;
        if n == 0 && bufs.iter().any(|b| !b.is_empty()) {
            return Err(io::ErrorKind::WouldBlock.into());
        }
        Ok(n)
    }

    /// Reads and decrypts what the socket has (up to [`RECV_BUDGET`]) and
    /// moves *all* resulting plaintext into `buf`, so nothing waits inside
    /// rustls where poll(2) cannot see it.
    pub(crate) fn recv(&mut self, fd: RawFd, buf: &mut Vec<u8>) -> Result<usize, Error> {
        let mut total = 0;
        let mut wire = 0;
        let mut eof = false;
        loop {
            let mut more = false;
            match self.conn.read_tls(&mut Fd(fd)) {
                Ok(0) => eof = true,
                Ok(n) => {
                    wire += n;
                    more = true;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(e) => {
                    if !self.app_data {
                        return Err(self.reset(&e));
                    }
                    return Err(Error::lost_connection(&e.to_string())
                        .with_errno(e.raw_os_error().unwrap_or(0)));
                }
            }
            let state = match self.conn.process_new_packets() {
                Ok(s) => s,
                Err(e) => return Err(self.fatal(fd, e)),
            };
            if state.peer_has_closed() {
                eof = true;
            }
            let mut reader = self.conn.reader();
            loop {
                match reader.fill_buf() {
                    Ok([]) => {
                        eof = true;
                        break;
                    }
                    Ok(chunk) => {
                        let n = chunk.len();
                        buf.extend_from_slice(chunk);
                        reader.consume(n);
                        total += n;
                    }
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                    Err(_) => {
                        // UnexpectedEof: TCP closed without close_notify.
                        eof = true;
                        break;
                    }
                }
            }
            if total > 0 {
                self.app_data = true;
            }
            if !more || eof || wire >= RECV_BUDGET {
                break;
            }
        }
        if total > 0 {
            return Ok(total);
        }
        if eof {
            return Err(if self.app_data {
                Error::lost_connection("EOF")
            } else {
                self.closed_early()
            });
        }
        Ok(0)
    }

    /// An idle connection: consumes what arrived (session tickets, a
    /// close_notify) and reports whether the server is gone. Plaintext that
    /// arrived meanwhile is kept in `buf` and counts as alive.
    pub(crate) fn peer_closed(&mut self, fd: RawFd, buf: &mut Vec<u8>) -> bool {
        if !sys::readable(fd) {
            return false;
        }
        self.recv(fd, buf).is_err()
    }
}
