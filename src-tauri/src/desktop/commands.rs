//! The window's commands (the IPC contract's table), each three to six lines: take the
//! state, call one library function off the async runtime, answer. Errors are the library's
//! own [`OfficeError`], which serialises as the contract's `{ code, message }`. Argument
//! names are the contract's (Tauri maps `appCustomerId` to `app_customer_id`).

use super::chosen::ChosenPaths;
use super::Desk;
use crate::office::attention::cards::{self, AttentionCard};
use crate::office::attention::{self, AttentionItem};
use crate::office::connection::ConnectionStatus;
use crate::office::customers::{
    self, AcceptMatchesResult, CustomerPage, CustomerRow, ListCustomersRequest,
};
use crate::office::history::{self, ExportResult, SessionDetail, SessionPage};
use crate::office::imports::{self, ImportReport};
use crate::office::items::{self, ItemMapping, MappingRole, QbLists};
use crate::office::link::{self, LinkCard};
use crate::office::qb_customers::{
    self, ImportQbCustomersResult, QbCustomerPage, SearchQbCustomersRequest,
};
use crate::office::records::{self, InvoicePage, ListRecordsRequest, PaymentPage, TicketPage};
use crate::office::settings::{self, Settings, SettingsSaved};
use crate::office::sync_status::{self, SyncStatus};
use crate::office::vendors::{self, VendorRow};
use crate::office::watch_folder::{self, WatchFolder};
use crate::office::{ErrorCode, OfficeError};
use crate::ops::safe_start::{self, SafeStart};
use std::path::Path;
use tauri::{Manager, Runtime, State, WebviewWindow};

type Answer<T> = Result<T, OfficeError>;

/// Runs store work on a blocking thread (SQLite never runs on an async worker); an
/// unexpected failure is logged here, once, before the window shows its sentence.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Answer<T> + Send + 'static) -> Answer<T> {
    let answer = tauri::async_runtime::spawn_blocking(f)
        .await
        .unwrap_or_else(|e| {
            Err(OfficeError::Internal(format!(
                "FieldBridge stopped this request unexpectedly ({e}). Try again."
            )))
        });
    if let Err(e) = &answer {
        if e.code() == ErrorCode::Internal {
            tracing::error!("a window command failed: {e}");
        }
    }
    answer
}

fn desk(state: State<'_, Desk>) -> Desk {
    state.inner().clone()
}

/// The state, once every path was chosen in one of this window's dialogs ([`ChosenPaths`]).
fn chosen<R: Runtime>(
    state: State<'_, Desk>,
    window: &WebviewWindow<R>,
    paths: &[&str],
) -> Answer<Desk> {
    let paths: Vec<&Path> = paths.iter().map(Path::new).collect();
    window.state::<ChosenPaths>().take(window.label(), &paths)?;
    Ok(desk(state))
}

/// The save dialog; the path chosen is remembered for the command that writes it.
#[tauri::command]
pub async fn choose_save_path<R: Runtime>(
    _state: State<'_, Desk>,
    window: WebviewWindow<R>,
    file_name: String,
    filter_name: String,
    extensions: Vec<String>,
) -> Answer<Option<String>> {
    Ok(super::chosen::save_path(window, file_name, filter_name, extensions).await)
}

/// The open dialog for files to import.
#[tauri::command]
pub async fn choose_import_files<R: Runtime>(
    _state: State<'_, Desk>,
    window: WebviewWindow<R>,
) -> Answer<Option<Vec<String>>> {
    Ok(super::chosen::import_files(window).await)
}

/// The folder dialog (the watched folder).
#[tauri::command]
pub async fn choose_folder<R: Runtime>(
    _state: State<'_, Desk>,
    window: WebviewWindow<R>,
    title: String,
) -> Answer<Option<String>> {
    Ok(super::chosen::folder(window, title).await)
}

#[tauri::command]
pub async fn get_connection_status(state: State<'_, Desk>) -> Answer<ConnectionStatus> {
    let d = desk(state);
    blocking(move || d.app.connection_status()).await
}

#[tauri::command]
pub async fn get_qwc_password(state: State<'_, Desk>) -> Answer<String> {
    let d = desk(state);
    blocking(move || d.app.password()).await
}

