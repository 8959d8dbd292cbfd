//! The plan being edited in the window: offices, undo history, the coverage they give, the file it
//! belongs to, the selected offices and the ones being dragged. Every change goes through
//! [`Command`]s.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError};

use super::loader::PendingModel;
use crate::analysis::{Coverage, CoverageModel};
use crate::map::{lon_lat_from_mercator, mercator_from_lon_lat};
use crate::model::{Command, CommandError, FieldPath, History, Office, OfficeEdit, OfficeId, Plan};
use crate::workspace::DistrictLayer;

/// What a click on the map does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tool {
    /// Select districts and offices, drag offices.
    #[default]
    Select,
    /// Place a new office where the map is clicked.
    PlaceOffice,
    /// Measure distances and areas (`measure_tool.rs`); clicks add points, not selections.
    Measure,
}

/// Offices being dragged together from one point of the map to another; the plan changes when
/// the drag ends. Points are Web Mercator metres (the map's plane, so the group keeps its shape on
/// screen).
#[derive(Clone, Debug, PartialEq)]
pub struct OfficeDrag {
    /// The offices, sorted.
    pub ids: Vec<OfficeId>,
    /// Where the drag took hold.
    pub from_m: [f64; 2],
    /// Where the pointer is.
    pub to_m: [f64; 2],
}

impl OfficeDrag {
    /// Where an office at `lon_lat` is shown while the drag lasts.
    pub fn moved(&self, lon_lat: [f64; 2]) -> [f64; 2] {
        let [x, y] = mercator_from_lon_lat(lon_lat[0], lon_lat[1]);
        let [lon, lat] = lon_lat_from_mercator(x + self.to_m[0] - self.from_m[0], y + self.to_m[1] - self.from_m[1]);
        [lon.clamp(-180.0, 180.0), lat]
    }
}

/// A box being drawn on the map to select the offices inside it, corners in longitude/latitude.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BoxSelect {
    /// Where the drag started.
    pub from_lon_lat: [f64; 2],
    /// Where the pointer is.
    pub to_lon_lat: [f64; 2],
}

/// The plan in the window.
pub struct PlanState {
    /// The plan.
    pub plan: Plan,
    /// Undo and redo.
    pub history: History,
    /// The plan file, once saved or opened.
    pub path: Option<PathBuf>,
    /// Changed since the last save.
    pub dirty: bool,
    /// The click tool.
    pub tool: Tool,
    /// The selected offices.
    pub selected_offices: BTreeSet<OfficeId>,
    /// The offices being dragged.
    pub drag: Option<OfficeDrag>,
    /// The selection box being drawn.
    pub box_select: Option<BoxSelect>,
    /// Whether catchments and coverage shading are shown.
    pub show_coverage: bool,
    /// Coverage of the current plan (with a dragged office where it is shown).
    pub coverage: Coverage,
    /// Counts coverage changes, so views can tell when to restyle.
    pub coverage_generation: u64,
    /// Counts changes to the plan (commands, undo, redo, a plan opened), so views that show it
    /// (the layout preview) can tell when to draw again without comparing it whole.
    pub revision: u64,
    /// The last edit the plan refused, until the window has shown it.
    pub refused: Option<CommandError>,
    /// Commands panels sent this frame, applied in order once the frame's panels are drawn
    /// (so that every panel of a frame shows the same plan).
    queue: Vec<Command>,
    /// The schema version of the plan file it was opened from (0: not from a file).
    pub file_schema_version: u32,
    /// Members of that file this build does not know, written back on save.
    pub file_unknown: serde_json::Map<String, serde_json::Value>,
    model: Option<Arc<CoverageModel>>,
    /// The model of a layer just loaded, still being measured (coverage waits for it).
    pending_model: Option<PendingModel>,
    /// The population field the coverage model was built with.
    model_population_field: Option<FieldPath>,
    /// The offices (as shown) and radius `coverage` was computed for: after a command that
    /// only adds, moves or removes offices, coverage is updated near them instead of computed
    /// whole (about 1 ms instead of 75 at 3,000 districts).
    covered_for: Option<CoveredFor>,
    /// Coverage being computed whole on a thread (a big layer), and what for.
    coverage_job: Option<(CoveredFor, Receiver<Coverage>)>,
}

