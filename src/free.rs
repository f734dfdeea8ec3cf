//! Freeing what a one-shot build no longer needs, off its critical path.
//!
//! A site graph or the templates' views of 10,000 pages are hundreds of thousands of
//! allocations: freed where they fall, at the end of a build, they keep one core busy while
//! the other waits. Only what nothing else shares goes here: a value still shared would be
//! freed late and could keep another stage from reusing it in place.

/// Frees `value` on a thread of its own: the caller goes on, and a `cds build` that exits
/// first leaves the rest of the freeing to the system.
pub fn in_background<T: Send + 'static>(value: T) {
    // Should no thread be had, `spawn` frees the closure, and `value` with it, right here.
    let _ = std::thread::Builder::new().spawn(move || drop(value));
}
