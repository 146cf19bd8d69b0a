#![cfg(target_arch = "wasm32")]
//! Browser tests of the SockJS transports (`src/io/sockjs/`) against sockjs-node, the SockJS
//! reference server, relaying to a real broker, plus fault proxies and a scripted server.
//!
//! `scripts/sockjs-servers.sh start` starts the peers and writes their URLs to
//! `test-output/sockjs/env`; the URLs are compiled in (`option_env!`), so load that file before
//! building: `set -a; . test-output/sockjs/env; set +a`, then
//! `wasm-pack test --headless --chrome --chromedriver /usr/bin/chromedriver --mode no-install
//! -- --test web_sockjs`.
//!
//! The STOMP side runs through the real [`Driver`] and session, as the JS client does; a few
//! tests drive [`SockJs`] alone.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use gloo_timers::future::TimeoutFuture;
use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};
use webstomp_wasm::core::encoder::ContentLength;
use webstomp_wasm::core::frame::Headers;
use webstomp_wasm::core::session::{Config, Event, HeartbeatConfig, SessionError};
use webstomp_wasm::io::sockjs::{SockJs, NOT_UTF8};
use webstomp_wasm::io::transport::{Input, Link};
use webstomp_wasm::io::Driver;

wasm_bindgen_test_configure!(run_in_browser);

/// How long one step (CONNECTED, a receipt, a close) may take before the test fails.
const STEP_MS: f64 = 15_000.0;

fn url(name: &str, value: Option<&'static str>) -> &'static str {
    match value {
        Some(v) => v,
        None => panic!(
            "{name} was not set when this suite was compiled: run scripts/sockjs-servers.sh \
             start, then `set -a; . test-output/sockjs/env; set +a` before building"
        ),
    }
}

macro_rules! env_url {
    ($name:literal) => {
        url($name, option_env!($name))
    };
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch)]
    fn fetch_with_init(url: &str, init: &Object) -> Promise;
}

/// A request to a test hook (they all send CORS headers).
async fn hook(method: &str, url: &str) -> Result<JsValue, JsValue> {
    let init = Object::new();
    let _ = Reflect::set(&init, &"method".into(), &method.into());
    JsFuture::from(fetch_with_init(url, &init)).await
}

fn now() -> f64 {
    js_sys::Date::now()
}

