//! The plan: the district layer it works on, the offices placed so far and the service radius,
//! changed only through [`Command`]s so that every change can be undone.

use std::collections::BTreeSet;
use std::path::PathBuf;

use super::layout::Layout;
use super::{
    Basemap, FieldPath, LayerEdit, LayerId, Office, OfficeId, OfficeStatus, ReferenceLayer, Service, TableJoin,
};
use crate::style::ThematicStyle;

/// The default walking catchment of an office, in metres.
pub const DEFAULT_RADIUS_M: f64 = 800.0;

/// The district layer a plan works on and how it is read. The plan says what it is made of; a
/// window or a command shows that, never the other way round.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DistrictsSource {
    /// The file, absolute or relative to the working directory (plan files store it relative to
    /// themselves).
    pub path: PathBuf,
    /// The property that names districts, when the planner chose one (else chosen on load).
    pub label_field: Option<FieldPath>,
    /// The property holding each district's population, when the planner chose one (else a
    /// field named `population`).
    pub population_field: Option<FieldPath>,
    /// The layer, coordinate system and encoding the planner chose, when the file's own did not
    /// do.
    #[serde(default)]
    pub read: ReadChoices,
    /// How districts are coloured by their data, when the planner chose a thematic style.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<ThematicStyle>,
    /// Tables joined to the districts by a key, applied in order when the layer loads.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub joins: Vec<TableJoin>,
    /// Whether the districts are drawn (fills, outlines, names), in the window and in layouts.
    /// Hidden, they still count for coverage and suggestions.
    #[serde(default = "shown", skip_serializing_if = "is_shown")]
    pub visible: bool,
}

fn shown() -> bool {
    true
}

fn is_shown(visible: &bool) -> bool {
    *visible
}

impl DistrictsSource {
    /// A file read with the fields chosen automatically.
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            label_field: None,
            population_field: None,
            read: ReadChoices::default(),
            style: None,
            joins: Vec::new(),
            visible: true,
        }
    }
}

/// How a file is read beyond what it says itself, as the planner typed or picked it: the layer
/// of a file holding several, a coordinate system for a file that names none (or names a wrong
/// one), a text encoding for a table that decodes wrongly. Text, so a plan keeps it as chosen.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ReadChoices {
    /// The layer (GeoPackage table, Shapefile in a `.zip`, KML folder).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<String>,
    /// The coordinate system, as `EPSG:N`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crs: Option<String>,
    /// The text encoding's name (`UTF-8`, `windows-1256`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
}

/// What a planner is working on.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Plan {
    /// The district layer, once one is chosen.
    pub districts: Option<DistrictsSource>,
    /// Offices in the order they were placed.
    pub offices: Vec<Office>,
    /// Service radius, metres on the ellipsoid.
    pub radius_m: f64,
    /// The next office id to hand out.
    pub next_id: u64,
    /// The print layout, once the user set one up.
    pub layout: Option<Layout>,
    /// The tile file drawn under the map, if any.
    pub basemap: Option<Basemap>,
    /// Reference layers, the top one first: the first are drawn over the districts, the last
    /// [`Self::layers_under_districts`] under them.
    pub layers: Vec<ReferenceLayer>,
    /// How many of `layers`, counted from the bottom, are drawn under the districts (a land-use
    /// map, other boundaries); at most `layers.len()`.
    pub layers_under_districts: usize,
    /// The next reference layer id to hand out.
    pub next_layer_id: u64,
}

impl Default for Plan {
    fn default() -> Self {
        Self {
            districts: None,
            offices: Vec::new(),
            radius_m: DEFAULT_RADIUS_M,
            next_id: 1,
            layout: None,
            basemap: None,
            layers: Vec::new(),
            layers_under_districts: 0,
            next_layer_id: 1,
        }
    }
}

/// One change to one office: each edit touches one field, so edits made one after another (a drag,
/// then a rename) never undo each other.
#[derive(Clone, Debug, PartialEq)]
pub enum OfficeEdit {
    /// Move it to a WGS 84 longitude/latitude.
    Move([f64; 2]),
    /// Rename it.
    Rename(String),
    /// Set its stage.
    Status(OfficeStatus),
    /// Set the services it hosts.
    Services(BTreeSet<Service>),
    /// Set who runs it.
    Operator(String),
    /// Set its notes.
    Notes(String),
}

