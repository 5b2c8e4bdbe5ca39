//! FieldBridge as one running program: the data folder opened, its store, the endpoint's
//! port, the event bus, and every operation the edges offer. The CLI (`cli.rs`) and the
//! window (`desktop/`) both call these functions and nothing below them, so a command and a
//! button always do the same thing.
//!
//! Everything here is blocking (it touches SQLite): async callers use `spawn_blocking`.
//! Errors are [`OfficeError`], the one error type of both edges: one sentence a person can
//! read, with a stable code the UI branches on and the CLI turns into an exit status.

use crate::events::{AppEvent, EventBus};
use crate::import::{self, ImportError, ImportSummary};
use crate::office::OfficeError;
use crate::options::GlobalOpts;
use crate::paths::DataDir;
use crate::qbwc;
use crate::store::mappings::{self, ItemRole};
use crate::store::status::{Export, StateCounts};
use crate::store::{pairings, sessions, settings, status, Store, StoreError};
use serde::Serialize;
use std::path::Path;

/// `status --json` (shared design `cli.md`: these field names are a contract).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Status {
    pub endpoint: EndpointInfo,
    pub company_file: Option<String>,
    pub company_name: Option<String>,
    pub last_contact: Option<String>,
    pub records: status::RecordCounts,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EndpointInfo {
    pub url: String,
    pub port: u16,
}

/// An opened data folder.
#[derive(Clone)]
pub struct App {
    data_dir: DataDir,
    store: Store,
    /// The port this process's endpoint listens on (fixed for its life).
    port: u16,
    /// `--port` / `FIELDBRIDGE_PORT`, which outranks the saved setting.
    explicit_port: Option<u16>,
    events: EventBus,
    /// The endpoint's state and recent wrong passwords (the Connect page's health).
    connection: crate::office::connection::ConnectionMonitor,
}

impl App {
    /// Opens (creating if needed) the data folder and its database. The port is the one
    /// given, else the one saved in settings, else the endpoint's default.
    pub fn open(global: &GlobalOpts) -> Result<Self, OfficeError> {
        let data_dir = DataDir::resolve(global.data_dir.as_deref())?;
        Self::open_dir(data_dir, global.port)
    }

    pub fn open_dir(data_dir: DataDir, port: Option<u16>) -> Result<Self, OfficeError> {
        let new_folder = !data_dir.database().exists();
        let store = Store::open(&data_dir.database())?;
        if new_folder {
            // A new data folder's first run on a company file that already holds records
            // starts held (issue 15); folders made before keep what they had.
            store.write(|tx| crate::sync::hold::set_first_run_hold_enabled(tx, true))?;
        }
        data_dir.keep_database_private();
        let saved = store.read(settings::port)?;
        Ok(Self {
            port: port.or(saved).unwrap_or(qbwc::DEFAULT_PORT),
            explicit_port: port,
            data_dir,
            store,
            events: EventBus::new(),
            connection: crate::office::connection::ConnectionMonitor::new(),
        })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }
    pub fn data_dir(&self) -> &DataDir {
        &self.data_dir
    }
    pub fn events(&self) -> &EventBus {
        &self.events
    }
    pub fn port(&self) -> u16 {
        self.port
    }
    pub fn connection(&self) -> &crate::office::connection::ConnectionMonitor {
        &self.connection
    }

    /// The Connect page's health (and the tray's colour): the endpoint, the last contact,
    /// the bound company file, in words.
    pub fn connection_status(
        &self,
    ) -> Result<crate::office::connection::ConnectionStatus, OfficeError> {
        crate::office::connection::status(
            &self.store,
            &self.connection,
            &self.endpoint_url(),
            qbwc::DEFAULT_USER_NAME,
            chrono::Utc::now(),
        )
    }

    /// The address the Web Connector calls.
    pub fn endpoint_url(&self) -> String {
        format!("http://localhost:{}{}", self.port, qbwc::SOAP_PATH)
    }

    /// The Web Connector password (made on first use).
    pub fn password(&self) -> Result<String, OfficeError> {
        Ok(
            qbwc::password::load_or_create(&self.data_dir.password_file())?
                .expose()
                .to_owned(),
        )
    }

