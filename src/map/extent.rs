//! Extents in Web Mercator metres: unions of boxes, and the main area of a layer that ignores a
//! few far-flung districts (islands across the antimeridian), for fitting a view or a layout.

/// The union of the boxes `boxes_m` of districts whose anchors (`anchors_m`, one per box) lie
/// inside the 0.5%..99.5% quantiles of anchor positions, in both directions.
pub fn main_area_m(anchors_m: &[[f64; 2]], boxes_m: &[[[f64; 2]; 2]]) -> Option<[[f64; 2]; 2]> {
    if anchors_m.is_empty() {
        return None;
    }
    let quantiles = |axis: usize| {
        let mut v: Vec<f64> = anchors_m.iter().map(|a| a[axis]).collect();
        v.sort_by(f64::total_cmp);
        let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
        (at(0.005), at(0.995))
    };
    let ((x0, x1), (y0, y1)) = (quantiles(0), quantiles(1));
    union_boxes_m(
        anchors_m
            .iter()
            .zip(boxes_m)
            .filter(|(a, _)| (x0..=x1).contains(&a[0]) && (y0..=y1).contains(&a[1]))
            .map(|(_, b)| *b),
    )
}

/// The union of boxes, `None` for none.
pub fn union_boxes_m(boxes: impl Iterator<Item = [[f64; 2]; 2]>) -> Option<[[f64; 2]; 2]> {
    boxes.reduce(|a, b| {
        [
            [a[0][0].min(b[0][0]), a[0][1].min(b[0][1])],
            [a[1][0].max(b[1][0]), a[1][1].max(b[1][1])],
        ]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boxes_unite() {
        let boxes = [[[0.0, 0.0], [1.0, 2.0]], [[-1.0, 1.0], [0.5, 3.0]]];
        assert_eq!(union_boxes_m(boxes.into_iter()), Some([[-1.0, 0.0], [1.0, 3.0]]));
        assert_eq!(union_boxes_m(std::iter::empty()), None);
    }
}
