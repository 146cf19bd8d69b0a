//! The sans-IO core: bytes in, bytes and events out, time always a parameter.
//!
//! Nothing here touches the browser, a clock or a random source, so everything builds and is
//! tested on the host with plain `cargo test`.

pub mod command;
pub mod frame;
pub mod version;
pub mod decoder;
pub mod encoder;
