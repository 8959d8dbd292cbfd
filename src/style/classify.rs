//! Class breaks for graduated colours, computed as PySAL's mapclassify computes them (the same
//! percentile interpolation, the same equal-interval steps, the sample standard deviation), so a
//! planner's map agrees with the one an analyst makes in Python or QGIS. Classes are given by
//! their upper bounds; a value falls in the first class whose bound it does not exceed.

use super::fisher_jenks::fisher_jenks_upper_bounds;

/// How values are grouped into classes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClassMethod {
    /// Equal numbers of districts per class (mapclassify `Quantiles`).
    Quantile,
    /// Classes of equal width between the least and the greatest value (`EqualInterval`).
    EqualInterval,
    /// Natural breaks, the exact optimum (`FisherJenks`).
    NaturalBreaks,
    /// Bounds at the mean and one and two standard deviations either side (`StdMean`).
    StandardDeviation,
    /// Bounds the planner typed (`UserDefined`).
    Manual,
}

impl ClassMethod {
    /// Every method, in the order a menu lists them.
    pub const ALL: [Self; 5] = [
        Self::NaturalBreaks,
        Self::Quantile,
        Self::EqualInterval,
        Self::StandardDeviation,
        Self::Manual,
    ];

    /// The method a command line names: `jenks`, `quantile`, `equal`, `stddev`, `manual`.
    ///
    /// ```
    /// use mahalleh::style::ClassMethod;
    /// assert_eq!(ClassMethod::parse("Jenks"), Some(ClassMethod::NaturalBreaks));
    /// assert_eq!(ClassMethod::parse("fisher"), Some(ClassMethod::NaturalBreaks));
    /// assert_eq!(ClassMethod::parse("median"), None);
    /// ```
    pub fn parse(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "quantile" | "quantiles" => Some(Self::Quantile),
            "equal" | "equal_interval" | "equal-interval" => Some(Self::EqualInterval),
            "jenks" | "fisher" | "fisher_jenks" | "natural" | "natural_breaks" => Some(Self::NaturalBreaks),
            "stddev" | "std" | "standard_deviation" => Some(Self::StandardDeviation),
            "manual" | "user" => Some(Self::Manual),
            _ => None,
        }
    }

    /// The name [`Self::parse`] reads back.
    pub fn name(self) -> &'static str {
        match self {
            Self::Quantile => "quantile",
            Self::EqualInterval => "equal",
            Self::NaturalBreaks => "jenks",
            Self::StandardDeviation => "stddev",
            Self::Manual => "manual",
        }
    }
}

/// Why values could not be classified.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ClassifyError {
    /// No district has a number in the field.
    #[error("no district has a number to classify")]
    NoValues,
    /// Manual classes without any bound.
    #[error("manual classes need at least one break (e.g. --breaks 1000,5000)")]
    NoBreaks,
    /// A bound that is not a finite number.
    #[error("break {index} is not a finite number")]
    BadBreak {
        /// Its position among the breaks, from 1.
        index: usize,
    },
}

/// The classes found for a set of values.
#[derive(Clone, Debug, PartialEq)]
pub struct Classes {
    /// Each class's upper bound (inclusive), ascending; the last is the greatest value.
    pub upper_bounds: Vec<f64>,
    /// The least value: the lower end of the first class.
    pub min: f64,
}

impl Classes {
    /// The class of `value`: the first whose upper bound it does not exceed (values above the
    /// last bound, which only manual breaks leave, go in the last class).
    ///
    /// ```
    /// use mahalleh::style::{classify, ClassMethod};
    /// let c = classify(&[1.0, 2.0, 3.0, 4.0], ClassMethod::EqualInterval, 3, &[]).unwrap();
    /// assert_eq!(c.class_of(1.0), 0);
    /// assert_eq!(c.class_of(4.0), 2);
    /// ```
    pub fn class_of(&self, value: f64) -> usize {
        let i = self.upper_bounds.partition_point(|&b| b < value);
        i.min(self.upper_bounds.len().saturating_sub(1))
    }

    /// Number of classes.
    pub fn len(&self) -> usize {
        self.upper_bounds.len()
    }

