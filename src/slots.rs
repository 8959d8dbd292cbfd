//! Cutting one output vector into runs that workers fill side by side, so that results are
//! written straight into their final places instead of being gathered and copied.

/// `items` cut into consecutive runs of the given `lengths`, in order. Lengths that run past
/// the end get what is left (possibly nothing).
///
/// ```
/// let mut v = [0; 6];
/// let runs = mahalleh::slots::runs_mut(&mut v, [2, 0, 3]);
/// assert_eq!(runs.iter().map(|r| r.len()).collect::<Vec<_>>(), [2, 0, 3]);
/// for (k, run) in runs.into_iter().enumerate() {
///     run.fill(k + 1);
/// }
/// assert_eq!(v, [1, 1, 3, 3, 3, 0]);
/// ```
pub fn runs_mut<T>(items: &mut [T], lengths: impl IntoIterator<Item = usize>) -> Vec<&mut [T]> {
    let mut rest = items;
    lengths
        .into_iter()
        .map(|len| {
            let len = len.min(rest.len());
            let (run, tail) = std::mem::take(&mut rest).split_at_mut(len);
            rest = tail;
            run
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_past_the_end_get_what_is_left() {
        let mut v = [1, 2, 3];
        let runs = runs_mut(&mut v, [2, 5, 1]);
        assert_eq!(runs, [&mut [1, 2][..], &mut [3][..], &mut [][..]]);
    }
}