    /// A new password; the old one stops working at once (the endpoint reads the file on
    /// every authenticate).
    pub fn reset_password(&self) -> Result<String, OfficeError> {
        let p = qbwc::password::reset(&self.data_dir.password_file())?;
        tracing::info!("the Web Connector password was reset");
        self.events.emit(AppEvent::ConnectionChanged);
        Ok(p.expose().to_owned())
    }

    /// The local API's bearer token (made on first use).
    pub fn api_token(&self) -> Result<String, OfficeError> {
        let file = crate::api::token::file_in(self.data_dir.root());
        Ok(crate::api::token::load_or_create(&file)?
            .expose()
            .to_owned())
    }

    /// A new API token; the old one stops working at once.
    pub fn reset_api_token(&self) -> Result<String, OfficeError> {
        let file = crate::api::token::file_in(self.data_dir.root());
        let token = crate::api::token::reset(&file)?;
        tracing::info!("the local API token was reset");
        self.events.emit(AppEvent::ConnectionChanged);
        Ok(token.expose().to_owned())
    }

    /// The .qwc file's text for this data folder, with the port the endpoint listens on
    /// from the next start: a port changed in settings is in the file at once, so the file
    /// downloaded after the change is the one to add once FieldBridge has restarted.
    pub fn qwc(&self) -> Result<String, OfficeError> {
        let (owner_id, file_id, minutes, saved_port) = self.store.write(|tx| {
            Ok::<_, StoreError>((
                settings::owner_id(tx)?,
                settings::file_id(tx)?,
                settings::run_every_minutes(tx)?,
                settings::port(tx)?,
            ))
        })?;
        let port = self
            .explicit_port
            .or(saved_port)
            .unwrap_or(qbwc::DEFAULT_PORT);
        let parse = |text: &str| {
            uuid::Uuid::parse_str(text.trim_matches(|c| c == '{' || c == '}')).map_err(|_| {
                OfficeError::Store(StoreError::Corrupt {
                    place: "settings (.qwc ids)",
                    value: text.to_owned(),
                    expected: "a GUID",
                })
            })
        };
        Ok(qbwc::qwc::render(&qbwc::qwc::QwcConfig {
            app_name: qbwc::qwc::DEFAULT_APP_NAME.to_owned(),
            app_description: qbwc::qwc::DEFAULT_APP_DESCRIPTION.to_owned(),
            port,
            user_name: qbwc::DEFAULT_USER_NAME.to_owned(),
            owner_id: parse(&owner_id)?,
            file_id: parse(&file_id)?,
            run_every_minutes: minutes,
        }))
    }

    /// Writes the .qwc file to `path`.
    pub fn save_qwc(&self, path: &Path) -> Result<(), OfficeError> {
        let text = self.qwc()?;
        std::fs::write(path, text)
            .map_err(|e| OfficeError::Io(format!("cannot write {}: {e}", path.display())))
    }

    /// Imports one file, all or nothing.
    pub fn import_file(&self, path: &Path) -> Result<ImportSummary, OfficeError> {
        let result = import::import_file(&self.store, path);
        self.finish_import(&path.display().to_string(), result)
    }

    /// Imports bytes (the window's file picker, the sample data), all or nothing.
    pub fn import_bytes(&self, name: &str, bytes: &[u8]) -> Result<ImportSummary, OfficeError> {
        let result = import::import_bytes(&self.store, name, bytes);
        self.finish_import(name, result)
    }

    /// Imports a document of a known format (the local API's body, the watched folder's
    /// files), all or nothing: the same import path as a file.
    pub fn import_as(
        &self,
        name: &str,
        bytes: &[u8],
        format: import::Format,
    ) -> Result<ImportSummary, OfficeError> {
        let result = import::import_as(&self.store, name, bytes, format);
        self.finish_import(name, result)
    }