/// Layers with more districts than this have their coverage computed whole on a thread
/// (about 25 ms of work per 1,000 districts on two cores); the window shows the last coverage
/// meanwhile.
const SYNC_COVERAGE_DISTRICTS: usize = 2_000;

/// What a coverage was computed for: which model (by address), offices and radius.
#[derive(Clone, Debug, PartialEq)]
struct CoveredFor {
    model: usize,
    offices: BTreeMap<OfficeId, [f64; 2]>,
    radius_m: f64,
}

impl CoveredFor {
    fn of(model: &Arc<CoverageModel>, offices: &[Office], radius_m: f64) -> Self {
        Self {
            model: Arc::as_ptr(model) as usize,
            offices: offices.iter().map(|o| (o.id, o.lon_lat)).collect(),
            radius_m,
        }
    }

    /// The offices of `now` that are new, gone or elsewhere, with their old positions (`None`
    /// for a new one), as [`CoverageModel::update`] takes them.
    fn moved(&self, now: &[Office]) -> Vec<(OfficeId, Option<[f64; 2]>)> {
        let now_at: BTreeMap<OfficeId, [f64; 2]> = now.iter().map(|o| (o.id, o.lon_lat)).collect();
        let gone_or_moved = self
            .offices
            .iter()
            .filter(|(id, at)| now_at.get(id) != Some(at))
            .map(|(&id, &at)| (id, Some(at)));
        let new = now_at
            .keys()
            .filter(|id| !self.offices.contains_key(id))
            .map(|&id| (id, None));
        gone_or_moved.chain(new).collect()
    }
}

impl Default for PlanState {
    fn default() -> Self {
        Self {
            plan: Plan::default(),
            history: History::default(),
            path: None,
            dirty: false,
            tool: Tool::default(),
            selected_offices: BTreeSet::new(),
            drag: None,
            box_select: None,
            // Coverage is what the offices are for: shown unless turned off.
            show_coverage: true,
            coverage: Coverage::default(),
            coverage_generation: 0,
            revision: 0,
            refused: None,
            queue: Vec::new(),
            file_schema_version: 0,
            file_unknown: serde_json::Map::new(),
            model: None,
            pending_model: None,
            model_population_field: None,
            covered_for: None,
            coverage_job: None,
        }
    }
}

impl PlanState {
    /// Uses a new district layer: coverage is measured on it from now on.
    pub fn set_layer(&mut self, layer: Arc<DistrictLayer>) {
        self.pending_model = None;
        let field = self.population_field();
        self.use_model(CoverageModel::new(layer, field.as_ref()));
        self.model_population_field = field;
        self.recompute();
    }

    /// Uses a district layer whose coverage model was prepared off the UI thread (by the load);
    /// only the populations are read again if the plan's population field differs.
    pub fn set_model(&mut self, model: CoverageModel) {
        self.pending_model = None;
        let field = self.population_field();
        let model = if model.population_field() == field.as_ref() {
            model
        } else {
            model.with_population_field(field.as_ref())
        };
        self.use_model(model);
        self.model_population_field = field;
        self.recompute();
    }

    /// Uses a district layer whose coverage model is still being measured: no coverage until
    /// it arrives ([`Self::poll_model`] adopts it), edits meanwhile are kept and counted then.
    pub fn set_pending_model(&mut self, pending: PendingModel) {
        self.model = None;
        self.coverage = Coverage::default();
        self.covered_for = None;
        self.coverage_generation += 1;
        self.pending_model = Some(pending);
    }

    /// Adopts the pending coverage model if it has arrived. True while one is still awaited.
    pub fn poll_model(&mut self) -> bool {
        let Some(pending) = &self.pending_model else {
            return false;
        };
        match pending.try_take() {
            None => true,
            Some(Ok(model)) => {
                self.set_model(model);
                false
            }
            // The thread stopped without one (the load was cancelled): nothing to measure on.
            Some(Err(())) => {
                self.pending_model = None;
                false
            }
        }
    }