fn unique(prefix: &str) -> String {
    format!("{prefix}.{}", (js_sys::Math::random() * 1e12) as u64)
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// A STOMP client over SockJS: the driver and the events it reported.
struct Client {
    driver: Driver,
    events: Rc<RefCell<VecDeque<Event>>>,
    started: f64,
}

/// A close event: code, reason, whether the user had asked for it.
#[derive(Debug)]
struct Closed {
    code: u16,
    reason: String,
    after_disconnect: bool,
}

impl Client {
    /// Connects (CONNECT as RabbitMQ's guest) over SockJS at `url` with `transports`
    /// (empty: all) and `timeout_ms` per attempt.
    fn open(url: &str, transports: &[&str], timeout_ms: u64) -> Client {
        Client::open_with(url, transports, timeout_ms, false)
    }

    /// [`Client::open`], with the session's debug lines on or off.
    fn open_with(url: &str, transports: &[&str], timeout_ms: u64, debug: bool) -> Client {
        let events = Rc::new(RefCell::new(VecDeque::new()));
        let sink = events.clone();
        let config = Config {
            heartbeat: HeartbeatConfig::OFF,
            timeout_ms: 15_000,
            debug,
            ..Config::default()
        };
        let driver = Driver::new(config, move |e| sink.borrow_mut().push_back(e));
        let mut headers = Headers::new();
        headers.push("host", "/");
        headers.push("login", "guest");
        headers.push("passcode", "guest");
        let started = now();
        driver
            .with_session(|s, now| {
                s.set_text(true);
                s.connect(now, headers)
            })
            .expect("connect");
        driver
            .open_sockjs(url, &strings(transports), timeout_ms)
            .expect("open_sockjs");
        Client {
            driver,
            events,
            started,
        }
    }

    /// Waits for the first event `f` accepts and takes it out; the others stay queued. A close
    /// or an ERROR frame that `f` does not accept fails the test.
    async fn wait<T>(&self, what: &str, mut f: impl FnMut(&Event) -> Option<T>) -> T {
        let deadline = now() + STEP_MS;
        loop {
            {
                let mut events = self.events.borrow_mut();
                let mut found = None;
                for (at, event) in events.iter().enumerate() {
                    if let Some(t) = f(event) {
                        found = Some((at, t));
                        break;
                    }
                    match event {
                        Event::Closed { code, reason, .. } => {
                            panic!("closed ({code} {reason:?}) while waiting for {what}")
                        }
                        Event::ServerError(frame) => {
                            panic!("ERROR while waiting for {what}: {frame:?}")
                        }
                        _ => {}
                    }
                }
                if let Some((at, t)) = found {
                    events.remove(at);
                    return t;
                }
            }
            assert!(now() < deadline, "no {what} within {STEP_MS} ms");
            TimeoutFuture::new(2).await;
        }
    }

    /// Waits for CONNECTED; returns the time since `open` in ms.
    async fn connected(&self) -> f64 {
        self.wait("CONNECTED", |e| {
            matches!(e, Event::Connected(_)).then_some(())
        })
        .await;
        now() - self.started
    }

    async fn closed(&self) -> Closed {
        self.wait("the close", |e| match e {
            Event::Closed {
                code,
                reason,
                after_disconnect,
                ..
            } => Some(Closed {
                code: *code,
                reason: reason.clone(),
                after_disconnect: *after_disconnect,
            }),
            _ => None,
        })
        .await
    }

    fn transport(&self) -> Option<&'static str> {
        self.driver.transport_name()
    }

    /// SUBSCRIBE and wait for its receipt.
    async fn subscribe(&self, destination: &str) {
        let mut headers = Headers::new();
        headers.push("receipt", "sub-receipt");
        self.driver
            .with_session(|s, now| s.subscribe(now, destination, headers))
            .expect("subscribe");
        self.receipt("sub-receipt").await;
    }

    fn send(&self, destination: &str, body: &str, headers: Headers) -> Option<String> {
        self.driver
            .with_session(|s, now| {
                s.send(
                    now,
                    destination,
                    body.as_bytes().to_vec(),
                    headers,
                    ContentLength::Auto,
                )
            })
            .expect("send")
    }

    async fn receipt(&self, id: &str) {
        self.wait(&format!("RECEIPT {id}"), |e| match e {
            Event::Receipt { id: got, .. } if got == id => Some(()),
            _ => None,
        })
        .await
    }

    /// The next MESSAGE: its body and headers.
    async fn message(&self) -> (String, Headers) {
        self.wait("a MESSAGE", |e| match e {
            Event::Message { frame, .. } => {
                Some((frame.body_text().into_owned(), frame.headers.clone()))
            }
            _ => None,
        })
        .await
    }

    async fn disconnect(&self) {
        self.driver
            .with_session(|s, now| s.disconnect(now, Headers::new()))
            .expect("disconnect");
        let closed = self.closed().await;
        assert!(closed.after_disconnect, "{closed:?}");
    }
}

