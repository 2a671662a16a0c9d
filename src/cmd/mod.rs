//! Subcommands: each a thin file that wires the stages together with its own `Args`.

pub mod check;
pub mod completions;
pub mod errors;
pub mod slow;
pub mod summarize;
