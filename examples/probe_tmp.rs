use palisade::{Guard, Profile};
fn main() {
    let g = Profile::Input.build();
    let cases = vec![
        "a".repeat(200),
        "0".repeat(200),
        "ha".repeat(100),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 ".repeat(8),
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==".repeat(4),
        (0..200).map(|i| format!("{i},")).collect::<String>(),
        "id,name,price\n1,apple,0.5\n2,pear,0.7\n3,plum,0.2\n".repeat(10),
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(10),
        "SELECT id, name FROM users WHERE created_at > '2024-01-01' ORDER BY id;\n".repeat(5),
    ];
    for t in cases {
        let v = g.check(&t);
        let fs: Vec<String> = v
            .findings()
            .iter()
            .map(|f| format!("{}:{}:{:.2}", f.category().as_str(), f.kind(), f.score()))
            .collect();
        println!(
            "{:<40} allowed={} {:?}",
            t.chars().take(40).collect::<String>().replace('\n', " "),
            v.allowed(),
            fs.iter().take(3).collect::<Vec<_>>()
        );
    }
}
