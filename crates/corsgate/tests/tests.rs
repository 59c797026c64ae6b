//! corsgate's integration tests, in one binary: `cargo test -p corsgate --test integration`
//! (add a module path to run part of it, e.g. `-- layer::`). One module per subject; what they
//! share is in `util`, the files they read in `data/`.
//!
//! `alloc` installs the binary's global allocator; it counts per thread, so the other tests
//! running meanwhile do not disturb its counts.

mod util;

mod alloc;
mod config;
mod hyper;
mod layer;
mod properties;
mod tonic;
mod vectors;