/// One change to a plan. Applying a command returns the command that undoes it.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Add an office at the end of the list (its id must be new).
    AddOffice(Office),
    /// Put an office back at a position in the list: the undo of a removal.
    InsertOffice {
        /// Position in the office list.
        index: usize,
        /// The office.
        office: Office,
    },
    /// Remove the office with this id.
    RemoveOffice(OfficeId),
    /// Change one field of an office.
    EditOffice(OfficeId, OfficeEdit),
    /// Work on another district layer (or on none).
    SetDistricts(Option<DistrictsSource>),
    /// Name districts by this property (`None`: choose automatically).
    SetLabelField(Option<FieldPath>),
    /// Take populations from this property (`None`: a field named `population`).
    SetPopulationField(Option<FieldPath>),
    /// Colour districts by their data with this style (`None`: the plain fills).
    SetDistrictStyle(Option<Box<ThematicStyle>>),
    /// Join these tables to the districts, in order (replacing the joins before; the layer is
    /// read again for it).
    SetJoins(Vec<TableJoin>),
    /// Show or hide the districts.
    SetDistrictsVisible(bool),
    /// Set the service radius.
    SetRadius(f64),
    /// Set (or clear) the print layout.
    SetLayout(Option<Box<Layout>>),
    /// Set (or clear) the basemap, its visibility or the opacity of the fills over it.
    SetBasemap(Option<Basemap>),
    /// Put a reference layer at a position in the list (0: on top; its id must be new), over
    /// or under the districts. The position is kept to that side of them.
    AddLayer {
        /// Position in the layer list, top first.
        index: usize,
        /// The layer.
        layer: Box<ReferenceLayer>,
        /// It goes under the districts.
        under_districts: bool,
    },
    /// Remove the reference layer with this id.
    RemoveLayer(LayerId),
    /// Put the districts over this many reference layers (the bottom ones of the list).
    MoveDistricts {
        /// Reference layers under the districts; at most the number of layers.
        layers_under: usize,
    },
    /// Move a reference layer to a position in the list (0: on top), on its side of the
    /// districts (moving it across them is [`Command::MoveDistricts`]).
    MoveLayer {
        /// The layer.
        id: LayerId,
        /// Its new position, top first.
        to: usize,
    },
    /// Change one setting of a reference layer.
    EditLayer(LayerId, LayerEdit),
    /// Several commands as one step (e.g. accepting several suggested sites).
    Batch(Vec<Command>),
}

/// Why a command could not be applied; the plan is then unchanged.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum CommandError {
    /// No office has this id.
    #[error("there is no office {0}")]
    NoSuchOffice(OfficeId),
    /// An office with this id exists already.
    #[error("office {0} exists already")]
    DuplicateOffice(OfficeId),
    /// A location outside longitude -180..180 / latitude -90..90, or not a number.
    #[error("the location {lon}, {lat} is not a longitude/latitude")]
    BadLocation {
        /// Longitude given.
        lon: f64,
        /// Latitude given.
        lat: f64,
    },
    /// A radius that is not a positive number of metres.
    #[error("the radius {0} m is not a positive number of metres")]
    BadRadius(f64),
    /// An opacity outside 0..1.
    #[error("the opacity {0} is not between 0 and 1")]
    BadOpacity(f32),
    /// No reference layer has this id.
    #[error("there is no layer {0}")]
    NoSuchLayer(LayerId),
    /// A reference layer with this id exists already.
    #[error("layer {0} exists already")]
    DuplicateLayer(LayerId),
    /// A line width or symbol size that is not a positive size.
    #[error("the size {0} pt is not a positive size")]
    BadSize(f32),
    /// A field or style was chosen before the plan had a district layer.
    #[error("the plan has no district layer to choose a field or style of")]
    NoDistricts,
}

impl Plan {
    /// Whether districts are drawn: not hidden by the planner (a plan without a district
    /// source draws the layer it is shown with).
    pub fn districts_shown(&self) -> bool {
        self.districts.as_ref().is_none_or(|d| d.visible)
    }

    /// A fresh id for a new office.
    pub fn new_office_id(&mut self) -> OfficeId {
        let id = OfficeId(self.next_id);
        self.next_id += 1;
        id
    }

    /// A fresh id for a new reference layer.
    pub fn new_layer_id(&mut self) -> LayerId {
        let id = LayerId(self.next_layer_id);
        self.next_layer_id += 1;
        id
    }

    /// The reference layer with this id.
    pub fn layer(&self, id: LayerId) -> Option<&ReferenceLayer> {
        self.layers.iter().find(|l| l.id == id)
    }

    /// The office with this id.
    pub fn office(&self, id: OfficeId) -> Option<&Office> {
        self.offices.iter().find(|o| o.id == id)
    }

