fn main() -> std::process::ExitCode {
    enroll_api::cli::main()
}
