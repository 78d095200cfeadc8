//! The `mdbook-trd` binary: everything lives in the library.

fn main() -> std::process::ExitCode {
    mdbook_trd::cli::main()
}
