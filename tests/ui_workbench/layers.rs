//! Reference layers in the window: dropped on the Layers tab, read on a thread, listed with
//! what they hold, moved, hidden, restyled and undone, and identified under the pointer.

use super::*;
use mahalleh::model::{LayerEdit, LayerId, PointSymbol};
use mahalleh::ui::suggest_panel::CandidateKind;

/// Roads (lines) and schools (points) over the sample map, as GeoJSON files.
fn reference_files() -> (PathBuf, PathBuf) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("ui-layers");
    std::fs::create_dir_all(&dir).unwrap();
    let roads: Vec<String> = (0..5)
        .map(|k| {
            let lat = 31.9 + 0.05 * f64::from(k);
            format!(
                r#"{{"type":"Feature","properties":{{"name":"خیابان {k}"}},"geometry":{{"type":"LineString","coordinates":[[54.0,{lat}],[54.2,{lat}],[54.4,{lat}]]}}}}"#
            )
        })
        .collect();
    let schools: Vec<String> = [(54.33, 31.95, "دبستان فردوسی"), (54.36, 31.9, "دبیرستان صدوقی")]
        .iter()
        .map(|(lon, lat, name)| {
            format!(
                r#"{{"type":"Feature","properties":{{"name":"{name}","pupils":420}},"geometry":{{"type":"Point","coordinates":[{lon},{lat}]}}}}"#
            )
        })
        .collect();
    // Tests run side by side and write the same files: each writes its own copy and renames it
    // into place, so a test reading the file never sees one half written.
    let write = |name: &str, features: &[String]| {
        let path = dir.join(name);
        let text = format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, features.join(","));
        let own = dir.join(format!("{name}.{:?}.part", std::thread::current().id()));
        std::fs::write(&own, text).unwrap();
        std::fs::rename(&own, &path).unwrap();
        path
    };
    (write("roads.geojson", &roads), write("schools.geojson", &schools))
}

fn drop_and_read(harness: &mut Harness<'_, Workbench>, path: &Path) {
    drop_file(harness, path);
    read_added_layers(harness);
}

/// Lets the layers added so far be read and drawn. A command sent is applied at the end of a
/// frame and its read starts at the next one, so one frame runs before waiting (waiting first
/// finds nothing being read, and the test then races the reading thread).
fn read_added_layers(harness: &mut Harness<'_, Workbench>) {
    harness.run_steps(1);
    harness.state_mut().reference.wait_for_reads();
    harness.run_steps(2);
}

/// The sample map with the roads under the schools, read, and the Layers tab open.
fn roads_and_schools_in_the_layers_tab() -> Harness<'static, Workbench> {
    let (roads, schools) = reference_files();
    let mut bench = workbench(&sample_path());
    bench.add_reference_layer(roads);
    bench.add_reference_layer(schools);
    let mut harness = harness(bench);
    harness.get_by_label("Layers").click();
    harness.run_steps(2);
    read_added_layers(&mut harness);
    harness
}

/// Drags the handle at `from` (in the panel's order of handles, top first) onto the row of the
/// handle at `onto`, and lets the drop be applied.
fn drag_handle(harness: &mut Harness<'_, Workbench>, from: usize, onto: usize) {
    let handles: Vec<egui::Rect> = harness.get_all_by_label("Drag to reorder").map(|n| n.rect()).collect();
    let (from, to) = (handles[from].center(), handles[onto].center() + egui::vec2(0.0, 6.0));
    press_and_move(harness, from, to, Modifiers::NONE);
    release_at(harness, to, Modifiers::NONE);
    harness.run_steps(3);
}

fn layer_names(bench: &Workbench) -> Vec<String> {
    bench.plan.plan.layers.iter().map(|l| l.name.clone()).collect()
}