/// Connect, subscribe, 500 messages in order with a receipt, a message bigger than the
/// 128 KiB after which sockjs-node ends a streaming response, disconnect.
async fn exchange(url: &str, transport: &str) {
    let client = Client::open(url, &[transport], 5000);
    let ms = client.connected().await;
    console_log!("{transport}: CONNECTED after {ms:.0} ms");
    assert_eq!(client.transport(), Some(transport));
    let topic = format!("/topic/{}", unique(&format!("sockjs-{transport}")));
    client.subscribe(&topic).await;

    let count = 500;
    for i in 0..count {
        let mut headers = Headers::new();
        if i == count - 1 {
            headers.push("receipt", "last");
        }
        client.send(&topic, &format!("message {i}"), headers);
    }
    for i in 0..count {
        let (body, _) = client.message().await;
        assert_eq!(body, format!("message {i}"), "message {i} over {transport}");
    }
    client.receipt("last").await;

    let big: String = (0..20_000).map(|i| format!("{i:05}é😀\u{2028}")).collect();
    assert!(big.len() > 200 * 1024);
    let mut headers = Headers::new();
    headers.push("receipt", "big");
    client.send(&topic, &big, headers);
    client.receipt("big").await;
    let (body, _) = client.message().await;
    assert_eq!(body.len(), big.len(), "the big message over {transport}");
    assert!(body == big, "the big message over {transport} differs");

    // Still alive after the streaming response was re-opened.
    client.send(&topic, "after", Headers::new());
    assert_eq!(client.message().await.0, "after");
    client.disconnect().await;
    assert_eq!(
        client.transport(),
        Some(transport),
        "the name stays after the close"
    );
}

#[wasm_bindgen_test]
async fn websocket_alone() {
    exchange(env_url!("SOCKJS_URL"), "websocket").await;
}

#[wasm_bindgen_test]
async fn xhr_streaming_alone() {
    exchange(env_url!("SOCKJS_URL"), "xhr-streaming").await;
}

#[wasm_bindgen_test]
async fn xhr_polling_alone() {
    exchange(env_url!("SOCKJS_URL"), "xhr-polling").await;
}

#[wasm_bindgen_test]
async fn raw_chunks_on_every_transport() {
    // The relay passes the broker's TCP chunks as they come: frames split and merged.
    for transport in ["websocket", "xhr-streaming", "xhr-polling"] {
        exchange(env_url!("SOCKJS_RAW_URL"), transport).await;
    }
}

/// Bodies and a header that JSON, SockJS and STOMP each escape in their own way.
const TRICKY: &[&str] = &[
    "line\u{2028}separator\u{2029}paragraph",
    "surrogate pairs 😀 𝄞 \u{10000} \u{10FFFF}",
    "quotes \" ' ` and backslashes \\ \\\\ \\u0041 \\n \\\"",
    "controls \u{1}\u{2}\u{7}\u{8}\t\u{b}\u{c}\r\n\u{1b}\u{1f}\u{7f}\u{80}\u{9f}",
    "NUL \0 inside, and at the end \0",
    "SockJS-looking o h a[\"x\"] c[3000,\"Go away!\"] m\"y\"\n",
    "\u{200c}\u{200d}\u{2060}\u{feff}\u{fff0}\u{fffe}\u{ffff}",
    "</script><!-- & \u{0}",
    "",
];

#[wasm_bindgen_test]
async fn tricky_text_round_trips_on_every_transport() {
    let header = "colon: back\\slash \u{2028}\u{2029} 😀 \"quoted\"\ttab";
    for transport in ["websocket", "xhr-streaming", "xhr-polling"] {
        let client = Client::open(env_url!("SOCKJS_URL"), &[transport], 5000);
        client.connected().await;
        let topic = format!("/topic/{}", unique("sockjs-tricky"));
        client.subscribe(&topic).await;
        for body in TRICKY {
            let mut headers = Headers::new();
            headers.push("x-tricky", header);
            client.send(&topic, body, headers);
        }
        for body in TRICKY {
            let (got, headers) = client.message().await;
            assert_eq!(&got, body, "over {transport}");
            assert_eq!(headers.get("x-tricky"), Some(header), "over {transport}");
        }
        client.disconnect().await;
    }
}

/// Connects with every transport allowed and checks which one the client ends on.
async fn falls_back(url: &str, timeout_ms: u64, expected: &str) -> f64 {
    let client = Client::open(url, &[], timeout_ms);
    let ms = client.connected().await;
    assert_eq!(client.transport(), Some(expected));
    client.disconnect().await;
    ms
}

