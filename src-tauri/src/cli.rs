//! The headless `fieldbridge` commands (shared design `cli.md`, a contract: tests outside the
//! project call them exactly as written there).
//!
//! This module parses arguments, calls the operations layer ([`crate::app`],
//! [`crate::office`], [`crate::ops`]: the same functions the window's buttons call), and
//! prints. The exit statuses ([`crate::options`]): 0 done; 1 failed, with one line on stderr
//! that says what and why; 2 usage (a command line, a setting or a kind that cannot be).
//! With no subcommand, `main` opens the window instead; this module never names it.

use crate::app::{describe_counts, App};
use crate::office::OfficeError;
use crate::ops::{records, safe_start, setting_keys};
use crate::options::{GlobalOpts, EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use crate::store::RecordKind;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "fieldbridge",
    about = "Keeps your field-service records in step with QuickBooks Desktop through the QuickBooks Web Connector.",
    long_about = None
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalOpts,
    /// Start in the tray with the window hidden (used when starting at login).
    #[arg(long, hide = true)]
    pub minimized: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the Web Connector endpoint with no window until Ctrl-C (SIGINT) or SIGTERM.
    Serve,
    /// Write the .qwc file to add FieldBridge to the Web Connector.
    Qwc {
        /// Write to FILE instead of standard output.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Print the Web Connector password.
    Password {
        /// Make a new password and print it (the old one stops working at once).
        #[arg(long)]
        reset: bool,
    },
    /// Print the local API's bearer token (`/api/v1`).
    ApiToken {
        /// Make a new token and print it (the old one stops working at once).
        #[arg(long)]
        reset: bool,
    },
    /// Import field-service records from JSON or CSV files (each file all or nothing).
    Import {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Choose the QuickBooks item used for a role.
    Map {
        /// service-item, service-tax-item, project-item or project-tax-item.
        role: String,
        /// The item's full name in QuickBooks, e.g. "Labor" or "Parts:Filters".
        item_full_name: String,
    },
    /// Link an app customer to a QuickBooks customer or job, or mark it to be created.
    Pair {
        app_customer_id: String,
        /// The QuickBooks ListID to link to.
        #[arg(required_unless_present = "create", conflicts_with = "create")]
        qb_list_id: Option<String>,
        /// Create the customer in QuickBooks at the next sync instead.
        #[arg(long)]
        create: bool,
    },
    /// Remove an app customer's link to QuickBooks.
    Unpair { app_customer_id: String },
    /// Where things stand: endpoint, company file, last contact, record counts.
    Status {
        #[arg(long)]
        json: bool,
    },
    /// The sync sessions, newest first; or one session in detail.
    History {
        #[arg(long)]
        json: bool,
        #[arg(long, value_name = "ID")]
        session: Option<i64>,
    },
    /// The app's records with their QuickBooks ids, sync state and what came back.
    Export {
        #[arg(long)]
        json: bool,
    },
    /// Every setting with its value; `settings set KEY VALUE` changes one.
    Settings {
        /// One JSON object, keys as the settings are named.
        #[arg(long)]
        json: bool,
        #[command(subcommand)]
        action: Option<SettingsAction>,
    },
    /// Put a failed record back to pending: the next sync sends it again (the window's Retry).
    Retry {
        /// customer, project, service-ticket, invoice or payment.
        kind: String,
        /// The record's import id.
        id: String,
    },
    /// Leave a record as it is in QuickBooks and stop sending it (the window's Skip).
    Skip {
        /// customer, project, service-ticket, invoice or payment.
        kind: String,
        /// The record's import id.
        id: String,
    },
    /// Settle a record changed both in QuickBooks and in the app: `keep-quickbooks` leaves
    /// QuickBooks' values (as Skip), `send-fieldbridge` sends the app's at the next run (as
    /// Retry, on QuickBooks' new EditSequence).
    Resolve {
        /// customer, project, service-ticket, invoice or payment.
        kind: String,
        /// The record's import id.
        id: String,
        /// keep-quickbooks or send-fieldbridge.
        choice: String,
    },
    /// The next Web Connector run re-reads QuickBooks' lists in full.
    Refresh,
    /// What the next Web Connector run would do, without doing it.
    Preview {
        /// `{"customers": {"add", "change", "link", "held"}, ..., "records": [...]}`.
        #[arg(long)]
        json: bool,
    },
    /// The next run accepts the company file QuickBooks has open as this data folder's
    /// company file (after it moved or its path changed), once it has found FieldBridge's
    /// own records in it (or, with nothing sent yet, its company name agrees).
    Rebind,
    /// Check this PC: Web Connector and QuickBooks installed, localhost on 127.0.0.1 and ::1,
    /// the port, the data folder, start at login, sleep, last contact. Exit 1 on any fail.
    Doctor {
        #[arg(long)]
        json: bool,
    },
    /// Vendors: list them with their QuickBooks vendor, link, create or unlink.
    Vendors {
        #[command(subcommand)]
        action: VendorsAction,
    },
    /// QuickBooks' accounts as last read: full name, type, number (what expense lines and
    /// `paid_from` may name).
    Accounts {
        #[arg(long)]
        json: bool,
    },
    /// The field-service platform link: set it up, switch it off, or see where it stands.
    Link {
        #[command(subcommand)]
        action: LinkAction,
    },
}

/// `fieldbridge vendors ...`: vendors pair with QuickBooks' vendors as customers do.
#[derive(Debug, Subcommand)]
pub enum VendorsAction {
    /// Every app vendor: where it stands, its QuickBooks vendor, suggestions.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Link an app vendor to a QuickBooks vendor (its ListID).
    Link {
        vendor_id: String,
        qb_list_id: String,
    },
    /// Create the vendor in QuickBooks at the next sync.
    Create { vendor_id: String },
    /// Remove an app vendor's link to QuickBooks.
    Unpair { vendor_id: String },
}

/// `fieldbridge link ...` (shared design `platform-link.md`).
#[derive(Debug, Subcommand)]
pub enum LinkAction {
    /// Set up (or change) the link: the platform's base URL and its API key.
    Set {
        /// https://..., or http:// only for localhost.
        url: String,
        /// Read the key from this file (its first line).
        #[arg(
            long,
            value_name = "F",
            conflicts_with = "key_stdin",
            required_unless_present = "key_stdin"
        )]
        key_file: Option<PathBuf>,
        /// Read the key from standard input (its first line).
        #[arg(long)]
        key_stdin: bool,
        /// Seconds between polls (10 to 3600; default 60).
        #[arg(long, value_name = "S")]
        interval: Option<u32>,
    },
    /// Switch the link off (it resumes where it stopped with `link set`).
    Off,
    /// Where the link stands.
    Status {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum SettingsAction {
    /// Change one setting (`fieldbridge settings` lists them and their values).
    Set { key: String, value: String },
}

/// `--version`: the product version and the database schema version it reads and writes.
pub fn version_line() -> String {
    format!(
        "{} (database schema {})",
        crate::VERSION,
        crate::store::SCHEMA_VERSION
    )
}

/// Parses the process arguments. `Err` is the exit status when there is nothing to run
/// (help or the version was printed: 0; the command line was not understood: 2).
pub fn parse() -> Result<Cli, i32> {
    use clap::{CommandFactory, FromArgMatches};
    Cli::command()
        .version(version_line())
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m))
        .map_err(|e| {
            let _ = e.print();
            match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    EXIT_OK
                }
                _ => EXIT_USAGE,
            }
        })
}

