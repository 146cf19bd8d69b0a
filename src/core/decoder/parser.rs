//! The per-frame state machine behind [`Decoder`](super::Decoder).
//!
//! It sees the buffered bytes from the start of the current frame on, remembers how far it has
//! scanned (so a large frame arriving in many small chunks is scanned once), and records
//! header lines as offsets. Header text is unescaped and copied only when the frame is
//! complete, with the version in force at that moment.

use super::error::DecodeError;
use super::Limits;
use crate::core::command::Command;
use crate::core::escape::unescape;
use crate::core::frame::{Frame, Headers};
use crate::core::version::Version;

/// The longest command line: `UNSUBSCRIBE` and a CR.
const MAX_COMMAND_LINE: usize = 12;

/// What one step of parsing produced.
#[derive(Debug)]
pub(super) enum Step {
    /// More bytes are needed.
    NeedMore,
    /// A heart-beat EOL of this many bytes (1 or 2).
    Heartbeat(usize),
    /// A frame that took this many bytes, its NUL included, and where its body starts.
    Frame(Frame, usize, usize),
}

/// Where the parser is inside the current frame. Offsets are from the frame's first byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Between frames, where EOLs are heart-beats.
    Idle,
    /// Reading the command line.
    Command,
    /// Reading header lines; the current line starts at `line`.
    Headers { line: usize },
    /// Reading the body, which starts at `start`.
    Body { start: usize },
}

/// One header line: the name is `start..colon`, the value `colon + 1..end` (EOL excluded).
/// `plain` when it is all ASCII without a backslash: its text is the header as it is.
#[derive(Debug, Clone, Copy)]
struct Span {
    start: usize,
    colon: usize,
    end: usize,
    plain: bool,
}

/// The parsing state of the frame being received.
#[derive(Debug)]
pub(super) struct Parser {
    phase: Phase,
    /// How far the current phase has looked for its delimiter.
    scan: usize,
    command: Option<Command>,
    headers: Vec<Span>,
    content_length: Option<usize>,
}

impl Parser {
    pub(super) fn new() -> Self {
        Parser {
            phase: Phase::Idle,
            scan: 0,
            command: None,
            headers: Vec::new(),
            content_length: None,
        }
    }

    /// Forgets the current frame, keeping allocations.
    pub(super) fn reset(&mut self) {
        self.phase = Phase::Idle;
        self.scan = 0;
        self.command = None;
        self.headers.clear();
        self.content_length = None;
    }

    /// Parses as far as `data` (the buffered bytes from the current frame's start) allows.
    #[cfg_attr(webstomp_speed, optimize(speed))]
    pub(super) fn step(
        &mut self,
        data: &[u8],
        limits: &Limits,
        version: Version,
    ) -> Result<Step, DecodeError> {
        loop {
            match self.phase {
                Phase::Idle => match data.first() {
                    None => return Ok(Step::NeedMore),
                    Some(b'\n') => return Ok(Step::Heartbeat(1)),
                    Some(b'\r') => {
                        return match data.get(1) {
                            None => Ok(Step::NeedMore),
                            Some(b'\n') => Ok(Step::Heartbeat(2)),
                            Some(_) => Err(DecodeError::BadCommand),
                        }
                    }
                    Some(_) => {
                        self.phase = Phase::Command;
                        self.scan = 0;
                    }
                },
                Phase::Command => {
                    if !self.command_line(data)? {
                        return Ok(Step::NeedMore);
                    }
                }
                Phase::Headers { line } => {
                    if !self.header_lines(data, line, limits)? {
                        return Ok(Step::NeedMore);
                    }
                }
                Phase::Body { start } => {
                    let end = match self.body_end(data, start, limits)? {
                        Some(end) => end,
                        None => return Ok(Step::NeedMore),
                    };
                    if end > limits.max_frame_size {
                        return Err(DecodeError::FrameTooLarge {
                            limit: limits.max_frame_size,
                        });
                    }
                    let frame = self.build(data, start, end, version)?;
                    return Ok(Step::Frame(frame, end.saturating_add(1), start));
                }
            }
        }
    }

