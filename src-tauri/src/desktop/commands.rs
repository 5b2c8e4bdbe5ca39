//! The window's commands (the IPC contract's table), each three to six lines: take the
//! state, call one library function off the async runtime, map the error. Argument names
//! are the contract's (Tauri maps `appCustomerId` to `app_customer_id`).

use super::error::IpcError;
use super::Desk;
use crate::office::attention::{self, AttentionItem};
use crate::office::connection::{self, ConnectionStatus};
use crate::office::customers::{
    self, AcceptMatchesResult, CustomerPage, CustomerRow, ListCustomersRequest,
};
use crate::office::history::{self, ExportResult, SessionDetail, SessionPage};
use crate::office::imports::{self, ImportReport};
use crate::office::items::{self, ItemMapping, MappingRole, QbLists};
use crate::office::qb_customers::{
    self, ImportQbCustomersResult, QbCustomerPage, SearchQbCustomersRequest,
};
use crate::office::settings::{self, Settings, SettingsSaved};
use crate::office::sync_status::{self, SyncStatus};
use crate::qbwc::DEFAULT_USER_NAME;
use std::path::Path;
use tauri::State;

type Answer<T> = Result<T, IpcError>;

/// Runs store work on a blocking thread (SQLite never runs on an async worker).
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Answer<T> + Send + 'static) -> Answer<T> {
    tauri::async_runtime::spawn_blocking(f).await.map_err(|e| {
        IpcError::new(
            "internal",
            format!("FieldBridge stopped this request unexpectedly ({e}). Try again."),
        )
    })?
}

fn desk(state: State<'_, Desk>) -> Desk {
    state.inner().clone()
}

#[tauri::command]
pub async fn get_connection_status(state: State<'_, Desk>) -> Answer<ConnectionStatus> {
    let d = desk(state);
    let url = d.app.endpoint_url();
    blocking(move || {
        Ok(connection::status(
            d.app.store(),
            d.app.connection(),
            &url,
            DEFAULT_USER_NAME,
            chrono::Utc::now(),
        )?)
    })
    .await
}

#[tauri::command]
pub async fn get_qwc_password(state: State<'_, Desk>) -> Answer<String> {
    let d = desk(state);
    blocking(move || Ok(d.app.password()?)).await
}

#[tauri::command]
pub async fn reset_qwc_password(state: State<'_, Desk>) -> Answer<String> {
    let d = desk(state);
    blocking(move || Ok(d.app.reset_password()?)).await
}

#[tauri::command]
pub async fn save_qwc(state: State<'_, Desk>, path: String) -> Answer<()> {
    let d = desk(state);
    blocking(move || Ok(d.app.save_qwc(Path::new(&path))?)).await
}

#[tauri::command]
pub async fn list_customers(
    state: State<'_, Desk>,
    request: ListCustomersRequest,
) -> Answer<CustomerPage> {
    let d = desk(state);
    blocking(move || Ok(customers::list(d.app.store(), &d.suggestions, &request)?)).await
}

#[tauri::command]
pub async fn search_qb_customers(
    state: State<'_, Desk>,
    request: SearchQbCustomersRequest,
) -> Answer<QbCustomerPage> {
    let d = desk(state);
    blocking(move || Ok(qb_customers::search(d.app.store(), &request)?)).await
}

#[tauri::command]
pub async fn link_customer(
    state: State<'_, Desk>,
    app_customer_id: String,
    qb_list_id: String,
) -> Answer<CustomerRow> {
    let d = desk(state);
    blocking(move || {
        Ok(customers::link(
            d.app.store(),
            &d.suggestions,
            &app_customer_id,
            &qb_list_id,
        )?)
    })
    .await
}

#[tauri::command]
pub async fn unlink_customer(
    state: State<'_, Desk>,
    app_customer_id: String,
) -> Answer<CustomerRow> {
    let d = desk(state);
    blocking(move || {
        Ok(customers::unlink(
            d.app.store(),
            &d.suggestions,
            &app_customer_id,
        )?)
    })
    .await
}

#[tauri::command]
pub async fn create_customer_in_qb(
    state: State<'_, Desk>,
    app_customer_id: String,
) -> Answer<CustomerRow> {
    let d = desk(state);
    blocking(move || {
        Ok(customers::create_in_quickbooks(
            d.app.store(),
            &d.suggestions,
            &app_customer_id,
        )?)
    })
    .await
}

#[tauri::command]
pub async fn accept_exact_matches(state: State<'_, Desk>) -> Answer<AcceptMatchesResult> {
    let d = desk(state);
    blocking(move || {
        Ok(customers::accept_exact_matches(
            d.app.store(),
            &d.suggestions,
        )?)
    })
    .await
}

#[tauri::command]
pub async fn request_customer_refresh(state: State<'_, Desk>) -> Answer<()> {
    let d = desk(state);
    blocking(move || Ok(customers::request_refresh(d.app.store())?)).await
}

