use palisade::{Guard, Policy, Profile};
use std::time::Instant;
fn t(g: &dyn Guard, text: &str) -> f64 { let s = Instant::now(); let _ = g.check(text); s.elapsed().as_secs_f64() }
fn main() {
    let mut p = Policy::for_profile(Profile::Input);
    p.limits = None;
    let g = p.build().unwrap();
    let mut units: Vec<String> = Vec::new();
    for r in palisade::secrets::builtin_rules() {
        for a in &r.anchors { let a = a.trim_start_matches("(?i)").replace("\\s", " "); units.push(format!("{a} ")); units.push(format!("{a}=")); units.push(a.clone()); }
        if let Some(e) = r.examples.first() { units.push(palisade::secrets::synthesize(e, 7)); units.push(format!("{} ", palisade::secrets::synthesize(e, 7))); }
    }
    units.sort(); units.dedup();
    let mut bad = 0;
    for u in &units {
        if u.is_empty() { continue; }
        let small = u.repeat(20_000 / u.len() + 1);
        let big = u.repeat(200_000 / u.len() + 1);
        let _ = g.check(&small[..small.len().min(2000)]);
        let (a, b) = (t(&g, &small), t(&g, &big));
        let (na, nb) = (a / small.len() as f64 * 1e9, b / big.len() as f64 * 1e9);
        if nb > 2.5 * na.max(20.0) || nb > 2000.0 {
            bad += 1;
            println!("{:<60} {:8.0} -> {:8.0} ns/B ({:.1} ms at {} B)", format!("{:?}", &u[..u.len().min(50)]), na, nb, b * 1e3, big.len());
        }
    }
    println!("{} units, {} suspicious", units.len(), bad);
}