#[test]
fn layers_dropped_on_the_tab_are_listed_moved_hidden_restyled_and_undone() {
    let (roads, schools) = reference_files();
    let mut harness = harness(workbench(&sample_path()));
    harness.get_by_label("Layers").click();
    harness.run_steps(1);
    drop_and_read(&mut harness, &roads);
    // A file dropped on the Layers tab is a reference layer; the districts stay.
    assert_eq!(layer_names(harness.state()), ["roads"]);
    assert_eq!(harness.state().scene.as_ref().unwrap().layer.districts.len(), 59);
    harness.get_by_label_contains("5 lines");
    drop_and_read(&mut harness, &schools);
    assert_eq!(
        layer_names(harness.state()),
        ["schools", "roads"],
        "a new layer goes on top"
    );
    harness.get_by_label_contains("2 points");

    // The top row's "Move down" (the bottom row's is disabled).
    harness.get_all_by_label("Move down").next().unwrap().click();
    harness.run_steps(2);
    assert_eq!(layer_names(harness.state()), ["roads", "schools"]);

    // Hide the roads: the eye's label turns to "Show layer".
    harness.get_all_by_label("Hide layer").next().unwrap().click();
    harness.run_steps(2);
    assert!(!harness.state().plan.plan.layers[0].visible);
    harness.get_by_label("Show layer");
    let shown = harness
        .state()
        .reference
        .data
        .shown_bottom_up(&harness.state().plan.plan);
    assert_eq!(
        shown.iter().map(|(l, _)| l.name.as_str()).collect::<Vec<_>>(),
        ["schools"]
    );

    // The legend lists the shown layers only: the schools (beside their row in the panel), not
    // the hidden roads.
    assert_eq!(harness.query_all_by_label("schools").count(), 2);
    assert_eq!(harness.query_all_by_label("roads").count(), 1);

    // Open the schools' style and draw them as triangles.
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "schools")
        .click();
    harness.run_steps(2);
    harness.get_by_value("Circle").click();
    harness.run_steps(2);
    harness.get_by_label("Triangle").click();
    harness.run_steps(2);
    let schools_id = harness.state().plan.plan.layers[1].id;
    assert_eq!(harness.state().plan.plan.layers[1].style.symbol, PointSymbol::Triangle);

    // Every step undoes, newest first: the symbol, the hiding, the move, the two additions.
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(1);
    assert_eq!(
        harness.state().plan.plan.layer(schools_id).unwrap().style.symbol,
        PointSymbol::Circle
    );
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::Z);
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(1);
    assert_eq!(layer_names(harness.state()), ["schools", "roads"]);
    assert!(harness.state().plan.plan.layers.iter().all(|l| l.visible));
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::Z);
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    assert!(harness.state().plan.plan.layers.is_empty());
    assert!(
        harness.state().reference.data.slot(LayerId(1)).is_none(),
        "removed layers' data is dropped"
    );
}

#[test]
fn hovering_a_reference_point_shows_its_attributes_instead_of_the_district() {
    let (_, schools) = reference_files();
    let mut bench = workbench(&sample_path());
    bench.add_reference_layer(schools);
    let mut harness = harness(bench);
    read_added_layers(&mut harness);
    let bench = harness.state();
    let id = bench.plan.plan.layers[0].id;
    let data = bench.reference.data.layer(id).unwrap();
    let at = bench
        .map
        .camera
        .screen_from_map(bench.map.last_rect.unwrap(), data.drawing.points(1)[0]);
    // Two points off the symbol's centre still finds it.
    harness.hover_at(at + egui::vec2(2.0, 1.0));
    harness.run_steps(60);
    assert_eq!(harness.state().reference.hovered, Some((id, 1)));
    // Its name as the tooltip's title and in the attributes below it.
    assert_eq!(harness.query_all_by_label("دبیرستان صدوقی").count(), 2);
    harness.get_by_label("pupils");
    // Renaming is a command too, and the tooltip says the new name.
    harness.state_mut().plan.send(mahalleh::model::Command::EditLayer(
        id,
        LayerEdit::Rename("مدرسه‌ها".into()),
    ));
    harness.run_steps(3);
    assert!(harness.query_all_by_label("مدرسه‌ها").count() >= 1);
    assert!(harness.query_by_label("schools").is_none());
    assert!(
        harness.query_by_label("Persian name").is_none(),
        "no district tooltip over a feature"
    );
}

