//! SplitMix64: a few lines, good enough statistics for jittering shapes, same numbers everywhere.

/// A deterministic pseudo-random sequence.
pub struct Rng(u64);

impl Rng {
    /// A sequence from a seed.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..hi`.
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64)
    }
}

/// A random number in `lo..hi` fixed by `key`, for jitter that two neighbours must agree on.
pub(crate) fn keyed(key: u64, lo: f64, hi: f64) -> f64 {
    Rng::new(key).range(lo, hi)
}