/// Runs one command; prints its output; returns the exit status.
pub fn run(global: &GlobalOpts, command: Command) -> i32 {
    match execute(global, command) {
        Ok(()) => EXIT_OK,
        Err(CliFailure::Usage(msg)) => {
            eprintln!("fieldbridge: {msg}");
            EXIT_USAGE
        }
        Err(CliFailure::Failed(msg)) => {
            eprintln!("fieldbridge: {msg}");
            EXIT_FAILED
        }
    }
}

enum CliFailure {
    Usage(String),
    Failed(String),
}

impl From<OfficeError> for CliFailure {
    fn from(e: OfficeError) -> Self {
        if e.is_usage() {
            CliFailure::Usage(e.to_string())
        } else {
            CliFailure::Failed(e.to_string())
        }
    }
}

fn execute(global: &GlobalOpts, command: Command) -> Result<(), CliFailure> {
    // `serve` runs the endpoint: one program per data folder, checked before the database
    // is opened or migrated.
    let _instance = match command {
        Command::Serve => Some(
            crate::paths::DataDir::resolve(global.data_dir.as_deref())
                .and_then(|d| d.claim_instance())
                .map_err(OfficeError::from)?,
        ),
        _ => None,
    };
    let app = App::open(global)?;
    // The log file always; stderr only for `serve` (other commands keep stderr for the one
    // line that says what failed). FIELDBRIDGE_LOG overrides both.
    let serving = matches!(command, Command::Serve);
    let _log = crate::logging::init(
        Some(&app.data_dir().logs()),
        if serving { "info" } else { "off" },
    );
    match command {
        Command::Serve => serve(&app)?,
        Command::Qwc { output: None } => print!("{}", app.qwc()?),
        Command::Qwc { output: Some(path) } => app.save_qwc(&path)?,
        Command::Password { reset: false } => println!("{}", app.password()?),
        Command::Password { reset: true } => println!("{}", app.reset_password()?),
        Command::ApiToken { reset: false } => println!("{}", app.api_token()?),
        Command::ApiToken { reset: true } => println!("{}", app.reset_api_token()?),
        Command::Import { files } => {
            for file in &files {
                match app.import_file(file) {
                    Ok(summary) => println!("{}: {}", file.display(), summary),
                    Err(OfficeError::ImportRejected { problems, .. }) if !problems.is_empty() => {
                        for p in &problems {
                            eprintln!("{p}");
                        }
                        return Err(CliFailure::Failed(format!(
                            "nothing was imported from {}: {} problem{} (listed above); fix the file and import it again",
                            file.display(),
                            problems.len(),
                            if problems.len() == 1 { "" } else { "s" }
                        )));
                    }
                    Err(e) => return Err(e.into()),
                }
            }
        }
        Command::Map {
            role,
            item_full_name,
        } => app.map_item(&role, &item_full_name)?,
        Command::Pair {
            app_customer_id,
            qb_list_id: Some(list_id),
            create: false,
        } => app.pair(&app_customer_id, &list_id)?,
        Command::Pair {
            app_customer_id,
            create: true,
            ..
        } => app.pair_create(&app_customer_id)?,
        Command::Pair { .. } => {
            return Err(CliFailure::Usage(
                "pair needs a QuickBooks ListID or --create".to_owned(),
            ))
        }
        Command::Unpair { app_customer_id } => app.unpair(&app_customer_id)?,
        Command::Status { json } => {
            let s = app.status()?;
            if json {
                print_json(&s)?;
            } else {
                println!("Web Connector endpoint: {}", s.endpoint.url);
                println!(
                    "Company file:           {}",
                    s.company_file
                        .as_deref()
                        .unwrap_or("none yet (the Web Connector has not synced)")
                );
                println!(
                    "Last contact:           {}",
                    s.last_contact.as_deref().unwrap_or("never")
                );
                for kind in RecordKind::ALL {
                    println!(
                        "{:<24}{}",
                        format!("{}:", capitalised(kind.plural())),
                        describe_counts(s.records.kind(kind))
                    );
                }
            }
        }
        Command::History {
            json,
            session: Some(id),
        } => {
            let detail = app.session_detail(id)?;
            if json {
                print_json(&detail)?;
            } else {
                print_session(&detail);
            }
        }
        Command::History {
            json,
            session: None,
        } => {
            let sessions = app.history(usize::MAX)?;
            if json {
                print_json(&sessions)?;
            } else if sessions.is_empty() {
                println!("No sync sessions yet: the Web Connector has not run.");
            } else {
                for s in sessions {
                    println!(
                        "#{:<5} {}  {:<8} {} requests, {} created, {} updated, {} failed",
                        s.id,
                        s.started_at,
                        s.outcome.as_str(),
                        s.requests,
                        s.created,
                        s.updated,
                        s.failed
                    );
                }
            }
        }
        Command::Export { json: _ } => print_json(&app.export()?)?,
        Command::Settings { json, action: None } => print_settings(&app, json)?,
        Command::Settings {
            action: Some(SettingsAction::Set { key, value }),
            ..
        } => {
            setting_keys::set(app.store(), &key, &value)?;
        }
        Command::Retry { kind, id } => records::retry(app.store(), &kind, &id)?,
        Command::Skip { kind, id } => records::skip(app.store(), &kind, &id)?,
        Command::Resolve { kind, id, choice } => {
            records::resolve(app.store(), &kind, &id, &choice)?
        }
        Command::Refresh => records::refresh(app.store())?,
        Command::Preview { json } => {
            let p = safe_start::get_preview(app.store())?;
            if json {
                print_json(&p.to_json())?;
            } else {
                print!(
                    "{}",
                    safe_start::preview_text(&p, safe_start::is_held(app.store())?)
                );
            }
        }
        Command::Rebind => {
            println!("{}", safe_start::rebind(app.store())?);
        }
        Command::Link { action } => link_command(&app, action)?,
        Command::Vendors { action } => vendors_command(&app, action)?,
        Command::Accounts { json } => {
            let all = app.accounts()?;
            if json {
                print_json(&all)?;
            } else if all.is_empty() {
                println!("No accounts read from QuickBooks yet (they are read at every sync).");
            } else {
                for a in all {
                    println!(
                        "{:<40} {:<24} {:<8}{}",
                        a.full_name,
                        a.account_type.map_or("(unknown)", |t| t.plain()),
                        a.account_number.as_deref().unwrap_or(""),
                        if a.is_active { "" } else { " (inactive)" }
                    );
                }
            }
        }
        Command::Doctor { json } => {
            let report = crate::doctor::run(&app);
            if json {
                print_json(&report)?;
            } else {
                for c in &report.checks {
                    println!("{:<5} {:<16} {}", c.status.as_str(), c.name, c.detail);
                    if let Some(fix) = &c.fix {
                        println!("{:<22} -> {fix}", "");
                    }
                }
            }
            if !report.passed() {
                return Err(CliFailure::Failed(
                    "the doctor found a problem (fail above); fix it and run the doctor again"
                        .to_owned(),
                ));
            }
        }
    }
    Ok(())
}

