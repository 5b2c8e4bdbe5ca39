//! The commands through Tauri's own IPC (mock runtime, no display): argument names as the
//! window sends them, answers and errors in the contract's JSON shapes.

use super::{commands, Desk};
use crate::app::App;
use crate::paths::DataDir;
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{
    get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY,
};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindow;

struct Fixture {
    _dir: tempfile::TempDir,
    _app: tauri::App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let data = DataDir::resolve(Some(dir.path())).unwrap();
    let core = App::open_dir(data, Some(8711)).unwrap();
    let app = commands::register(mock_builder())
        .manage(Desk::new(core))
        .manage(super::chosen::ChosenPaths::default())
        .build(mock_context(noop_assets()))
        .unwrap();
    let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    Fixture {
        _dir: dir,
        _app: app,
        window,
    }
}

fn invoke(f: &Fixture, cmd: &str, args: Value) -> Result<Value, Value> {
    get_ipc_response(
        &f.window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|b| b.deserialize::<Value>().unwrap())
}

fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    k.sort_unstable();
    k
}

#[test]
fn connection_status_has_the_contracts_fields() {
    let f = fixture();
    let s = invoke(&f, "get_connection_status", json!({})).unwrap();
    assert_eq!(
        keys(&s),
        [
            "company_file",
            "endpoint_running",
            "endpoint_url",
            "ever_contacted",
            "health",
            "last_contact",
            "reason",
            "schedule_minutes",
            "user_name"
        ],
        "every field of ConnectionStatus, nothing else"
    );
    assert_eq!(s["endpoint_url"], "http://localhost:8711/qbwc");
    assert_eq!(
        s["health"], "warning",
        "the endpoint has not started in this test"
    );
    assert_eq!(
        s["last_contact"],
        Value::Null,
        "an Option is null, never omitted"
    );
}

#[test]
fn customers_and_mappings_answer_in_the_contracts_shapes() {
    let f = fixture();
    let report = invoke(&f, "import_sample_data", json!({})).unwrap();
    assert_eq!(report["files"][0]["imported"], true, "{report}");
    let request = json!({"request": {"query": "", "filter": "all", "offset": 0, "limit": 5}});
    let page = invoke(&f, "list_customers", request).unwrap();
    assert_eq!(
        keys(&page),
        [
            "counts",
            "exact_matches",
            "qb_customers_read_at",
            "rows",
            "total"
        ]
    );
    assert!(
        page["total"].as_u64().unwrap() > 0,
        "the sample's customers are listed"
    );
    let row = &page["rows"][0];
    assert_eq!(
        keys(row),
        [
            "billing_address",
            "company_name",
            "email",
            "id",
            "linked",
            "name",
            "phone",
            "problem",
            "quickbooks_note",
            "state",
            "suggestion"
        ]
    );
    assert_eq!(
        row["state"], "will_create",
        "nothing read from QuickBooks yet"
    );
    assert_eq!(
        keys(&page["counts"]),
        [
            "all",
            "failed",
            "linked",
            "needs_decision",
            "suggested",
            "will_create"
        ]
    );

    let mappings = invoke(&f, "get_item_mappings", json!({})).unwrap();
    let roles: Vec<&str> = mappings
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["role"].as_str().unwrap())
        .collect();
    assert_eq!(
        roles,
        [
            "service_item",
            "service_tax_item",
            "project_item",
            "project_tax_item"
        ]
    );
    assert_eq!(
        keys(&mappings[0]),
        [
            "item_full_name",
            "item_list_id",
            "problem",
            "rate",
            "role",
            "status"
        ]
    );
    assert_eq!(mappings[0]["status"], "not_set");

    let settings = invoke(&f, "get_settings", json!({})).unwrap();
    assert_eq!(
        settings["deposit_to"],
        json!({"kind": "undeposited_funds"}),
        "tagged by kind"
    );
    let saved = invoke(&f, "update_settings", json!({"settings": settings})).unwrap();
    assert_eq!(saved["qwc_changed"], false);
}

#[test]
fn errors_are_a_code_and_a_message() {
    let f = fixture();
    let err = invoke(&f, "get_session", json!({"sessionId": 42})).unwrap_err();
    assert_eq!(keys(&err), ["code", "message"]);
    assert_eq!(err["code"], "not_found");
    let err = invoke(
        &f,
        "link_customer",
        json!({"appCustomerId": "C-404", "qbListId": "80-1"}),
    )
    .unwrap_err();
    assert_eq!(
        err["code"], "not_found",
        "camelCase keys reach the snake_case parameters: {err}"
    );
    let err = invoke(
        &f,
        "set_item_mapping",
        json!({"role": "service_item", "itemFullName": "Labor"}),
    )
    .unwrap_err();
    assert_eq!(err["code"], "quickbooks_not_read");
    assert!(
        err["message"].as_str().unwrap().contains("Web Connector"),
        "{err}"
    );
    let none = invoke(&f, "retry_record", json!({"attentionId": "invoice:I-9"})).unwrap_err();
    assert_eq!(none["code"], "not_found");
    let ok = invoke(&f, "request_customer_refresh", json!({})).unwrap();
    assert_eq!(ok, Value::Null, "commands that change nothing answer null");
}

