//! The parallel schedule of a run: every thread parses the next file and folds whatever is
//! next in input order when the fold is free.

use super::Input;

/// How far parsing may run ahead of the fold, in bytes of files parsed but not yet folded:
/// enough to keep every thread busy, small enough that few parse trees are alive at once.
/// (128 KiB left a thread waiting for the fold, yielding in a loop, behind a file whose fold
/// is slow; 1 MiB ran the corpus faster on 2 threads at the same peak memory: BENCHMARKS.md.)
const PARSE_AHEAD_BYTES: usize = 1 << 20;

/// Parse `inputs` on every thread of the pool and fold each result with `fold_one`, in input
/// order, on whichever thread finds the next file ready: a thread never waits for a fold it
/// could not help with, and never idles while there are files left to parse (a fixed split into
/// parse chunks and fold chunks left about a seventh of the threads' time idle). A thread that
/// runs more than `PARSE_AHEAD_BYTES` ahead of the fold folds, or helps with other work,
/// instead of parsing further, which bounds the trees alive at once.
pub(super) fn parse_and_fold<T: Send, S: Send>(
    inputs: Vec<Input>,
    parse_one: &(dyn Fn(usize, Input) -> T + Sync),
    fold: &mut S,
    fold_one: impl Fn(&mut S, T) + Sync,
) {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let n = inputs.len();
    // Bytes of files 0..i: how far parsing runs ahead of the fold is the difference between
    // the bytes handed out for parsing and the bytes folded.
    let ends: Vec<usize> = std::iter::once(0)
        .chain(inputs.iter().scan(0, |total, i| {
            *total += i.bytes.as_ref().map_or(0, Vec::len);
            Some(*total)
        }))
        .collect();
    let pending: Vec<Mutex<Option<Input>>> = inputs.into_iter().map(|i| Mutex::new(Some(i))).collect();
    let ready: Vec<Mutex<Option<T>>> = (0..n).map(|_| Mutex::new(None)).collect();
    let next_to_parse = AtomicUsize::new(0);
    // Files folded so far: written only by the thread holding `state`, read by all.
    let folded = AtomicUsize::new(0);
    let state = Mutex::new(fold);
    // Set when a thread panics (a bug): the others must stop rather than wait for a file that
    // will never be ready, so that the panic reaches the caller instead of hanging the run.
    let aborted = std::sync::atomic::AtomicBool::new(false);
    struct AbortOnPanic<'a>(&'a std::sync::atomic::AtomicBool);
    impl Drop for AbortOnPanic<'_> {
        fn drop(&mut self) {
            if std::thread::panicking() {
                self.0.store(true, Ordering::Release);
            }
        }
    }
    // Fold every ready file in order; `try_lock` so a thread never waits for another's fold. A
    // file made ready while another thread held the lock is seen by that thread's re-check.
    let drain = || {
        loop {
            let Ok(mut fold) = state.try_lock() else { return };
            let mut next = folded.load(Ordering::Acquire);
            while next < n {
                let Some(parsed) = ready[next].lock().unwrap().take() else { break };
                fold_one(&mut fold, parsed);
                next += 1;
                folded.store(next, Ordering::Release);
            }
            drop(fold);
            if next >= n || ready[next].lock().unwrap().is_none() {
                return;
            }
        }
    };
    // `folded` is read first: files are handed out before they are folded, so the later read of
    // `next_to_parse` is at least it. (Read the other way round, folds finishing between the two
    // reads made the difference negative: a debug build panicked on the subtraction.)
    let parsing_ahead = || {
        let folded_bytes = ends[folded.load(Ordering::Acquire)];
        ends[next_to_parse.load(Ordering::Acquire).min(n)].saturating_sub(folded_bytes) > PARSE_AHEAD_BYTES
    };
    rayon::broadcast(|_| {
        let _guard = AbortOnPanic(&aborted);
        while !aborted.load(Ordering::Acquire) {
            while parsing_ahead() && !aborted.load(Ordering::Acquire) {
                drain();
                // The next file to fold is still being parsed elsewhere: run other pool work
                // (a large file's segments) meanwhile, or let that thread have the core.
                if rayon::yield_now() != Some(rayon::Yield::Executed) {
                    std::thread::yield_now();
                }
            }
            let id = next_to_parse.fetch_add(1, Ordering::AcqRel);
            if id >= n {
                break;
            }
            let input = pending[id].lock().unwrap().take().expect("each file is parsed once");
            let parsed = parse_one(id, input);
            *ready[id].lock().unwrap() = Some(parsed);
            drain();
        }
    });
    // Every file is parsed; a thread that finished last may have left the final ones unfolded.
    let fold = state.into_inner().unwrap();
    for slot in &ready[folded.into_inner()..] {
        fold_one(fold, slot.lock().unwrap().take().expect("every file was parsed"));
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    /// A panic while parsing (a bug) reaches the caller: the other threads, waiting for the
    /// fold to catch up with a file that will never be ready, stop instead of hanging the run.
    #[test]
    fn a_panic_in_a_parse_reaches_the_caller() {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        // Every file is larger than the look-ahead: a thread waits for the fold after one file.
        let inputs: Vec<Input> =
            (0..8).map(|i| Input { path: PathBuf::from(format!("{i}.sql")), bytes: Ok(vec![b' '; 200 << 10]), kind: None }).collect();
        let parse_one = |id: usize, _input: Input| {
            if id == 0 {
                std::thread::sleep(std::time::Duration::from_millis(50));
                panic!("parse bug");
            }
            id
        };
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            pool.install(|| parse_and_fold(inputs, &parse_one, &mut Vec::new(), |f: &mut Vec<usize>, id| f.push(id)))
        }));
        assert!(result.is_err());
    }

    /// Files are folded exactly once each and in input order, however long each takes to parse
    /// and on however many threads (large inputs exceed the look-ahead and wait for the fold).
    #[test]
    fn parse_and_fold_folds_every_file_once_in_order() {
        for threads in [1, 2, 4] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            let n = 300;
            let inputs: Vec<Input> = (0..n)
                .map(|i| Input { path: PathBuf::from(format!("{i}.sql")), bytes: Ok(vec![b' '; (i * 7919) % 40_000]), kind: None })
                .collect();
            let parse_one = |id: usize, input: Input| {
                // Uneven parse times: some files finish long after later ones.
                let spin = (id * 31) % 17 * 2_000;
                let mut x = 0u64;
                for k in 0..spin {
                    x = std::hint::black_box(x.wrapping_add(k as u64));
                }
                (id, input.path, x)
            };
            let mut folded: Vec<usize> = Vec::new();
            pool.install(|| {
                parse_and_fold(inputs, &parse_one, &mut folded, |f, (id, path, _)| {
                    assert_eq!(path, PathBuf::from(format!("{id}.sql")));
                    f.push(id)
                })
            });
            assert_eq!(folded, (0..n).collect::<Vec<_>>(), "{threads} threads");
        }
    }
}