#[tauri::command]
pub async fn reset_qwc_password(state: State<'_, Desk>) -> Answer<String> {
    let d = desk(state);
    blocking(move || d.app.reset_password()).await
}

#[tauri::command]
pub async fn get_api_token(state: State<'_, Desk>) -> Answer<String> {
    let d = desk(state);
    blocking(move || d.app.api_token()).await
}

#[tauri::command]
pub async fn reset_api_token(state: State<'_, Desk>) -> Answer<String> {
    let d = desk(state);
    blocking(move || d.app.reset_api_token()).await
}

#[tauri::command]
pub async fn save_qwc<R: Runtime>(
    state: State<'_, Desk>,
    window: WebviewWindow<R>,
    path: String,
) -> Answer<()> {
    let d = chosen(state, &window, &[&path])?;
    blocking(move || d.app.save_qwc(Path::new(&path))).await
}

#[tauri::command]
pub async fn list_customers(
    state: State<'_, Desk>,
    request: ListCustomersRequest,
) -> Answer<CustomerPage> {
    let d = desk(state);
    blocking(move || customers::list(d.app.store(), &d.suggestions, &request)).await
}

#[tauri::command]
pub async fn search_qb_customers(
    state: State<'_, Desk>,
    request: SearchQbCustomersRequest,
) -> Answer<QbCustomerPage> {
    let d = desk(state);
    blocking(move || qb_customers::search(d.app.store(), &request)).await
}

#[tauri::command]
pub async fn link_customer(
    state: State<'_, Desk>,
    app_customer_id: String,
    qb_list_id: String,
) -> Answer<CustomerRow> {
    let d = desk(state);
    blocking(move || customers::link(d.app.store(), &d.suggestions, &app_customer_id, &qb_list_id))
        .await
}

#[tauri::command]
pub async fn unlink_customer(
    state: State<'_, Desk>,
    app_customer_id: String,
) -> Answer<CustomerRow> {
    let d = desk(state);
    blocking(move || customers::unlink(d.app.store(), &d.suggestions, &app_customer_id)).await
}

#[tauri::command]
pub async fn create_customer_in_qb(
    state: State<'_, Desk>,
    app_customer_id: String,
) -> Answer<CustomerRow> {
    let d = desk(state);
    blocking(move || {
        customers::create_in_quickbooks(d.app.store(), &d.suggestions, &app_customer_id)
    })
    .await
}

#[tauri::command]
pub async fn accept_exact_matches(state: State<'_, Desk>) -> Answer<AcceptMatchesResult> {
    let d = desk(state);
    blocking(move || customers::accept_exact_matches(d.app.store(), &d.suggestions)).await
}

#[tauri::command]
pub async fn list_vendors(state: State<'_, Desk>) -> Answer<Vec<VendorRow>> {
    let d = desk(state);
    blocking(move || vendors::list(d.app.store())).await
}

#[tauri::command]
pub async fn link_vendor(state: State<'_, Desk>, vendor_id: String, list_id: String) -> Answer<()> {
    let d = desk(state);
    blocking(move || vendors::link(d.app.store(), &vendor_id, &list_id)).await
}

#[tauri::command]
pub async fn create_vendor(state: State<'_, Desk>, vendor_id: String) -> Answer<()> {
    let d = desk(state);
    blocking(move || vendors::create(d.app.store(), &vendor_id)).await
}

#[tauri::command]
pub async fn unpair_vendor(state: State<'_, Desk>, vendor_id: String) -> Answer<()> {
    let d = desk(state);
    blocking(move || vendors::unpair(d.app.store(), &vendor_id)).await
}

#[tauri::command]
pub async fn request_customer_refresh(state: State<'_, Desk>) -> Answer<()> {
    let d = desk(state);
    blocking(move || customers::request_refresh(d.app.store())).await
}

#[tauri::command]
pub async fn import_qb_customers(
    state: State<'_, Desk>,
    qb_list_ids: Vec<String>,
) -> Answer<ImportQbCustomersResult> {
    let d = desk(state);
    blocking(move || qb_customers::import(d.app.store(), &qb_list_ids)).await
}

#[tauri::command]
pub async fn get_qb_lists(state: State<'_, Desk>) -> Answer<QbLists> {
    let d = desk(state);
    blocking(move || items::qb_lists(d.app.store())).await
}

