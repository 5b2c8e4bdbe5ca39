//! The IPC contract's TypeScript, generated from the Rust types so the window and the Rust
//! side cannot drift: every type a command takes or answers and every event payload
//! (derived with ts-rs, test builds only), the command table (from `commands::contract!`),
//! the event table and the sync stages' words.
//!
//! Writes `ui/src/lib/ipc/generated.ts` (types, `Commands`, `EventPayloads`,
//! `SYNC_STAGE_LABELS`) and `ui/src/lib/ipc/generated-commands.ts` (one typed wrapper per
//! command). Both are committed; the test below fails when either is stale. Regenerate:
//!
//! ```text
//! FIELDBRIDGE_WRITE_IPC=1 cargo test -p fieldbridge --lib desktop::ipc_types
//! ```
//!
//! 64-bit integers are written as `number`, not ts-rs's `bigint`: serde_json sends them as
//! JSON numbers, and every count and id here is far below 2^53.

use super::commands::ContractVisitor;
use super::events;
use crate::events::SyncStage;
use std::any::TypeId;
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use ts_rs::{TypeVisitor, TS};

const HEADER: &str =
    "// Generated from the Rust types by src-tauri/src/desktop/ipc_types.rs: do not edit.\n\
// Regenerate: FIELDBRIDGE_WRITE_IPC=1 cargo test -p fieldbridge --lib desktop::ipc_types\n";

/// A type's TypeScript name, and how to collect its declarations.
struct Ts {
    name: String,
    collect: fn(&mut Collector),
}

fn ts<T: TS + 'static>() -> Ts {
    Ts {
        name: T::name(),
        collect: |c| c.visit::<T>(),
    }
}

/// One command of the contract: its name, its arguments (Rust names), its answer.
pub struct Command {
    name: &'static str,
    args: Vec<(&'static str, Ts)>,
    returns: Ts,
}

/// The command table as `commands::contract` walks it.
#[derive(Default)]
struct Table {
    args: Vec<(&'static str, Ts)>,
    commands: Vec<Command>,
}

impl ContractVisitor for Table {
    fn arg<T: TS + 'static>(&mut self, name: &'static str) {
        self.args.push((name, ts::<T>()));
    }

    fn command<R: TS + 'static>(&mut self, name: &'static str) {
        self.commands.push(Command {
            name,
            args: std::mem::take(&mut self.args),
            returns: ts::<R>(),
        });
    }
}

fn commands() -> Vec<Command> {
    let mut table = Table::default();
    super::commands::contract(&mut table);
    table.commands
}

/// Every event the window listens to: its name, what it means, its payload.
fn events() -> Vec<(&'static str, &'static str, Ts)> {
    vec![
        (
            events::CONNECTION_CHANGED,
            "The Web Connector called, the endpoint started or stopped, or the company file changed.",
            ts::<()>(),
        ),
        (
            events::SYNC_PROGRESS,
            "A session started, moved on, or ended.",
            ts::<crate::office::sync_status::SyncProgress>(),
        ),
        (
            events::ATTENTION_CHANGED,
            "The set of records needing attention changed.",
            ts::<()>(),
        ),
        (
            events::CUSTOMERS_CHANGED,
            "Customers or their pairing changed (import, sync).",
            ts::<()>(),
        ),
        (
            events::DATA_CHANGED,
            "Anything in the data folder changed, whoever changed it (this window, a sync, the command line in another process): every screen reloads what it shows.",
            ts::<()>(),
        ),
    ]
}

/// Collects every declared type reachable from the roots, once each, by name.
#[derive(Default)]
struct Collector {
    seen: HashSet<TypeId>,
    decls: BTreeMap<String, String>,
}

impl TypeVisitor for Collector {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        if !self.seen.insert(TypeId::of::<T>()) {
            return;
        }
        if T::output_path().is_some() {
            let docs = T::docs().unwrap_or_default();
            self.decls
                .insert(T::ident(), format!("{docs}export {}\n", T::decl()));
        }
        T::visit_dependencies(self);
        T::visit_generics(self);
    }
}

fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        match c {
            '_' => upper = true,
            c if upper => {
                out.extend(c.to_uppercase());
                upper = false;
            }
            c => out.push(c),
        }
    }
    out
}

/// serde_json sends 64-bit integers as numbers (see the module doc).
fn numbers(text: String) -> String {
    text.replace("bigint", "number")
}