    fn finish_import(
        &self,
        file: &str,
        result: Result<ImportSummary, ImportError>,
    ) -> Result<ImportSummary, OfficeError> {
        match result {
            Ok(summary) => {
                tracing::info!(file, "imported");
                self.events.emit(AppEvent::RecordsChanged);
                Ok(summary)
            }
            Err(ImportError::Rejected(r)) => Err(OfficeError::ImportRejected {
                file: file.to_owned(),
                count: r.total,
                problems: r.problems,
                details: r.details,
            }),
            Err(ImportError::Store(e)) => Err(OfficeError::Store(e)),
            Err(e) => Err(OfficeError::Io(e.to_string())),
        }
    }

    /// Sets an item mapping (`role` as the CLI spells it).
    pub fn map_item(&self, role: &str, item_full_name: &str) -> Result<(), OfficeError> {
        let role: ItemRole = role.parse()?;
        self.store
            .write(|tx| mappings::set_item(tx, role, item_full_name))?;
        self.events.emit(AppEvent::RecordsChanged);
        Ok(())
    }

    /// Links an app customer to a QuickBooks customer or job the mirror knows.
    pub fn pair(&self, customer_id: &str, list_id: &str) -> Result<(), OfficeError> {
        self.store
            .write(|tx| pairings::link(tx, customer_id, list_id, pairings::PairingHow::Manual))?;
        self.events.emit(AppEvent::RecordsChanged);
        Ok(())
    }

    /// Marks an app customer to be created in QuickBooks at the next sync.
    pub fn pair_create(&self, customer_id: &str) -> Result<(), OfficeError> {
        self.store
            .write(|tx| pairings::mark_create(tx, customer_id))?;
        self.events.emit(AppEvent::RecordsChanged);
        Ok(())
    }

    pub fn unpair(&self, customer_id: &str) -> Result<(), OfficeError> {
        self.store.write(|tx| pairings::unpair(tx, customer_id))?;
        self.events.emit(AppEvent::RecordsChanged);
        Ok(())
    }

    /// Every app vendor with where it stands and what pairing suggests.
    pub fn vendors(&self) -> Result<Vec<crate::office::vendors::VendorRow>, OfficeError> {
        crate::office::vendors::list(&self.store)
    }

    /// Links an app vendor to a QuickBooks vendor.
    pub fn vendor_link(&self, vendor_id: &str, list_id: &str) -> Result<(), OfficeError> {
        crate::office::vendors::link(&self.store, vendor_id, list_id)?;
        self.events.emit(AppEvent::RecordsChanged);
        Ok(())
    }

    /// Marks an app vendor to be created in QuickBooks at the next sync.
    pub fn vendor_create(&self, vendor_id: &str) -> Result<(), OfficeError> {
        crate::office::vendors::create(&self.store, vendor_id)?;
        self.events.emit(AppEvent::RecordsChanged);
        Ok(())
    }

    /// Removes an app vendor's link to QuickBooks.
    pub fn vendor_unpair(&self, vendor_id: &str) -> Result<(), OfficeError> {
        crate::office::vendors::unpair(&self.store, vendor_id)?;
        self.events.emit(AppEvent::RecordsChanged);
        Ok(())
    }

    /// QuickBooks' accounts as last read.
    pub fn accounts(&self) -> Result<Vec<crate::store::accounts::QbAccount>, OfficeError> {
        crate::office::vendors::accounts(&self.store)
    }

    pub fn status(&self) -> Result<Status, OfficeError> {
        let s = self.store.read(status::status)?;
        Ok(Status {
            endpoint: EndpointInfo {
                url: self.endpoint_url(),
                port: self.port,
            },
            company_name: s.company.as_ref().and_then(|c| c.company_name.clone()),
            company_file: s.company_file,
            last_contact: s.last_contact,
            records: s.records,
        })
    }

    pub fn history(&self, limit: usize) -> Result<Vec<sessions::SessionSummary>, OfficeError> {
        Ok(self.store.read(|c| sessions::list_sessions(c, limit))?)
    }

    pub fn session_detail(&self, id: i64) -> Result<sessions::SessionDetail, OfficeError> {
        self.store
            .read(|c| sessions::session_detail(c, id))?
            .ok_or_else(|| {
                OfficeError::NotFound(format!(
                    "there is no sync session {id}; `fieldbridge history` lists them"
                ))
            })
    }

