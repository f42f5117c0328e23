//! The `yeep` binary: parse arguments, run, map the outcome to an exit code.

// See Cargo.toml: small allocations across threads are the bulk of a run's allocations.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    yeep::cli::main()
}