    /// Applies `command` and returns the command that undoes it. On error nothing changed.
    ///
    /// ```
    /// use mahalleh::model::{Command, Office, OfficeId, Plan};
    /// let mut plan = Plan::default();
    /// let office = Office::proposed(OfficeId(1), "Eskan", [54.43, 31.94]);
    /// let undo = plan.apply(Command::AddOffice(office)).unwrap();
    /// assert_eq!(plan.offices.len(), 1);
    /// plan.apply(undo).unwrap();
    /// assert!(plan.offices.is_empty());
    /// ```
    pub fn apply(&mut self, command: Command) -> Result<Command, CommandError> {
        match command {
            Command::AddOffice(office) => {
                check_location(office.lon_lat)?;
                if self.office(office.id).is_some() {
                    return Err(CommandError::DuplicateOffice(office.id));
                }
                let id = office.id;
                self.next_id = self.next_id.max(id.0 + 1);
                self.offices.push(office);
                Ok(Command::RemoveOffice(id))
            }
            Command::InsertOffice { index, office } => {
                check_location(office.lon_lat)?;
                if self.office(office.id).is_some() {
                    return Err(CommandError::DuplicateOffice(office.id));
                }
                let id = office.id;
                self.next_id = self.next_id.max(id.0 + 1);
                self.offices.insert(index.min(self.offices.len()), office);
                Ok(Command::RemoveOffice(id))
            }
            Command::RemoveOffice(id) => {
                let index = self.position(id)?;
                let office = self.offices.remove(index);
                Ok(Command::InsertOffice { index, office })
            }
            Command::EditOffice(id, edit) => {
                if let OfficeEdit::Move(lon_lat) = edit {
                    check_location(lon_lat)?;
                }
                let at = self.position(id)?;
                let office = &mut self.offices[at];
                let old = match edit {
                    OfficeEdit::Move(lon_lat) => OfficeEdit::Move(std::mem::replace(&mut office.lon_lat, lon_lat)),
                    OfficeEdit::Rename(name) => OfficeEdit::Rename(std::mem::replace(&mut office.name, name)),
                    OfficeEdit::Status(status) => OfficeEdit::Status(std::mem::replace(&mut office.status, status)),
                    OfficeEdit::Services(services) => {
                        OfficeEdit::Services(std::mem::replace(&mut office.services, services))
                    }
                    OfficeEdit::Operator(operator) => {
                        OfficeEdit::Operator(std::mem::replace(&mut office.operator, operator))
                    }
                    OfficeEdit::Notes(notes) => OfficeEdit::Notes(std::mem::replace(&mut office.notes, notes)),
                };
                Ok(Command::EditOffice(id, old))
            }
            Command::SetDistricts(source) => {
                let old = std::mem::replace(&mut self.districts, source);
                Ok(Command::SetDistricts(old))
            }
            Command::SetLabelField(field) => {
                let source = self.districts.as_mut().ok_or(CommandError::NoDistricts)?;
                let old = std::mem::replace(&mut source.label_field, field);
                Ok(Command::SetLabelField(old))
            }
            Command::SetPopulationField(field) => {
                let source = self.districts.as_mut().ok_or(CommandError::NoDistricts)?;
                let old = std::mem::replace(&mut source.population_field, field);
                Ok(Command::SetPopulationField(old))
            }
            Command::SetDistrictStyle(style) => {
                let source = self.districts.as_mut().ok_or(CommandError::NoDistricts)?;
                let old = std::mem::replace(&mut source.style, style.map(|s| *s));
                Ok(Command::SetDistrictStyle(old.map(Box::new)))
            }
            Command::SetJoins(joins) => {
                let source = self.districts.as_mut().ok_or(CommandError::NoDistricts)?;
                let old = std::mem::replace(&mut source.joins, joins);
                Ok(Command::SetJoins(old))
            }
            Command::SetDistrictsVisible(visible) => {
                let source = self.districts.as_mut().ok_or(CommandError::NoDistricts)?;
                let old = std::mem::replace(&mut source.visible, visible);
                Ok(Command::SetDistrictsVisible(old))
            }
            Command::SetRadius(radius_m) => {
                if !(radius_m.is_finite() && radius_m > 0.0) {
                    return Err(CommandError::BadRadius(radius_m));
                }
                let old = std::mem::replace(&mut self.radius_m, radius_m);
                Ok(Command::SetRadius(old))
            }
            Command::SetLayout(layout) => {
                let old = std::mem::replace(&mut self.layout, layout.map(|l| *l));
                Ok(Command::SetLayout(old.map(Box::new)))
            }
            Command::SetBasemap(basemap) => {
                if let Some(b) = &basemap
                    && !(0.0..=1.0).contains(&b.districts_opacity)
                {
                    return Err(CommandError::BadOpacity(b.districts_opacity));
                }
                let old = std::mem::replace(&mut self.basemap, basemap);
                Ok(Command::SetBasemap(old))
            }
            Command::AddLayer {
                index,
                layer,
                under_districts,
            } => {
                check_layer(&layer)?;
                if self.layer(layer.id).is_some() {
                    return Err(CommandError::DuplicateLayer(layer.id));
                }
                let id = layer.id;
                self.next_layer_id = self.next_layer_id.max(id.0 + 1);
                self.insert_layer(index, *layer, under_districts);
                Ok(Command::RemoveLayer(id))
            }
            Command::RemoveLayer(id) => {
                let (index, layer, under_districts) = self.remove_layer(id)?;
                Ok(Command::AddLayer {
                    index,
                    layer: Box::new(layer),
                    under_districts,
                })
            }
            Command::MoveDistricts { layers_under } => {
                let old = std::mem::replace(&mut self.layers_under_districts, layers_under.min(self.layers.len()));
                Ok(Command::MoveDistricts { layers_under: old })
            }
            Command::MoveLayer { id, to } => {
                let (from, layer, under_districts) = self.remove_layer(id)?;
                self.insert_layer(to, layer, under_districts);
                Ok(Command::MoveLayer { id, to: from })
            }
            Command::EditLayer(id, edit) => {
                let at = self.layer_position(id)?;
                let layer = &mut self.layers[at];
                let old = match edit {
                    LayerEdit::Rename(name) => LayerEdit::Rename(std::mem::replace(&mut layer.name, name)),
                    LayerEdit::Visible(visible) => LayerEdit::Visible(std::mem::replace(&mut layer.visible, visible)),
                    LayerEdit::Opacity(opacity) => {
                        if !(0.0..=1.0).contains(&opacity) {
                            return Err(CommandError::BadOpacity(opacity));
                        }
                        LayerEdit::Opacity(std::mem::replace(&mut layer.opacity, opacity))
                    }
                    LayerEdit::Style(style) => {
                        check_style(&style)?;
                        LayerEdit::Style(Box::new(std::mem::replace(&mut layer.style, *style)))
                    }
                    LayerEdit::Read(read) => LayerEdit::Read(std::mem::replace(&mut layer.read, read)),
                };
                Ok(Command::EditLayer(id, old))
            }
            Command::Batch(commands) => {
                let next_id_before = self.next_id;
                let mut undo = Vec::with_capacity(commands.len());
                for command in commands {
                    match self.apply(command) {
                        Ok(u) => undo.push(u),
                        Err(e) => {
                            // Roll back what this batch did, newest first.
                            for u in undo.into_iter().rev() {
                                let _ = self.apply(u);
                            }
                            self.next_id = next_id_before;
                            return Err(e);
                        }
                    }
                }
                undo.reverse();
                Ok(Command::Batch(undo))
            }
        }
    }