#[tauri::command]
pub async fn get_item_mappings(state: State<'_, Desk>) -> Answer<Vec<ItemMapping>> {
    let d = desk(state);
    blocking(move || items::mappings(d.app.store())).await
}

#[tauri::command]
pub async fn set_item_mapping(
    state: State<'_, Desk>,
    role: MappingRole,
    item_full_name: String,
) -> Answer<ItemMapping> {
    let d = desk(state);
    blocking(move || items::set_mapping(d.app.store(), role, &item_full_name)).await
}

#[tauri::command]
pub async fn get_settings(state: State<'_, Desk>) -> Answer<Settings> {
    let d = desk(state);
    blocking(move || settings::get(d.app.store())).await
}

#[tauri::command]
pub async fn update_settings(state: State<'_, Desk>, settings: Settings) -> Answer<SettingsSaved> {
    let d = desk(state);
    blocking(move || settings::update(d.app.store(), &settings)).await
}

#[tauri::command]
pub async fn get_sync_status(state: State<'_, Desk>) -> Answer<SyncStatus> {
    let d = desk(state);
    blocking(move || sync_status::status(d.app.store(), &d.live)).await
}

#[tauri::command]
pub async fn list_attention(state: State<'_, Desk>) -> Answer<Vec<AttentionItem>> {
    let d = desk(state);
    blocking(move || attention::list(d.app.store())).await
}

#[tauri::command]
pub async fn list_attention_cards(state: State<'_, Desk>) -> Answer<Vec<AttentionCard>> {
    let d = desk(state);
    blocking(move || cards::list_cards(d.app.store())).await
}

#[tauri::command]
pub async fn dismiss_attention_card(state: State<'_, Desk>, card_id: String) -> Answer<()> {
    let d = desk(state);
    blocking(move || cards::dismiss(d.app.store(), &card_id)).await
}

#[tauri::command]
pub async fn retry_record(state: State<'_, Desk>, attention_id: String) -> Answer<()> {
    let d = desk(state);
    blocking(move || attention::retry(d.app.store(), &attention_id)).await
}

#[tauri::command]
pub async fn skip_record(state: State<'_, Desk>, attention_id: String) -> Answer<()> {
    let d = desk(state);
    blocking(move || attention::skip(d.app.store(), &attention_id)).await
}

#[tauri::command]
pub async fn rename_record(
    state: State<'_, Desk>,
    attention_id: String,
    value: String,
) -> Answer<()> {
    let d = desk(state);
    blocking(move || attention::rename(d.app.store(), &attention_id, &value)).await
}

#[tauri::command]
pub async fn list_sessions(state: State<'_, Desk>, offset: u64, limit: u64) -> Answer<SessionPage> {
    let d = desk(state);
    blocking(move || history::list(d.app.store(), offset, limit)).await
}

#[tauri::command]
pub async fn get_session(state: State<'_, Desk>, session_id: i64) -> Answer<SessionDetail> {
    let d = desk(state);
    blocking(move || history::detail(d.app.store(), session_id)).await
}

#[tauri::command]
pub async fn export_history_csv<R: Runtime>(
    state: State<'_, Desk>,
    window: WebviewWindow<R>,
    path: String,
    session_id: Option<i64>,
) -> Answer<ExportResult> {
    let d = chosen(state, &window, &[&path])?;
    blocking(move || history::export_csv(d.app.store(), Path::new(&path), session_id)).await
}

#[tauri::command]
pub async fn import_files<R: Runtime>(
    state: State<'_, Desk>,
    window: WebviewWindow<R>,
    paths: Vec<String>,
) -> Answer<ImportReport> {
    let d = chosen(
        state,
        &window,
        &paths.iter().map(String::as_str).collect::<Vec<_>>(),
    )?;
    blocking(move || imports::import_files(d.app.store(), d.app.events(), &paths)).await
}

#[tauri::command]
pub async fn import_sample_data(state: State<'_, Desk>) -> Answer<ImportReport> {
    let d = desk(state);
    blocking(move || imports::import_sample_data(d.app.store(), d.app.events())).await
}