    /// Reads the command line; `false` when it is not complete yet.
    #[cfg_attr(webstomp_speed, optimize(speed))]
    fn command_line(&mut self, data: &[u8]) -> Result<bool, DecodeError> {
        let limit = data.len().min(MAX_COMMAND_LINE.saturating_add(1));
        let window = data.get(self.scan..limit).unwrap_or_default();
        match window.iter().position(|&b| b == b'\n') {
            Some(i) => {
                let lf = self.scan.saturating_add(i);
                let line = strip_cr(data.get(..lf).unwrap_or_default());
                self.command = Some(Command::parse(line).ok_or(DecodeError::BadCommand)?);
                let next = lf.saturating_add(1);
                self.phase = Phase::Headers { line: next };
                self.scan = next;
                Ok(true)
            }
            None => {
                // Reject garbage (an HTTP response, a stray NUL) without waiting for an EOL.
                let plausible = window.iter().all(|&b| b.is_ascii_uppercase() || b == b'\r');
                if !plausible || data.len() > MAX_COMMAND_LINE {
                    return Err(DecodeError::BadCommand);
                }
                self.scan = limit;
                Ok(false)
            }
        }
    }

    /// Reads header lines from `line` on; `false` when the blank line ending them has not
    /// arrived yet.
    #[cfg_attr(webstomp_speed, optimize(speed))]
    fn header_lines(
        &mut self,
        data: &[u8],
        mut line: usize,
        limits: &Limits,
    ) -> Result<bool, DecodeError> {
        loop {
            let window = data.get(self.scan..).unwrap_or_default();
            let lf = match window.iter().position(|&b| b == b'\n') {
                Some(i) => self.scan.saturating_add(i),
                None => {
                    let partial = data.len().saturating_sub(line);
                    // A CR may still be stripped from the end of the line.
                    if partial > limits.max_header_line.saturating_add(1) {
                        return Err(DecodeError::HeaderLineTooLong {
                            limit: limits.max_header_line,
                        });
                    }
                    if data.len() > limits.max_frame_size {
                        return Err(DecodeError::FrameTooLarge {
                            limit: limits.max_frame_size,
                        });
                    }
                    self.scan = data.len();
                    self.phase = Phase::Headers { line };
                    return Ok(false);
                }
            };
            let next = lf.saturating_add(1);
            self.scan = next;
            let text = strip_cr(data.get(line..lf).unwrap_or_default());
            if text.is_empty() {
                if let Some(n) = self.content_length {
                    match next.checked_add(n) {
                        Some(end) if end <= limits.max_frame_size => {}
                        _ => {
                            return Err(DecodeError::FrameTooLarge {
                                limit: limits.max_frame_size,
                            })
                        }
                    }
                }
                self.phase = Phase::Body { start: next };
                return Ok(true);
            }
            self.header_line(line, text, limits)?;
            line = next;
        }
    }

    /// Records one header line (`text`, without its EOL) starting at `start`.
    #[cfg_attr(webstomp_speed, optimize(speed))]
    fn header_line(
        &mut self,
        start: usize,
        text: &[u8],
        limits: &Limits,
    ) -> Result<(), DecodeError> {
        if text.len() > limits.max_header_line {
            return Err(DecodeError::HeaderLineTooLong {
                limit: limits.max_header_line,
            });
        }
        if self.headers.len() >= limits.max_headers {
            return Err(DecodeError::TooManyHeaders {
                limit: limits.max_headers,
            });
        }
        let colon = text
            .iter()
            .position(|&b| b == b':')
            .ok_or_else(|| DecodeError::HeaderWithoutColon(DecodeError::preview(text)))?;
        let (name, value) = text.split_at(colon);
        // The first of repeated entries wins, as for every header.
        if name == b"content-length" && self.content_length.is_none() {
            let value = value.get(1..).unwrap_or_default();
            let n = parse_content_length(value)?;
            if n > limits.max_frame_size {
                return Err(DecodeError::FrameTooLarge {
                    limit: limits.max_frame_size,
                });
            }
            self.content_length = Some(n);
        }
        self.headers.push(Span {
            start,
            colon: start.saturating_add(colon),
            end: start.saturating_add(text.len()),
            plain: text.iter().all(|&b| b.is_ascii() && b != b'\\'),
        });
        Ok(())
    }