#[tauri::command]
pub async fn import_qb_customers(
    state: State<'_, Desk>,
    qb_list_ids: Vec<String>,
) -> Answer<ImportQbCustomersResult> {
    let d = desk(state);
    blocking(move || Ok(qb_customers::import(d.app.store(), &qb_list_ids)?)).await
}

#[tauri::command]
pub async fn get_qb_lists(state: State<'_, Desk>) -> Answer<QbLists> {
    let d = desk(state);
    blocking(move || Ok(items::qb_lists(d.app.store())?)).await
}

#[tauri::command]
pub async fn get_item_mappings(state: State<'_, Desk>) -> Answer<Vec<ItemMapping>> {
    let d = desk(state);
    blocking(move || Ok(items::mappings(d.app.store())?)).await
}

#[tauri::command]
pub async fn set_item_mapping(
    state: State<'_, Desk>,
    role: MappingRole,
    item_full_name: String,
) -> Answer<ItemMapping> {
    let d = desk(state);
    blocking(move || Ok(items::set_mapping(d.app.store(), role, &item_full_name)?)).await
}

#[tauri::command]
pub async fn get_settings(state: State<'_, Desk>) -> Answer<Settings> {
    let d = desk(state);
    blocking(move || Ok(settings::get(d.app.store())?)).await
}

#[tauri::command]
pub async fn update_settings(state: State<'_, Desk>, settings: Settings) -> Answer<SettingsSaved> {
    let d = desk(state);
    blocking(move || Ok(settings::update(d.app.store(), &settings)?)).await
}

#[tauri::command]
pub async fn get_sync_status(state: State<'_, Desk>) -> Answer<SyncStatus> {
    let d = desk(state);
    blocking(move || Ok(sync_status::status(d.app.store(), &d.live)?)).await
}

#[tauri::command]
pub async fn list_attention(state: State<'_, Desk>) -> Answer<Vec<AttentionItem>> {
    let d = desk(state);
    blocking(move || Ok(attention::list(d.app.store())?)).await
}

#[tauri::command]
pub async fn retry_record(state: State<'_, Desk>, attention_id: String) -> Answer<()> {
    let d = desk(state);
    blocking(move || Ok(attention::retry(d.app.store(), &attention_id)?)).await
}

#[tauri::command]
pub async fn skip_record(state: State<'_, Desk>, attention_id: String) -> Answer<()> {
    let d = desk(state);
    blocking(move || Ok(attention::skip(d.app.store(), &attention_id)?)).await
}

#[tauri::command]
pub async fn rename_record(
    state: State<'_, Desk>,
    attention_id: String,
    value: String,
) -> Answer<()> {
    let d = desk(state);
    blocking(move || Ok(attention::rename(d.app.store(), &attention_id, &value)?)).await
}

#[tauri::command]
pub async fn list_sessions(state: State<'_, Desk>, offset: u64, limit: u64) -> Answer<SessionPage> {
    let d = desk(state);
    blocking(move || Ok(history::list(d.app.store(), offset, limit)?)).await
}

#[tauri::command]
pub async fn get_session(state: State<'_, Desk>, session_id: i64) -> Answer<SessionDetail> {
    let d = desk(state);
    blocking(move || Ok(history::detail(d.app.store(), session_id)?)).await
}

#[tauri::command]
pub async fn export_history_csv(
    state: State<'_, Desk>,
    path: String,
    session_id: Option<i64>,
) -> Answer<ExportResult> {
    let d = desk(state);
    blocking(move || {
        Ok(history::export_csv(
            d.app.store(),
            Path::new(&path),
            session_id,
        )?)
    })
    .await
}

#[tauri::command]
pub async fn import_files(state: State<'_, Desk>, paths: Vec<String>) -> Answer<ImportReport> {
    let d = desk(state);
    blocking(move || {
        Ok(imports::import_files(
            d.app.store(),
            d.app.events(),
            &paths,
        )?)
    })
    .await
}

#[tauri::command]
pub async fn import_sample_data(state: State<'_, Desk>) -> Answer<ImportReport> {
    let d = desk(state);
    blocking(move || Ok(imports::import_sample_data(d.app.store(), d.app.events())?)).await
}

/// Registers every command of the contract.
pub fn register<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(tauri::generate_handler![
        get_connection_status,
        get_qwc_password,
        reset_qwc_password,
        save_qwc,
        list_customers,
        search_qb_customers,
        link_customer,
        unlink_customer,
        create_customer_in_qb,
        accept_exact_matches,
        request_customer_refresh,
        import_qb_customers,
        get_qb_lists,
        get_item_mappings,
        set_item_mapping,
        get_settings,
        update_settings,
        get_sync_status,
        list_attention,
        retry_record,
        skip_record,
        rename_record,
        list_sessions,
        get_session,
        export_history_csv,
        import_files,
        import_sample_data,
    ])
}