#[test]
fn a_point_layer_is_offered_as_the_candidate_sites_and_the_demand_of_a_suggestion() {
    let (roads, schools) = reference_files();
    let mut bench = workbench(&sample_path());
    bench.add_reference_layer(roads);
    bench.add_reference_layer(schools);
    bench.suggest.new_sites = 1;
    let mut harness = harness(bench);
    read_added_layers(&mut harness);
    harness.get_by_label("Suggest sites…").click();
    harness.run_steps(6);
    // Only the layer with points is offered, once as candidates and once as demand.
    assert_eq!(harness.query_all_by_label("points of «schools»").count(), 2);
    assert!(harness.query_by_label("points of «roads»").is_none());
    harness.get_by_label("placed offices").click();
    harness.run_steps(2);
    assert_eq!(harness.state().suggest.candidates, CandidateKind::PlacedOffices);
    // The demand's comes first in the panel, then the candidates'.
    harness
        .query_all_by_label("points of «schools»")
        .nth(1)
        .unwrap()
        .click();
    harness.run_steps(2);
    harness.get_by_label("Suggest").click();
    wait_for_suggestion(&mut harness);
    let result = harness.state().suggest.result.clone().expect("an answer");
    assert_eq!(result.size.1, 2, "the two schools are the only candidates");
    let schools = [[54.33, 31.95], [54.36, 31.9]];
    assert!(
        schools.contains(&result.sites[0].lon_lat),
        "{:?}",
        result.sites[0].lon_lat
    );

    // The schools as demand, weighted by their pupils: two demand points.
    harness.get_all_by_label("points of «schools»").next().unwrap().click();
    harness.run_steps(2);
    harness.get_by_value("each counts 1").click();
    harness.run_steps(2);
    harness.get_by_label("pupils").click();
    harness.run_steps(2);
    assert_eq!(
        harness.state().suggest.demand_field.as_ref().map(|f| f.as_str()),
        Some("pupils")
    );
    harness.get_by_label("Suggest").click();
    wait_for_suggestion(&mut harness);
    let result = harness.state().suggest.result.clone().expect("an answer");
    assert_eq!(result.size.0, 2);
    assert!(
        (result.total_weight - 2.0 * 420.0).abs() < 1e-9,
        "{}",
        result.total_weight
    );
}

#[test]
fn dragging_a_layer_by_its_handle_onto_another_row_moves_it_there() {
    let mut harness = roads_and_schools_in_the_layers_tab();
    assert_eq!(layer_names(harness.state()), ["schools", "roads"]);
    let handles: Vec<egui::Rect> = harness.get_all_by_label("Drag to reorder").map(|n| n.rect()).collect();
    assert_eq!(handles.len(), 3, "the two layers' handles and the districts'");
    drag_handle(&mut harness, 0, 1);
    assert_eq!(
        layer_names(harness.state()),
        ["roads", "schools"],
        "dropped on the roads' row"
    );
}

#[test]
fn the_districts_row_hides_the_districts_until_undone() {
    let mut harness = harness(workbench(&sample_path()));
    let eskan = district_named(harness.state(), "Eskan");
    let pos = screen_pos_of(harness.state(), eskan);
    harness.get_by_label("Layers").click();
    harness.run_steps(2);
    // With no reference layer the districts' eye is the only one.
    harness.get_by_label("Hide layer").click();
    harness.run_steps(2);
    let bench = harness.state();
    assert!(!bench.plan.plan.districts_shown());
    assert!(bench.plan.dirty, "hiding is a change to the plan");
    assert!(harness.query_by_label("Show layer").is_some());
    // Nothing to hover or pick where the districts were.
    harness.hover_at(pos);
    harness.run_steps(30);
    assert_eq!(harness.state().map.hovered, None);
    click_at(&mut harness, pos, Modifiers::NONE);
    assert!(harness.state().selection.is_empty());
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(30);
    assert!(harness.state().plan.plan.districts_shown());
    harness.hover_at(pos);
    harness.run_steps(30);
    assert_eq!(harness.state().map.hovered, Some(eskan));
}

