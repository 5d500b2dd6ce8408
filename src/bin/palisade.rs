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
    /// With --jsonl: write each input object back with its text field
    /// replaced by the sanitized text (blocked lines are dropped), for
    /// cleaning datasets.
    #[arg(long, requires = "jsonl")]
    sanitize: bool,
    /// With --sanitize: the field that holds the text.
    #[arg(long, value_name = "NAME", default_value = "text", requires = "sanitize")]
    field: String,
    /// With --jsonl: worker threads (default: all cores).
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
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

/// Guards per profile, all built up front (building is where the cost goes;
/// checking is shared across threads).
struct Guards {
    default_profile: Profile,
    default: Pipeline,
    others: HashMap<Profile, Pipeline>,
}

impl Guards {
    fn new(default_profile: Profile, default: Pipeline, jsonl: bool) -> Guards {
        let mut others = HashMap::new();
        if jsonl {
            for p in [Profile::Input, Profile::Output, Profile::Document] {
                if p != default_profile {
                    others.insert(p, p.build());
                }
            }
        }
        Guards {
            default_profile,
            default,
            others,
        }
    }

    fn get(&self, profile: Option<Profile>) -> &Pipeline {
        match profile {
            Some(p) if p != self.default_profile => self.others.get(&p).unwrap_or(&self.default),
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
    let guards = Guards::new(policy.profile, default, args.jsonl);
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
        let mode = if args.sanitize {
            Mode::Sanitize(args.field.clone())
        } else {
            Mode::Verdicts
        };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(args.threads.unwrap_or(0))
            .build()
            .map_err(|e| Failure::Usage(format!("cannot start worker threads: {e}")))?;
        jsonl(reader, &mut out, &guards, &context, &mode, &pool)?;
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

/// What `--jsonl` writes per line.
enum Mode {
    Verdicts,
    Sanitize(String),
}

/// Lines are read in batches of bounded size, checked in parallel, and
/// written in input order: memory stays bounded whatever the input size.
const BATCH_LINES: usize = 4096;
const BATCH_BYTES: usize = 16 << 20;

fn jsonl(
    mut reader: Box<dyn BufRead>,
    out: &mut impl Write,
    guards: &Guards,
    base: &Context,
    mode: &Mode,
    pool: &rayon::ThreadPool,
) -> io::Result<()> {
    use rayon::prelude::*;
    use std::io::IsTerminal;

    let progress = io::stderr().is_terminal();
    let started = std::time::Instant::now();
    let (mut number, mut bytes_done, mut dropped) = (0usize, 0u64, 0usize);
    let mut last_report = started;
    let mut batch: Vec<(usize, Vec<u8>)> = Vec::with_capacity(BATCH_LINES);
    loop {
        batch.clear();
        let mut batch_bytes = 0;
        while batch.len() < BATCH_LINES && batch_bytes < BATCH_BYTES {
            let mut line = Vec::new();
            if reader.read_until(b'\n', &mut line)? == 0 {
                break;
            }
            number += 1;
            batch_bytes += line.len();
            batch.push((number, line));
        }
        if batch.is_empty() {
            break;
        }
        bytes_done += batch_bytes as u64;
        let results: Vec<Option<String>> = pool.install(|| {
            batch
                .par_iter()
                .map(|(n, line)| process_line(*n, line, guards, base, mode))
                .collect()
        });
        for r in results {
            match r {
                Some(line) => {
                    out.write_all(line.as_bytes())?;
                    out.write_all(b"\n")?;
                }
                None if matches!(mode, Mode::Sanitize(_)) => dropped += 1,
                None => {}
            }
        }
        if progress && last_report.elapsed().as_secs_f64() >= 1.0 {
            last_report = std::time::Instant::now();
            let secs = started.elapsed().as_secs_f64();
            eprint!(
                "\rpalisade: {number} lines, {:.1} MB, {:.1} MB/s   ",
                bytes_done as f64 / 1e6,
                bytes_done as f64 / 1e6 / secs
            );
        }
    }
    if progress {
        let secs = started.elapsed().as_secs_f64().max(1e-9);
        eprintln!(
            "\rpalisade: {number} lines, {:.1} MB in {secs:.1} s ({:.1} MB/s)",
            bytes_done as f64 / 1e6,
            bytes_done as f64 / 1e6 / secs
        );
    }
    if dropped > 0 {
        eprintln!("palisade: dropped {dropped} blocked line(s)");
    }
    Ok(())
}

/// One input line to one output line (`None`: blank, or blocked when
/// sanitizing).
fn process_line(number: usize, line: &[u8], guards: &Guards, base: &Context, mode: &Mode) -> Option<String> {
    let text = String::from_utf8_lossy(line);
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return None;
    }
    let error_line = |id: &Value, error: String| serde_json::to_string(&ErrorLine { id, error }).ok();
    if let Mode::Sanitize(field) = mode {
        let mut object: serde_json::Map<String, Value> = match serde_json::from_str(trimmed) {
            Ok(Value::Object(o)) => o,
            Ok(_) => return error_line(&Value::Null, format!("line {number}: expected a JSON object")),
            Err(e) => return error_line(&Value::Null, format!("line {number}: {e}")),
        };
        let id = object.get("id").cloned().unwrap_or(Value::Null);
        let Some(Value::String(original)) = object.get(field) else {
            return error_line(&id, format!("line {number}: missing string field `{field}`"));
        };
        let profile = object
            .get("profile")
            .and_then(Value::as_str)
            .and_then(Profile::from_name);
        let verdict = guards.get(profile).check_with(original, base);
        if !verdict.allowed() {
            return None;
        }
        if let Some(clean) = verdict.sanitized() {
            object.insert(field.clone(), Value::String(clean.to_string()));
        }
        return serde_json::to_string(&object).ok();
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
            serde_json::to_string(&Response {
                id: &req.id,
                verdict: &verdict,
            })
            .ok()
        }
        Err(e) => {
            // Recover the id when the line is JSON at all.
            let id = serde_json::from_str::<Value>(trimmed)
                .ok()
                .and_then(|v| v.get("id").cloned())
                .unwrap_or(Value::Null);
            error_line(&id, format!("line {number}: {e}"))
        }
    }
}
