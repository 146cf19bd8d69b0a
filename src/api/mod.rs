//! The WebAssembly surface used by the JavaScript API in `js/webstomp_wasm.js`: argument
//! conversion and event delivery, nothing else.

mod engine;
mod headers;
mod sink;

pub use engine::Engine;
