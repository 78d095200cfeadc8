//! The subcommands for people and CI (`check`, `index`, `new`, `install`, `templates`). Each
//! reads the book with the edges (`edge::loader`, `edge::setup`) and runs the same analysis as
//! the preprocessor. The top layer with `cli`: it may use every other.

pub mod analysed;
pub mod check;
pub mod export;
pub mod install;
pub mod new;
pub mod templates;