    /// Where the districts are among the reference layers: the position in `layers` of the
    /// first layer under them (`layers.len()` when none is).
    pub fn districts_position(&self) -> usize {
        self.layers.len() - self.layers_under_districts.min(self.layers.len())
    }

    /// Whether the reference layer at `index` of `layers` is drawn under the districts.
    pub fn is_under_districts(&self, index: usize) -> bool {
        index >= self.districts_position()
    }

    /// The command that moves layer `id` to position `to` of `layers` (where a planner dropped
    /// it), across the districts when the layer now at `to` is on their other side: one undo
    /// step either way.
    ///
    /// ```
    /// use mahalleh::model::{Command, LayerId, Plan, ReferenceLayer};
    /// let mut plan = Plan::default();
    /// for (id, under_districts) in [(1, false), (2, true)] {
    ///     let layer = Box::new(ReferenceLayer::file(LayerId(id), format!("{id}.geojson")));
    ///     plan.apply(Command::AddLayer { index: 0, layer, under_districts }).unwrap();
    /// }
    /// // Layer 1 dropped on layer 2, under the districts: both are under them now.
    /// plan.apply(plan.moving_layer(LayerId(1), 1)).unwrap();
    /// assert_eq!((plan.layers[1].id, plan.layers_under_districts), (LayerId(1), 2));
    /// ```
    pub fn moving_layer(&self, id: LayerId, to: usize) -> Command {
        let (Ok(from), Some(last)) = (self.layer_position(id), self.layers.len().checked_sub(1)) else {
            return Command::MoveLayer { id, to };
        };
        let to = to.min(last);
        let boundary = self.districts_position();
        let under = self.layers_under_districts.min(self.layers.len());
        match (self.is_under_districts(from), self.is_under_districts(to)) {
            // Down across: to the bottom of the upper side, which then goes under the districts.
            (false, true) => Command::Batch(vec![
                Command::MoveLayer { id, to: boundary - 1 },
                Command::MoveDistricts {
                    layers_under: under + 1,
                },
                Command::MoveLayer { id, to },
            ]),
            // Up across: to the top of the lower side, which then goes over the districts.
            (true, false) => Command::Batch(vec![
                Command::MoveLayer { id, to: boundary },
                Command::MoveDistricts {
                    layers_under: under - 1,
                },
                Command::MoveLayer { id, to },
            ]),
            _ => Command::MoveLayer { id, to },
        }
    }

