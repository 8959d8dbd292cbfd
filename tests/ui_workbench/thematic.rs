//! The thematic style panel: colour the sample's districts by population, see the classes in the
//! map's colour table and in the legend, change the scheme, undo back to the plain map.

use super::*;
use mahalleh::style::{ThematicStyle, palette_named};

/// The map colour of district `i`, as the renderer gets it.
fn map_colour(harness: &Harness<'_, Workbench>, i: usize) -> [u8; 3] {
    let [r, g, b, _] = harness.state().map.district_colors[i];
    [r, g, b]
}

#[test]
fn styling_by_a_field_colours_the_map_and_fills_the_legend_and_undo_takes_it_back() {
    let mut harness = harness(workbench(&sample_path()));
    let plain = map_colour(&harness, 0);
    harness.get_by_label("Thematic map").click();
    harness.run_steps(2);
    harness.get_by_value("Plain (formal / marginal)").click();
    harness.run_steps(2);
    harness.get_by_label("population").click();
    harness.run_steps(3);
    let style = harness.state().plan.district_style().cloned();
    let Some(ThematicStyle::Graduated(g)) = style else {
        panic!("a graduated style, not {style:?}")
    };
    assert_eq!(
        (g.value.name(), g.classes, g.palette.as_str()),
        ("population", 5, "YlOrRd")
    );
    assert!(harness.state().plan.dirty);
    // Every district takes its class's colour, the same table the theme made.
    let theme = harness.state().themes.theme.clone().expect("a theme");
    let ylorrd = palette_named("YlOrRd").unwrap().colours(5);
    for (i, fill) in theme.fills.iter().enumerate() {
        assert!(ylorrd.contains(fill), "district {i}");
        assert_eq!(map_colour(&harness, i), *fill, "district {i} on the map");
    }
    // The legend: the field's name and one row per class with its count.
    let counts: usize = theme.legend.entries.iter().map(|e| e.districts).sum();
    assert_eq!(counts, 59);
    for entry in &theme.legend.entries {
        let text = entry.text(mahalleh::text::Numbers::Latin, theme.legend.places, "", "");
        let row = format!("{text}  ({})", entry.districts);
        assert!(harness.query_by_label(&row).is_some(), "legend row {row}");
    }
    // Another scheme: one click in the scheme menu.
    harness.get_by_value("YlOrRd").click();
    harness.run_steps(2);
    // Blues is below the sequential schemes, in the menu's scrolled part: kittest's pointer
    // positions do not follow a popup's scrolling, so the row is clicked through AccessKit.
    harness.get_by_label("Blues (colour-blind safe)").click_accesskit();
    harness.run_steps(3);
    let blues = palette_named("Blues").unwrap().colours(5);
    assert!(blues.contains(&map_colour(&harness, 0)));
    // Undo twice: the scheme, then the style; the plain colours come back.
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    assert!(ylorrd.contains(&map_colour(&harness, 0)));
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    assert_eq!(harness.state().plan.district_style(), None);
    assert_eq!(map_colour(&harness, 0), plain);
}