#[wasm_bindgen_test]
async fn websocket_disabled_falls_back_to_xhr_streaming() {
    let ms = falls_back(env_url!("SOCKJS_NOWS_URL"), 5000, "xhr-streaming").await;
    console_log!("websocket disabled: xhr-streaming after {ms:.0} ms");
}

#[wasm_bindgen_test]
async fn refused_upgrade_falls_back_to_xhr_streaming() {
    let ms = falls_back(env_url!("SOCKJS_REFUSE_URL"), 5000, "xhr-streaming").await;
    console_log!("upgrade refused: xhr-streaming after {ms:.0} ms");
    assert!(ms < 4000.0, "the refusal is not waited out: {ms} ms");
}

#[wasm_bindgen_test]
async fn the_debug_log_says_why_a_transport_was_given_up() {
    let client = Client::open_with(env_url!("SOCKJS_REFUSE_URL"), &[], 5000, true);
    client.connected().await;
    let notes: Vec<String> = client
        .events
        .borrow()
        .iter()
        .filter_map(|e| match e {
            Event::Debug(line) if line.starts_with("SockJS ") => Some(line.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].starts_with("SockJS websocket failed (")
            && notes[0].ends_with("); trying the next transport"),
        "{notes:?}"
    );
    client.disconnect().await;
}

#[wasm_bindgen_test]
async fn hanging_upgrade_falls_back_to_xhr_streaming_after_the_attempt_timeout() {
    let ms = falls_back(env_url!("SOCKJS_HANG_URL"), 1000, "xhr-streaming").await;
    console_log!("upgrade hanging (timeout 1000 ms): xhr-streaming after {ms:.0} ms");
    assert!(ms >= 1000.0, "{ms} ms");
}

#[wasm_bindgen_test]
async fn buffered_streaming_falls_back_to_xhr_polling() {
    let ms = falls_back(env_url!("SOCKJS_BUFFER_URL"), 1000, "xhr-polling").await;
    console_log!("streaming buffered (timeout 1000 ms): xhr-polling after {ms:.0} ms");
    assert!(ms >= 1000.0, "{ms} ms");
}

#[wasm_bindgen_test]
async fn server_close_gives_its_code_on_every_transport() {
    let hook_url = env_url!("SOCKJS_CLOSE_HOOK");
    for transport in ["websocket", "xhr-streaming", "xhr-polling"] {
        let client = Client::open(env_url!("SOCKJS_URL"), &[transport], 5000);
        client.connected().await;
        hook("POST", &format!("{hook_url}?code=3000&reason=Go%20away!"))
            .await
            .expect("the control hook");
        let closed = client.closed().await;
        assert_eq!(
            (closed.code, closed.reason.as_str()),
            (3000, "Go away!"),
            "over {transport}"
        );
    }
}

#[wasm_bindgen_test]
async fn killed_relay_gives_1006_on_every_transport() {
    let url = env_url!("SOCKJS_KILL_URL");
    for transport in ["websocket", "xhr-streaming", "xhr-polling"] {
        // The relay restarts after each kill: wait until it answers again.
        let deadline = now() + STEP_MS;
        while hook("GET", &format!("{url}/info")).await.is_err() {
            assert!(now() < deadline, "the killed relay did not come back");
            TimeoutFuture::new(50).await;
        }
        let client = Client::open(url, &[transport], 5000);
        client.connected().await;
        hook("POST", env_url!("SOCKJS_KILL_CONTROL"))
            .await
            .expect("the kill hook");
        let closed = client.closed().await;
        console_log!("relay killed under {transport}: {closed:?}");
        assert_eq!(closed.code, 1006, "over {transport}: {closed:?}");
        assert!(!closed.after_disconnect);
    }
}

/// Connects to a scenario of the scripted server; returns the close.
async fn scripted(scenario: &str, transports: &[&str]) -> (Client, Closed) {
    let url = format!("{}/{scenario}", env_url!("SOCKJS_SCRIPT_URL"));
    let client = Client::open(&url, transports, 1500);
    let closed = client.closed().await;
    console_log!("{scenario}: {} {:?}", closed.code, closed.reason);
    (client, closed)
}

fn expect_close(closed: &Closed, code: u16, needle: &str) {
    assert_eq!(closed.code, code, "{closed:?}");
    assert!(
        closed.reason.contains(needle),
        "{:?} does not say {needle:?}",
        closed.reason
    );
}

#[wasm_bindgen_test]
async fn garbage_frames_close_with_1002() {
    for (scenario, transports, needle) in [
        (
            "bad-json",
            &["xhr-streaming"][..],
            "invalid JSON in SockJS 'a' frame",
        ),
        (
            "bad-type",
            &["xhr-streaming"],
            "unknown SockJS frame type 'x'",
        ),
        ("bad-shape", &["xhr-polling"], "must be an array of strings"),
        ("not-utf8", &["xhr-streaming"], "not valid UTF-8"),
        ("truncated", &["xhr-streaming"], "ended inside a frame"),
        ("ws-bad-json", &["websocket"], "invalid JSON"),
        ("ws-binary", &["websocket"], "not UTF-8"),
        (
            "poll-truncated",
            &["xhr-polling"],
            "invalid JSON in SockJS 'a' frame",
        ),
        // Close frames that are not `c[code,"reason"]`.
        (
            "close-unterminated",
            &["xhr-streaming"],
            "invalid JSON in SockJS 'c' frame",
        ),
        ("close-no-reason", &["xhr-streaming"], "[code, \"reason\"]"),
        ("close-big-code", &["xhr-streaming"], "code 0-65535"),
        ("close-string", &["xhr-polling"], "[code, \"reason\"]"),
        ("ws-close-garbage", &["websocket"], "[code, \"reason\"]"),
    ] {
        let (client, closed) = scripted(scenario, transports).await;
        expect_close(&closed, 1002, needle);
        assert!(
            client.transport().is_some(),
            "{scenario}: the session had opened"
        );
    }
}

#[wasm_bindgen_test]
async fn second_open_frame_is_a_lost_session() {
    let (_, closed) = scripted("second-open", &["xhr-streaming"]).await;
    expect_close(&closed, 1006, "Server lost session");
}

#[wasm_bindgen_test]
async fn server_close_frames_keep_their_code() {
    let (client, closed) = scripted("split-open", &["xhr-streaming"]).await;
    expect_close(&closed, 3001, "scripted close");
    assert_eq!(client.transport(), Some("xhr-streaming"));
    let (_, closed) = scripted("ws-close", &[]).await;
    expect_close(&closed, 4001, "scripted close");
    // A user code before `o` ends the connection without trying another transport.
    let (client, closed) = scripted("close-first", &[]).await;
    expect_close(&closed, 3000, "Go away!");
    assert_eq!(client.transport(), None);
}

#[wasm_bindgen_test]
async fn close_2010_before_open_falls_back() {
    let url = format!("{}/another-connection", env_url!("SOCKJS_SCRIPT_URL"));
    let client = Client::open(&url, &[], 1500);
    // The scripted polling session opens, then says nothing more: no CONNECTED comes.
    let deadline = now() + STEP_MS;
    while client.transport().is_none() {
        assert!(now() < deadline, "never opened");
        TimeoutFuture::new(10).await;
    }
    assert_eq!(client.transport(), Some("xhr-polling"));
}

#[wasm_bindgen_test]
async fn failing_attempts_end_with_2000() {
    for (scenario, transports) in [
        ("messages-first", &["xhr-streaming"][..]),
        ("receive-500", &[]),
        ("empty-streams", &["xhr-streaming"]),
        ("info-no-transport", &["websocket"]),
    ] {
        let (client, closed) = scripted(scenario, transports).await;
        expect_close(&closed, 2000, "All transports failed");
        assert_eq!(client.transport(), None);
    }
}

#[wasm_bindgen_test]
async fn failing_sends_close_with_1006() {
    for scenario in ["send-404", "send-500"] {
        let (_, closed) = scripted(scenario, &["xhr-streaming"]).await;
        let status = &scenario[5..];
        expect_close(
            &closed,
            1006,
            &format!("Sending error: xhr_send answered HTTP {status}"),
        );
    }
}

#[wasm_bindgen_test]
async fn failing_receive_requests_after_open_close_with_1006() {
    for (scenario, transport, status) in [
        (
            "poll-404-after-open",
            "xhr-polling",
            "xhr answered HTTP 404",
        ),
        (
            "stream-500-after-open",
            "xhr-streaming",
            "xhr_streaming answered HTTP 500",
        ),
    ] {
        let (client, closed) = scripted(scenario, &[transport]).await;
        expect_close(&closed, 1006, &format!("permanent: {status}"));
        assert_eq!(client.transport(), Some(transport));
    }
}

#[wasm_bindgen_test]
async fn cookie_needed_sends_credentials() {
    // The scripted server sets a cookie on the stream and wants it back on xhr_send.
    let (_, closed) = scripted("cookie-needed", &["xhr-streaming"]).await;
    expect_close(&closed, 3555, "cookie seen");
    // Without `cookie_needed` the cross-origin requests go without cookies.
    let (_, closed) = scripted("cookie-unsaid", &["xhr-streaming"]).await;
    expect_close(&closed, 1006, "Sending error: xhr_send answered HTTP 403");
}

#[wasm_bindgen_test]
async fn failing_info_closes_with_1002() {
    let (_, closed) = scripted("info-500", &[]).await;
    expect_close(&closed, 1002, "HTTP 500");
    let (_, closed) = scripted("info-404", &[]).await;
    expect_close(&closed, 1002, "HTTP 404");
    let (_, closed) = scripted("info-html", &[]).await;
    expect_close(&closed, 1002, "not valid JSON");
    let started = now();
    let (_, closed) = scripted("info-hang", &[]).await;
    expect_close(&closed, 1002, "within 8000 ms");
    assert!(now() - started >= 8000.0);
    // No server at all.
    let client = Client::open("http://127.0.0.1:9/nothing", &[], 1000);
    expect_close(&client.closed().await, 1002, "Cannot connect to server");
}

/// What a bare [`SockJs`] reported: an [`Input`] with its data copied.
#[derive(Debug)]
#[allow(dead_code)] // `Fail`'s and `Note`'s texts are read only in failure messages (Debug)
enum Got {
    Open(Option<String>),
    Data(Vec<u8>),
    Fail(String),
    Note(String),
    Closed {
        code: u16,
        reason: String,
        clean: bool,
    },
}

/// Records what a bare [`SockJs`] reports.
fn recorder() -> (Link, Rc<RefCell<Vec<Got>>>) {
    let inputs = Rc::new(RefCell::new(Vec::new()));
    let sink = inputs.clone();
    let link: Link = Rc::new(move |i: Input<'_>| {
        let got = match i {
            Input::Open(p) => Got::Open(p),
            Input::Data(d) | Input::Ascii { bytes: d, .. } => Got::Data(d.to_vec()),
            Input::Fail(f) => Got::Fail(f),
            Input::Note(n) => Got::Note(n),
            Input::Closed {
                code,
                reason,
                clean,
            } => Got::Closed {
                code,
                reason,
                clean,
            },
        };
        sink.borrow_mut().push(got)
    });
    (link, inputs)
}

