//! Placeholder replaced by the decoder throughput benchmark.
fn main() {}
