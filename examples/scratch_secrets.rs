use palisade::Guard;
fn main() {
    let g = palisade::secrets::SecretsConfig::default()
        .build(palisade::Profile::Input)
        .unwrap();
    for line in std::io::stdin().lines() {
        let line = line.unwrap().replace("\\n", "\n");
        let v = g.check(&line);
        println!(
            "{:?} <- {}",
            v.findings().iter().map(|f| f.rule().to_string()).collect::<Vec<_>>(),
            line
        );
    }
}
