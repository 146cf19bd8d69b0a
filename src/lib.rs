//! webstomp-wasm: a browser STOMP 1.0/1.1/1.2 client written in Rust and compiled to
//! WebAssembly.
//!
//! The crate is layered in one direction:
//! - [`core`]: pure Rust, no browser and no clock. STOMP framing, the session state machine,
//!   heart-beats and the SockJS codec. Builds and tests on the host.
//! - `io` (wasm32 only): the browser transports, timers and the driver joining them to the core.
//! - `api` (wasm32 only): the JavaScript surface described in `API.md`.
#![deny(missing_docs)]
// The size build (nightly, scripts/build.sh, where `#[optimize]` is stable) optimises the
// whole crate for size except the per-frame receive path, marked
// `#[cfg_attr(webstomp_speed, optimize(speed))]`.

pub mod core;
pub mod text;

// The wasm build's allocator (small, size-classed); host-tested.
#[cfg(any(test, target_arch = "wasm32"))]
mod heap;

#[cfg(target_arch = "wasm32")]
pub mod io;

#[cfg(target_arch = "wasm32")]
pub mod api;