#[tauri::command]
pub async fn get_link_status(state: State<'_, Desk>) -> Answer<LinkCard> {
    let d = desk(state);
    blocking(move || link::card(d.app.store(), &d.app.data_dir().platform_key_file())).await
}

#[tauri::command]
pub async fn set_link(
    state: State<'_, Desk>,
    url: String,
    key: String,
    interval_s: Option<u32>,
) -> Answer<LinkCard> {
    let d = desk(state);
    let key_file = d.app.data_dir().platform_key_file();
    blocking(move || {
        link::set(
            d.app.store(),
            d.app.events(),
            &key_file,
            &url,
            &key,
            interval_s,
        )
    })
    .await
}

#[tauri::command]
pub async fn turn_link_off(state: State<'_, Desk>) -> Answer<LinkCard> {
    let d = desk(state);
    let key_file = d.app.data_dir().platform_key_file();
    blocking(move || link::turn_off(d.app.store(), d.app.events(), &key_file)).await
}

/// Network, not SQLite: runs on the async runtime (the HTTP client is async).
#[tauri::command]
pub async fn test_link(state: State<'_, Desk>, url: String, key: String) -> Answer<()> {
    let key_file = desk(state).app.data_dir().platform_key_file();
    link::test(&url, &key, &key_file).await
}

#[tauri::command]
pub async fn list_invoices(
    state: State<'_, Desk>,
    request: ListRecordsRequest,
) -> Answer<InvoicePage> {
    let d = desk(state);
    blocking(move || records::list_invoices(d.app.store(), &request)).await
}

#[tauri::command]
pub async fn list_tickets(
    state: State<'_, Desk>,
    request: ListRecordsRequest,
) -> Answer<TicketPage> {
    let d = desk(state);
    blocking(move || records::list_tickets(d.app.store(), &request)).await
}

#[tauri::command]
pub async fn list_payments(
    state: State<'_, Desk>,
    request: ListRecordsRequest,
) -> Answer<PaymentPage> {
    let d = desk(state);
    blocking(move || records::list_payments(d.app.store(), &request)).await
}

#[tauri::command]
pub async fn get_watch_folder(state: State<'_, Desk>) -> Answer<WatchFolder> {
    let d = desk(state);
    blocking(move || watch_folder::get(d.app.store())).await
}

#[tauri::command]
pub async fn set_watch_folder<R: Runtime>(
    state: State<'_, Desk>,
    window: WebviewWindow<R>,
    path: Option<String>,
) -> Answer<WatchFolder> {
    let d = chosen(state, &window, path.as_deref().as_slice())?;
    blocking(move || watch_folder::set(d.app.store(), d.app.events(), path.as_deref())).await
}

#[tauri::command]
pub async fn get_safe_start(state: State<'_, Desk>) -> Answer<SafeStart> {
    let d = desk(state);
    blocking(move || safe_start::safe_start(d.app.store())).await
}

#[tauri::command]
pub async fn start_sending(state: State<'_, Desk>) -> Answer<()> {
    let d = desk(state);
    blocking(move || safe_start::start_sending(d.app.store())).await
}

#[tauri::command]
pub async fn rebind_company_file(state: State<'_, Desk>) -> Answer<String> {
    let d = desk(state);
    blocking(move || safe_start::rebind(d.app.store())).await
}

/// `fieldbridge doctor --json`'s checks, for the Connect page's panel (a few seconds: it
/// probes the endpoint on both loopback addresses).
#[tauri::command]
pub async fn run_doctor(state: State<'_, Desk>) -> Answer<crate::doctor::Report> {
    let d = desk(state);
    blocking(move || Ok(crate::doctor::run(&d.app))).await
}

/// Opens, in the file manager, the folder the watched folder's last file went to.
#[tauri::command]
pub async fn show_watch_folder(state: State<'_, Desk>) -> Answer<()> {
    let d = desk(state);
    blocking(move || super::reveal::open_folder(&watch_folder::last_file_folder(d.app.store())?))
        .await
}

/// Who walks the command table (the TypeScript generator in ipc_types.rs).
#[cfg(test)]
pub(super) trait ContractVisitor {
    fn arg<T: ts_rs::TS + 'static>(&mut self, name: &'static str);
    fn command<R: ts_rs::TS + 'static>(&mut self, name: &'static str);
}