    /// The command that moves layer `id` one step up (towards the top) or down the stack of
    /// layers and districts: past its neighbour layer, or past the districts when they are next
    /// to it (they then swap sides). `None` at the end of the stack or for an unknown layer.
    ///
    /// ```
    /// use mahalleh::model::{Command, LayerId, Plan, ReferenceLayer};
    /// let mut plan = Plan::default();
    /// let layer = Box::new(ReferenceLayer::file(LayerId(1), "roads.geojson"));
    /// plan.apply(Command::AddLayer { index: 0, layer, under_districts: false }).unwrap();
    /// // The only layer, over the districts: down takes it under them, up goes nowhere.
    /// assert_eq!(plan.stepping_layer(LayerId(1), false), Some(Command::MoveDistricts { layers_under: 1 }));
    /// assert_eq!(plan.stepping_layer(LayerId(1), true), None);
    /// ```
    pub fn stepping_layer(&self, id: LayerId, up: bool) -> Option<Command> {
        let index = self.layer_position(id).ok()?;
        let districts_at = self.districts_position();
        let under = self.layers_under_districts.min(self.layers.len());
        if up {
            if index == districts_at {
                Some(Command::MoveDistricts {
                    layers_under: under - 1,
                })
            } else {
                (index > 0).then(|| Command::MoveLayer { id, to: index - 1 })
            }
        } else if index + 1 == districts_at {
            Some(Command::MoveDistricts {
                layers_under: under + 1,
            })
        } else {
            (index + 1 < self.layers.len()).then(|| Command::MoveLayer { id, to: index + 1 })
        }
    }

    /// The command that moves the districts one step up (over the layer above them) or down;
    /// `None` at the end of the stack.
    pub fn stepping_districts(&self, up: bool) -> Option<Command> {
        let under = self.layers_under_districts.min(self.layers.len());
        let layers_under = if up {
            (under < self.layers.len()).then_some(under + 1)?
        } else {
            under.checked_sub(1)?
        };
        Some(Command::MoveDistricts { layers_under })
    }

    /// The command that puts the districts where layer `index` of `layers` is (where a planner
    /// dropped them): over that layer when they come from under it, under it when they come
    /// from over it.
    ///
    /// ```
    /// use mahalleh::model::{Command, LayerId, Plan, ReferenceLayer};
    /// let mut plan = Plan::default();
    /// for id in [1, 2, 3] {
    ///     let layer = Box::new(ReferenceLayer::file(LayerId(id), format!("{id}.geojson")));
    ///     plan.apply(Command::AddLayer { index: 9, layer, under_districts: false }).unwrap();
    /// }
    /// // The districts, under all three, dropped on the second: over it and the third.
    /// plan.apply(plan.moving_districts_to(1)).unwrap();
    /// assert_eq!(plan.layers_under_districts, 2);
    /// ```
    pub fn moving_districts_to(&self, index: usize) -> Command {
        let count = self.layers.len();
        if count == 0 {
            return Command::MoveDistricts { layers_under: 0 };
        }
        let index = index.min(count - 1);
        let layers_under = if index < self.districts_position() {
            count - index
        } else {
            count - index - 1
        };
        Command::MoveDistricts { layers_under }
    }

    /// Inserts `layer` at `index` of `layers`, moved to the nearest position on its side of the
    /// districts.
    fn insert_layer(&mut self, index: usize, layer: ReferenceLayer, under_districts: bool) {
        let boundary = self.districts_position();
        let index = if under_districts {
            self.layers_under_districts += 1;
            index.clamp(boundary, self.layers.len())
        } else {
            index.min(boundary)
        };
        self.layers.insert(index, layer);
    }

    /// Takes layer `id` out of `layers`: its position, the layer, and whether it was under the
    /// districts.
    fn remove_layer(&mut self, id: LayerId) -> Result<(usize, ReferenceLayer, bool), CommandError> {
        let index = self.layer_position(id)?;
        let under = self.is_under_districts(index);
        self.layers_under_districts = self.layers_under_districts.min(self.layers.len()) - usize::from(under);
        Ok((index, self.layers.remove(index), under))
    }

    fn layer_position(&self, id: LayerId) -> Result<usize, CommandError> {
        self.layers
            .iter()
            .position(|l| l.id == id)
            .ok_or(CommandError::NoSuchLayer(id))
    }

    fn position(&self, id: OfficeId) -> Result<usize, CommandError> {
        self.offices
            .iter()
            .position(|o| o.id == id)
            .ok_or(CommandError::NoSuchOffice(id))
    }
}

fn check_layer(layer: &ReferenceLayer) -> Result<(), CommandError> {
    if !(0.0..=1.0).contains(&layer.opacity) {
        return Err(CommandError::BadOpacity(layer.opacity));
    }
    check_style(&layer.style)
}

