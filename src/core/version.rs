//! STOMP protocol versions and their negotiation.

/// A STOMP protocol version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Version {
    /// STOMP 1.0: no header escaping, no heart-beats, no NACK.
    V1_0,
    /// STOMP 1.1: escaping of `\n`, `:` and `\`; heart-beats; NACK.
    V1_1,
    /// STOMP 1.2: 1.1 plus `\r` escaping, CRLF line ends and the `ack` header on MESSAGE.
    V1_2,
}

impl Version {
    /// The version as it appears in `accept-version` and `version` headers (`"1.2"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Version::V1_0 => "1.0",
            Version::V1_1 => "1.1",
            Version::V1_2 => "1.2",
        }
    }

    /// Parses a header value such as `"1.2"`.
    pub fn parse(s: &str) -> Option<Version> {
        match s.trim() {
            "1.0" => Some(Version::V1_0),
            "1.1" => Some(Version::V1_1),
            "1.2" => Some(Version::V1_2),
            _ => None,
        }
    }

    /// The version named by a WebSocket subprotocol (`v12.stomp`, `v11.stomp`, `v10.stomp`).
    pub fn from_subprotocol(s: &str) -> Option<Version> {
        match s.trim() {
            "v10.stomp" => Some(Version::V1_0),
            "v11.stomp" => Some(Version::V1_1),
            "v12.stomp" => Some(Version::V1_2),
            _ => None,
        }
    }

    /// The WebSocket subprotocol naming this version.
    pub fn subprotocol(self) -> &'static str {
        match self {
            Version::V1_0 => "v10.stomp",
            Version::V1_1 => "v11.stomp",
            Version::V1_2 => "v12.stomp",
        }
    }
}

/// The `accept-version` header value for a list of subprotocols: the versions they name,
/// highest first, without duplicates (`"1.2,1.1,1.0"`). Subprotocols that name no STOMP
/// version are skipped; if none names one, all three versions are offered.
pub fn accept_version<S: AsRef<str>>(subprotocols: &[S]) -> String {
    // A set of three flags, read highest first: no sorting or joining code in the module.
    let mut named = [false; 3];
    for p in subprotocols {
        if let Some(v) = Version::from_subprotocol(p.as_ref()) {
            named[v as usize] = true;
        }
    }
    let none = named == [false; 3];
    let mut out = String::new();
    for v in [Version::V1_2, Version::V1_1, Version::V1_0] {
        if none || named[v as usize] {
            if !out.is_empty() {
                out.push(',');
            }
            out.push_str(v.as_str());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_version_from_default_subprotocols() {
        assert_eq!(
            accept_version(&["v12.stomp", "v11.stomp", "v10.stomp"]),
            "1.2,1.1,1.0"
        );
    }

    #[test]
    fn accept_version_sorts_dedups_and_skips_unknown() {
        assert_eq!(
            accept_version(&["v10.stomp", "chat", "v12.stomp", "v10.stomp"]),
            "1.2,1.0"
        );
        assert_eq!(accept_version::<&str>(&[]), "1.2,1.1,1.0");
    }

    #[test]
    fn parse_round_trips() {
        for v in [Version::V1_0, Version::V1_1, Version::V1_2] {
            assert_eq!(Version::parse(v.as_str()), Some(v));
            assert_eq!(Version::from_subprotocol(v.subprotocol()), Some(v));
        }
        assert_eq!(Version::parse("2.0"), None);
    }
}
