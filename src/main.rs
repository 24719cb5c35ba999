// mimalloc: parse trees are millions of small allocations freed soon after; glibc's allocator
// spent a quarter of the time in malloc/free and heap growth (measured with perf on the corpus).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(pgready::cli::run());
}