/// `settings`: one line per setting (name, value, what it does); `--json`: one object.
fn print_settings(app: &App, json: bool) -> Result<(), CliFailure> {
    let all = setting_keys::all(app.store())?;
    if json {
        let object: serde_json::Map<String, serde_json::Value> = all
            .into_iter()
            .map(|(k, v)| (k.name.to_owned(), v))
            .collect();
        return print_json(&object);
    }
    for (key, value) in all {
        let value = match value {
            serde_json::Value::Null => "none".to_owned(),
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        };
        println!("{:<22}{:<12}{}", key.name, value, key.about);
    }
    Ok(())
}

/// One session in words: the summary, then every record's outcome with QuickBooks' code
/// and message underneath.
fn print_session(detail: &crate::store::sessions::SessionDetail) {
    let s = &detail.session;
    println!(
        "Session #{} started {}, {}: {} requests, {} created, {} updated, {} failed",
        s.id,
        s.started_at,
        s.outcome.as_str(),
        s.requests,
        s.created,
        s.updated,
        s.failed
    );
    if let Some(file) = &s.company_file {
        println!("Company file: {file}");
    }
    if let Some(message) = &s.message {
        println!("{message}");
    }
    for row in &detail.history {
        let record = match (&row.record_kind, &row.record_id) {
            (Some(kind), Some(id)) => format!("{kind} {id}"),
            _ => "-".to_owned(),
        };
        println!(
            "  {record:<24} {:<16} {}",
            row.outcome,
            row.text.as_deref().unwrap_or("")
        );
        if let Some(code) = &row.qb_code {
            println!(
                "  {:<41} QuickBooks {code}: {}",
                "",
                row.qb_message.as_deref().unwrap_or("")
            );
        }
    }
}

