//! Issue 10, "Done when": every screen and `status --json` report the same counts on the
//! same data folder. The folder is the one the issue describes (a synced company with 8
//! customers waiting for a decision, and 5 tickets, 9 invoices and 3 payments waiting on
//! them), built through the store as the sync's pre-flight leaves it. Before the fix the
//! Connect page said "0 records need your attention" (it read the last session's counter)
//! while the Sync page said 25, and the Customers page said "Needs a decision 0, Will be
//! created 8" while the Sync page listed those customers as waiting for a decision.

mod common;

use chrono::NaiveDate;
use common::Env;
use fieldbridge::app::App;
use fieldbridge::money::Decimal;
use fieldbridge::office::attention::{self, cards};
use fieldbridge::office::connection::{self, ConnectionHealth, EndpointState};
use fieldbridge::office::customers::{self, CustomerFilter, ListCustomersRequest, Suggestions};
use fieldbridge::office::sync_status::{self, LiveProgress};
use fieldbridge::paths::DataDir;
use fieldbridge::store::codes::ProblemCode;
use fieldbridge::store::customers::Customer;
use fieldbridge::store::invoices::Invoice;
use fieldbridge::store::outbox::{self, Problem};
use fieldbridge::store::payments::Payment;
use fieldbridge::store::tickets::ServiceTicket;
use fieldbridge::store::{
    invoices, payments, sessions, settings, tickets, RecordKind, RecordRef, Store, StoreError,
};

const DECIDE: usize = 8;
const TICKETS: usize = 5;
const INVOICES: usize = 9;
const PAYMENTS: usize = 3;
const WAITING: usize = DECIDE + TICKETS + INVOICES + PAYMENTS;

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 10, 3).unwrap()
}

fn park(
    tx: &rusqlite::Transaction<'_>,
    r: RecordRef,
    code: ProblemCode,
    text: String,
) -> Result<(), StoreError> {
    outbox::mark_needs_attention(
        tx,
        &r,
        &Problem {
            code: Some(code),
            message: None,
            text,
            advice: Some("Decide on the Customers page.".into()),
        },
    )
}

/// The data folder of the issue, as a finished sync leaves it.
fn build(store: &Store) {
    store
        .write(|tx| {
            let session = sessions::start(tx, Some("C:\\Co.qbw"))?;
            for n in 0..DECIDE {
                let id = format!("C-{n}");
                fieldbridge::store::customers::save(tx, &Customer::named(&id, &format!("Brookside Dental {n}")))?;
                park(
                    tx,
                    RecordRef::new(RecordKind::Customer, &id),
                    ProblemCode::AskFirst,
                    format!("Brookside Dental {n} may already be in QuickBooks as \"Brookside Dental Grp {n}\", but FieldBridge is not sure."),
                )?;
            }
            // A customer that is in QuickBooks and needs nothing.
            fieldbridge::store::customers::save(tx, &Customer::named("C-ok", "Summit Fitness"))?;
            let customer = |n: usize| format!("C-{}", n % DECIDE);
            for n in 0..TICKETS {
                let t = ServiceTicket {
                    id: format!("T-{n}"),
                    customer_id: customer(n),
                    project_id: None,
                    number: format!("T{n}"),
                    date: date(),
                    description: None,
                    lines: vec![],
                };
                tickets::save(tx, &t)?;
                park(tx, RecordRef::new(RecordKind::ServiceTicket, &t.id), ProblemCode::WaitingOnParent, "Waits for its customer.".into())?;
            }
            for n in 0..INVOICES {
                let i = Invoice {
                    id: format!("I-{n}"),
                    customer_id: customer(n),
                    project_id: None,
                    ticket_id: None,
                    number: format!("100{n}"),
                    date: date(),
                    due_date: None,
                    memo: None,
                    expected_tax: None,
                    void: false,
                    lines: vec![],
                };
                invoices::save(tx, &i)?;
                park(tx, RecordRef::new(RecordKind::Invoice, &i.id), ProblemCode::WaitingOnParent, "Waits for its customer.".into())?;
            }
            for n in 0..PAYMENTS {
                let p = Payment {
                    id: format!("P-{n}"),
                    invoice_id: format!("I-{n}"),
                    date: date(),
                    amount: "10.00".parse::<Decimal>().unwrap(),
                    method: None,
                    reference: None,
                    reversed: false,
                };
                payments::save(tx, &p)?;
                park(tx, RecordRef::new(RecordKind::Payment, &p.id), ProblemCode::WaitingOnParent, "Waits for its invoice.".into())?;
            }
            // The sync linked the other customer to QuickBooks. Its last session parked
            // nothing new (everything had waited since an earlier run): its counter is 0.
            let b = outbox::begin_batch(tx, session, "ms-1", "<QBXML/>")?;
            let ok = RecordRef::new(RecordKind::Customer, "C-ok");
            outbox::mark_in_flight(tx, b, &[(ok.clone(), "0".into())])?;
            outbox::mark_synced(tx, &ok, "80000001-1", Some("1"))?;
            outbox::finish_batch(tx, b, outbox::BatchEnd::Answered)?;
            sessions::add_counts(tx, session, 1, 1, 0, 0)?;
            sessions::finish(tx, session, sessions::Outcome::Ok, None)?;
            settings::note_contact(tx)
        })
        .unwrap();
}

