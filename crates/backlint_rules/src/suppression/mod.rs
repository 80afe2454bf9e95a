//! Rules about `backlint-ignore` comments themselves. The engine parses the comments
//! (`backlint_engine::suppress`) and applies them to findings; these rules report the comments
//! that are broken (`invalid-suppression`) or silence nothing (`unused-suppression`).
pub mod invalid_suppression;
pub mod unused_suppression;
