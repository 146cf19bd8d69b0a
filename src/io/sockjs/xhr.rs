//! The receiving side of the HTTP transports: `xhr-streaming` (`POST .../xhr_streaming`, read
//! as it arrives, re-opened whenever the server ends it) and `xhr-polling` (`POST .../xhr` in a
//! loop). One receive request at a time, never two. Sending (`xhr_send`) is in
//! [`Conn::send`](super::conn::Conn::send).

use std::rc::Weak;

use wasm_bindgen::JsValue;

use crate::text::{concat, decimal};

use super::conn::{live, now, Conn, Failure};
use super::fetch::{Request, Response};
use crate::core::sockjs::{
    add_cache_buster, poll_frames, ClientClose, StreamError, StreamSplitter, Transport,
    RECEIVE_RETRIES,
};

/// How one receive request ended.
enum Outcome {
    /// It ended normally after this many frames: ask again.
    Ended(usize),
    /// The transport failed.
    Failed(Failure),
    /// The epoch is over: stop without a word.
    Stop,
}

fn protocol_error(detail: &str) -> Outcome {
    Outcome::Failed(Failure::new(ClientClose::ProtocolError, detail))
}

/// Receives on `url` (a session URL without its cache buster) until the epoch ends or the
/// transport fails.
pub(super) async fn receive(
    weak: Weak<Conn>,
    epoch: u32,
    transport: Transport,
    url: String,
    credentials: bool,
    signal: Option<JsValue>,
) {
    let endpoint = transport.receive_endpoint().as_str();
    let mut empty = 0;
    loop {
        let mut request_url = url.clone();
        add_cache_buster(&mut request_url, now());
        let request = Request {
            method: "POST",
            url: &request_url,
            body: None,
            credentials,
            signal: signal.clone(),
        };
        let failed = |kind, detail: String| Outcome::Failed(Failure::new(kind, &detail));
        let outcome = match request.send().await {
            Err(e) => failed(
                ClientClose::ReceiveFailed,
                concat(&[endpoint, " request failed: ", &e]),
            ),
            Ok(r) if r.status_code() != 200 => failed(
                ClientClose::ReceiveFailed,
                concat(&[
                    endpoint,
                    " answered HTTP ",
                    &decimal(r.status_code().into()),
                ]),
            ),
            Ok(r) if transport == Transport::XhrStreaming => read_stream(&weak, epoch, &r).await,
            Ok(r) => read_poll(&weak, epoch, &r).await,
        };
        let Some(conn) = live(&weak, epoch) else {
            return;
        };
        match outcome {
            Outcome::Stop => return,
            Outcome::Failed(failure) => return conn.failed(epoch, failure),
            Outcome::Ended(0) => {
                empty += 1;
                if empty >= RECEIVE_RETRIES {
                    let detail = concat(&[
                        &decimal(empty.into()),
                        " ",
                        endpoint,
                        " responses in a row without a frame",
                    ]);
                    let failure = Failure::new(ClientClose::ReceiveRetriesExhausted, &detail);
                    return conn.failed(epoch, failure);
                }
            }
            Outcome::Ended(_) => empty = 0,
        }
    }
}

/// Reads one `xhr_streaming` response to its end, handing each frame over as its line
/// completes. The prelude is skipped; a frame may be split across chunks anywhere.
async fn read_stream(weak: &Weak<Conn>, epoch: u32, response: &Response) -> Outcome {
    let reader = match response.reader() {
        Ok(r) => r,
        Err(e) => return protocol_error(&concat(&["xhr_streaming: ", &e])),
    };
    let mut splitter = StreamSplitter::default();
    let mut frames = 0;
    loop {
        let chunk = reader.next_chunk().await;
        let Some(conn) = live(weak, epoch) else {
            return Outcome::Stop;
        };
        let bytes = match chunk {
            Ok(Some(bytes)) => bytes,
            Ok(None) if splitter.buffered() > 0 => {
                let detail = concat(&[
                    "the xhr_streaming response ended inside a frame (",
                    &decimal(splitter.buffered() as u64),
                    " bytes without their newline)",
                ]);
                return protocol_error(&detail);
            }
            Ok(None) => return Outcome::Ended(frames),
            Err(e) => {
                let detail = concat(&["the xhr_streaming response broke off: ", &e]);
                return Outcome::Failed(Failure::new(ClientClose::ReceiveFailed, &detail));
            }
        };
        splitter.push(&bytes);
        loop {
            match splitter.next_frame() {
                Ok(Some(frame)) => {
                    frames += 1;
                    if !conn.frame(epoch, &frame) {
                        return Outcome::Stop;
                    }
                }
                Ok(None) => break,
                Err(e) => return protocol_error(&e.message()),
            }
        }
    }
}

/// Reads one `xhr` (polling) response: its lines are frames.
async fn read_poll(weak: &Weak<Conn>, epoch: u32, response: &Response) -> Outcome {
    let body = response.bytes().await;
    let Some(conn) = live(weak, epoch) else {
        return Outcome::Stop;
    };
    let body = match body {
        Ok(b) => b,
        Err(e) => {
            let detail = concat(&["the xhr response broke off: ", &e]);
            return Outcome::Failed(Failure::new(ClientClose::ReceiveFailed, &detail));
        }
    };
    let Ok(text) = String::from_utf8(body) else {
        return protocol_error(&StreamError::InvalidUtf8.message());
    };
    let mut frames = 0;
    for frame in poll_frames(&text) {
        frames += 1;
        if !conn.frame(epoch, frame) {
            return Outcome::Stop;
        }
    }
    Outcome::Ended(frames)
}