#[test]
fn the_districts_move_over_reference_layers_by_their_arrows_and_a_drop_carries_a_layer_across() {
    let mut harness = roads_and_schools_in_the_layers_tab();
    let stack = |bench: &Workbench| {
        let plan = &bench.plan.plan;
        let mut names = layer_names(bench);
        names.insert(plan.districts_position(), "D".into());
        names
    };
    assert_eq!(stack(harness.state()), ["schools", "roads", "D"]);
    // The districts' row is the last; its "Move up" takes them over the roads.
    harness.get_all_by_label("Move up").last().unwrap().click();
    harness.run_steps(2);
    assert_eq!(stack(harness.state()), ["schools", "D", "roads"]);
    let bench = harness.state();
    assert_eq!(bench.reference.data.shown_under_districts(&bench.plan.plan), 1);
    // Now the second row: up again, over the schools too; its "Move up" is then disabled.
    harness.get_all_by_label("Move up").nth(1).unwrap().click();
    harness.run_steps(2);
    assert_eq!(stack(harness.state()), ["D", "schools", "roads"]);
    // The schools' "Move up" swaps them back over the districts.
    harness.get_all_by_label("Move up").nth(1).unwrap().click();
    harness.run_steps(2);
    assert_eq!(stack(harness.state()), ["schools", "D", "roads"]);
    // Dragged onto the roads' row, the schools go under the districts with them, in one step
    // (the handles: the schools', the districts', the roads').
    drag_handle(&mut harness, 0, 2);
    assert_eq!(stack(harness.state()), ["D", "roads", "schools"]);
    // The districts' own handle (now the first) dropped on the schools' row: under both.
    drag_handle(&mut harness, 0, 2);
    assert_eq!(stack(harness.state()), ["roads", "schools", "D"]);
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    assert_eq!(stack(harness.state()), ["D", "roads", "schools"]);
    for expected in [
        ["schools", "D", "roads"],
        ["D", "schools", "roads"],
        ["schools", "D", "roads"],
        ["schools", "roads", "D"],
    ] {
        harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::Z);
        harness.run_steps(2);
        assert_eq!(stack(harness.state()), expected);
    }
}

#[test]
fn a_layer_under_the_districts_is_identified_only_where_no_district_covers_it() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("ui-layers");
    std::fs::create_dir_all(&dir).unwrap();
    let land_use = dir.join("land-use.geojson");
    std::fs::write(
        &land_use,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"use":"residential"},
        "geometry":{"type":"Polygon","coordinates":[[[54.25,31.82],[54.45,31.82],[54.45,31.98],[54.25,31.98],[54.25,31.82]]]}}]}"#,
    )
    .unwrap();
    let mut bench = workbench(&sample_path());
    bench.add_reference_layer(land_use);
    let mut harness = harness(bench);
    read_added_layers(&mut harness);
    harness
        .state_mut()
        .plan
        .send(mahalleh::model::Command::MoveDistricts { layers_under: 1 });
    harness.run_steps(2);
    let eskan = district_named(harness.state(), "Eskan");
    let over_district = screen_pos_of(harness.state(), eskan);
    let bench = harness.state();
    let rect = bench.map.last_rect.unwrap();
    let beside = bench
        .map
        .camera
        .screen_from_map(rect, mahalleh::map::mercator_from_lon_lat(54.27, 31.84));
    let id = bench.plan.plan.layers[0].id;
    let hover = |harness: &mut Harness<'_, Workbench>, at: egui::Pos2| {
        harness.hover_at(at);
        harness.run_steps(30);
        (harness.state().map.hovered, harness.state().reference.hovered)
    };
    // Over a district, the district is what the pointer is on; beside them, the land use.
    assert_eq!(hover(&mut harness, over_district), (Some(eskan), None));
    assert_eq!(hover(&mut harness, beside), (None, Some((id, 0))));
    // With the layer over the districts, it is what the pointer is on everywhere.
    harness
        .state_mut()
        .plan
        .send(mahalleh::model::Command::MoveDistricts { layers_under: 0 });
    harness.run_steps(2);
    assert_eq!(hover(&mut harness, over_district).1, Some((id, 0)));
}