#[test]
fn every_screen_and_status_json_report_the_same_counts() {
    let env = Env::new();
    let app = App::open_dir(DataDir::resolve(Some(env.data_dir())).unwrap(), None).unwrap();
    let store = app.store().clone();
    build(&store);

    // `status --json`, from the real binary.
    let json = env.json(&["status", "--json"]);
    let kinds = [
        "customers",
        "projects",
        "service_tickets",
        "invoices",
        "payments",
    ];
    let attention_of = |kind: &str| json["records"][kind]["needs_attention"].as_u64().unwrap();
    let failed_of = |kind: &str| json["records"][kind]["failed"].as_u64().unwrap();
    let cli_waiting: u64 = kinds.iter().map(|k| attention_of(k) + failed_of(k)).sum();
    assert_eq!(cli_waiting, WAITING as u64, "status --json: {json}");
    assert_eq!(attention_of("customers"), DECIDE as u64);
    assert_eq!(
        json["records"]["customers"]["needs_decision"].as_u64(),
        Some(DECIDE as u64),
        "status --json names the customers waiting for a decision"
    );
    assert_eq!(attention_of("service_tickets"), TICKETS as u64);
    assert_eq!(attention_of("invoices"), INVOICES as u64);
    assert_eq!(attention_of("payments"), PAYMENTS as u64);

    // The window's `status` (the same function as the CLI's, in process).
    let status = app.status().unwrap();
    assert_eq!(status.records.needs_person(), WAITING as u64);

    // The Sync page: its counts table and its attention list (flat and as cards).
    let sync = sync_status::status(&store, &LiveProgress::new()).unwrap();
    assert_eq!(
        sync.records, status.records,
        "the Sync page's table is status's"
    );
    let list = attention::list(&store).unwrap();
    assert_eq!(
        list.len(),
        WAITING,
        "the Sync page's 'Needs your attention'"
    );
    let cards = cards::list_cards(&store).unwrap();
    assert_eq!(
        cards.iter().map(|c| c.count).sum::<u64>(),
        WAITING as u64,
        "the cards stand for the same records"
    );
    let decisions = cards
        .iter()
        .filter(|c| c.cause == cards::CardCause::NeedsDecision)
        .count();
    assert_eq!(decisions, DECIDE, "one card per customer to decide");

    // The Connect page and the tray (the tray shows the Connect page's health and reason).
    app.connection().set_endpoint(EndpointState::Running);
    let connect = connection::status(
        &store,
        app.connection(),
        &app.endpoint_url(),
        "fieldbridge",
        chrono::Utc::now(),
    )
    .unwrap();
    assert_eq!(
        connect.health,
        ConnectionHealth::Warning,
        "{}",
        connect.reason
    );
    assert!(
        connect
            .reason
            .contains(&format!("{WAITING} records need your attention")),
        "the Connect page counts what the Sync page lists: {}",
        connect.reason
    );

    // The Customers page's filters.
    let page = customers::list(
        &store,
        &Suggestions::new(),
        &ListCustomersRequest {
            query: String::new(),
            filter: CustomerFilter::NeedsDecision,
            offset: 0,
            limit: 100,
        },
    )
    .unwrap();
    assert_eq!(
        page.counts.needs_decision, status.records.customers.needs_decision,
        "Customers' 'Needs a decision' is the customers the Sync page lists as waiting for one"
    );
    assert_eq!(page.counts.needs_decision, DECIDE as u64);
    assert_eq!(
        page.counts.will_create, 0,
        "none of them will be created without a person"
    );
    assert_eq!(page.counts.linked, 1);
    assert_eq!(page.total, DECIDE as u64, "the filter lists what it counts");
}

