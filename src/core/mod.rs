//! The sans-IO core: bytes in, bytes and events out, time always a parameter.
//!
//! Nothing here touches the browser, a clock or a random source, so everything builds and is
//! tested on the host with plain `cargo test`.

pub mod command;
pub mod decoder;
pub mod encoder;
pub mod escape;
pub mod frame;
pub mod session;
pub mod sockjs;
pub mod version;
