//! The joined-tables panel: choose a table, see the key preselected, join, see how it matched and
//! the joined field on the districts, in the same view; undo takes it off again.

use super::*;
use mahalleh::ui::file_dialog::FilePurpose;

#[test]
fn joining_a_table_adds_its_columns_and_undo_removes_them() {
    let mut harness = harness(workbench(&sample_path()));
    let layer = Arc::clone(&harness.state().scene.as_ref().unwrap().layer);
    let ids = common::texts_of(&layer, "id");
    let dir = std::env::temp_dir().join(format!("mahalleh-ui-join-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let table = dir.join("deprivation.csv");
    std::fs::write(
        &table,
        format!("ID,deprivation\n{},3\n{},4\nnobody,1\n", ids[0], ids[1]),
    )
    .unwrap();

    // The planner has zoomed in; joining must not lose the place.
    harness.key_press(egui::Key::Plus);
    harness.run_steps(40);
    let zoomed = harness.state().map.camera;
    harness
        .state_mut()
        .file_chosen(FilePurpose::JoinTable, table.clone(), &egui::Context::default());
    wait_for_join_form(&mut harness);
    // The column named like a district field is the key, both preselected.
    assert!(harness.query_by_label("Joined tables").is_some());
    harness.get_by_label("Join").click();
    harness.run_steps(2);
    wait_for_load(&mut harness);
    let bench = harness.state();
    assert_eq!(bench.map.camera, zoomed, "the view stays where it was");
    let joins = &bench.plan.plan.districts.as_ref().unwrap().joins;
    assert_eq!(joins.len(), 1);
    assert_eq!((joins[0].district_key.as_str(), joins[0].table_column()), ("id", "ID"));
    let layer = &bench.scene.as_ref().unwrap().layer;
    assert_eq!(layer.districts[0].properties["deprivation"], serde_json::json!(3));
    assert_eq!(layer.districts[1].properties["deprivation"], serde_json::json!(4));
    assert!(layer.districts[2].properties.get("deprivation").is_none());
    assert!(
        harness
            .query_by_label("2 of 59 districts matched; 1 rows without a district; 57 districts without a row")
            .is_some()
    );

    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    wait_for_load(&mut harness);
    let bench = harness.state();
    assert!(bench.plan.plan.districts.as_ref().unwrap().joins.is_empty());
    let layer = &bench.scene.as_ref().unwrap().layer;
    assert!(layer.districts[0].properties.get("deprivation").is_none());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_workbook_with_several_sheets_offers_them_and_joins_the_one_chosen() {
    let mut harness = harness(workbench(&sample_path()));
    let workbook = common::fixture("census-sheets.xlsx");
    harness
        .state_mut()
        .file_chosen(FilePurpose::JoinTable, workbook, &egui::Context::default());
    wait_for_join_form(&mut harness);
    // The notes sheet in front is passed over: the form opens on «جمعیت», whose key column is
    // named like no district field.
    assert!(harness.query_by_label("Sheet").is_some());
    harness.get_by_value("جمعیت").click();
    click_in_popup(&mut harness, "Income");
    wait_for_join_form(&mut harness);
    for item in ["id", "code"] {
        harness.get_all_by_value("choose").next().unwrap().click();
        click_in_popup(&mut harness, item);
    }
    harness.get_by_label("Join").click();
    harness.run_steps(2);
    wait_for_load(&mut harness);
    let bench = harness.state();
    let joins = &bench.plan.plan.districts.as_ref().unwrap().joins;
    assert_eq!(joins[0].sheet.as_deref(), Some("Income"));
    assert_eq!(joins[0].table_column(), "code");
    let layer = &bench.scene.as_ref().unwrap().layer;
    let income: Vec<f64> = layer
        .districts
        .iter()
        .filter_map(|d| mahalleh::model::FieldPath::new("income").number_in(&d.properties))
        .collect();
    assert_eq!(income, [51.0, 52.0, 53.0]);
}

/// Steps the window until the chosen table's header is read (on its thread) and the form shows.
fn wait_for_join_form(harness: &mut Harness<'_, Workbench>) {
    // A form shown for the first time is laid out again on the next frames (sizing passes,
    // the panel opening): step_until runs those before any click.
    step_until(harness, 500, 5, "the join form opening", |h| {
        h.query_by_label("Join").is_some()
    });
}

#[test]
fn a_table_that_cannot_be_read_says_why_and_the_window_goes_on() {
    let mut harness = harness(workbench(&sample_path()));
    let dir = std::env::temp_dir().join(format!("mahalleh-ui-join-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let table = dir.join("سرشماری.xlsx");
    std::fs::write(&table, b"code,pop\n1,2\n").unwrap();
    harness
        .state_mut()
        .file_chosen(FilePurpose::JoinTable, table, &egui::Context::default());
    let mut said = false;
    for _ in 0..500 {
        harness.run_steps(1);
        if harness.query_by_label_contains("not a spreadsheet").is_some() {
            said = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert!(said, "the reason is shown in the panel");
    assert!(
        harness.query_by_label("Join a table…").is_some(),
        "another table can be chosen"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Clicks `item` in the popup a click has just opened, once the popup shows it.
fn click_in_popup(harness: &mut Harness<'_, Workbench>, item: &str) {
    for _ in 0..10 {
        harness.run_steps(1);
        if let Some(node) = harness.query_by_label(item) {
            node.click();
            harness.run_steps(2);
            return;
        }
    }
    panic!("the popup does not list {item}");
}