fn print_json<T: serde::Serialize>(value: &T) -> Result<(), CliFailure> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| CliFailure::Failed(format!("cannot write JSON: {e}")))?;
    println!("{text}");
    Ok(())
}

fn vendors_command(app: &App, action: VendorsAction) -> Result<(), CliFailure> {
    match action {
        VendorsAction::List { json } => {
            let rows = app.vendors()?;
            if json {
                print_json(&rows)?;
            } else if rows.is_empty() {
                println!("No vendors imported yet.");
            } else {
                for v in rows {
                    let linked = match (&v.qb_name, &v.qb_list_id) {
                        (Some(n), Some(id)) => format!("QuickBooks \"{n}\" ({id})"),
                        (None, Some(id)) => format!("QuickBooks {id}"),
                        _ => "not linked".to_owned(),
                    };
                    println!("{:<12} {:<32} {:<16} {linked}", v.id, v.name, v.state);
                    if let Some(p) = &v.problem {
                        println!("             {p}");
                    }
                    for s in &v.suggestions {
                        println!(
                            "             may be \"{}\" ({}), score {}",
                            s.name, s.list_id, s.score
                        );
                    }
                }
            }
        }
        VendorsAction::Link {
            vendor_id,
            qb_list_id,
        } => app.vendor_link(&vendor_id, &qb_list_id)?,
        VendorsAction::Create { vendor_id } => app.vendor_create(&vendor_id)?,
        VendorsAction::Unpair { vendor_id } => app.vendor_unpair(&vendor_id)?,
    }
    Ok(())
}

