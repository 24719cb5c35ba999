fn main() {
    std::process::exit(pgready::cli::run());
}