    /// Where the body starting at `start` ends (the offset of its NUL), if it has arrived.
    #[cfg_attr(webstomp_speed, optimize(speed))]
    fn body_end(
        &mut self,
        data: &[u8],
        start: usize,
        limits: &Limits,
    ) -> Result<Option<usize>, DecodeError> {
        if let Some(n) = self.content_length {
            // The head check guarantees `start + n` fits.
            let nul = start.saturating_add(n);
            return match data.get(nul) {
                None => Ok(None),
                Some(0) => Ok(Some(nul)),
                Some(_) => Err(DecodeError::MissingNul { content_length: n }),
            };
        }
        let from = self.scan.max(start);
        let window = data.get(from..).unwrap_or_default();
        match window.iter().position(|&b| b == 0) {
            Some(i) => Ok(Some(from.saturating_add(i))),
            None => {
                if data.len() > limits.max_frame_size {
                    return Err(DecodeError::FrameTooLarge {
                        limit: limits.max_frame_size,
                    });
                }
                self.scan = data.len();
                Ok(None)
            }
        }
    }

    /// The complete frame whose body is `start..end`.
    #[cfg_attr(webstomp_speed, optimize(speed))]
    fn build(
        &self,
        data: &[u8],
        start: usize,
        end: usize,
        version: Version,
    ) -> Result<Frame, DecodeError> {
        let command = self.command.ok_or(DecodeError::BadCommand)?;
        let version = if command.is_unescaped() {
            Version::V1_0
        } else {
            version
        };
        let mut headers = Headers::with_capacity(self.headers.len());
        if let (Some(first), Some(last)) = (self.headers.first(), self.headers.last()) {
            headers.reserve_text(last.end.saturating_sub(first.start));
        }
        for span in &self.headers {
            let line = data.get(span.start..span.end).unwrap_or_default();
            let colon = span.colon.saturating_sub(span.start);
            // Most lines need neither unescaping nor the UTF-8 repair: one check for both.
            if let Some(text) = span.plain.then(|| std::str::from_utf8(line).ok()).flatten() {
                let (name, value) = text.split_at(colon.min(text.len()));
                headers.push(name, value.get(1..).unwrap_or_default());
                continue;
            }
            let (name, value) = line.split_at(colon.min(line.len()));
            let value = value.get(1..).unwrap_or_default();
            headers.push(unescape(name, version)?, unescape(value, version)?);
        }
        Ok(Frame {
            command,
            headers,
            body: data.get(start..end).unwrap_or_default().to_vec(),
        })
    }
}

/// `line` without one trailing CR.
#[cfg_attr(webstomp_speed, optimize(speed))]
fn strip_cr(line: &[u8]) -> &[u8] {
    match line.split_last() {
        Some((b'\r', rest)) => rest,
        _ => line,
    }
}

/// Parses a `content-length` value: one or more ASCII digits, no sign, no spaces.
#[cfg_attr(webstomp_speed, optimize(speed))]
fn parse_content_length(value: &[u8]) -> Result<usize, DecodeError> {
    let invalid = || DecodeError::InvalidContentLength(DecodeError::preview(value));
    if value.is_empty() {
        return Err(invalid());
    }
    value.iter().try_fold(0usize, |n, &b| {
        if !b.is_ascii_digit() {
            return Err(invalid());
        }
        n.checked_mul(10)
            .and_then(|n| n.checked_add(usize::from(b.wrapping_sub(b'0'))))
            .ok_or_else(invalid)
    })
}