#[test]
fn a_change_made_by_another_process_reaches_the_window_as_data_changed() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use tauri::{Listener, Manager};
    let f = fixture();
    let app = f.window.app_handle().clone();
    let heard = Arc::new(AtomicUsize::new(0));
    let counter = heard.clone();
    app.listen(super::events::DATA_CHANGED, move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    let desk = app.state::<Desk>().inner().clone();
    super::events::watch_changes(&app, &desk);

    // `fieldbridge settings set ...` in a terminal: another connection to the same file.
    let other = crate::store::Store::open(&desk.app.data_dir().database()).unwrap();
    crate::ops::setting_keys::set(&other, "schedule-minutes", "45").unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while heard.load(Ordering::SeqCst) == 0 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(
        heard.load(Ordering::SeqCst) >= 1,
        "the window hears data-changed"
    );
}

#[test]
fn the_api_token_the_window_shows_is_the_one_the_api_checks_and_reset_replaces_it() {
    use tauri::Manager;
    let f = fixture();
    let desk = f.window.app_handle().state::<Desk>().inner().clone();
    let shown = invoke(&f, "get_api_token", json!({})).unwrap();
    let shown = shown.as_str().expect("the token as text");
    // The same operation `fieldbridge api-token` prints.
    assert_eq!(shown, desk.app.api_token().unwrap());
    assert!(shown.len() >= 32, "at least the contract's 32 characters");
    let again = invoke(&f, "get_api_token", json!({})).unwrap();
    assert_eq!(again, shown, "showing twice shows the same token");
    let fresh = invoke(&f, "reset_api_token", json!({})).unwrap();
    assert_ne!(fresh, shown, "a reset makes a new token");
    assert_eq!(fresh.as_str().unwrap(), desk.app.api_token().unwrap());
}

#[test]
fn the_sync_page_reads_the_rust_cards_and_dismisses_a_tax_difference() {
    let f = fixture();
    invoke(&f, "import_sample_data", json!({})).unwrap();
    let desk = {
        use tauri::Manager;
        f.window.app_handle().state::<Desk>().inner().clone()
    };
    let invoice = desk
        .app
        .store()
        .read(crate::store::invoices::list)
        .unwrap()
        .into_iter()
        .next()
        .unwrap()
        .invoice
        .id;
    desk.app
        .store()
        .write(|tx| {
            crate::store::tax_differences::note(
                tx,
                &invoice,
                "0.00".parse().unwrap(),
                "6.08".parse().unwrap(),
                None,
            )
        })
        .unwrap();
    let cards = invoke(&f, "list_attention_cards", json!({})).unwrap();
    let tax = cards
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["cause"] == "tax_difference")
        .cloned()
        .expect("the tax difference is a card");
    assert_eq!(tax["tax"]["expected"], "0.00");
    assert_eq!(tax["tax"]["quickbooks"], "6.08");
    let id = tax["id"].as_str().unwrap();
    assert_eq!(
        invoke(&f, "dismiss_attention_card", json!({"cardId": id})).unwrap(),
        Value::Null
    );
    let cards = invoke(&f, "list_attention_cards", json!({})).unwrap();
    assert!(
        cards
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["cause"] != "tax_difference"),
        "dismissed, and it stays so: {cards}"
    );
    let err = invoke(&f, "dismiss_attention_card", json!({"cardId": id})).unwrap_err();
    assert_eq!(err["code"], "not_found");
}

#[test]
fn the_safe_start_panel_and_its_buttons() {
    let f = fixture();
    invoke(&f, "import_sample_data", json!({})).unwrap();
    crate::ops::setting_keys::set(
        {
            use tauri::Manager;
            f.window.app_handle().state::<Desk>().inner().app.store()
        },
        "hold-sends",
        "true",
    )
    .unwrap();
    let panel = invoke(&f, "get_safe_start", json!({})).unwrap();
    assert_eq!(keys(&panel), ["hold", "kinds", "records", "refused"]);
    assert_eq!(panel["hold"]["held"], true);
    assert_eq!(panel["hold"]["held_by"], "office_manager");
    assert_eq!(
        panel["kinds"].as_array().unwrap().len(),
        crate::store::records::RecordKind::ALL.len(),
        "every kind"
    );
    assert_eq!(panel["kinds"][0]["kind"], "customer");
    assert!(panel["records"].as_array().unwrap().len() > 10, "{panel}");
    assert_eq!(invoke(&f, "start_sending", json!({})).unwrap(), Value::Null);
    let panel = invoke(&f, "get_safe_start", json!({})).unwrap();
    assert_eq!(panel["hold"]["held"], false, "Start sending released it");
    let words = invoke(&f, "rebind_company_file", json!({})).unwrap();
    assert!(
        words.as_str().unwrap().contains("next Web Connector run"),
        "says what will be checked: {words}"
    );
}

