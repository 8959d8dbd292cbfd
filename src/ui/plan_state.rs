//! The plan being edited in the window: offices, undo history, the coverage they give, the file it
//! belongs to, and the office being dragged. Every change goes through [`Command`]s.

use std::path::PathBuf;
use std::sync::Arc;

use crate::analysis::{Coverage, CoverageModel};
use crate::model::{Command, CommandError, DistrictLayer, FieldPath, History, Office, OfficeId, Plan};

/// What a click on the map does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tool {
    /// Select districts and offices, drag offices.
    #[default]
    Select,
    /// Place a new office where the map is clicked.
    PlaceOffice,
}

/// An office being dragged: where it is shown now; the plan changes when the drag ends.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OfficeDrag {
    /// The office.
    pub id: OfficeId,
    /// Where it is while dragging.
    pub lon_lat: [f64; 2],
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
    /// The selected office.
    pub selected_office: Option<OfficeId>,
    /// The office being dragged.
    pub drag: Option<OfficeDrag>,
    /// Whether catchments and coverage shading are shown.
    pub show_coverage: bool,
    /// Coverage of the current plan (with a dragged office where it is shown).
    pub coverage: Coverage,
    /// The population field chosen by the user, if any.
    pub population_field: Option<FieldPath>,
    /// Counts coverage changes, so views can tell when to restyle.
    pub coverage_generation: u64,
    model: Option<CoverageModel>,
}

impl Default for PlanState {
    fn default() -> Self {
        Self {
            plan: Plan::default(),
            history: History::default(),
            path: None,
            dirty: false,
            tool: Tool::default(),
            selected_office: None,
            drag: None,
            // Coverage is what the offices are for: shown unless turned off.
            show_coverage: true,
            coverage: Coverage::default(),
            population_field: None,
            coverage_generation: 0,
            model: None,
        }
    }
}

impl PlanState {
    /// Uses a new district layer: coverage is measured on it from now on.
    pub fn set_layer(&mut self, layer: Arc<DistrictLayer>) {
        self.model = Some(CoverageModel::new(layer, self.population_field.as_ref()));
        self.recompute();
    }

    /// Applies a command as one undoable step.
    pub fn apply(&mut self, command: Command) -> Result<(), CommandError> {
        self.history.apply(&mut self.plan, command)?;
        self.after_change();
        Ok(())
    }

    /// Undoes the last step.
    pub fn undo(&mut self) -> bool {
        let done = self.history.undo(&mut self.plan);
        if done {
            self.after_change();
        }
        done
    }

    /// Redoes the last undone step.
    pub fn redo(&mut self) -> bool {
        let done = self.history.redo(&mut self.plan);
        if done {
            self.after_change();
        }
        done
    }

    /// Adds a proposed office at `lon_lat` and selects it.
    pub fn place_office(&mut self, lon_lat: [f64; 2], name: String) -> Result<OfficeId, CommandError> {
        let id = self.plan.new_office_id();
        self.apply(Command::AddOffice(Office::proposed(id, name, lon_lat)))?;
        self.selected_office = Some(id);
        Ok(id)
    }

    /// Shows office `id` at `lon_lat` while it is dragged, with live coverage.
    pub fn drag_office(&mut self, id: OfficeId, lon_lat: [f64; 2]) {
        let previous = self
            .drag
            .map_or_else(|| self.plan.office(id).map(|o| o.lon_lat), |d| Some(d.lon_lat));
        self.drag = Some(OfficeDrag { id, lon_lat });
        if let (Some(model), Some(previous)) = (&self.model, previous) {
            let offices = self.offices_shown();
            model.update(
                &mut self.coverage,
                &offices,
                self.plan.radius_m,
                &[(id, Some(previous))],
            );
        }
    }

    /// Ends a drag: the move becomes one undoable step.
    pub fn finish_drag(&mut self) -> Result<(), CommandError> {
        let Some(drag) = self.drag.take() else { return Ok(()) };
        let Some(mut office) = self.plan.office(drag.id).cloned() else {
            return Ok(());
        };
        office.lon_lat = drag.lon_lat;
        self.apply(Command::UpdateOffice(office))
    }

    /// The offices as shown: the plan's, with a dragged office where it is being dragged.
    pub fn offices_shown(&self) -> Vec<Office> {
        let mut offices = self.plan.offices.clone();
        if let Some(drag) = self.drag
            && let Some(o) = offices.iter_mut().find(|o| o.id == drag.id)
        {
            o.lon_lat = drag.lon_lat;
        }
        offices
    }

    /// Recomputes all coverage.
    pub fn recompute(&mut self) {
        if let Some(model) = &self.model {
            self.coverage = model.compute(&self.offices_shown(), self.plan.radius_m);
            self.coverage_generation += 1;
        }
    }

    fn after_change(&mut self) {
        self.dirty = true;
        if self.selected_office.is_some_and(|id| self.plan.office(id).is_none()) {
            self.selected_office = None;
        }
        self.recompute();
    }
}