    /// The districts' ellipsoidal areas, once the coverage model has measured them.
    pub fn areas_m2(&self) -> Option<&[f64]> {
        self.model.as_ref().map(|m| m.areas_m2.as_slice())
    }

    /// The plan's thematic style of the districts, if it has one.
    pub fn district_style(&self) -> Option<&crate::style::ThematicStyle> {
        self.plan.districts.as_ref().and_then(|d| d.style.as_ref())
    }

    /// Whether coverage waits for a layer's model being measured.
    pub fn model_pending(&self) -> bool {
        self.pending_model.is_some()
    }

    /// No district layer any more (the plan's could not be opened): no coverage either.
    pub fn clear_layer(&mut self) {
        self.pending_model = None;
        self.model = None;
        self.coverage = Coverage::default();
        self.covered_for = None;
        self.coverage_generation += 1;
    }

    /// The population field the plan names, if any.
    pub fn population_field(&self) -> Option<FieldPath> {
        self.plan.districts.as_ref().and_then(|d| d.population_field.clone())
    }

    /// True for a plan nobody has worked on: not from a file, no offices, nothing to undo.
    pub fn is_pristine(&self) -> bool {
        self.path.is_none() && !self.dirty && !self.history.can_undo() && self.plan.offices.is_empty()
    }

    /// Replaces the whole plan (a plan file was opened): a fresh history, nothing selected.
    pub fn replace(&mut self, plan: Plan, path: Option<PathBuf>) {
        self.plan = plan;
        self.revision += 1;
        self.file_schema_version = 0;
        self.file_unknown = serde_json::Map::new();
        self.history = History::default();
        self.path = path;
        self.dirty = false;
        self.selected_offices.clear();
        self.drag = None;
        self.box_select = None;
        if let Some(layer) = self.model.as_ref().map(|m| Arc::clone(m.layer())) {
            self.set_layer(layer);
        }
    }

    /// Applies a command as one undoable step.
    pub fn apply(&mut self, command: Command) -> Result<(), CommandError> {
        let recompute = command.changes_coverage();
        self.history.apply(&mut self.plan, command)?;
        self.after_change(recompute);
        Ok(())
    }

    /// Applies a command from the user; a refusal is kept in [`PlanState::refused`] for the
    /// window to show (nothing is lost silently). True when it applied.
    pub fn submit(&mut self, command: Command) -> bool {
        match self.apply(command) {
            Ok(()) => true,
            Err(e) => {
                self.refused = Some(e);
                false
            }
        }
    }

    /// Queues a command from a panel, applied by [`PlanState::apply_queued`] once per frame.
    pub fn send(&mut self, command: Command) {
        self.queue.push(command);
    }

    /// Applies the queued commands in order, each its own undoable step; a refusal is kept
    /// for the window to show and the rest still apply.
    pub fn apply_queued(&mut self) {
        for command in std::mem::take(&mut self.queue) {
            self.submit(command);
        }
    }

    /// Keeps a refusal for the window to show, passing the outcome on.
    pub fn report<T>(&mut self, outcome: Result<T, CommandError>) -> Option<T> {
        match outcome {
            Ok(value) => Some(value),
            Err(e) => {
                self.refused = Some(e);
                None
            }
        }
    }

    /// Undoes the last step.
    pub fn undo(&mut self) -> bool {
        let done = self.history.undo(&mut self.plan);
        if done {
            self.after_change(true);
        }
        done
    }

    /// Redoes the last undone step.
    pub fn redo(&mut self) -> bool {
        let done = self.history.redo(&mut self.plan);
        if done {
            self.after_change(true);
        }
        done
    }

    /// Adds a proposed office at `lon_lat` and selects it.
    pub fn place_office(&mut self, lon_lat: [f64; 2], name: String) -> Result<OfficeId, CommandError> {
        let id = self.plan.new_office_id();
        self.apply(Command::AddOffice(Office::proposed(id, name, lon_lat)))?;
        self.selected_offices = BTreeSet::from([id]);
        Ok(id)
    }

    /// Selects office `id`: alone, or with `toggle` added to (or taken out of) the selection.
    pub fn select_office(&mut self, id: OfficeId, toggle: bool) {
        if !toggle {
            self.selected_offices = BTreeSet::from([id]);
        } else if !self.selected_offices.remove(&id) {
            self.selected_offices.insert(id);
        }
    }

