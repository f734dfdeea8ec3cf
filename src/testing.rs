//! Helpers shared by unit tests.

/// A fixed pseudo-random sequence (xorshift64) from `seed`: randomized tests see the same
/// inputs on every run, so a failure can be replayed.
pub fn xorshift(seed: u64) -> impl FnMut() -> u64 {
    let mut state = seed;
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}