async fn settle(inputs: &Rc<RefCell<Vec<Got>>>, what: &str, f: impl Fn(&[Got]) -> bool) {
    let deadline = now() + STEP_MS;
    while !f(&inputs.borrow()) {
        assert!(now() < deadline, "no {what}: {:?}", inputs.borrow());
        TimeoutFuture::new(2).await;
    }
}

#[wasm_bindgen_test]
async fn bare_transport_speaks_stomp_and_refuses_non_utf8() {
    for transport in ["websocket", "xhr-streaming", "xhr-polling"] {
        let (link, inputs) = recorder();
        let sockjs =
            SockJs::open(env_url!("SOCKJS_URL"), &strings(&[transport]), 5000, link).expect("open");
        assert_eq!(
            sockjs.send(b"x"),
            Err("the SockJS session is not open".into())
        );
        settle(&inputs, "open", |i| matches!(i, [Got::Open(None), ..])).await;
        assert_eq!(sockjs.transport_name(), Some(transport));
        assert_eq!(sockjs.send(b"\xff\xfe"), Err(NOT_UTF8.into()));
        let connect = "CONNECT\naccept-version:1.2\nhost:/\nlogin:guest\npasscode:guest\n\n\0";
        sockjs.send(connect.as_bytes()).expect("send CONNECT");
        settle(&inputs, "CONNECTED", |i| {
            i.iter()
                .any(|i| matches!(i, Got::Data(d) if d.starts_with(b"CONNECTED\n")))
        })
        .await;
        sockjs.close(3210, "bye");
        // Reported later, not from inside close().
        assert!(!inputs
            .borrow()
            .iter()
            .any(|i| matches!(i, Got::Closed { .. })));
        settle(&inputs, "the close", |i| {
            matches!(i.last(), Some(Got::Closed { code: 3210, reason, clean: true }) if reason == "bye")
        })
        .await;
        assert_eq!(
            sockjs.send(b"x"),
            Err("the SockJS session is not open".into())
        );
        sockjs.close(1000, "again");
        TimeoutFuture::new(50).await;
        let inputs = inputs.borrow();
        let closes = inputs.iter().filter(|i| matches!(i, Got::Closed { .. }));
        assert_eq!(closes.count(), 1, "{transport}: {inputs:?}");
        assert!(matches!(inputs.last(), Some(Got::Closed { .. })));
    }
}

