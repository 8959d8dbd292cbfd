//! Identity of one loaded copy of a layer's data, for caches that must not take a file read
//! again for the copy they were built from.

use std::sync::atomic::{AtomicU64, Ordering};

/// Names one loaded copy of a layer's data: unique in the process and never reused. The address
/// of the layer's `Arc` is not such a name: a layer read after the old copy was freed often lands
/// at the same address, and a cache keyed by the address then shows the old copy (its theme, its
/// field list, its lines on the GPU).
///
/// ```
/// use mahalleh::workspace::DataId;
/// let (a, b) = (DataId::fresh(), DataId::fresh());
/// assert_ne!(a, b);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DataId(u64);

impl DataId {
    /// An identity no copy has had before.
    pub fn fresh() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        Self(NEXT.fetch_add(1, Ordering::Relaxed))
    }
}

impl Default for DataId {
    /// A fresh identity: two default layers are two copies.
    fn default() -> Self {
        Self::fresh()
    }
}

/// The [`DataId`] a layer holds. Cloning the layer makes another copy, which its public fields
/// let the holder change, so the clone gets a fresh identity.
#[derive(Debug, Default)]
pub struct OwnDataId(DataId);

impl OwnDataId {
    /// The identity.
    pub fn id(&self) -> DataId {
        self.0
    }
}

impl Clone for OwnDataId {
    fn clone(&self) -> Self {
        Self::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clone_is_another_copy() {
        let own = OwnDataId::default();
        assert_eq!(own.id(), own.id());
        assert_ne!(own.clone().id(), own.id());
    }
}