/// Issue 14: the window claims the data folder before it opens (and migrates) the
/// database: with `fieldbridge serve` (or another window) holding the folder, the second
/// program stops with the sentence saying so and the database is never created or touched.
#[test]
fn a_second_program_on_the_data_folder_is_refused_before_the_database_is_opened() {
    let dir = tempfile::tempdir().unwrap();
    let data = DataDir::resolve(Some(dir.path())).unwrap();
    let held = data.claim_instance().unwrap();
    let refused = super::claim_then_open(data.clone(), None)
        .err()
        .expect("refused while another program holds the folder");
    assert!(refused.to_string().contains("already running"), "{refused}");
    assert!(
        !data.database().exists(),
        "the database was not opened (nor created, nor migrated)"
    );
    drop(held);
    let (_instance, app) = super::claim_then_open(data.clone(), None).expect("free now");
    assert!(data.database().exists());
    assert!(
        super::claim_then_open(data, None).is_err(),
        "and now this window holds it"
    );
    drop(app);
}

/// Issue 14: the commands that read or write a file take only a path the person chose in
/// one of FieldBridge's own dialogs, once; a path the page made up is refused and nothing is
/// read or written.
#[test]
fn file_commands_take_only_paths_chosen_in_a_dialog() {
    use tauri::Manager;
    let f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let qwc = dir.path().join("FieldBridge.qwc");
    let path = qwc.display().to_string();
    let chosen = || f.window.state::<super::chosen::ChosenPaths>();

    let err = invoke(&f, "save_qwc", json!({ "path": path })).unwrap_err();
    assert_eq!(err["code"], "invalid_input", "{err}");
    assert!(!qwc.exists(), "nothing written to a path the page made up");

    chosen().remember("main", [qwc.clone()]);
    invoke(&f, "save_qwc", json!({ "path": path })).expect("chosen in the dialog");
    assert!(std::fs::read_to_string(&qwc).unwrap().contains("<QBWCXML>"));
    let again = invoke(&f, "save_qwc", json!({ "path": path })).unwrap_err();
    assert_eq!(again["code"], "invalid_input", "a chosen path is good once");

    let csv = dir.path().join("history.csv");
    let err = invoke(
        &f,
        "export_history_csv",
        json!({ "path": csv.display().to_string(), "sessionId": null }),
    )
    .unwrap_err();
    assert_eq!(err["code"], "invalid_input", "{err}");
    assert!(!csv.exists());

    let file = dir.path().join("customers.json");
    std::fs::write(&file, "[]").unwrap();
    let err = invoke(
        &f,
        "import_files",
        json!({ "paths": [file.display().to_string()] }),
    )
    .unwrap_err();
    assert_eq!(err["code"], "invalid_input", "{err}");

    let folder = dir.path().display().to_string();
    let err = invoke(&f, "set_watch_folder", json!({ "path": folder })).unwrap_err();
    assert_eq!(err["code"], "invalid_input", "{err}");
    chosen().remember("main", [dir.path().to_path_buf()]);
    let set = invoke(&f, "set_watch_folder", json!({ "path": folder })).unwrap();
    assert_eq!(set["path"], folder.as_str());
    let off = invoke(&f, "set_watch_folder", json!({ "path": null })).unwrap();
    assert_eq!(off["path"], Value::Null, "turning it off needs no dialog");
}

