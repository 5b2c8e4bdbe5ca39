//! Checks: `localhost` reaches the endpoint on both 127.0.0.1 and ::1 (the Web Connector
//! resolves `localhost` either way), and the port is free or ours.

use super::Check;
use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpStream};
use std::time::Duration;

/// What answered on one address.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Seen {
    /// FieldBridge's WSDL came back.
    Ours,
    /// Something listens but is not FieldBridge.
    Other(String),
    /// Nothing listens.
    Nothing,
    /// This PC has no such address (no IPv6).
    Unreachable(String),
}

fn probe(addr: SocketAddr) -> Seen {
    let timeout = Duration::from_secs(3);
    let mut stream = match TcpStream::connect_timeout(&addr, timeout) {
        Ok(s) => s,
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => return Seen::Nothing,
        Err(e) => return Seen::Unreachable(e.to_string()),
    };
    let _ = stream.set_read_timeout(Some(timeout));
    let request = format!(
        "GET {}?wsdl HTTP/1.1\r\nHost: localhost:{}\r\nConnection: close\r\n\r\n",
        crate::qbwc::SOAP_PATH,
        addr.port()
    );
    if let Err(e) = stream.write_all(request.as_bytes()) {
        return Seen::Other(format!("it closed the connection ({e})"));
    }
    let mut answer = Vec::new();
    let _ = stream.take(64 * 1024).read_to_end(&mut answer);
    classify(&String::from_utf8_lossy(&answer))
}

/// FieldBridge's answer to `GET /qbwc?wsdl` is 200 with a WSDL naming the Web Connector's
/// operations.
pub(super) fn classify(answer: &str) -> Seen {
    let status = answer.lines().next().unwrap_or("").trim().to_owned();
    if status.contains(" 200") && answer.contains("sendRequestXML") {
        Seen::Ours
    } else if status.is_empty() {
        Seen::Other("it sent nothing back".to_owned())
    } else {
        Seen::Other(format!("it answered \"{status}\""))
    }
}

pub fn checks(port: u16) -> Vec<Check> {
    let v4 = probe(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port));
    let v6 = probe(SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), port));
    judge(port, &v4, &v6)
}

pub(super) fn judge(port: u16, v4: &Seen, v6: &Seen) -> Vec<Check> {
    let one = |name: &'static str, addr: &str, seen: &Seen| {
        match seen {
        Seen::Ours => Check::ok(name, format!("http://{addr}:{port}/qbwc answers as FieldBridge")),
        Seen::Nothing => Check::warn(
            name,
            format!("nothing listens on {addr}:{port}: FieldBridge is not running"),
            "start FieldBridge (or `fieldbridge serve`) and run the doctor again",
        ),
        Seen::Other(what) => Check::fail(
            name,
            format!("another program holds {addr}:{port}: {what}"),
            "close that program, or give FieldBridge another port (Items and settings page, or `fieldbridge settings set port N`), restart it, then add the new .qwc file to the Web Connector",
        ),
        Seen::Unreachable(why) => Check::warn(
            name,
            format!("{addr} cannot be reached on this PC ({why})"),
            "if the Web Connector cannot connect, turn IPv6 loopback back on, or keep FieldBridge on 127.0.0.1 (it falls back by itself)",
        ),
    }
    };
    let port_check = match (v4, v6) {
        (Seen::Other(_), _) | (_, Seen::Other(_)) => Check::fail(
            "port",
            format!("port {port} is taken by another program"),
            "choose a free port (Items and settings page, or `fieldbridge settings set port N`), restart FieldBridge and re-add the .qwc file to the Web Connector",
        ),
        (Seen::Ours, _) | (_, Seen::Ours) => Check::ok("port", format!("port {port} is FieldBridge's")),
        _ => Check::ok("port", format!("port {port} is free for FieldBridge")),
    };
    vec![
        one("localhost-ipv4", "127.0.0.1", v4),
        one("localhost-ipv6", "[::1]", v6),
        port_check,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doctor::Level;

    #[test]
    fn answers_are_told_apart() {
        assert_eq!(
            classify("HTTP/1.1 200 OK\r\n\r\n<definitions><operation name=\"sendRequestXML\"/>"),
            Seen::Ours
        );
        assert!(
            matches!(classify("HTTP/1.1 404 Not Found\r\n\r\n"), Seen::Other(s) if s.contains("404"))
        );
        assert!(matches!(classify(""), Seen::Other(_)));
    }

    #[test]
    fn another_program_on_the_port_fails_and_nothing_listening_only_warns() {
        let taken = judge(8080, &Seen::Other("x".into()), &Seen::Nothing);
        assert_eq!(taken[0].status, Level::Fail);
        assert_eq!(taken[2].status, Level::Fail, "the port check fails too");
        let idle = judge(8080, &Seen::Nothing, &Seen::Nothing);
        assert!(idle.iter().all(|c| c.status != Level::Fail), "{idle:?}");
        let ours = judge(8080, &Seen::Ours, &Seen::Ours);
        assert!(ours.iter().all(|c| c.status == Level::Ok), "{ours:?}");
    }

    #[test]
    fn a_listener_that_is_not_fieldbridge_is_seen_over_real_loopback() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().unwrap().port();
        let server = std::thread::spawn(move || {
            let (mut s, _) = listener.accept().expect("accept");
            let mut buf = [0u8; 512];
            let _ = s.read(&mut buf);
            let _ = s.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
        });
        let seen = probe(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port));
        server.join().unwrap();
        assert!(
            matches!(seen, Seen::Other(ref s) if s.contains("404")),
            "{seen:?}"
        );
    }
}
