//! The STOMP broker suite (`tests/stomp_broker/`) against the dev server's embedded broker
//! (`server/main.mjs --ws /ws`, `server/broker/`), whose URL is baked in at compile time from
//! `EMBEDDED_WS_URL` (see `scripts/sockjs-servers.mjs`).
#![cfg(target_arch = "wasm32")]

mod stomp_broker;
mod support;

use stomp_broker::Broker;
use support::{headers, unique};

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// The embedded broker, offering 1 s heart-beats (`--stomp-heartbeat 1000,1000`).
fn broker() -> Broker {
    Broker {
        url: option_env!("EMBEDDED_WS_URL"),
        url_variable: "EMBEDDED_WS_URL",
        server: "webstomp-wasm-broker/",
        // Any ERROR ends the session, as the spec says: a transaction never begun is one.
        fatal_send: || {
            let tx = unique("never-begun");
            ("/queue/fatal".to_owned(), headers(&[("transaction", &tx)]))
        },
        fatal_close_may_drop: false,
    }
}
