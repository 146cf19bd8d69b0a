//! The STOMP broker suite (`tests/stomp_broker/`) against RabbitMQ Web-STOMP, whose URL is
//! baked in at compile time from `RABBITMQ_WS_URL` (see `scripts/rabbitmq.sh`).
#![cfg(target_arch = "wasm32")]

mod stomp_broker;
mod support;

use stomp_broker::Broker;
use support::unique;
use webstomp_wasm::core::frame::Headers;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// RabbitMQ 3.10 with the STOMP and Web-STOMP plugins.
fn broker() -> Broker {
    Broker {
        url: option_env!("RABBITMQ_WS_URL"),
        url_variable: "RABBITMQ_WS_URL",
        server: "RabbitMQ",
        fatal_send: || {
            let exchange = unique("does-not-exist");
            (format!("/exchange/{exchange}/x"), Headers::new())
        },
        fatal_close_may_drop: true,
    }
}