/// The contract's command table, written once: it registers the commands, checks at compile
/// time that each function takes exactly these arguments and answers this type, and (in
/// tests) feeds the TypeScript generator (ipc_types.rs) the same list. `[window]` marks a
/// command that also takes the calling window (Tauri passes it; the page does not).
macro_rules! contract {
    ($($name:ident $([$window:ident])? ($($arg:ident: $ty:ty),*) -> $ret:ty;)*) => {
        /// Registers every command of the contract.
        pub fn register<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
            builder.invoke_handler(tauri::generate_handler![$($name),*])
        }

        $(const _: () = {
            #[allow(dead_code)]
            fn check<'a, R: Runtime>(
                state: State<'a, Desk>,
                $($window: WebviewWindow<R>,)?
                $($arg: $ty),*
            ) -> impl std::future::Future<Output = Answer<$ret>> + 'a {
                $name(state, $($window,)? $($arg),*)
            }
        };)*

        /// Walks the table for the TypeScript generator (test builds only): each command's
        /// arguments in order, then the command with its answer.
        #[cfg(test)]
        pub(super) fn contract(v: &mut impl ContractVisitor) {
            $($(v.arg::<$ty>(stringify!($arg));)* v.command::<$ret>(stringify!($name));)*
        }
    };
}

contract! {
    get_connection_status() -> ConnectionStatus;
    get_qwc_password() -> String;
    reset_qwc_password() -> String;
    get_api_token() -> String;
    reset_api_token() -> String;
    save_qwc[window](path: String) -> ();
    list_customers(request: ListCustomersRequest) -> CustomerPage;
    search_qb_customers(request: SearchQbCustomersRequest) -> QbCustomerPage;
    link_customer(app_customer_id: String, qb_list_id: String) -> CustomerRow;
    unlink_customer(app_customer_id: String) -> CustomerRow;
    create_customer_in_qb(app_customer_id: String) -> CustomerRow;
    accept_exact_matches() -> AcceptMatchesResult;
    request_customer_refresh() -> ();
    list_vendors() -> Vec<VendorRow>;
    link_vendor(vendor_id: String, list_id: String) -> ();
    create_vendor(vendor_id: String) -> ();
    unpair_vendor(vendor_id: String) -> ();
    import_qb_customers(qb_list_ids: Vec<String>) -> ImportQbCustomersResult;
    get_qb_lists() -> QbLists;
    get_item_mappings() -> Vec<ItemMapping>;
    set_item_mapping(role: MappingRole, item_full_name: String) -> ItemMapping;
    get_settings() -> Settings;
    update_settings(settings: Settings) -> SettingsSaved;
    get_sync_status() -> SyncStatus;
    list_attention() -> Vec<AttentionItem>;
    retry_record(attention_id: String) -> ();
    skip_record(attention_id: String) -> ();
    rename_record(attention_id: String, value: String) -> ();
    list_sessions(offset: u64, limit: u64) -> SessionPage;
    get_session(session_id: i64) -> SessionDetail;
    export_history_csv[window](path: String, session_id: Option<i64>) -> ExportResult;
    import_files[window](paths: Vec<String>) -> ImportReport;
    import_sample_data() -> ImportReport;
    get_link_status() -> LinkCard;
    set_link(url: String, key: String, interval_s: Option<u32>) -> LinkCard;
    turn_link_off() -> LinkCard;
    test_link(url: String, key: String) -> ();
    list_invoices(request: ListRecordsRequest) -> InvoicePage;
    list_tickets(request: ListRecordsRequest) -> TicketPage;
    list_payments(request: ListRecordsRequest) -> PaymentPage;
    get_watch_folder() -> WatchFolder;
    set_watch_folder[window](path: Option<String>) -> WatchFolder;
    choose_save_path[window](file_name: String, filter_name: String, extensions: Vec<String>) -> Option<String>;
    choose_import_files[window]() -> Option<Vec<String>>;
    choose_folder[window](title: String) -> Option<String>;
    run_doctor() -> crate::doctor::Report;
    show_watch_folder() -> ();
    list_attention_cards() -> Vec<AttentionCard>;
    dismiss_attention_card(card_id: String) -> ();
    get_safe_start() -> SafeStart;
    start_sending() -> ();
    rebind_company_file() -> String;
}