/// `generated.ts`: the types, the command and event tables, the stages' words.
fn types_file(commands: &[Command]) -> String {
    let mut c = Collector::default();
    for command in commands {
        (command.returns.collect)(&mut c);
        for (_, t) in &command.args {
            (t.collect)(&mut c);
        }
    }
    for (_, _, payload) in events() {
        (payload.collect)(&mut c);
    }
    c.visit::<crate::office::IpcError>();
    c.visit::<SyncStage>();
    let mut out = String::from(HEADER);
    for decl in c.decls.values() {
        out.push('\n');
        out.push_str(decl);
    }
    out.push_str("\n/** Every command: its arguments (as the window passes them) and its answer. */\nexport type Commands = {\n");
    for command in commands {
        let args: Vec<String> = command
            .args
            .iter()
            .map(|(n, t)| format!("{}: {}", camel(n), t.name))
            .collect();
        out.push_str(&format!(
            "  {}: {{ args: {{ {} }}; returns: {} }};\n",
            command.name,
            args.join("; "),
            command.returns.name
        ));
    }
    out.push_str("};\n\n/** Event names and their payloads. */\nexport type EventPayloads = {\n");
    for (name, about, payload) in events() {
        out.push_str(&format!(
            "  /** {about} */\n  \"{name}\": {};\n",
            payload.name
        ));
    }
    out.push_str("};\n\nexport type EventName = keyof EventPayloads;\n");
    out.push_str("\n/** The sync stages in words: the one table (Rust `SyncStage::label`). */\nexport const SYNC_STAGE_LABELS: Record<SyncStage, string> = {\n");
    for stage in SyncStage::ALL {
        let word = serde_json::to_value(stage).expect("a stage serialises");
        out.push_str(&format!(
            "  {}: {:?},\n",
            word.as_str().expect("a word"),
            stage.label()
        ));
    }
    out.push_str("};\n");
    numbers(out)
}

/// `generated-commands.ts`: one typed async function per command.
fn commands_file(commands: &[Command]) -> String {
    let mut out = String::from(HEADER);
    out.push_str("import { call } from \"./call\";\nimport type * as T from \"./generated\";\n\n");
    for command in commands {
        let params: Vec<String> = command
            .args
            .iter()
            .map(|(n, t)| format!("{}: {}", camel(n), qualified(&t.name)))
            .collect();
        let keys: Vec<String> = command.args.iter().map(|(n, _)| camel(n)).collect();
        let pass = if keys.is_empty() {
            String::new()
        } else {
            format!(", {{ {} }}", keys.join(", "))
        };
        out.push_str(&format!(
            "export const {} = ({}) =>\n  call<{}>(\"{}\"{pass});\n",
            camel(command.name),
            params.join(", "),
            qualified(&command.returns.name),
            command.name,
        ));
    }
    numbers(out)
}

/// A type name as seen from the wrappers' file: declared names get the `T.` prefix.
fn qualified(name: &str) -> String {
    let mut out = String::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if word.chars().next().is_some_and(char::is_uppercase) && word != "Array" {
            out.push_str("T.");
        }
        out.push_str(word);
        word.clear();
    };
    for c in name.chars() {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

fn ipc_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/ipc")
}

#[test]
fn the_committed_typescript_matches_the_rust_types() {
    let commands = commands();
    let files = [
        ("generated.ts", types_file(&commands)),
        ("generated-commands.ts", commands_file(&commands)),
    ];
    let write = std::env::var_os("FIELDBRIDGE_WRITE_IPC").is_some();
    for (name, text) in files {
        let path = ipc_dir().join(name);
        if write {
            std::fs::write(&path, &text).unwrap();
            continue;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == text,
            "{} is stale: the Rust types changed. Regenerate it with\n  FIELDBRIDGE_WRITE_IPC=1 cargo test -p fieldbridge --lib desktop::ipc_types\nand commit it.",
            path.display()
        );
    }
}

#[test]
fn names_are_camel_cased_and_qualified_for_the_wrappers() {
    assert_eq!(camel("app_customer_id"), "appCustomerId");
    assert_eq!(camel("get_qb_lists"), "getQbLists");
    assert_eq!(qualified("Array<ItemMapping>"), "Array<T.ItemMapping>");
    assert_eq!(qualified("bigint | null"), "bigint | null");
    assert_eq!(qualified("string"), "string");
}
