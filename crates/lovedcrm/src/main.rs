//! The `lovedcrm` binary: everything lives in the library; this only runs the CLI.

/// See the note on `mimalloc` in Cargo.toml: memory under load.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    lovedcrm::cli::main()
}