#[wasm_bindgen_test]
async fn dropped_transport_reports_nothing_more() {
    let script = env_url!("SOCKJS_SCRIPT_URL");
    let cases = [
        // Waiting for /info.
        (format!("{script}/info-hang"), &[][..], 0),
        // A WebSocket upgrade that is never answered.
        (env_url!("SOCKJS_HANG_URL").to_owned(), &["websocket"], 0),
        // A streaming response held back by the proxy.
        (
            env_url!("SOCKJS_BUFFER_URL").to_owned(),
            &["xhr-streaming"],
            0,
        ),
        // An open polling session with its poll pending.
        (format!("{script}/another-connection"), &["xhr-polling"], 1),
    ];
    for (url, transports, before) in cases {
        let (link, inputs) = recorder();
        let sockjs = SockJs::open(&url, &strings(transports), 500, link).expect("open");
        settle(&inputs, "the expected start", |i| i.len() == before).await;
        TimeoutFuture::new(100).await;
        drop(sockjs);
        TimeoutFuture::new(1500).await;
        assert_eq!(
            inputs.borrow().len(),
            before,
            "{url}: {:?}",
            inputs.borrow()
        );
    }
    assert!(SockJs::open("http://h/x#frag", &[], 0, recorder().0).is_err());
}

#[wasm_bindgen_test]
async fn non_utf8_bodies_are_refused_before_sending() {
    let client = Client::open(env_url!("SOCKJS_URL"), &[], 5000);
    client.connected().await;
    let err = client.driver.with_session(|s, now| {
        s.send(
            now,
            "/topic/x",
            vec![0xff, 0x00, 0x80],
            Headers::new(),
            ContentLength::Auto,
        )
    });
    assert_eq!(err, Err(SessionError::NotUtf8));
    let message = SessionError::NotUtf8.to_string();
    assert!(
        message.contains("over SockJS bodies must be UTF-8"),
        "{message}"
    );
    client.disconnect().await;
}