/// Issue 15: records the start date holds back are "before the start date" for every reader
/// (`status --json`, `export --json`, the window's status, the Sync page's counts, attention
/// list and cards, the Records page and its filter, the preview), never needing attention
/// and never failed.
#[test]
fn records_before_the_start_date_are_counted_apart_by_every_reader() {
    use fieldbridge::office::records::{self, ListRecordsRequest};
    use fieldbridge::ops::safe_start;
    use fieldbridge::sync::preview::HeldBecause;
    const BEFORE: usize = 5;
    let env = Env::new();
    let app = App::open_dir(DataDir::resolve(Some(env.data_dir())).unwrap(), None).unwrap();
    let store = app.store().clone();
    store
        .write(|tx| {
            fieldbridge::store::customers::save(tx, &Customer::named("C-1", "Summit Fitness"))?;
            for n in 0..=BEFORE {
                invoices::save(
                    tx,
                    &Invoice {
                        id: format!("I-{n}"),
                        customer_id: "C-1".into(),
                        project_id: None,
                        ticket_id: None,
                        number: format!("200{n}"),
                        date: date(),
                        due_date: None,
                        memo: None,
                        expected_tax: None,
                        void: false,
                        lines: vec![],
                    },
                )?;
                let (code, text) = if n < BEFORE {
                    (
                        ProblemCode::BeforeStartDate,
                        format!("Invoice 200{n} is dated 2026-10-03, before the start date (2026-11-01), so FieldBridge leaves it out."),
                    )
                } else {
                    (
                        ProblemCode::NeedsMapping(
                            fieldbridge::store::mappings::ItemRole::ServiceItem,
                        ),
                        "No service item is chosen.".to_owned(),
                    )
                };
                park(tx, RecordRef::new(RecordKind::Invoice, format!("I-{n}")), code, text)?;
            }
            Ok::<_, StoreError>(())
        })
        .unwrap();

    let json = env.json(&["status", "--json"]);
    let invoices = &json["records"]["invoices"];
    assert_eq!(
        invoices["before_start_date"], BEFORE as u64,
        "status --json: {json}"
    );
    assert_eq!(
        invoices["needs_attention"], 1,
        "only the mapping needs a person: {json}"
    );
    assert_eq!(invoices["failed"], 0);
    let export = env.json(&["export", "--json"]);
    let states: Vec<&str> = export["invoices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["state"].as_str().unwrap())
        .collect();
    assert_eq!(
        states.iter().filter(|s| **s == "before_start_date").count(),
        BEFORE,
        "export --json: {states:?}"
    );

    let status = app.status().unwrap();
    assert_eq!(status.records.invoices.before_start_date, BEFORE as u64);
    assert_eq!(status.records.needs_person(), 1);
    let sync = sync_status::status(&store, &LiveProgress::new()).unwrap();
    assert_eq!(
        sync.records, status.records,
        "the Sync page's table is status's"
    );
    assert_eq!(
        attention::list(&store).unwrap().len(),
        1,
        "Needs your attention"
    );
    assert_eq!(
        cards::list_cards(&store)
            .unwrap()
            .iter()
            .map(|c| c.count)
            .sum::<u64>(),
        1,
        "the cards"
    );

    // The Records page: its counts, its filter, each row's state.
    let request = |state: Option<&str>| ListRecordsRequest {
        query: String::new(),
        state: state.map(str::to_owned),
        offset: 0,
        limit: 100,
    };
    let page = records::list_invoices(&store, &request(None)).unwrap();
    assert_eq!(page.counts.before_start_date, BEFORE as u64);
    assert_eq!(page.counts.needs_attention, 1);
    assert_eq!(page.counts.failed, 0);
    let held = records::list_invoices(&store, &request(Some("before_start_date"))).unwrap();
    assert_eq!(held.total, BEFORE as u64, "the filter lists what it counts");
    assert!(held.rows.iter().all(|r| r.state == "before_start_date"));
    let attention_rows = records::list_invoices(&store, &request(Some("needs_attention"))).unwrap();
    assert_eq!(attention_rows.total, 1);

    // The preview holds them back for that reason.
    let preview = safe_start::safe_start(&store).unwrap();
    let by_start_date = preview
        .records
        .iter()
        .filter(|r| r.held_because == Some(HeldBecause::StartDate))
        .count();
    assert_eq!(by_start_date, BEFORE, "the preview says why they are held");
}
