//! ACK and NACK headers per version.

use super::SessionError;
use crate::core::command::Command;
use crate::core::frame::{Frame, Headers};
use crate::core::version::Version;

/// Builds an ACK (or NACK) frame for `version`: STOMP 1.2 names the message by `id` (the
/// value of the MESSAGE's `ack` header); 1.1 and 1.0 by `message-id`. `subscription` is
/// added when not empty. NACK does not exist in 1.0.
pub(crate) fn ack_frame(
    version: Version,
    nack: bool,
    message_id: &str,
    subscription: &str,
    mut headers: Headers,
) -> Result<Frame, SessionError> {
    let command = if nack { Command::Nack } else { Command::Ack };
    if nack && version == Version::V1_0 {
        return Err(SessionError::Unsupported {
            command: command.as_str(),
            version,
        });
    }
    if version == Version::V1_2 {
        headers.set("id", message_id);
    } else {
        headers.set("message-id", message_id);
    }
    if !subscription.is_empty() {
        headers.set("subscription", subscription);
    }
    Ok(Frame {
        command,
        headers,
        body: Vec::new(),
    })
}
