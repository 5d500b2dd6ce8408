//! The `palisade` command-line tool. See the README for its contract.

#![forbid(unsafe_code)]

use std::collections::HashMap;
use std::io::{self, BufRead, BufWriter, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use palisade::{Context, Guard, Pipeline, Policy, Profile, Verdict};
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Parser)]
#[command(name = "palisade", version, about = "Guards for LLM prompts and outputs")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a text (FILE or stdin) and print a JSON verdict; exit 0 when
    /// allowed, 1 when blocked, 2 on a usage or policy error. With --jsonl,
    /// check one JSON object per line and print one verdict per line.
    Check(CheckArgs),
}

#[derive(clap::Args)]
struct CheckArgs {
    /// Policy file (TOML, or JSON by a .json extension).
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// Built-in profile (ignored with --policy, which names its own).
    #[arg(long, value_enum)]
    profile: Option<ProfileArg>,
    /// File holding the application's system prompt (for leak checks).
    #[arg(long, value_name = "FILE")]
    system_prompt: Option<PathBuf>,
    /// A canary token that outputs must not contain (repeatable).
    #[arg(long, value_name = "TOKEN")]
    canary: Vec<String>,
    /// Read JSON lines `{"id", "text", "profile"?, "system_prompt"?, "canaries"?}`.
    #[arg(long)]
    jsonl: bool,
    /// Input file; stdin when absent or `-`.
    file: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum ProfileArg {
    Input,
    Output,
    Document,
}

impl From<ProfileArg> for Profile {
    fn from(p: ProfileArg) -> Profile {
        match p {
            ProfileArg::Input => Profile::Input,
            ProfileArg::Output => Profile::Output,
            ProfileArg::Document => Profile::Document,
        }
    }
}

/// One JSONL request line.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Request {
    #[serde(default)]
    id: Value,
    text: String,
    #[serde(default)]
    profile: Option<Profile>,
    #[serde(default)]
    system_prompt: Option<String>,
    #[serde(default)]
    canaries: Vec<String>,
}

#[derive(Serialize)]
struct Response<'a> {
    id: &'a Value,
    #[serde(flatten)]
    verdict: &'a Verdict,
}

#[derive(Serialize)]
struct ErrorLine<'a> {
    id: &'a Value,
    error: String,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => match check(args) {
            Ok(code) => code,
            Err(Failure::Usage(msg)) => {
                eprintln!("palisade: {msg}");
                ExitCode::from(2)
            }
            Err(Failure::Io(e)) => {
                eprintln!("palisade: {e}");
                ExitCode::from(3)
            }
        },
    }
}

enum Failure {
    Usage(String),
    Io(io::Error),
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Failure {
        Failure::Io(e)
    }
}

/// Guards per profile, built once each on first use.
struct Guards {
    default_profile: Profile,
    default: Pipeline,
    others: HashMap<Profile, Pipeline>,
}

impl Guards {
    fn get(&mut self, profile: Option<Profile>) -> &Pipeline {
        match profile {
            Some(p) if p != self.default_profile => self.others.entry(p).or_insert_with(|| p.build()),
            _ => &self.default,
        }
    }
}

fn check(args: CheckArgs) -> Result<ExitCode, Failure> {
    let policy = match (&args.policy, args.profile) {
        (Some(path), _) => Policy::from_file(path).map_err(|e| Failure::Usage(format!("{}: {e}", path.display())))?,
        (None, p) => Policy::for_profile(p.map(Profile::from).unwrap_or_default()),
    };
    let default = policy.build().map_err(|e| Failure::Usage(format!("policy: {e}")))?;
    let mut guards = Guards {
        default_profile: policy.profile,
        default,
        others: HashMap::new(),
    };
    let mut context = Context::new();
    if let Some(path) = &args.system_prompt {
        let prompt = std::fs::read_to_string(path)
            .map_err(|e| Failure::Usage(format!("cannot read system prompt {}: {e}", path.display())))?;
        context = context.with_system_prompt(prompt);
    }
    for c in &args.canary {
        context = context.with_canary(c.clone());
    }
    let reader: Box<dyn BufRead> = match &args.file {
        Some(p) if p.as_os_str() != "-" => Box::new(io::BufReader::new(
            std::fs::File::open(p).map_err(|e| Failure::Usage(format!("cannot open {}: {e}", p.display())))?,
        )),
        _ => Box::new(io::BufReader::new(io::stdin().lock())),
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if args.jsonl {
        jsonl(reader, &mut out, &mut guards, &context)?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut text = String::new();
    let mut reader = reader;
    reader
        .read_to_string(&mut text)
        .map_err(|e| Failure::Usage(format!("input is not UTF-8 text: {e}")))?;
    let verdict = guards.get(None).check_with(&text, &context);
    serde_json::to_writer(
        &mut out,
        &Response {
            id: &Value::Null,
            verdict: &verdict,
        },
    )
    .map_err(io::Error::from)?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(if verdict.allowed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn jsonl(mut reader: Box<dyn BufRead>, out: &mut impl Write, guards: &mut Guards, base: &Context) -> io::Result<()> {
    let mut line = Vec::new();
    let mut number = 0usize;
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        number += 1;
        let text = String::from_utf8_lossy(&line);
        let trimmed = text.trim();
        if trimmed.is_empty() {
            continue;
        }
        match serde_json::from_str::<Request>(trimmed) {
            Ok(req) => {
                let mut ctx = base.clone();
                if let Some(sp) = req.system_prompt {
                    ctx = ctx.with_system_prompt(sp);
                }
                for c in req.canaries {
                    ctx = ctx.with_canary(c);
                }
                let verdict = guards.get(req.profile).check_with(&req.text, &ctx);
                serde_json::to_writer(
                    &mut *out,
                    &Response {
                        id: &req.id,
                        verdict: &verdict,
                    },
                )?;
            }
            Err(e) => {
                // Recover the id when the line is JSON at all.
                let id = serde_json::from_str::<Value>(trimmed)
                    .ok()
                    .and_then(|v| v.get("id").cloned())
                    .unwrap_or(Value::Null);
                let error = format!("line {number}: {e}");
                serde_json::to_writer(&mut *out, &ErrorLine { id: &id, error })?;
            }
        }
        out.write_all(b"\n")?;
    }
}