    /// The selected office when exactly one is selected.
    pub fn single_selected_office(&self) -> Option<OfficeId> {
        match self.selected_offices.len() {
            1 => self.selected_offices.first().copied(),
            _ => None,
        }
    }

    /// Selects the offices inside the box between two corners, added to the selection.
    pub fn select_offices_in_box(&mut self, a_lon_lat: [f64; 2], b_lon_lat: [f64; 2]) {
        let [min_lon, max_lon] = ordered(a_lon_lat[0], b_lon_lat[0]);
        let [min_lat, max_lat] = ordered(a_lon_lat[1], b_lon_lat[1]);
        self.selected_offices.extend(
            self.plan
                .offices
                .iter()
                .filter(|o| (min_lon..=max_lon).contains(&o.lon_lat[0]) && (min_lat..=max_lat).contains(&o.lon_lat[1]))
                .map(|o| o.id),
        );
    }

    /// Shows offices `ids` moved from `from_m` to `to_m` (Web Mercator metres) while they are
    /// dragged, with live coverage.
    pub fn drag_offices(&mut self, ids: &BTreeSet<OfficeId>, from_m: [f64; 2], to_m: [f64; 2]) {
        self.drag = Some(OfficeDrag {
            ids: ids.iter().copied().collect(),
            from_m,
            to_m,
        });
        self.refresh_coverage();
    }

    /// Ends a drag: moving all the dragged offices becomes one undoable step.
    pub fn finish_drag(&mut self) -> Result<(), CommandError> {
        let Some(drag) = self.drag.take() else { return Ok(()) };
        let moves: Vec<Command> = self
            .plan
            .offices
            .iter()
            .filter(|o| drag.ids.contains(&o.id))
            .filter_map(|o| {
                let to = drag.moved(o.lon_lat);
                (to != o.lon_lat).then_some(Command::EditOffice(o.id, OfficeEdit::Move(to)))
            })
            .collect();
        match moves.len() {
            0 => {
                // The drag came back where it started: coverage moves back near it.
                self.refresh_coverage();
                Ok(())
            }
            _ => self.apply(Command::Batch(moves)),
        }
    }

    /// Removes the selected offices as one undoable step.
    pub fn remove_selected_offices(&mut self) -> Result<(), CommandError> {
        if self.selected_offices.is_empty() {
            return Ok(());
        }
        let removals = self
            .selected_offices
            .iter()
            .map(|&id| Command::RemoveOffice(id))
            .collect();
        self.apply(Command::Batch(removals))
    }

    /// Where office `id` is shown: where it is being dragged, or where the plan has it.
    pub fn shown_lon_lat(&self, id: OfficeId) -> Option<[f64; 2]> {
        let at = self.plan.office(id)?.lon_lat;
        Some(match &self.drag {
            Some(drag) if drag.ids.contains(&id) => drag.moved(at),
            _ => at,
        })
    }

    /// The offices as shown: the plan's, with dragged offices where they are being dragged.
    pub fn offices_shown(&self) -> Vec<Office> {
        let mut offices = self.plan.offices.clone();
        if let Some(drag) = &self.drag {
            for o in offices.iter_mut().filter(|o| drag.ids.contains(&o.id)) {
                o.lon_lat = drag.moved(o.lon_lat);
            }
        }
        offices
    }

    /// Measures coverage with `model` from now on. What the shown coverage was computed for is
    /// forgotten with the old model (a new one could even be allocated at the old one's
    /// address), so the next refresh computes it whole.
    fn use_model(&mut self, model: CoverageModel) {
        self.model = Some(Arc::new(model));
        self.covered_for = None;
        self.coverage_job = None;
    }

