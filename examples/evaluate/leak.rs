//! The leak section (not yet implemented: records nothing).

use crate::report::Eval;

pub fn run(_eval: &mut Eval) {
    println!("  (no leak detector yet)");
}