    /// True when there are no classes.
    pub fn is_empty(&self) -> bool {
        self.upper_bounds.is_empty()
    }

    /// The range of class `i`: from the previous bound (or the least value) to its own.
    pub fn range(&self, i: usize) -> (f64, f64) {
        let low = if i == 0 { self.min } else { self.upper_bounds[i - 1] };
        (low, self.upper_bounds[i])
    }
}

/// Classes for `values` (missing ones already left out; non-finite ones are ignored) by
/// `method`: `classes` of them (except for the standard deviation, whose bounds are fixed, and
/// manual `breaks`). Repeated values can make fewer classes than asked, as in mapclassify.
pub fn classify(values: &[f64], method: ClassMethod, classes: usize, breaks: &[f64]) -> Result<Classes, ClassifyError> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if sorted.is_empty() {
        return Err(ClassifyError::NoValues);
    }
    sorted.sort_by(f64::total_cmp);
    let classes = classes.max(1);
    let (min, max) = (sorted[0], sorted[sorted.len() - 1]);
    let upper_bounds = match method {
        ClassMethod::Quantile => quantile_bounds(&sorted, classes),
        ClassMethod::EqualInterval => equal_interval_bounds(min, max, classes),
        ClassMethod::NaturalBreaks => fisher_jenks_upper_bounds(&sorted, classes),
        ClassMethod::StandardDeviation => standard_deviation_bounds(&sorted),
        ClassMethod::Manual => manual_bounds(breaks, max)?,
    };
    Ok(Classes { upper_bounds, min })
}

/// mapclassify's `quantile`: scipy's percentile with linear interpolation at 100/k, 200/k, …,
/// repeated bounds dropped.
fn quantile_bounds(sorted: &[f64], classes: usize) -> Vec<f64> {
    let w = 100.0 / classes as f64;
    // numpy's arange(w, 100 + w, w): its length, then start + i·step, the last held at 100.
    let count = (((100.0 + w) - w) / w).ceil() as usize;
    let mut bounds: Vec<f64> = (0..count)
        .map(|i| {
            let p = (w + i as f64 * w).min(100.0);
            percentile(sorted, p)
        })
        .collect();
    bounds.dedup();
    bounds
}

/// scipy's `scoreatpercentile` with `fraction` interpolation.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    let idx = p / 100.0 * (sorted.len() - 1) as f64;
    let i = idx as usize;
    if i as f64 == idx || i + 1 >= sorted.len() {
        return sorted[i.min(sorted.len() - 1)];
    }
    let j = (i + 1) as f64;
    let (wi, wj) = (j - idx, idx - i as f64);
    (sorted[i] * wi + sorted[i + 1] * wj) / (wi + wj)
}

/// mapclassify's `EqualInterval`: numpy's arange from min + width in steps of width, cut to k,
/// the last bound set to the greatest value.
fn equal_interval_bounds(min: f64, max: f64, classes: usize) -> Vec<f64> {
    let width = (max - min) / classes as f64;
    if width <= 0.0 {
        return vec![max];
    }
    let start = min + width;
    let count = (((max + width) - start) / width).ceil().max(1.0) as usize;
    let mut bounds: Vec<f64> = (0..count.min(classes)).map(|i| start + i as f64 * width).collect();
    if let Some(last) = bounds.last_mut() {
        *last = max;
    }
    bounds
}

