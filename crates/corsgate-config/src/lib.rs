//! corsgate's files: policy files and gateway files parsed into validated configs, or every problem with its place.
//!
//! Pure: parsing works on text ([`policy::check`], [`gateway::check`]); the `load` functions
//! read a file, at most [`policy::MAX_FILE_BYTES`] of it. [`load_any`] reads a file of
//! either kind and checks it as what it is.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::path::Path;

pub mod gateway;
pub mod policy;
pub mod text;

/// A valid file of either kind, as [`load_any`] found it.
#[derive(Clone, Debug)]
pub enum AnyChecked {
    /// A policy file.
    Policy(policy::Checked),
    /// A gateway file ([`gateway::is_gateway_file`]).
    Gateway(Box<gateway::Checked>),
}

/// Reads the file at `path` (at most [`policy::MAX_FILE_BYTES`]) and checks it as a gateway
/// file when [`gateway::is_gateway_file`] says it is one, else as a policy file (what
/// `corsgate validate` does). The error says which kind of file it found.
pub fn load_any(path: &Path) -> Result<AnyChecked, policy::PolicyFileError> {
    let (src, kind) = policy::read_text(path, None)?;
    match kind {
        policy::FileKind::Gateway => {
            gateway::checked_at(path, &src).map(|c| AnyChecked::Gateway(Box::new(c)))
        }
        policy::FileKind::Policy => {
            policy::check(&src)
                .map(AnyChecked::Policy)
                .map_err(|problems| policy::PolicyFileError {
                    file: path.to_owned(),
                    kind,
                    unreadable: None,
                    problems,
                })
        }
    }
}