fn check_style(style: &super::LayerStyle) -> Result<(), CommandError> {
    for size in [style.stroke_width_pt, style.symbol_size_pt, style.label_size_pt] {
        if !(size.is_finite() && size > 0.0) {
            return Err(CommandError::BadSize(size));
        }
    }
    Ok(())
}

fn check_location([lon, lat]: [f64; 2]) -> Result<(), CommandError> {
    if (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat) {
        Ok(())
    } else {
        Err(CommandError::BadLocation { lon, lat })
    }
}

impl Command {
    /// Whether applying it can change which districts the offices reach (their places, the
    /// radius, the districts, the population field). Renames, notes, statuses, label fields and
    /// layouts do not, so the coverage need not be computed again for them.
    ///
    /// ```
    /// use mahalleh::model::{Command, OfficeEdit, OfficeId};
    /// assert!(Command::SetRadius(600.0).changes_coverage());
    /// assert!(!Command::EditOffice(OfficeId(1), OfficeEdit::Rename("دفتر".into())).changes_coverage());
    /// ```
    pub fn changes_coverage(&self) -> bool {
        match self {
            Self::AddOffice(_)
            | Self::InsertOffice { .. }
            | Self::RemoveOffice(_)
            | Self::SetDistricts(_)
            | Self::SetPopulationField(_)
            | Self::SetJoins(_)
            | Self::SetRadius(_) => true,
            Self::EditOffice(_, edit) => matches!(edit, OfficeEdit::Move(_)),
            Self::SetLabelField(_)
            | Self::SetDistrictsVisible(_)
            | Self::SetLayout(_)
            | Self::SetDistrictStyle(_)
            | Self::SetBasemap(_)
            | Self::AddLayer { .. }
            | Self::RemoveLayer(_)
            | Self::MoveLayer { .. }
            | Self::MoveDistricts { .. }
            | Self::EditLayer(..) => false,
            Self::Batch(commands) => commands.iter().any(Self::changes_coverage),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::style::{Graduated, StyleValue};
    use proptest::prelude::*;

    fn office(id: u64, lon: f64) -> Office {
        Office::proposed(OfficeId(id), format!("دفتر {id}"), [lon, 31.9])
    }

    #[test]
    fn an_edit_after_a_move_keeps_the_move() {
        let mut plan = Plan::default();
        plan.apply(Command::AddOffice(office(1, 54.3))).unwrap();
        let moved = plan
            .apply(Command::EditOffice(OfficeId(1), OfficeEdit::Move([54.4, 31.95])))
            .unwrap();
        let renamed = plan
            .apply(Command::EditOffice(OfficeId(1), OfficeEdit::Rename("اسکان".into())))
            .unwrap();
        assert_eq!(plan.offices[0].lon_lat, [54.4, 31.95]);
        plan.apply(renamed).unwrap();
        assert_eq!(
            (plan.offices[0].name.as_str(), plan.offices[0].lon_lat),
            ("دفتر 1", [54.4, 31.95])
        );
        plan.apply(moved).unwrap();
        assert_eq!(plan.offices[0].lon_lat, [54.3, 31.9]);
        assert_eq!(
            plan.apply(Command::EditOffice(OfficeId(1), OfficeEdit::Move([200.0, 0.0]))),
            Err(CommandError::BadLocation { lon: 200.0, lat: 0.0 })
        );
        assert_eq!(
            plan.apply(Command::SetLabelField(Some(FieldPath::new("name")))),
            Err(CommandError::NoDistricts)
        );
    }

    #[test]
    fn bad_commands_change_nothing() {
        let mut plan = Plan::default();
        plan.apply(Command::AddOffice(office(1, 54.3))).unwrap();
        let before = plan.clone();
        assert_eq!(
            plan.apply(Command::AddOffice(office(1, 54.4))),
            Err(CommandError::DuplicateOffice(OfficeId(1)))
        );
        assert_eq!(
            plan.apply(Command::RemoveOffice(OfficeId(9))),
            Err(CommandError::NoSuchOffice(OfficeId(9)))
        );
        assert!(matches!(
            plan.apply(Command::AddOffice(office(2, 540.0))),
            Err(CommandError::BadLocation { .. })
        ));
        assert_eq!(plan.apply(Command::SetRadius(-5.0)), Err(CommandError::BadRadius(-5.0)));
        let too_opaque = Basemap {
            districts_opacity: 1.5,
            ..Basemap::file("b.mbtiles")
        };
        assert_eq!(
            plan.apply(Command::SetBasemap(Some(too_opaque))),
            Err(CommandError::BadOpacity(1.5))
        );
        let batch = Command::Batch(vec![
            Command::AddOffice(office(3, 54.5)),
            Command::RemoveOffice(OfficeId(7)),
        ]);
        assert!(plan.apply(batch).is_err());
        assert_eq!(plan, before, "a failed batch rolls back");
    }

    /// A random edit of a plan that may or may not apply.
    fn edit_strategy() -> impl Strategy<Value = (u8, u64, f64, u8)> {
        (0u8..17, 1u64..6, 54.0f64..55.0, 0u8..3)
    }

    fn command_for(plan: &mut Plan, (kind, id, lon, status): (u8, u64, f64, u8)) -> Command {
        match kind {
            0 => {
                let id = plan.new_office_id();
                Command::AddOffice(Office::proposed(id, "new", [lon, 31.9]))
            }
            1 => Command::RemoveOffice(OfficeId(id)),
            2 => Command::EditOffice(OfficeId(id), OfficeEdit::Move([lon, 31.95])),
            3 => Command::SetRadius(100.0 + lon),
            4 => Command::EditOffice(OfficeId(id), OfficeEdit::Status(OfficeStatus::ALL[status as usize])),
            5 => Command::EditOffice(OfficeId(id), OfficeEdit::Rename(format!("n{lon}"))),
            6 => {
                let services = BTreeSet::from([Service::Other(format!("s{status}")), Service::Sociology]);
                Command::EditOffice(OfficeId(id), OfficeEdit::Services(services))
            }
            7 => Command::SetDistricts((status > 0).then(|| DistrictsSource::file(format!("d{status}.geojson")))),
            8 => Command::SetLabelField((status > 1).then(|| FieldPath::new(format!("f{id}")))),
            9 => Command::SetDistrictStyle((status > 0).then(|| {
                let mut g = Graduated::new(StyleValue::Field(FieldPath::new(format!("f{id}"))));
                g.classes = 3 + status as usize;
                Box::new(ThematicStyle::Graduated(g))
            })),
            10 => Command::SetJoins(
                (0..status)
                    .map(|k| crate::model::TableJoin::with_key_text(format!("t{k}.csv"), &format!("code=c{id}")))
                    .collect(),
            ),
            11 => Command::SetBasemap((status > 0).then(|| Basemap {
                visible: status > 1,
                districts_opacity: (lon - 54.0) as f32,
                ..Basemap::file(format!("b{id}.pmtiles"))
            })),
            12 => Command::AddLayer {
                index: status as usize,
                layer: Box::new(ReferenceLayer::file(LayerId(id), format!("l{id}.geojson"))),
                under_districts: lon > 54.5,
            },
            13 => Command::RemoveLayer(LayerId(id)),
            14 => Command::MoveLayer {
                id: LayerId(id),
                to: status as usize * 2,
            },
            15 => Command::MoveDistricts {
                layers_under: status as usize + (lon > 54.5) as usize,
            },
            _ => Command::Batch(vec![Command::RemoveOffice(OfficeId(id)), Command::SetRadius(lon)]),
        }
    }

    /// The reference layers' names, top first, with the districts' place as `D`.
    fn stack(plan: &Plan) -> Vec<String> {
        let mut names: Vec<String> = plan.layers.iter().map(|l| l.name.clone()).collect();
        names.insert(plan.districts_position(), "D".into());
        names
    }

    fn named(id: u64) -> Box<ReferenceLayer> {
        let mut layer = ReferenceLayer::file(LayerId(id), format!("{id}.geojson"));
        layer.name = format!("L{id}");
        Box::new(layer)
    }

    #[test]
    fn a_dropped_layer_crosses_the_districts_in_one_undo_step() {
        let mut plan = Plan::default();
        for (id, under) in [(1, false), (2, false), (3, true), (4, true)] {
            plan.apply(Command::AddLayer {
                index: 9,
                layer: named(id),
                under_districts: under,
            })
            .unwrap();
        }
        assert_eq!(stack(&plan), ["L1", "L2", "D", "L3", "L4"]);
        let start = plan.clone();
        // L1 dropped on L4: it goes to the bottom, under the districts.
        let undo = plan.apply(plan.moving_layer(LayerId(1), 3)).unwrap();
        assert_eq!(stack(&plan), ["L2", "D", "L3", "L4", "L1"]);
        plan.apply(undo).unwrap();
        assert_eq!(plan, start);
        // L4 dropped on L1: it goes to the top, over the districts.
        let undo = plan.apply(plan.moving_layer(LayerId(4), 0)).unwrap();
        assert_eq!(stack(&plan), ["L4", "L1", "L2", "D", "L3"]);
        plan.apply(undo).unwrap();
        assert_eq!(plan, start);
        // On its own side it is a plain move.
        assert_eq!(
            plan.moving_layer(LayerId(3), 3),
            Command::MoveLayer { id: LayerId(3), to: 3 }
        );
        // The districts dropped on a layer take its place, from either side.
        for (row, expected) in [
            (0, ["D", "L1", "L2", "L3", "L4"]),
            (1, ["L1", "D", "L2", "L3", "L4"]),
            (2, ["L1", "L2", "L3", "D", "L4"]),
            (3, ["L1", "L2", "L3", "L4", "D"]),
        ] {
            let undo = plan.apply(plan.moving_districts_to(row)).unwrap();
            assert_eq!(stack(&plan), expected, "dropped on row {row}");
            plan.apply(undo).unwrap();
        }
        assert_eq!(
            Plan::default().moving_districts_to(3),
            Command::MoveDistricts { layers_under: 0 }
        );

        // One step at a time through the stack L1 L2 D L3 L4, and nothing past its ends.
        let step = |plan: &Plan, id: u64, up: bool| plan.stepping_layer(LayerId(id), up);
        assert_eq!(step(&plan, 1, true), None);
        assert_eq!(step(&plan, 4, false), None);
        assert_eq!(
            step(&plan, 1, false),
            Some(Command::MoveLayer { id: LayerId(1), to: 1 })
        );
        assert_eq!(step(&plan, 2, false), Some(Command::MoveDistricts { layers_under: 3 }));
        assert_eq!(step(&plan, 3, true), Some(Command::MoveDistricts { layers_under: 1 }));
        assert_eq!(
            step(&plan, 3, false),
            Some(Command::MoveLayer { id: LayerId(3), to: 3 })
        );
        assert_eq!(step(&plan, 9, true), None);
        assert_eq!(
            plan.stepping_districts(true),
            Some(Command::MoveDistricts { layers_under: 3 })
        );
        assert_eq!(
            plan.stepping_districts(false),
            Some(Command::MoveDistricts { layers_under: 1 })
        );
        assert_eq!(Plan::default().stepping_districts(true), None);
        assert_eq!(Plan::default().stepping_districts(false), None);
    }

    #[test]
    fn layers_keep_their_side_of_the_districts_and_undo_restores_it() {
        let mut plan = Plan::default();
        for (id, under) in [(1, false), (2, true), (3, true)] {
            plan.apply(Command::AddLayer {
                index: 0,
                layer: named(id),
                under_districts: under,
            })
            .unwrap();
        }
        // Added at the top of their side: L1 over the districts, L3 then L2 under them.
        assert_eq!(stack(&plan), ["L1", "D", "L3", "L2"]);
        // A move to the top keeps an under layer under the districts.
        let back = plan.apply(Command::MoveLayer { id: LayerId(2), to: 0 }).unwrap();
        assert_eq!(stack(&plan), ["L1", "D", "L2", "L3"]);
        plan.apply(back).unwrap();
        assert_eq!(stack(&plan), ["L1", "D", "L3", "L2"]);
        // Removing the layer just under the districts and undoing puts it back there.
        let start = plan.clone();
        let undo = plan.apply(Command::RemoveLayer(LayerId(3))).unwrap();
        assert_eq!(stack(&plan), ["L1", "D", "L2"]);
        plan.apply(undo).unwrap();
        assert_eq!(plan, start);
        // The districts go to the bottom, then above everything, clamped to the layers there are.
        let undo = plan.apply(Command::MoveDistricts { layers_under: 0 }).unwrap();
        assert_eq!(stack(&plan), ["L1", "L3", "L2", "D"]);
        plan.apply(Command::MoveDistricts { layers_under: 9 }).unwrap();
        assert_eq!(stack(&plan), ["D", "L1", "L3", "L2"]);
        plan.apply(undo).unwrap();
        assert_eq!(stack(&plan), ["L1", "D", "L3", "L2"]);
    }

    proptest! {
        /// Any sequence of edits, undone in reverse, gives back the plan it started from.
        #[test]
        fn undoing_everything_restores_the_start(edits in prop::collection::vec(edit_strategy(), 0..40)) {
            let mut plan = Plan::default();
            for i in 1..4 {
                plan.apply(Command::AddOffice(office(i, 54.0 + i as f64 / 10.0))).unwrap();
            }
            plan.next_id = 10;
            let start = plan.clone();
            let mut undo = Vec::new();
            for edit in edits {
                let command = command_for(&mut plan, edit);
                if let Ok(u) = plan.apply(command) {
                    undo.push(u);
                }
                prop_assert!(plan.layers_under_districts <= plan.layers.len());
            }
            for u in undo.into_iter().rev() {
                plan.apply(u).unwrap();
            }
            // Ids handed out stay handed out; everything else is as it was.
            plan.next_id = start.next_id;
            plan.next_layer_id = start.next_layer_id;
            prop_assert_eq!(plan, start);
        }
    }
}