/// mapclassify's `StdMean`: mean + s·(−2, −1, 1, 2) with the sample deviation, then the greatest
/// value when it lies above.
fn standard_deviation_bounds(sorted: &[f64]) -> Vec<f64> {
    let n = sorted.len() as f64;
    let max = sorted[sorted.len() - 1];
    if sorted.len() < 2 {
        return vec![max];
    }
    let mean = sorted.iter().sum::<f64>() / n;
    let s = (sorted.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let mut bounds: Vec<f64> = [-2.0, -1.0, 1.0, 2.0].iter().map(|w| mean + s * w).collect();
    if bounds[3] < max {
        bounds.push(max);
    }
    bounds.dedup();
    bounds
}

/// mapclassify's `UserDefined`: the breaks, ascending, then the greatest value when it lies above.
fn manual_bounds(breaks: &[f64], max: f64) -> Result<Vec<f64>, ClassifyError> {
    if breaks.is_empty() {
        return Err(ClassifyError::NoBreaks);
    }
    if let Some(i) = breaks.iter().position(|b| !b.is_finite()) {
        return Err(ClassifyError::BadBreak { index: i + 1 });
    }
    let mut bounds = breaks.to_vec();
    bounds.sort_by(f64::total_cmp);
    bounds.dedup();
    if bounds.last().is_some_and(|&b| b < max) {
        bounds.push(max);
    }
    Ok(bounds)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bounds(values: &[f64], method: ClassMethod, k: usize) -> Vec<f64> {
        classify(values, method, k, &[]).unwrap().upper_bounds
    }

    #[test]
    fn quantiles_interpolate_as_mapclassify_does() {
        // mapclassify's own doctest, quantile(arange(1000)), bit for bit (its k=3 doctest prints
        // 333. for 333.00000000000006).
        let v: Vec<f64> = (0..1000).map(f64::from).collect();
        assert_eq!(bounds(&v, ClassMethod::Quantile, 4), vec![249.75, 499.5, 749.25, 999.0]);
        assert_eq!(
            bounds(&v, ClassMethod::Quantile, 3),
            vec![333.00000000000006, 666.0000000000001, 999.0]
        );
        // Ties collapse classes.
        assert_eq!(
            bounds(&[1.0, 1.0, 1.0, 1.0, 2.0], ClassMethod::Quantile, 4),
            vec![1.0, 2.0]
        );
    }

    #[test]
    fn equal_intervals_end_at_the_greatest_value() {
        assert_eq!(
            bounds(&[0.0, 3.0, 10.0], ClassMethod::EqualInterval, 5),
            vec![2.0, 4.0, 6.0, 8.0, 10.0]
        );
        assert_eq!(bounds(&[7.0, 7.0], ClassMethod::EqualInterval, 5), vec![7.0]);
    }

    #[test]
    fn standard_deviation_bounds_use_the_sample_deviation() {
        // mean 3, sample s = sqrt(2.5).
        let s = 2.5f64.sqrt();
        let b = bounds(&[1.0, 2.0, 3.0, 4.0, 5.0], ClassMethod::StandardDeviation, 5);
        assert_eq!(b.len(), 4, "{b:?}");
        assert!((b[0] - (3.0 - 2.0 * s)).abs() < 1e-12 && (b[3] - (3.0 + 2.0 * s)).abs() < 1e-12);
    }

    #[test]
    fn manual_breaks_are_sorted_and_closed_by_the_greatest_value() {
        let c = classify(&[1.0, 50.0, 900.0], ClassMethod::Manual, 0, &[100.0, 10.0]).unwrap();
        assert_eq!(c.upper_bounds, vec![10.0, 100.0, 900.0]);
        assert_eq!(
            [1.0, 10.0, 10.5, 900.0].map(|v| c.class_of(v)),
            [0, 0, 1, 2],
            "bounds are inclusive"
        );
        assert_eq!(
            classify(&[1.0], ClassMethod::Manual, 0, &[]),
            Err(ClassifyError::NoBreaks)
        );
        assert_eq!(
            classify(&[1.0], ClassMethod::Manual, 0, &[1.0, f64::NAN]),
            Err(ClassifyError::BadBreak { index: 2 })
        );
    }

    #[test]
    fn nothing_to_classify_is_an_error_and_non_finite_values_are_ignored() {
        assert_eq!(
            classify(&[], ClassMethod::Quantile, 5, &[]),
            Err(ClassifyError::NoValues)
        );
        assert_eq!(
            classify(&[f64::NAN], ClassMethod::Quantile, 5, &[]),
            Err(ClassifyError::NoValues)
        );
        let c = classify(&[f64::INFINITY, 1.0, 2.0], ClassMethod::EqualInterval, 2, &[]).unwrap();
        assert_eq!(c.upper_bounds, vec![1.5, 2.0]);
        assert_eq!(c.range(1), (1.5, 2.0));
        assert_eq!(c.range(0), (1.0, 1.5));
    }
}