/// The Customers page's Vendors tab: the rows it lists and the decisions it sends.
#[test]
fn vendors_are_listed_linked_and_unlinked_through_the_commands() {
    use crate::store::vendors::{self, QbVendor};
    use tauri::Manager;
    let f = fixture();
    let desk = f.window.app_handle().state::<Desk>().inner().clone();
    let doc = json!({"vendors": [
        {"id": "V-1", "name": "Acme Supply"},
        {"id": "V-2", "name": "Hilltop Lumber", "company_name": "Hilltop Lumber Inc"},
        {"id": "V-3", "name": "Baker Electric"},
        {"id": "V-4", "name": "Shoreline Fuel"}
    ]});
    desk.app
        .import_bytes("vendors.json", doc.to_string().as_bytes())
        .unwrap();
    // QuickBooks' vendor list as a sync would have read it.
    desk.app
        .store()
        .write(|tx| {
            for (list_id, name, is_active) in [
                ("80-1", "Acme Supply", true),
                ("80-2", "Hill Top Lumber", true),
                ("80-9", "Shoreline Fuel", false),
            ] {
                vendors::upsert_qb(
                    tx,
                    &QbVendor {
                        list_id: list_id.into(),
                        name: name.into(),
                        is_active,
                        edit_sequence: "1".into(),
                        ..Default::default()
                    },
                )?;
            }
            Ok::<_, crate::store::StoreError>(())
        })
        .unwrap();
    let list = |f: &Fixture| invoke(f, "list_vendors", json!({})).unwrap();
    let row = |rows: &Value, id: &str| -> Value {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("{id} is listed: {rows}"))
    };

    let rows = list(&f);
    assert_eq!(rows.as_array().unwrap().len(), 4, "every imported vendor");
    assert_eq!(
        keys(&rows[0]),
        [
            "how",
            "id",
            "name",
            "pairing_state",
            "problem",
            "qb_list_id",
            "qb_name",
            "state",
            "suggestions"
        ],
        "every field of VendorRow, nothing else"
    );
    let acme = row(&rows, "V-1");
    assert_eq!(
        acme["pairing_state"], "suggested",
        "the same name links itself at the next sync: {acme}"
    );
    assert_eq!(acme["suggestions"][0]["list_id"], "80-1");
    let hilltop = row(&rows, "V-2");
    assert_eq!(
        hilltop["pairing_state"], "needs_decision",
        "a near name waits for a person: {hilltop}"
    );
    assert_eq!(hilltop["suggestions"][0]["list_id"], "80-2");
    assert!(
        hilltop["problem"]
            .as_str()
            .unwrap()
            .contains("\"Hill Top Lumber\""),
        "the problem names the QuickBooks vendor it may be: {hilltop}"
    );
    assert_eq!(
        row(&rows, "V-3")["pairing_state"],
        "will_create",
        "nothing like it in QuickBooks"
    );
    let shoreline = row(&rows, "V-4");
    assert_eq!(
        shoreline["pairing_state"], "needs_decision",
        "an inactive QuickBooks vendor is no match, but it still holds the name: {shoreline}"
    );
    assert!(
        shoreline["problem"]
            .as_str()
            .unwrap()
            .contains("QuickBooks already has this name"),
        "{shoreline}"
    );

    // A person links the near match.
    let linked = invoke(
        &f,
        "link_vendor",
        json!({"vendorId": "V-2", "listId": "80-2"}),
    )
    .unwrap();
    assert_eq!(linked, Value::Null);
    let hilltop = row(&list(&f), "V-2");
    assert_eq!(hilltop["pairing_state"], "linked", "{hilltop}");
    assert_eq!(hilltop["qb_list_id"], "80-2");
    assert_eq!(hilltop["qb_name"], "Hill Top Lumber");
    assert_eq!(hilltop["how"], "manual", "a person's choice");
    assert_eq!(hilltop["problem"], Value::Null, "nothing left to decide");
    assert_eq!(
        hilltop["suggestions"],
        json!([]),
        "a linked vendor has no suggestions"
    );

    // That QuickBooks vendor is taken: another app vendor cannot have it too.
    let err = invoke(
        &f,
        "link_vendor",
        json!({"vendorId": "V-3", "listId": "80-2"}),
    )
    .unwrap_err();
    assert_eq!(keys(&err), ["code", "message"]);
    assert!(
        err["message"].as_str().unwrap().contains("already paired"),
        "{err}"
    );

    // Create in QuickBooks, then unlink the near match: it waits for a decision again.
    assert_eq!(
        invoke(&f, "create_vendor", json!({"vendorId": "V-3"})).unwrap(),
        Value::Null
    );
    let baker = row(&list(&f), "V-3");
    assert_eq!(baker["how"], "create");
    assert_eq!(baker["pairing_state"], "will_create");
    assert_eq!(
        invoke(&f, "unpair_vendor", json!({"vendorId": "V-2"})).unwrap(),
        Value::Null
    );
    let hilltop = row(&list(&f), "V-2");
    assert_eq!(hilltop["qb_list_id"], Value::Null, "unlinked: {hilltop}");
    assert_eq!(hilltop["pairing_state"], "needs_decision");
    let err = invoke(&f, "unpair_vendor", json!({"vendorId": "V-404"})).unwrap_err();
    assert_eq!(err["code"], "not_found", "{err}");
}