    pub fn export(&self) -> Result<Export, OfficeError> {
        Ok(self.store.read(status::export)?)
    }

    /// Binds the Web Connector endpoint (loopback only) with the sync engine behind it.
    pub async fn bind_endpoint(&self) -> Result<qbwc::Bound, OfficeError> {
        // The password file must exist before the Web Connector can authenticate.
        self.password()?;
        // Watched: the engine does the work; the Connect page's monitor notes what the
        // endpoint saw (wrong passwords) on the way.
        let engine = std::sync::Arc::new(crate::office::connection::Watched {
            inner: crate::sync::Engine::new(self.store.clone(), self.events.clone()),
            monitor: self.connection.clone(),
            events: self.events.clone(),
        });
        let mut endpoint = qbwc::Endpoint::new(
            self.port,
            qbwc::DEFAULT_USER_NAME.to_owned(),
            self.data_dir.password_file(),
            engine,
        );
        endpoint.api = Some(crate::api::Api::new(self.clone())?);
        Ok(qbwc::bind(endpoint).await?)
    }

    /// Runs the endpoint until `shutdown` resolves; then finishes the request in hand.
    pub async fn serve(
        &self,
        shutdown: impl std::future::Future<Output = ()>,
    ) -> Result<(), OfficeError> {
        let bound = self.bind_endpoint().await?;
        tracing::info!(
            url = %self.endpoint_url(),
            data_dir = %self.data_dir.root().display(),
            "FieldBridge is listening for the QuickBooks Web Connector"
        );
        self.events.emit(AppEvent::ConnectionChanged);
        let background = self.start_background();
        bound.run(shutdown).await;
        background.stop().await;
        tracing::info!("stopped");
        Ok(())
    }

    /// Starts the tasks that run beside the endpoint (the platform link) on the current
    /// tokio runtime; [`Background::stop`] ends them.
    pub fn start_background(&self) -> Background {
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let link = crate::link::Link::new(self.store.clone(), self.data_dir.platform_key_file());
        let mut rx = stopped.clone();
        let task = tokio::spawn(link.run(async move {
            let _ = rx.wait_for(|s| *s).await;
        }));
        Background {
            stop,
            tasks: vec![task],
        }
    }
}

/// The tasks beside the endpoint, and how to stop them.
pub struct Background {
    stop: tokio::sync::watch::Sender<bool>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Background {
    /// Asks every task to stop and waits until they have.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        for t in self.tasks {
            let _ = t.await;
        }
    }
}

/// Counts as one line of words, e.g. "12 pending, 3 synced, 1 failed, 2 need attention".
pub fn describe_counts(c: &StateCounts) -> String {
    format!(
        "{} pending, {} synced, {} failed, {} need{} attention",
        c.pending,
        c.synced,
        c.failed,
        c.needs_attention,
        if c.needs_attention == 1 { "s" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 14: a port changed in the window (or `settings set port`) is in the .qwc file
    /// at once (the file to add after the restart), while this process keeps listening on
    /// the port it started with; `--port` outranks the setting.
    #[test]
    fn the_qwc_names_the_port_of_the_next_start() {
        let dir = tempfile::tempdir().unwrap();
        let app = App::open_dir(DataDir::resolve(Some(dir.path())).unwrap(), None).unwrap();
        assert!(app
            .qwc()
            .unwrap()
            .contains(&format!("localhost:{}/", qbwc::DEFAULT_PORT)));
        crate::ops::setting_keys::set(app.store(), "port", "8799").unwrap();
        assert!(
            app.qwc().unwrap().contains("localhost:8799/"),
            "{}",
            app.qwc().unwrap()
        );
        assert_eq!(
            app.port(),
            qbwc::DEFAULT_PORT,
            "the running endpoint's port stays"
        );
        let explicit =
            App::open_dir(DataDir::resolve(Some(dir.path())).unwrap(), Some(9001)).unwrap();
        assert!(explicit.qwc().unwrap().contains("localhost:9001/"));
    }
}
