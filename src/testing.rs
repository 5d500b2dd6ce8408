//! Helpers shared by the unit tests.

/// A xorshift64 generator: deterministic random numbers for generated test
/// cases, with no dependency.
pub(crate) fn xorshift(mut seed: u64) -> impl FnMut() -> u64 {
    move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    }
}
