//! The shapes every floor shares: an observation, a file's account, a cell reference,
//! the submission form's vocabulary, the user's language. No I/O and no polars here.

pub mod account;
pub mod cellref;
pub mod date;
pub mod form;
pub mod lang;
pub mod observation;

pub use account::{FileAccount, FileStatus, SourceKind};
pub use cellref::CellRef;
pub use date::Date;
pub use lang::Lang;
pub use observation::Observation;
