//! Browser IO: transports, timers and the driver that joins them to the sans-IO session.

pub mod driver;
pub mod socket;
pub mod sockjs;
pub mod target;
pub mod text;
pub mod transport;

pub use driver::{Driver, Report, Source};
pub use socket::SocketLike;
pub use target::{OpenOptions, Target};