    /// Recomputes all coverage: now for a small layer, on a thread for a big one (see
    /// [`Self::poll_coverage`]).
    pub fn recompute(&mut self) {
        let Some(model) = &self.model else { return };
        let offices = self.offices_shown();
        let radius_m = self.plan.radius_m;
        let for_now = CoveredFor::of(model, &offices, radius_m);
        if model.layer().districts.len() > SYNC_COVERAGE_DISTRICTS {
            if self.coverage_job.as_ref().is_some_and(|(job, _)| *job == for_now) {
                return;
            }
            let (sender, receiver) = std::sync::mpsc::channel();
            let (model, offices) = (Arc::clone(model), offices.clone());
            let spawned = std::thread::Builder::new()
                .name("mahalleh-coverage".into())
                .spawn(move || {
                    let _ = sender.send(model.compute(&offices, radius_m));
                });
            if spawned.is_ok() {
                // A job for an older state is dropped with its receiver; its thread finishes
                // into nothing.
                self.coverage_job = Some((for_now, receiver));
                return;
            }
        }
        self.coverage_job = None;
        self.coverage = model.compute(&offices, radius_m);
        self.covered_for = Some(for_now);
        self.coverage_generation += 1;
    }

    /// Adopts coverage computed on a thread once it is there, then catches up with changes made
    /// meanwhile. True while one is still being computed.
    pub fn poll_coverage(&mut self) -> bool {
        let Some((_, receiver)) = &self.coverage_job else {
            return false;
        };
        match receiver.try_recv() {
            Err(TryRecvError::Empty) => true,
            Err(TryRecvError::Disconnected) => {
                self.coverage_job = None;
                false
            }
            Ok(coverage) => {
                let for_then = self.coverage_job.take().map(|(for_then, _)| for_then);
                self.coverage = coverage;
                self.covered_for = for_then;
                self.coverage_generation += 1;
                self.refresh_coverage();
                self.coverage_job.is_some()
            }
        }
    }

    /// Whether coverage is being computed on a thread.
    pub fn coverage_pending(&self) -> bool {
        self.coverage_job.is_some()
    }

    /// Brings coverage up to date with the offices shown: near the offices added, moved or
    /// removed since it was computed when only offices changed, else whole.
    fn refresh_coverage(&mut self) {
        let Some(model) = &self.model else { return };
        let offices = self.offices_shown();
        let radius_m = self.plan.radius_m;
        let same_model = Arc::as_ptr(model) as usize;
        let moved = match &self.covered_for {
            Some(c) if c.model == same_model && c.radius_m == radius_m => c.moved(&offices),
            _ => return self.recompute(),
        };
        // The coverage shown can be brought up to date from here: a whole computation still
        // running is for some other state.
        self.coverage_job = None;
        if moved.is_empty() {
            return;
        }
        model.update(&mut self.coverage, &offices, radius_m, &moved);
        self.covered_for = Some(CoveredFor::of(model, &offices, radius_m));
        self.coverage_generation += 1;
    }

    /// After the plan changed: the coverage is computed again when `recompute` (the change could
    /// move it) or when the population field changed.
    fn after_change(&mut self, recompute: bool) {
        self.dirty = true;
        self.revision += 1;
        let plan = &self.plan;
        self.selected_offices.retain(|&id| plan.office(id).is_some());
        if self.population_field() != self.model_population_field
            && let Some(model) = &self.model
        {
            // The areas stay; only the populations are read again.
            let field = self.population_field();
            let model = model.with_population_field(field.as_ref());
            self.use_model(model);
            self.model_population_field = field;
            self.recompute();
        } else if recompute {
            self.refresh_coverage();
        }
    }
}