fn link_command(app: &App, action: LinkAction) -> Result<(), CliFailure> {
    use crate::link::{setup, LinkError};
    let failed = |e: LinkError| match e {
        LinkError::Invalid(why) => CliFailure::Usage(why),
        other => CliFailure::Failed(other.to_string()),
    };
    match action {
        LinkAction::Set {
            url,
            key_file,
            key_stdin,
            interval,
        } => {
            let key = if key_stdin {
                let mut line = String::new();
                std::io::stdin().read_line(&mut line).map_err(|e| {
                    CliFailure::Failed(format!("cannot read the key from standard input: {e}"))
                })?;
                line
            } else {
                let path = key_file.expect("clap requires --key-file without --key-stdin");
                let text = std::fs::read_to_string(&path).map_err(|e| {
                    CliFailure::Failed(format!("cannot read the key file {}: {e}", path.display()))
                })?;
                text.lines().next().unwrap_or_default().to_owned()
            };
            setup::set(
                app.store(),
                &app.data_dir().platform_key_file(),
                &url,
                &key,
                interval,
            )
            .map_err(failed)?;
            println!("The platform link is set up; FieldBridge polls {} and reports back while `fieldbridge serve` or the app runs.", url.trim());
        }
        LinkAction::Off => {
            setup::off(app.store()).map_err(failed)?;
            println!("The platform link is off.");
        }
        LinkAction::Status { json } => {
            let s = setup::status(app.store()).map_err(failed)?;
            if json {
                print_json(&s)?;
            } else {
                println!(
                    "Platform:        {}",
                    s.url
                        .as_deref()
                        .unwrap_or("not set up (`fieldbridge link set URL --key-file F`)")
                );
                println!("State:           {}", s.state.as_str());
                println!(
                    "Last poll:       {}",
                    s.last_poll_at.as_deref().unwrap_or("never")
                );
                println!(
                    "Last delivery:   {}",
                    s.last_delivery_at.as_deref().unwrap_or("never")
                );
                println!("Events to send:  {}", s.events_pending);
                if let Some(p) = &s.last_problem {
                    println!("Last problem:    {p}");
                }
            }
        }
    }
    Ok(())
}

fn capitalised(word: &str) -> String {
    let word = word.replace('_', " ");
    let mut c = word.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// Runs the endpoint until Ctrl-C or SIGTERM; then finishes the request in hand and returns.
fn serve(app: &App) -> Result<(), OfficeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| OfficeError::Internal(format!("the endpoint cannot start: {e}")))?;
    runtime.block_on(async {
        // Listening starts before the port is bound: a signal sent the moment the port
        // answers stops serve cleanly instead of killing it.
        let signals = crate::shutdown::listen();
        app.serve(async move {
            let why = signals.requested().await;
            tracing::info!("stopping ({why}): finishing the request in hand");
        })
        .await
    })
}
