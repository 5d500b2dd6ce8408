//! Core validators: false-positive rate of the Unicode and limits guards on
//! benign prompts of every language (there is no labelled attack corpus for
//! them; their attack tests live in `tests/`).

use palisade::limits::Limits;
use palisade::unicode::UnicodeGuard;
use palisade::{Guard, Pipeline, Stage};

use crate::report::{Counts, Eval, Floor, at_most, fmt, split, str_field};

const FLOORS: &[Floor] = &[at_most("benign.test.fpr", 0.005)];

const BENIGN: &[&str] = &[
    "injection/wildguard_benign.jsonl",
    "injection/notinject.jsonl",
    "injection/awesome_chatgpt_prompts.jsonl",
    "injection/instructionwild.jsonl",
    "injection/alpaca_seed.jsonl",
    "injection/jackhhao.jsonl",
    "injection/deepset.jsonl",
    "injection/bipia_indirect.jsonl",
];

pub fn run(eval: &mut Eval) {
    eval.floors(FLOORS);
    let guard = Pipeline::builder()
        .stage(Stage::new(Limits::default()).gate(true))
        .stage(Stage::new(UnicodeGuard::default()))
        .build();
    let mut total = [Counts::default(), Counts::default()];
    println!(
        "  {:<45} {:>6} {:>8} {:>8}",
        "benign source (limits + unicode)", "split", "rows", "fpr"
    );
    for file in BENIGN {
        let Some(rows) = eval.rows(file) else {
            continue;
        };
        for (si, sp) in ["dev", "test"].iter().enumerate() {
            let mut c = Counts::default();
            for row in rows
                .iter()
                .filter(|r| split(r) == *sp && str_field(r, "label") == "benign")
            {
                let flagged = !guard.check(str_field(row, "text")).findings().is_empty();
                c.add(false, flagged);
            }
            if c.negatives() == 0 {
                continue;
            }
            total[si].fp += c.fp;
            total[si].tn += c.tn;
            println!("  {:<45} {:>6} {:>8} {:>8}", file, sp, c.negatives(), fmt(c.fpr()));
        }
    }
    eval.metric("benign.dev.fpr", total[0].fpr());
    eval.metric("benign.test.fpr", total[1].fpr());
    println!(
        "  all benign: dev fpr {}, test fpr {}",
        fmt(total[0].fpr()),
        fmt(total[1].fpr())
    );
}
