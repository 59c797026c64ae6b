//! corsgate's files: policy files and gateway files parsed into validated configs, or every problem with its place.
//!
//! Pure: parsing works on text ([`policy::check`], [`gateway::check`]); the `load` functions
//! read a file, at most [`policy::MAX_FILE_BYTES`] of it.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod gateway;
pub mod policy;
pub mod text;
