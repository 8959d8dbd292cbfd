//! Undo and redo: every applied [`Command`] leaves its inverse on the undo stack.

use super::{Command, CommandError, Plan};

/// The undo and redo stacks of one plan.
#[derive(Clone, Debug, Default)]
pub struct History {
    undo: Vec<Command>,
    redo: Vec<Command>,
}

impl History {
    /// Applies `command` to `plan` as a new step; the redo stack is cleared. A command that
    /// changes nothing (its inverse is itself: a rename to the same name) leaves no step.
    ///
    /// ```
    /// use mahalleh::model::{Command, History, Plan};
    /// let (mut plan, mut history) = (Plan::default(), History::default());
    /// history.apply(&mut plan, Command::SetRadius(500.0)).unwrap();
    /// assert!(history.undo(&mut plan));
    /// assert_eq!(plan.radius_m, 800.0);
    /// assert!(history.redo(&mut plan));
    /// assert_eq!(plan.radius_m, 500.0);
    /// ```
    pub fn apply(&mut self, plan: &mut Plan, command: Command) -> Result<(), CommandError> {
        let unchanged = (!matches!(command, Command::Batch(_))).then(|| command.clone());
        let inverse = plan.apply(command)?;
        if unchanged.as_ref() == Some(&inverse) {
            return Ok(());
        }
        self.undo.push(inverse);
        self.redo.clear();
        Ok(())
    }

    /// Steps that can be undone.
    pub fn undo_steps(&self) -> usize {
        self.undo.len()
    }

    /// Undoes the last step; false when there is none.
    pub fn undo(&mut self, plan: &mut Plan) -> bool {
        Self::step(plan, &mut self.undo, &mut self.redo)
    }

    /// Redoes the last undone step; false when there is none.
    pub fn redo(&mut self, plan: &mut Plan) -> bool {
        Self::step(plan, &mut self.redo, &mut self.undo)
    }

    /// True when there is something to undo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// True when there is something to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    fn step(plan: &mut Plan, from: &mut Vec<Command>, to: &mut Vec<Command>) -> bool {
        let Some(command) = from.pop() else { return false };
        match plan.apply(command) {
            Ok(inverse) => {
                to.push(inverse);
                true
            }
            // An inverse always applies to the plan it came from; if the plan was changed behind
            // the history's back, drop the stale step rather than panic.
            Err(_) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Office, OfficeEdit, OfficeId};

    #[test]
    fn undo_redo_walks_back_and_forth() {
        let (mut plan, mut history) = (Plan::default(), History::default());
        let a = Office::proposed(OfficeId(1), "a", [54.3, 31.9]);
        history.apply(&mut plan, Command::AddOffice(a.clone())).unwrap();
        let mut moved = a.clone();
        moved.lon_lat = [54.35, 31.91];
        history
            .apply(&mut plan, Command::EditOffice(a.id, OfficeEdit::Move(moved.lon_lat)))
            .unwrap();
        assert!(history.undo(&mut plan));
        assert_eq!(plan.offices, std::slice::from_ref(&a));
        assert!(history.undo(&mut plan));
        assert!(plan.offices.is_empty());
        assert!(!history.undo(&mut plan));
        assert!(history.redo(&mut plan) && history.redo(&mut plan));
        assert_eq!(plan.offices, [moved]);
        assert!(!history.can_redo());
        // A new step after an undo forgets the redo stack.
        history.undo(&mut plan);
        history.apply(&mut plan, Command::SetRadius(300.0)).unwrap();
        assert!(!history.can_redo());
        assert_eq!(history.undo_steps(), 2);
        // Setting what is already there is no step.
        history.apply(&mut plan, Command::SetRadius(300.0)).unwrap();
        assert_eq!(history.undo_steps(), 2);
    }
}
