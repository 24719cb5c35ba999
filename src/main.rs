// mimalloc: parse trees are millions of small allocations freed soon after; glibc's allocator
// spent a quarter of the time in malloc/free and heap growth (measured with perf on the corpus).
// Built with `no_thp`: transparent huge pages made every fresh page fault zero 2 MiB, which
// raised the peak memory by a fifth (bench/bench.sh).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc's `mi_option_t` (the same index in its v2 and v3).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() {
    // Memory freed as each file is folded is reused by the files parsed next: returning
    // it to the OS (after mimalloc's default 10 ms) only to fault it in again, page by page,
    // cost a tenth of the run (perf: clear_page_erms under mi_page_free_list_extend).
    // SAFETY: setting an option is allowed at any time; this one is read at each purge.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    std::process::exit(pgready::cli::run());
}
