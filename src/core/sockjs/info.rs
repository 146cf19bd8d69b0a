//! The `/info` document: what the server supports, fetched before any transport.
//!
//! sockjs-node and Spring answer `GET {base}/info` with e.g.
//! `{"websocket":true,"cookie_needed":false,"origins":["*:*"],"entropy":12345}`
//! (sockjs-protocol 0.3.3, `InfoTest`). The time that request takes is the round-trip time
//! the transport timeouts are derived from (see [`super::transport`]).

use std::fmt;

use super::json::{self, JsonError, Value};
use crate::text::concat;

/// The server's `/info` answer.
///
/// A missing or `null` field gets the value sockjs-client effectively uses: it only checks
/// `info.websocket === false`, so websocket defaults to enabled; everything else defaults to
/// false or absent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Info {
    /// Whether the websocket transport is enabled on the server (default `true`).
    pub websocket: bool,
    /// Whether the server needs a `JSESSIONID` cookie for sticky sessions (default `false`).
    /// Browsers send cookies with the XHR transports anyway; informational here.
    pub cookie_needed: bool,
    /// The allowed origins, e.g. `["*:*"]` (default empty; unused by clients).
    pub origins: Vec<String>,
    /// A random number from the server (default `None`; also `None` when not an integer).
    /// Spring sends a signed 32-bit value, sockjs-node an unsigned one. Unused by clients.
    pub entropy: Option<i64>,
    /// A URL the server wants the transports to use instead of the base URL (sockjs-client
    /// honours a non-empty `base_url`; default `None`).
    pub base_url: Option<String>,
}

impl Default for Info {
    fn default() -> Self {
        Info {
            websocket: true,
            cookie_needed: false,
            origins: Vec::new(),
            entropy: None,
            base_url: None,
        }
    }
}

/// Why an `/info` answer was refused.
///
/// sockjs-client itself treats an unparsable or non-object answer as `{}` and carries on;
/// a caller wanting that leniency can use [`Info::default`] on error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InfoError {
    /// The body is not JSON.
    InvalidJson(JsonError),
    /// The body is JSON but not an object.
    NotAnObject,
    /// A field has the wrong type.
    WrongType {
        /// The field, e.g. `websocket`.
        field: &'static str,
        /// The type it must have, e.g. `a boolean`.
        expected: &'static str,
    },
}

impl InfoError {
    /// The error's message (its `Display` text), built without `core::fmt`.
    pub fn message(&self) -> String {
        match self {
            InfoError::InvalidJson(e) => {
                concat(&["SockJS /info is not valid JSON: ", &e.message()])
            }
            InfoError::NotAnObject => "SockJS /info is not a JSON object".into(),
            InfoError::WrongType { field, expected } => {
                concat(&["SockJS /info field \"", field, "\" must be ", expected])
            }
        }
    }
}

impl fmt::Display for InfoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for InfoError {}

impl Info {
    /// Parses an `/info` body. Unknown fields are ignored.
    pub fn parse(text: &str) -> Result<Info, InfoError> {
        let doc = json::parse(text).map_err(InfoError::InvalidJson)?;
        if !matches!(doc, Value::Object(_)) {
            return Err(InfoError::NotAnObject);
        }
        let field = |name| doc.get(name).filter(|v| !matches!(v, Value::Null));
        let wrong = |field, expected| InfoError::WrongType { field, expected };
        let flag = |name, default| match field(name) {
            None => Ok(default),
            Some(Value::Bool(b)) => Ok(*b),
            Some(_) => Err(wrong(name, "a boolean")),
        };
        let mut info = Info {
            websocket: flag("websocket", true)?,
            cookie_needed: flag("cookie_needed", false)?,
            ..Info::default()
        };
        match field("origins") {
            None => {}
            Some(Value::Array(items)) => {
                for item in items {
                    let origin = item
                        .as_str()
                        .ok_or(wrong("origins", "an array of strings"))?;
                    info.origins.push(origin.to_owned());
                }
            }
            Some(_) => return Err(wrong("origins", "an array of strings")),
        }
        info.entropy = match field("entropy") {
            None => None,
            Some(Value::Number(n)) => n.as_i64(),
            Some(_) => return Err(wrong("entropy", "a number")),
        };
        info.base_url = match field("base_url") {
            None => None,
            Some(Value::String(s)) => Some(s.clone()).filter(|s| !s.is_empty()),
            Some(_) => return Err(wrong("base_url", "a string")),
        };
        Ok(info)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typical_answers() {
        let info = Info::parse(
            r#"{"websocket":true,"cookie_needed":false,"origins":["*:*"],"entropy":12345}"#,
        );
        assert_eq!(
            info,
            Ok(Info {
                websocket: true,
                cookie_needed: false,
                origins: vec!["*:*".into()],
                entropy: Some(12345),
                base_url: None,
            })
        );
        // Spring's order and a negative (signed int) entropy.
        let info = Info::parse(
            r#"{"entropy":-1254397846,"origins":["*:*"],"cookie_needed":true,"websocket":false}"#,
        );
        assert_eq!(
            info,
            Ok(Info {
                websocket: false,
                cookie_needed: true,
                origins: vec!["*:*".into()],
                entropy: Some(-1254397846),
                base_url: None,
            })
        );
    }

    #[test]
    fn defaults() {
        assert_eq!(Info::parse("{}"), Ok(Info::default()));
        assert_eq!(Info::parse(" { } \n"), Ok(Info::default()));
        assert_eq!(
            Info::parse(r#"{"websocket":null,"entropy":null,"origins":null,"x":[1,{}]}"#),
            Ok(Info::default())
        );
        assert!(Info::default().websocket);
        assert_eq!(
            Info::parse(r#"{"entropy":1.5,"base_url":""}"#),
            Ok(Info::default())
        );
        assert_eq!(
            Info::parse(r#"{"base_url":"http://other/x"}"#).map(|i| i.base_url),
            Ok(Some("http://other/x".into()))
        );
    }

    #[test]
    fn errors() {
        assert!(matches!(Info::parse("{"), Err(InfoError::InvalidJson(_))));
        assert!(matches!(Info::parse(""), Err(InfoError::InvalidJson(_))));
        assert_eq!(Info::parse("[]"), Err(InfoError::NotAnObject));
        assert_eq!(Info::parse("true"), Err(InfoError::NotAnObject));
        let wrong = |field, expected| Err(InfoError::WrongType { field, expected });
        assert_eq!(
            Info::parse(r#"{"websocket":"true"}"#),
            wrong("websocket", "a boolean")
        );
        assert_eq!(
            Info::parse(r#"{"cookie_needed":1}"#),
            wrong("cookie_needed", "a boolean")
        );
        assert_eq!(
            Info::parse(r#"{"origins":"*:*"}"#),
            wrong("origins", "an array of strings")
        );
        assert_eq!(
            Info::parse(r#"{"origins":[1]}"#),
            wrong("origins", "an array of strings")
        );
        assert_eq!(
            Info::parse(r#"{"entropy":"5"}"#),
            wrong("entropy", "a number")
        );
        assert_eq!(
            Info::parse(r#"{"base_url":5}"#),
            wrong("base_url", "a string")
        );
        assert_eq!(
            Info::parse(r#"{"websocket":1}"#)
                .err()
                .map(|e| e.to_string()),
            Some("SockJS /info field \"websocket\" must be a boolean".into())
        );
    }
}
