//! A layer's features as its reader filled them: in file order, in runs read side by side.

use rayon::prelude::*;

use super::{FeatureNote, SourceFeature};
use crate::slots::runs_mut;

/// A layer's features in file order, kept in the runs a reader filled side by side (one run when
/// it reads in one go). Joining the runs into one vector took a fifth of the GeoPackage read of
/// the 100,000-row bench (fresh memory and a copy of every feature); [`Self::map_into`] maps the
/// runs straight into the pipeline's outputs instead.
#[derive(Debug, Default)]
pub struct SourceFeatures {
    runs: Vec<Vec<SourceFeature>>,
}

impl From<Vec<SourceFeature>> for SourceFeatures {
    fn from(features: Vec<SourceFeature>) -> Self {
        Self { runs: vec![features] }
    }
}

impl SourceFeatures {
    /// Features from runs that follow each other in file order. Each feature's `index` is its
    /// position in the whole layer; they are set here, whatever the runs had.
    pub fn from_runs(mut runs: Vec<Vec<SourceFeature>>) -> Self {
        let starts: Vec<usize> = runs
            .iter()
            .scan(0, |start, run| {
                let this = *start;
                *start += run.len();
                Some(this)
            })
            .collect();
        runs.par_iter_mut().zip(starts).for_each(|(run, start)| {
            for (offset, feature) in run.iter_mut().enumerate() {
                feature.index = start + offset;
            }
        });
        Self { runs }
    }

    /// How many features there are.
    pub fn len(&self) -> usize {
        self.runs.iter().map(Vec::len).sum()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.runs.iter().all(Vec::is_empty)
    }

    /// The features in file order.
    pub fn iter(&self) -> impl Iterator<Item = &SourceFeature> {
        self.runs.iter().flatten()
    }

    /// The features in file order, in one vector.
    pub fn into_vec(self) -> Vec<SourceFeature> {
        let mut runs = self.runs;
        if runs.len() == 1 {
            return runs.pop().unwrap_or_default();
        }
        runs.into_iter().flatten().collect()
    }

    /// `make` applied to every feature on all cores, its items and notes in file order, each
    /// written straight into its place in the two vectors returned.
    pub(crate) fn map_into<T: Send>(
        self,
        make: impl Fn(SourceFeature) -> (Option<T>, FeatureNote) + Sync,
    ) -> (Vec<Option<T>>, Vec<FeatureNote>) {
        let total = self.len();
        let mut items: Vec<Option<T>> = Vec::with_capacity(total);
        items.resize_with(total, || None);
        let mut notes: Vec<FeatureNote> = Vec::with_capacity(total);
        notes.resize_with(total, FeatureNote::default);
        let lengths: Vec<usize> = self.runs.iter().map(Vec::len).collect();
        let item_runs = runs_mut(&mut items, lengths.iter().copied());
        let note_runs = runs_mut(&mut notes, lengths);
        let work: Vec<_> = self.runs.into_iter().zip(item_runs).zip(note_runs).collect();
        work.into_par_iter().for_each(|((run, run_items), run_notes)| {
            run.into_par_iter()
                .zip(run_items)
                .zip(run_notes)
                .for_each(|((feature, item), note)| (*item, *note) = make(feature));
        });
        (items, notes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::read::outcome;
    use crate::model::SkipReason;

    fn feature(index: usize, fid: i64) -> SourceFeature {
        SourceFeature {
            index,
            line: 0,
            fid: Some(fid),
            geometry_type: "Polygon".into(),
            geometry: Err(SkipReason::NullGeometry),
            properties: Default::default(),
            warnings: Vec::new(),
        }
    }

    #[test]
    fn runs_keep_file_order_and_number_features_across_runs() {
        let runs = vec![
            (0..3).map(|i| feature(i, 10 + i as i64)).collect::<Vec<_>>(),
            Vec::new(),
            (0..4).map(|i| feature(i, 20 + i as i64)).collect(),
            (0..1).map(|i| feature(i, 30 + i as i64)).collect(),
        ];
        let features = SourceFeatures::from_runs(runs);
        assert_eq!(features.len(), 8);
        assert!(!features.is_empty());
        let indices: Vec<usize> = features.iter().map(|f| f.index).collect();
        assert_eq!(indices, (0..8).collect::<Vec<_>>());
        let (items, notes) = features.map_into(|f| {
            let fid = f.fid.unwrap_or_default();
            let item = if fid % 2 == 0 {
                Ok(fid)
            } else {
                Err(SkipReason::NullGeometry)
            };
            outcome(item, f.into_parts().0)
        });
        assert_eq!(
            items,
            [Some(10), None, Some(12), Some(20), None, Some(22), None, Some(30)]
        );
        let noted: Vec<(usize, Option<i64>)> = notes.iter().map(|n| (n.index, n.fid)).collect();
        assert_eq!(
            noted,
            [
                (0, Some(10)),
                (1, Some(11)),
                (2, Some(12)),
                (3, Some(20)),
                (4, Some(21)),
                (5, Some(22)),
                (6, Some(23)),
                (7, Some(30))
            ]
        );
    }

    #[test]
    fn one_run_is_its_own_vector_and_no_runs_are_empty() {
        let run: Vec<SourceFeature> = (0..5).map(|i| feature(i, i as i64)).collect();
        let buffer = run.as_ptr() as usize;
        let features = SourceFeatures::from(run);
        let joined = features.into_vec();
        assert_eq!(joined.as_ptr() as usize, buffer, "one run was copied");
        let none = SourceFeatures::from_runs(Vec::new());
        assert!(none.is_empty());
        let (items, notes) = none.map_into(|f| outcome(Ok(()), f.into_parts().0));
        assert!(items.is_empty() && notes.is_empty());
        let joined = SourceFeatures::from_runs(vec![vec![feature(0, 1)], vec![feature(0, 2)]]).into_vec();
        assert_eq!(
            joined.iter().map(|f| (f.index, f.fid)).collect::<Vec<_>>(),
            [(0, Some(1)), (1, Some(2))]
        );
    }
}