fn ordered(a: f64, b: f64) -> [f64; 2] {
    if a <= b { [a, b] } else { [b, a] }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Districts the offices reach at all.
    fn reached_count(state: &PlanState) -> usize {
        state
            .coverage
            .districts
            .iter()
            .filter(|c| c.covered_fraction > 0.0)
            .count()
    }

    #[test]
    fn offices_placed_while_the_model_is_measured_are_counted_when_it_arrives() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("maps/yazd-neighbourhoods.geojson");
        let layer =
            Arc::new(crate::io::load_district_layer(&path, &Default::default(), &crate::io::no_progress).unwrap());
        let mut state = PlanState::default();
        let (sender, receiver) = std::sync::mpsc::channel();
        state.set_pending_model(PendingModel::from_receiver(receiver));
        state.place_office([54.3545, 31.8741], "a".into()).unwrap();
        assert!(state.model_pending() && state.poll_model());
        assert!(state.coverage.districts.is_empty(), "no coverage before the model");
        sender.send(CoverageModel::new(Arc::clone(&layer), None)).unwrap();
        assert!(!state.poll_model());
        let reached = reached_count(&state);
        assert!(reached > 0, "the office placed meanwhile is counted");
        // A thread that ends without a model leaves no coverage and waits no more.
        let (sender, receiver) = std::sync::mpsc::channel::<CoverageModel>();
        state.set_pending_model(PendingModel::from_receiver(receiver));
        drop(sender);
        assert!(!state.poll_model());
        assert!(!state.model_pending());
    }

    #[test]
    fn only_changes_that_move_coverage_compute_it_again() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("maps/yazd-neighbourhoods.geojson");
        let layer = crate::io::load_district_layer(&path, &Default::default(), &crate::io::no_progress).unwrap();
        let mut state = PlanState::default();
        state.set_layer(Arc::new(layer));
        let id = state.place_office([54.3545, 31.8741], "a".into()).unwrap();
        let generation = state.coverage_generation;
        state.submit(Command::EditOffice(id, OfficeEdit::Rename("دفتر".into())));
        state.submit(Command::EditOffice(
            id,
            OfficeEdit::Status(crate::model::OfficeStatus::Approved),
        ));
        state.submit(Command::SetLayout(None));
        assert_eq!(
            state.coverage_generation, generation,
            "nothing that moves coverage changed"
        );
        let reached = reached_count(&state);
        state.submit(Command::EditOffice(id, OfficeEdit::Move([54.43, 31.94])));
        assert!(state.coverage_generation > generation);
        let moved = reached_count(&state);
        assert!(reached > 0 && moved > 0);
        state.undo();
        let back = reached_count(&state);
        assert_eq!(back, reached);
    }

    /// Coverage as computed whole for the offices shown, for comparing.
    fn fresh_coverage(state: &PlanState) -> Vec<(u64, u64, Option<OfficeId>, Option<u64>)> {
        let model = state.model.as_ref().unwrap();
        summary_of(&model.compute(&state.offices_shown(), state.plan.radius_m))
    }

    fn summary_of(coverage: &Coverage) -> Vec<(u64, u64, Option<OfficeId>, Option<u64>)> {
        coverage
            .districts
            .iter()
            .map(|c| {
                (
                    c.district as u64,
                    c.covered_fraction.to_bits(),
                    c.nearest_office,
                    c.nearest_office_m.map(f64::to_bits),
                )
            })
            .collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// Office commands update coverage near the offices they touch; after any sequence
        /// of them (and undo, redo, drags, radius changes) it equals coverage computed whole.
        #[test]
        fn updated_coverage_equals_coverage_computed_whole(
            steps in proptest::collection::vec((0u8..7, 0usize..8, 0.0f64..1.0, 0.0f64..1.0), 1..14)
        ) {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("maps/yazd-neighbourhoods.geojson");
            let layer = crate::io::load_district_layer(&path, &Default::default(), &crate::io::no_progress).unwrap();
            let mut state = PlanState::default();
            state.set_layer(Arc::new(layer));
            let at = |u: f64, v: f64| [54.30 + 0.2 * u, 31.82 + 0.2 * v];
            for (kind, pick, u, v) in steps {
                let ids: Vec<OfficeId> = state.plan.offices.iter().map(|o| o.id).collect();
                let target = ids.get(pick % ids.len().max(1)).copied();
                match (kind, target) {
                    (0, _) | (1, None) | (2, None) | (5, None) => {
                        state.place_office(at(u, v), "o".into()).unwrap();
                    }
                    (1, Some(id)) => {
                        state.submit(Command::EditOffice(id, OfficeEdit::Move(at(u, v))));
                    }
                    (2, Some(id)) => {
                        state.submit(Command::RemoveOffice(id));
                    }
                    (3, _) => {
                        state.undo();
                    }
                    (4, _) => {
                        state.redo();
                    }
                    (5, Some(id)) => {
                        let ids = BTreeSet::from([id]);
                        let from = mercator_from_lon_lat(54.4, 31.9);
                        state.drag_offices(&ids, from, [from[0] + 3000.0 * u, from[1] - 3000.0 * v]);
                        state.finish_drag().unwrap();
                    }
                    _ => {
                        state.submit(Command::SetRadius(400.0 + 1000.0 * u));
                    }
                }
                proptest::prop_assert_eq!(summary_of(&state.coverage), fresh_coverage(&state));
            }
        }
    }

    fn wait_for_coverage(state: &mut PlanState) {
        let started = std::time::Instant::now();
        while state.poll_coverage() {
            assert!(started.elapsed().as_secs() < 60, "coverage never arrived");
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }

    #[test]
    fn a_big_layer_computes_coverage_on_a_thread_and_catches_up() {
        let layer = Arc::new(crate::synth::bench_layer::loaded_bench_layer(3000));
        let anchor = |i: usize| layer.drawing().districts[i].label_anchor_lon_lat;
        let mut state = PlanState::default();
        state.set_layer(Arc::clone(&layer));
        assert!(state.coverage_pending(), "3,000 districts are computed on a thread");
        wait_for_coverage(&mut state);
        assert_eq!(state.coverage.districts.len(), 3000);
        // Placing an office updates near it, at once.
        let id = state.place_office(anchor(10), "a".into()).unwrap();
        assert!(!state.coverage_pending());
        assert_eq!(summary_of(&state.coverage), fresh_coverage(&state));
        // A radius change goes to a thread; a move meanwhile is caught up with.
        state.submit(Command::SetRadius(1500.0));
        assert!(state.coverage_pending());
        state.submit(Command::EditOffice(id, OfficeEdit::Move(anchor(700))));
        wait_for_coverage(&mut state);
        assert_eq!(summary_of(&state.coverage), fresh_coverage(&state));
        // Undone before it arrives: the coverage shown is current again, the job is dropped.
        state.submit(Command::SetRadius(300.0));
        assert!(state.coverage_pending());
        state.undo();
        assert!(!state.coverage_pending());
        assert_eq!(summary_of(&state.coverage), fresh_coverage(&state));
    }

    #[test]
    fn shift_toggles_and_a_box_adds_whichever_way_it_is_drawn() {
        let mut state = PlanState::default();
        let a = state.place_office([54.30, 31.90], "a".into()).unwrap();
        let b = state.place_office([54.40, 31.95], "b".into()).unwrap();
        let c = state.place_office([54.50, 32.00], "c".into()).unwrap();
        state.select_office(a, false);
        state.select_office(c, true);
        assert_eq!(state.selected_offices, BTreeSet::from([a, c]));
        state.select_office(a, true);
        assert_eq!(state.selected_offices, BTreeSet::from([c]));
        // Corners given north-east first.
        state.select_offices_in_box([54.45, 31.97], [54.35, 31.93]);
        assert_eq!(state.selected_offices, BTreeSet::from([b, c]));
        assert_eq!(state.single_selected_office(), None);
    }

    #[test]
    fn a_group_drag_keeps_distances_in_the_map_plane_and_is_one_undo_step() {
        let mut state = PlanState::default();
        let a = state.place_office([54.30, 31.90], "a".into()).unwrap();
        let b = state.place_office([54.40, 31.95], "b".into()).unwrap();
        let before = state.plan.clone();
        let ids = BTreeSet::from([a, b]);
        state.drag_offices(&ids, [0.0, 0.0], [500.0, -250.0]);
        state.drag_offices(&ids, [0.0, 0.0], [1000.0, -500.0]);
        state.finish_drag().unwrap();
        for id in [a, b] {
            let [x0, y0] = mercator_from_lon_lat(
                before.office(id).unwrap().lon_lat[0],
                before.office(id).unwrap().lon_lat[1],
            );
            let now = state.plan.office(id).unwrap().lon_lat;
            let [x1, y1] = mercator_from_lon_lat(now[0], now[1]);
            assert!((x1 - x0 - 1000.0).abs() < 1e-6 && (y1 - y0 + 500.0).abs() < 1e-6);
        }
        assert!(state.undo());
        assert_eq!(state.plan, before);
    }
}
