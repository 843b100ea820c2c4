//! TLS failure paths against fault-injecting fake peers (the real TLS
//! endpoints, stunnel with openssl-made certificates, are exercised by
//! php-tests/tls_*.phpt): a handshake that stalls ends at the deadline, a
//! plaintext client that gets a TLS alert back says so, and a configuration
//! that could not be built fails every connect instead of falling back to
//! plaintext.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::time::{Duration, Instant};

use gearman_core::{Client, ReturnCode, TlsConfig, TlsOptions, WorkStep, Worker};

fn tls_on() -> Arc<TlsConfig> {
    // verify_peer off: the fake peers never get as far as a certificate.
    Arc::new(
        TlsConfig::new(&TlsOptions {
            verify_peer: false,
            ..TlsOptions::default()
        })
        .expect("config"),
    )
}

#[test]
fn stalled_handshake_ends_at_the_deadline() {
    // Listening, never accepting: TCP connects (backlog), the ClientHello
    // is never answered.
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();

    let mut c = Client::new();
    c.set_tls(Some(tls_on()));
    c.add_server(Some("127.0.0.1"), port as i64).unwrap();
    c.set_timeout(300);
    let t = Instant::now();
    let e = c.echo(b"x").unwrap_err();
    assert!(t.elapsed() < Duration::from_secs(3), "{:?}", t.elapsed());
    // Given up at the call's deadline: as a connect (COULD_NOT_CONNECT) or
    // as the call (TIMEOUT), whichever the loop sees first; either names TLS.
    assert!(
        matches!(e.code, ReturnCode::CouldNotConnect | ReturnCode::Timeout),
        "{e:?}"
    );
    assert!(e.message.contains("TLS handshake"), "{}", e.message);

    let mut w = Worker::new();
    w.set_tls(Some(tls_on()));
    w.add_server(Some("127.0.0.1"), port as i64).unwrap();
    w.register(b"f", 0).unwrap();
    w.set_timeout(300);
    let t = Instant::now();
    match w.work() {
        WorkStep::Timeout => {}
        other => panic!(
            "expected a timeout, got {:?}",
            std::mem::discriminant(&other)
        ),
    }
    assert!(
        w.tls_stall().is_some_and(|m| m.contains("TLS handshake")),
        "{:?}",
        w.tls_stall()
    );
    assert!(t.elapsed() < Duration::from_secs(3), "{:?}", t.elapsed());
    drop(l);
}

#[test]
fn plaintext_client_told_the_server_speaks_tls() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let h = std::thread::spawn(move || {
        let (mut s, _) = l.accept().unwrap();
        let mut b = [0u8; 12];
        let _ = s.read(&mut b);
        // A TLS fatal alert (protocol_version), as a TLS server answers garbage.
        s.write_all(&[0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46])
            .unwrap();
        std::thread::sleep(Duration::from_millis(200));
    });
    let mut c = Client::new();
    c.add_server(Some("127.0.0.1"), port as i64).unwrap();
    c.set_timeout(3000);
    let e = c.echo(b"x").unwrap_err();
    assert_eq!(e.code, ReturnCode::CouldNotConnect, "{e:?}");
    assert!(e.message.contains("answered with TLS"), "{}", e.message);
    h.join().unwrap();
}

#[test]
fn tls_server_closing_is_a_connect_failure() {
    // A "TLS server" that reads the ClientHello and hangs up.
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let h = std::thread::spawn(move || {
        let (mut s, _) = l.accept().unwrap();
        let mut b = [0u8; 512];
        let _ = s.read(&mut b);
    });
    let mut c = Client::new();
    c.set_tls(Some(tls_on()));
    c.add_server(Some("127.0.0.1"), port as i64).unwrap();
    c.set_timeout(3000);
    let e = c.echo(b"x").unwrap_err();
    assert_eq!(e.code, ReturnCode::CouldNotConnect, "{e:?}");
    assert!(
        e.message.contains("TLS handshake with 127.0.0.1"),
        "{}",
        e.message
    );
    h.join().unwrap();
}

#[test]
fn unusable_configuration_never_falls_back_to_plaintext() {
    let missing = TlsOptions {
        cafile: Some("/nonexistent/ca.pem".into()),
        ..TlsOptions::default()
    };
    let e = TlsConfig::new(&missing).unwrap_err();
    assert_eq!(e.code, ReturnCode::InvalidArgument);
    assert!(
        e.message.contains("cafile") && e.message.contains("/nonexistent/ca.pem"),
        "{}",
        e.message
    );

    let no_cert = TlsOptions {
        local_pk: Some("/tmp/key.pem".into()),
        ..TlsOptions::default()
    };
    assert!(TlsConfig::new(&no_cert)
        .unwrap_err()
        .message
        .contains("without local_cert"));

    // A listener that would accept plaintext: nothing may be sent to it.
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    l.set_nonblocking(true).unwrap();
    let port = l.local_addr().unwrap().port();
    let mut c = Client::new();
    c.set_tls(Some(Arc::new(TlsConfig::failed(e))));
    c.add_server(Some("127.0.0.1"), port as i64).unwrap();
    c.set_timeout(1000);
    let e = c.echo(b"x").unwrap_err();
    assert_eq!(e.code, ReturnCode::CouldNotConnect, "{e:?}");
    assert!(
        e.message.contains("TLS to 127.0.0.1") && e.message.contains("cafile"),
        "{}",
        e.message
    );
    assert!(l.accept().is_err(), "no connection was even opened");
}
