// A fake FieldBridge backend for the end-to-end tests, injected before the page loads.
// It plays the Rust side of the IPC contract (src/lib/ipc/README.md) over Tauri's own
// internals (win.__TAURI_INTERNALS__), the way @tauri-apps/api/mocks does, and keeps
// state so that a link or a mapping change shows up on the next read. Tests drive events
// through window.__fb.emit(name, payload) and read window.__fb.calls.
//
// Type-checked against the contract generated from the Rust types (`npm run check` runs
// `tsc -p e2e`): every command's answer is the type the Rust side answers with.
// @ts-check
/** @typedef {import("../src/lib/ipc/generated").Commands} Commands */
/**
 * One fake per command of the contract, taking its arguments and answering its type.
 * @typedef {{ [K in keyof Commands]: (args: Commands[K]["args"]) => Commands[K]["returns"] | Promise<never> }} ContractFakes
 */
/** @typedef {import("../src/lib/ipc/generated").CustomerRow} CustomerRow */
/** @typedef {import("../src/lib/ipc/generated").QbCustomer} QbCustomer */
/** @typedef {import("../src/lib/ipc/generated").VendorRow} VendorRow */
/** @typedef {import("../src/lib/ipc/generated").QbItem} QbItem */
/** @typedef {import("../src/lib/ipc/generated").ItemMapping} ItemMapping */
/** @typedef {import("../src/lib/ipc/generated").Settings} Settings */
/** @typedef {import("../src/lib/ipc/generated").SessionSummary} SessionSummary */
/** @typedef {import("../src/lib/ipc/generated").AttentionItem} AttentionItem */
/** @typedef {import("../src/lib/ipc/generated").LinkStatus} LinkStatus */
/** @typedef {import("../src/lib/ipc/generated").LinkCard} LinkCard */
(() => {
  /** The page's globals this script sets and reads (Tauri's internals, the tests' hooks). */
  const win = /** @type {any} */ (window);
  const NOW = Date.now();
  const iso = (msAgo) => new Date(NOW - msAgo).toISOString();
  const MIN = 60_000;

  // ---- event plumbing (as @tauri-apps/api/mocks does it)
  const callbacks = new Map();
  const listeners = new Map();
  let nextCallback = 1;
  const calls = [];

  function emit(event, payload) {
    for (const id of listeners.get(event) ?? []) {
      const cb = callbacks.get(id);
      if (cb) cb({ event, id, payload });
    }
  }

  // ---- data
  const FIRST = ["Ecker", "Maple", "Harbor", "Summit", "Pine", "Granite", "Willow", "Cedar", "River", "Oak"];
  const SECOND = ["Designs", "Dental", "Bakery", "Motors", "Realty", "Clinic", "Farms", "Studio", "Supply", "Law"];
  /** @type {CustomerRow["state"][]} */
  const STATES = ["linked", "linked", "linked", "suggested", "needs_decision", "will_create", "linked", "failed", "linked", "suggested"];
  const CUSTOMER_COUNT = 20000;
  /** @type {CustomerRow[]} */
  const customers = [];
  for (let i = 0; i < CUSTOMER_COUNT; i++) {
    const name = `${FIRST[i % 10]} ${SECOND[Math.floor(i / 10) % 10]}${i >= 100 ? ` ${Math.floor(i / 100)}` : ""}`;
    const state = STATES[i % 10];
    customers.push({
      id: `C-${1000 + i}`,
      name,
      company_name: `${name} LLC`,
      email: `office${i}@example.com`,
      phone: `(555) ${String(200 + (i % 700)).padStart(3, "0")}-${String(1000 + (i % 9000)).padStart(4, "0")}`,
      billing_address: { line1: `${10 + (i % 90)} Mill Rd`, line2: null, city: "Storrs", state: "CT", postal_code: "06268", country: "US" },
      state,
      linked: state === "linked" ? { list_id: `80000${i}-1`, full_name: `${name} LLC`, is_job: false } : null,
      suggestion:
        state === "suggested"
          ? {
              qb_list_id: `80000${i}-1`,
              qb_full_name: `${name} LLC`,
              strength: i % 20 === 3 ? "exact" : "strong",
              score: i % 20 === 3 ? 100 : 82,
              reasons: [
                { field: "name", detail: `Same name "${name}"` },
                { field: "phone", detail: "Same phone number" },
                { field: "email", detail: "Same email address" },
              ],
            }
          : null,
      problem:
        state === "failed"
          ? `QuickBooks already has a customer named "${name}". Link to it, or rename this customer.`
          : state === "needs_decision"
            ? "Two QuickBooks customers look like this one. Choose which is the same."
            : null,
      quickbooks_note: null,
    });
  }
  customers[0].name = "Ecker Designs";
  customers[0].state = "needs_decision";
  customers[0].linked = null;
  customers[0].problem = "Two QuickBooks customers look like this one. Choose which is the same.";

  /** @type {QbCustomer[]} */
  const qbCustomers = [
    { list_id: "QB-1", full_name: "Ecker Designs LLC", name: "Ecker Designs LLC", company_name: "Ecker Designs LLC", is_job: false, bill_address_line1: "12 Mill Rd", bill_address_line2: "Suite 4", ship_address_line1: "40 Depot St", phone: "(555) 201-3344", email: "jane@ecker.example", active: true, linked_app_customer_id: null },
    { list_id: "QB-2", full_name: "Ecker Designs LLC:Office Repairs", name: "Office Repairs", company_name: null, is_job: true, bill_address_line1: "12 Mill Rd", bill_address_line2: "Suite 4", ship_address_line1: "40 Depot St", phone: null, email: null, active: true, linked_app_customer_id: null },
    { list_id: "QB-3", full_name: "Ecker, Jane", name: "Ecker, Jane", company_name: null, is_job: false, bill_address_line1: "3 Hillside Ave", bill_address_line2: null, ship_address_line1: null, phone: null, email: null, active: true, linked_app_customer_id: "C-4410" },
  ];
  for (let i = 0; i < 3000; i++) {
    qbCustomers.push({ list_id: `QBX-${i}`, full_name: `Customer ${i}`, name: `Customer ${i}`, company_name: `Company ${i} Inc`, is_job: false, bill_address_line1: `${i} Main St`, bill_address_line2: null, ship_address_line1: `${i} Main St`, phone: null, email: null, active: true, linked_app_customer_id: i % 2 ? null : `C-${2000 + i}` });
  }

  // The vendors on the office's expenses, one in each state, and QuickBooks' vendors.
  const qbVendors = [
    { list_id: "80000101-1", name: "Acme Supply" },
    { list_id: "80000102-1", name: "Hill Top Lumber" },
    { list_id: "80000103-1", name: "Hilltop Lumber Yard" },
    { list_id: "80000104-1", name: "Baker Electric Co" },
  ];
  /** @type {VendorRow[]} */
  const vendors = [
    { id: "V-1", name: "Acme Supply", state: "synced", pairing_state: "linked", qb_list_id: "80000101-1", qb_name: "Acme Supply", how: "auto", problem: null, suggestions: [] },
    { id: "V-2", name: "Baker Electric", state: "pending", pairing_state: "suggested", qb_list_id: null, qb_name: null, how: null, problem: null, suggestions: [{ list_id: "80000104-1", name: "Baker Electric Co", score: 95 }] },
    { id: "V-3", name: "Hilltop Lumber", state: "needs_attention", pairing_state: "needs_decision", qb_list_id: null, qb_name: null, how: null,
      problem: "Vendor \"Hilltop Lumber\" (V-3) may already be in QuickBooks as \"Hill Top Lumber\" (a similar name), but FieldBridge is not sure.",
      suggestions: [{ list_id: "80000102-1", name: "Hill Top Lumber", score: 85 }, { list_id: "80000103-1", name: "Hilltop Lumber Yard", score: 60 }] },
    { id: "V-4", name: "Shoreline Fuel", state: "pending", pairing_state: "will_create", qb_list_id: null, qb_name: null, how: null, problem: null, suggestions: [] },
  ];
  const findVendor = (id) => /** @type {VendorRow} */ (vendors.find((v) => v.id === id));

  /** @type {QbItem[]} */
  const items = /** @type {[string, QbItem["item_type"]][]} */ ([
    ["Labor", "service"], ["Installation", "service"], ["Parts", "non_inventory"], ["Parts:Filters", "non_inventory"],
    ["Trip Charge", "other_charge"], ["Furnace", "inventory"], ["CT Sales Tax", "sales_tax"], ["State + County", "sales_tax_group"], ["Old Labor", "service"],
  ]).map(([full_name, item_type], i) => ({
    list_id: `IT-${i}`, full_name, item_type, active: full_name !== "Old Labor", rate: null,
    // The Rust side says which roles each item fits (ItemRole::accepts).
    roles: /** @type {ItemMapping["role"][]} */ (item_type.startsWith("sales_tax") ? ["service_tax_item", "project_tax_item"] : ["service_item", "project_item"]),
  }));

  /** @type {Record<ItemMapping["role"], ItemMapping>} */
  const mappings = {
    service_item: { role: "service_item", item_full_name: "Labor", item_list_id: "IT-0", status: "valid", problem: null, rate: null },
    service_tax_item: { role: "service_tax_item", item_full_name: "CT Sales Tax", item_list_id: "IT-6", status: "valid", problem: null, rate: null },
    project_item: { role: "project_item", item_full_name: "Old Labor", item_list_id: "IT-8", status: "inactive", problem: "'Old Labor' is inactive in QuickBooks. Choose an active item, or make it active in QuickBooks.", rate: null },
    project_tax_item: { role: "project_tax_item", item_full_name: null, item_list_id: null, status: "not_set", problem: "Choose the sales tax for project invoices.", rate: null },
  };

  /** @type {Settings} */
  let settings = {
    deposit_to: { kind: "undeposited_funds" },
    payment_methods: [{ app_method: "Credit Card", qb_method: "Visa" }, { app_method: "Check", qb_method: "Check" }, { app_method: "Cash", qb_method: null }],
    invoice_start_date: "2026-01-01",
    estimates_for_tickets: true,
    new_customers: "ask_first",
    update_qb_customers: false,
    schedule_minutes: 30,
    port: 8711,
    start_at_login: true,
  };

  /** @type {SessionSummary[]} */
  const sessions = [];
  for (let i = 0; i < 24; i++) {
    const failed = i % 5 === 1 ? 3 : i % 7 === 2 ? 1 : 0;
    sessions.push({
      id: 200 - i, started_at: iso(i * 6 * 60 * MIN + 30 * MIN), finished_at: iso(i * 6 * 60 * MIN + 28 * MIN),
      company_file: "C:\\Users\\Public\\Documents\\Intuit\\QuickBooks\\Company Files\\Ecker HVAC.qbw",
      outcome: failed ? "errors" : "ok", requests: 12 + (i % 4), created: 4 + ((i * 7) % 11), updated: 2 + ((i * 3) % 6), failed, problem: null,
    });
  }

  /** @type {AttentionItem[]} */
  const attention = [
    { id: "A-1", record_kind: "customer", record_id: "C-1000", record_label: "Ecker Designs", problem: "needs_pairing", reason: "Two QuickBooks customers look like Ecker Designs.", advice: "Choose which one it is, or create a new customer.", qb_status_code: null, qb_status_message: null, app_customer_id: "C-1000", mapping_role: null, field: null, retryable: false, since: iso(50 * MIN) },
    { id: "A-2", record_kind: "customer", record_id: "C-1777", record_label: "Northeast Heating and Air Conditioning Services of Connecticut", problem: "too_long", reason: "QuickBooks allows customer names of at most 41 characters; this one has 62.", advice: "Shorten the name for QuickBooks. The field app keeps the long one.", qb_status_code: null, qb_status_message: null, app_customer_id: "C-1777", mapping_role: null, field: { name: "name", label: "Customer name", value: "Northeast Heating and Air Conditioning Services of Connecticut", max_length: 41 }, retryable: false, since: iso(50 * MIN) },
    { id: "A-3", record_kind: "invoice", record_id: "I-9", record_label: "Invoice 10045 for Maple Dental", problem: "needs_mapping", reason: "QuickBooks has no item named 'Labor'.", advice: "Choose the service item on the Items page.", qb_status_code: 3140, qb_status_message: "There is an invalid reference to QuickBooks Item \"Labor\" in the Invoice line.", app_customer_id: null, mapping_role: "service_item", field: null, retryable: false, since: iso(40 * MIN) },
    { id: "A-4", record_kind: "payment", record_id: "PAY-3", record_label: "Payment of $194.13 from Harbor Bakery", problem: "failed", reason: "QuickBooks was busy with this customer and could not save the payment.", advice: "Retry: this usually works at the next sync.", qb_status_code: 3175, qb_status_message: "There was an error when saving a ReceivePayment. The record is in use by another user.", app_customer_id: null, mapping_role: null, field: null, retryable: true, since: iso(30 * MIN) },
  ];

  // One missing mapping holds up many invoices (one card, records folded under it), and
  // payments wait on an invoice that waits on a customer decision.
  for (let n = 0; n < 58; n++) {
    attention.push({ id: `invoice:I-${100 + n}`, record_kind: "invoice", record_id: `I-${100 + n}`, record_label: `Invoice ${10100 + n} for ${FIRST[n % 10]} ${SECOND[(n * 3) % 10]}`, problem: "needs_mapping", reason: "QuickBooks has no item named 'Labor'.", advice: "Choose the service item on the Items page.", qb_status_code: 3140, qb_status_message: "There is an invalid reference to QuickBooks Item \"Labor\" in the Invoice line.", app_customer_id: null, mapping_role: "service_item", field: null, retryable: false, since: iso(40 * MIN - n) });
  }
  attention.push(
    { id: "invoice:I-77", record_kind: "invoice", record_id: "I-77", record_label: "Invoice 10077 for Ecker Designs", problem: "waiting_on_parent", reason: "Invoice 10077 waits for customer Ecker Designs.", advice: null, qb_status_code: null, qb_status_message: null, app_customer_id: null, mapping_role: null, field: null, retryable: false, since: iso(20 * MIN) },
    { id: "payment:PAY-9", record_kind: "payment", record_id: "PAY-9", record_label: "Payment of $412.00 from Ecker Designs", problem: "waiting_on_parent", reason: "Payment waits for invoice 10077, which waits for customer Ecker Designs.", advice: null, qb_status_code: null, qb_status_message: null, app_customer_id: null, mapping_role: null, field: null, retryable: false, since: iso(20 * MIN) },
  );

  /** The sales tax differences QuickBooks reported (dismissed ones leave the list). */
  const taxDifferences = win.__FB_SCENARIO === "new" ? [] : [
    { invoice_id: "I-31", invoice_label: "Invoice 10031 for Greenfield Elementary", expected: "0.00", quickbooks: "6.08" },
  ];

  /**
   * The cards as the Rust side groups them (office/attention/cards.rs), for this fake only:
   * one per cause (a decision per customer, a mapping per role, a QuickBooks code, a
   * rename per record), the waiting records on one card, the tax differences last.
   * @returns {import("../src/lib/ipc/generated").AttentionCard[]}
   */
  function cardsOf(items) {
    /** @type {Map<string, import("../src/lib/ipc/generated").AttentionCard>} */
    const cards = new Map();
    const waiting = [];
    for (const item of items) {
      if (item.problem === "waiting_on_parent") { waiting.push(item); continue; }
      /** @type {import("../src/lib/ipc/generated").CardAction[]} */
      const own = [];
      let key, cause;
      if (item.problem === "needs_pairing") { key = `decision:${item.record_id}`; cause = "needs_decision"; }
      else if (item.problem === "needs_mapping") { key = `mapping:${item.mapping_role}`; cause = "needs_mapping"; }
      else if (item.problem === "too_long") { key = `record:${item.id}`; cause = "too_long"; if (item.field) own.push({ action: "rename", attention_id: item.id, field: item.field }); }
      else { key = `quickbooks:${item.qb_status_code}`; cause = "quick_books_refused"; if (item.retryable) own.push({ action: "retry", attention_ids: [item.id] }); }
      let card = cards.get(key);
      if (!card) {
        card = { id: key, cause: /** @type {any} */ (cause), title: item.reason, advice: item.advice, count: 0, records: [], waiting: [], actions: [], tax: null, since: item.since };
        cards.set(key, card);
      }
      card.count++;
      card.records.push({ ...item, actions: own });
    }
    const list = [...cards.values()];
    for (const card of list) {
      const first = card.records[0];
      if (card.records.length > 1 && card.records.some((r) => r.reason !== card.title)) card.title = `${card.records.length} records: ${card.title}`;
      if (card.cause === "needs_decision") card.actions = [{ action: "open_customer", customer_id: first.record_id }];
      if (card.cause === "needs_mapping") card.actions = [{ action: "open_items", role: first.mapping_role }];
    }
    if (waiting.length) {
      list.push({
        id: "waiting:customer:C-1000", cause: "waiting_on_parent", title: "These records wait for Customer Ecker Designs, which is not in QuickBooks yet.",
        advice: "Nothing to do: they are sent after it at the next sync.", count: waiting.length, records: [],
        waiting: waiting.map((w) => ({ id: w.id, record_kind: w.record_kind, record_id: w.record_id, record_label: w.record_label, waits_for: "A-1" })),
        actions: [], tax: null, since: waiting[0].since,
      });
    }
    for (const t of taxDifferences) {
      list.push({
        id: `tax:${t.invoice_id}`, cause: "tax_difference",
        title: `QuickBooks created ${t.invoice_label} with sales tax of $${t.quickbooks}, but your field-service app expected $${t.expected}.`,
        advice: "Check the sales tax item (and its rate) on the Items page, and the customer's sales tax code in QuickBooks: a tax-exempt customer needs a non-taxable code. Then correct the invoice in QuickBooks if needed, and dismiss this.",
        count: 1, records: [], waiting: [], actions: [{ action: "open_items", role: null }, { action: "dismiss", card_id: `tax:${t.invoice_id}` }],
        tax: t, since: iso(10 * MIN),
      });
    }
    return list;
  }

  /** The safe start: sends held on a company file with customers (scenario "held"), else sending. */
  let held = win.__FB_SCENARIO === "held";
  /** @type {import("../src/lib/ipc/generated").PreviewRow[]} */
  const previewRows = win.__FB_SCENARIO === "new" ? [] : [
    ...Array.from({ length: 240 }, (_, n) => ({ kind: /** @type {const} */ ("customer"), id: `C-${2000 + n}`, label: `Customer ${FIRST[n % 10]} ${SECOND[(n * 7) % 10]} ${n}`, action: /** @type {"link" | "add"} */ (n % 3 === 0 ? "link" : "add"), reason: n % 3 === 0 ? "QuickBooks already has it: FieldBridge links to it and sends nothing." : "QuickBooks does not have it yet.", held_because: null })),
    { kind: "customer", id: "C-H", label: "Customer Hilltop Bakery Studio", action: "held", reason: "Hilltop Bakery Studio may already be in QuickBooks as \"Hilltop Bakery\", but FieldBridge is not sure.", held_because: "pairing_decision" },
    ...Array.from({ length: 30 }, (_, n) => ({ kind: /** @type {const} */ ("invoice"), id: `I-${500 + n}`, label: `Invoice ${9000 + n} for Maple Dental`, action: /** @type {const} */ ("held"), reason: `Invoice ${9000 + n} is dated 2025-12-${String(1 + n).padStart(2, "0")}, before the start date (2026-01-01), so FieldBridge leaves it out.`, held_because: /** @type {const} */ ("start_date") })),
  ];
  function safeStart() {
    /** @type {import("../src/lib/ipc/generated").KindPreview[]} */
    const kinds = ["customer", "project", "service_ticket", "invoice", "payment"].map((kind) => {
      const rows = previewRows.filter((r) => r.kind === kind);
      const by = new Map();
      for (const r of rows) if (r.held_because) by.set(r.held_because, (by.get(r.held_because) ?? 0) + 1);
      return {
        kind: /** @type {any} */ (kind),
        add: rows.filter((r) => r.action === "add").length, change: rows.filter((r) => r.action === "change").length,
        link: rows.filter((r) => r.action === "link").length, held: rows.filter((r) => r.action === "held").length,
        held_because: [...by].map(([because, count]) => ({ because, count })),
      };
    });
    return {
      hold: held ? { held: true, held_by: /** @type {const} */ ("first_run"), reason: "This company file already holds 1,204 customers and jobs and 310 payments, so FieldBridge read it but sends nothing until you have looked at the preview and started sending." } : { held: false, held_by: null, reason: null },
      kinds, records: previewRows, refused: null,
    };
  }

  function counts(list) {
    const c = { all: list.length, linked: 0, suggested: 0, needs_decision: 0, will_create: 0, failed: 0 };
    for (const r of list) c[r.state]++;
    return c;
  }
  function matches(r, q) {
    if (!q) return true;
    const hay = `${r.name} ${r.company_name ?? ""} ${r.email ?? ""} ${r.phone ?? ""} ${r.billing_address?.line1 ?? ""}`.toLowerCase();
    return hay.includes(q.toLowerCase());
  }
  function qbMatches(c, q) {
    if (!q) return true;
    return `${c.full_name} ${c.company_name ?? ""} ${c.bill_address_line1 ?? ""}`.toLowerCase().includes(q.toLowerCase());
  }
  const find = (id) => /** @type {CustomerRow} */ (customers.find((c) => c.id === id));
  const fail = (code, message) => Promise.reject({ code, message });
  // The platform link card: set up and working unless the scenario is a fresh install.
  /** 12,000 invoices, newest first: most in QuickBooks (some paid), a few waiting or failed. */
  /** @type {import("../src/lib/ipc/generated").InvoiceRow[]} */
  const invoices = Array.from({ length: win.__FB_SCENARIO === "new" ? 0 : 12000 }, (_, i) => {
    const n = 12000 - i;
    const state = n % 97 === 0 ? "failed" : n % 41 === 0 ? "needs_attention" : n > 11990 ? "pending" : "synced";
    const cents = 5000 + ((n * 7919) % 200000);
    const total = (cents / 100).toFixed(2);
    const paid = state === "synced" && n % 3 === 0;
    const part = state === "synced" && !paid && n % 5 === 0;
    return {
      id: `INV-${n}`, number: String(10000 + n), customer_id: `C-${n % 300}`, customer_name: n % 300 === 7 ? "Ecker Designs" : `Customer ${n % 300}`,
      date: new Date(Date.UTC(2026, 10, 30) - Math.floor(i / 8) * 86400000).toISOString().slice(0, 10),
      total, state, qb_id: state === "synced" ? `${n}-1733000000` : null,
      problem: state === "failed" ? "QuickBooks has no item named 'Labor'." : state === "needs_attention" ? "Two QuickBooks customers have this name; choose one on the Customers page." : null,
      qb_balance: state === "synced" ? (paid ? "0.00" : part ? ((cents - 2000) / 100).toFixed(2) : total) : null,
      qb_paid: paid, qb_payments: paid || part ? 1 : 0, qb_payments_total: paid ? total : part ? "20.00" : "0.00", void: false,
    };
  });
  /** Every tenth invoice came from a service ticket; tickets waiting to be invoiced are newest. */
  /** @type {import("../src/lib/ipc/generated").TicketRow[]} */
  const tickets = Array.from({ length: win.__FB_SCENARIO === "new" ? 0 : 1300 }, (_, i) => {
    const n = 1300 - i;
    const inv = invoices.find((r) => r.id === `INV-${n * 9}`);
    return {
      id: `T-${n}`, number: `T${5000 + n}`, customer_id: `C-${n % 300}`, customer_name: inv?.customer_name ?? `Customer ${n % 300}`,
      project_name: n % 4 === 0 ? "Office Repairs" : null,
      date: new Date(Date.UTC(2026, 10, 29) - Math.floor(i / 2) * 86400000).toISOString().slice(0, 10),
      description: "Quarterly HVAC inspection", total: (95 + (n % 40) * 2.5).toFixed(2),
      state: n > 1290 ? "pending" : "synced", qb_id: n > 1290 ? null : `E${n}-1733000000`, problem: null,
      invoice_number: n > 1200 ? null : inv?.number ?? null,
    };
  });
  /** A payment for every paid or part-paid invoice in QuickBooks. */
  /** @type {import("../src/lib/ipc/generated").PaymentRow[]} */
  const payments = invoices.filter((r) => r.qb_payments > 0).map((r, i) => ({
    id: `PAY-${r.id.slice(4)}`, invoice_id: r.id, invoice_number: r.number, customer_name: r.customer_name, date: r.date,
    amount: r.qb_payments_total, method: i % 3 === 0 ? "Check" : "Credit Card", reference: i % 3 === 0 ? `#${4000 + i}` : `AUTH ${880000 + i}`,
    state: i === 2 ? "failed" : "synced", qb_id: i === 2 ? null : `P${i}-1733000000`,
    problem: i === 2 ? "QuickBooks has no payment method named 'Venmo'. Choose one for it on the Items page." : null,
  }));
  /**
   * One page of a Records list as the Rust side answers it: searched, counted per state, filtered.
   * @template {{ state: string }} R
   * @param {R[]} all @param {{ query: string, state: string | null, offset: number, limit: number }} request
   * @param {(r: R) => string} text
   */
  function recordPage(all, request, text) {
    const q = request.query.toLowerCase();
    const searched = q ? all.filter((r) => text(r).toLowerCase().includes(q)) : all;
    const c = { all: searched.length, pending: 0, synced: 0, failed: 0, needs_attention: 0, before_start_date: 0 };
    for (const r of searched) c[/** @type {"pending"} */ (r.state)]++;
    const filtered = request.state ? searched.filter((r) => r.state === request.state) : searched;
    return { rows: filtered.slice(request.offset, request.offset + request.limit), total: filtered.length, counts: c };
  }
  /** @type {{ path: string | null, last_file: import("../src/lib/ipc/generated").LastFile }} */
  const watched = {
    path: null,
    last_file: { name: "monday.json", at: iso(20 * MIN), imported: true, records: 14, summary: "customers: 4 added, 0 updated, 0 unchanged; invoices: 10 added, 0 updated, 0 unchanged", problems: 0 },
  };
  /** @type {{ key: string | null, status: LinkStatus }} */
  const link = {
    key: "sk-live-4f1c0e9d89ab",
    status: {
      url: "https://platform.example.com", enabled: true, state: "ok", last_poll_at: iso(1 * MIN),
      last_delivery_at: iso(3 * MIN), last_problem: null, changes_cursor: "c-42", events_pending: 0, interval_s: 60,
    },
  };
  /** @returns {LinkCard} */
  const linkCard = () => ({
    status: { ...link.status },
    key_stored: link.key !== null,
    key_ending: link.key && link.key.length >= 12 ? link.key.slice(-4) : null,
  });

  // win.__FB_SCENARIO = "new" (set by an earlier init script): a fresh install that has
  // imported nothing and never heard from the Web Connector.
  if (win.__FB_SCENARIO === "new") {
    customers.length = 0;
    vendors.length = 0;
    sessions.length = 0;
    attention.length = 0;
  }
  const isNew = win.__FB_SCENARIO === "new";
  if (isNew) settings.payment_methods = [];
  if (isNew) {
    link.key = null;
    Object.assign(link.status, { url: null, enabled: false, state: "off", last_poll_at: null, last_delivery_at: null, changes_cursor: null });
  }

  /** @type {ContractFakes} */
  const contract = {
    get_connection_status: () => isNew ? ({
      endpoint_url: "http://localhost:8080/qbwc", endpoint_running: true, ever_contacted: false, last_contact: null,
      company_file: null, health: "warning", reason: "The Web Connector has not called FieldBridge yet. Follow the steps on this page.",
      user_name: "fieldbridge", schedule_minutes: settings.schedule_minutes,
    }) : ({
      endpoint_url: "http://localhost:8080/qbwc", endpoint_running: true, ever_contacted: true, last_contact: iso(12 * MIN),
      company_file: "C:\\Users\\Public\\Documents\\Intuit\\QuickBooks\\Company Files\\Ecker HVAC.qbw",
      health: "good", reason: "The last sync, 12 minutes ago, went well. The next is due in about 18 minutes.",
      user_name: "fieldbridge", schedule_minutes: settings.schedule_minutes,
    }),
    get_qwc_password: () => "k7Qm-29xR-pLw4-Zt8e",
    reset_qwc_password: () => "n3Vb-81aQ-tRe6-Ly2c",
    get_api_token: () => "Xq4e-Lm8R-2vNt-Hc7Y-pW3k-Jd9s-Fb6G-Tz1u-Ka5V-Rn0E",
    reset_api_token: () => "Mw2c-Yh7P-4bQs-Nx9L-eG3t-Vr8K-Ja6D-Uf1z-Hp5W-Sk0T",
    save_qwc: () => null,
    list_invoices: ({ request }) => recordPage(invoices, request, (r) => `${r.number} ${r.id} ${r.customer_name}`),
    list_tickets: ({ request }) => recordPage(tickets, request, (r) => `${r.number} ${r.id} ${r.customer_name} ${r.project_name ?? ""}`),
    list_payments: ({ request }) => recordPage(payments, request, (r) => `${r.invoice_number} ${r.id} ${r.customer_name} ${r.reference ?? ""}`),
    get_watch_folder: () => ({ path: watched.path, last_file: watched.path ? watched.last_file : null }),
    set_watch_folder: ({ path }) => {
      watched.path = path && path !== "none" ? path : null;
      return { path: watched.path, last_file: watched.path ? watched.last_file : null };
    },
    show_watch_folder: () => null,
    run_doctor: () => ({
      checks: [
        { name: "web-connector", status: "ok", detail: "the QuickBooks Web Connector is installed", fix: null },
        { name: "quickbooks", status: "ok", detail: "QuickBooks Desktop is installed", fix: null },
        { name: "localhost-ipv4", status: "ok", detail: "http://127.0.0.1:8711/qbwc answers as FieldBridge", fix: null },
        { name: "localhost-ipv6", status: "ok", detail: "http://[::1]:8711/qbwc answers as FieldBridge", fix: null },
        { name: "port", status: "ok", detail: "port 8711 is FieldBridge's", fix: null },
        { name: "data-folder", status: "ok", detail: "C:\\Users\\office\\AppData\\Local\\app.fieldbridge.desktop is local, writable, 41 GB free", fix: null },
        { name: "start-at-login", status: "ok", detail: "FieldBridge starts when you sign in", fix: null },
        { name: "sleep", status: "warn", detail: "this PC sleeps after 30 minutes on mains power", fix: "set Sleep to Never (Settings › System › Power) so overnight runs happen" },
        { name: "last-contact", status: "ok", detail: "the Web Connector called 4 minutes ago", fix: null },
      ],
    }),
    get_link_status: () => linkCard(),
    set_link: ({ url, key, intervalS }) => {
      if (!/^https:\/\//.test(url) && !/^http:\/\/(localhost|127\.0\.0\.1)/.test(url)) {
        return fail("invalid_input", "The platform's address must start with https:// (http:// only for this computer).");
      }
      if (!key && !link.key) return fail("invalid_input", "Enter the API key the platform issued (it is stored once and never shown again).");
      if (key) link.key = key;
      Object.assign(link.status, { url, enabled: true, state: "ok", interval_s: intervalS ?? link.status.interval_s, last_problem: null });
      return linkCard();
    },
    turn_link_off: () => {
      Object.assign(link.status, { enabled: false, state: "off" });
      return linkCard();
    },
    test_link: ({ url }) => (url.includes("down") ? fail("unreachable", "The platform did not answer at " + url + " (connection refused).") : null),
    list_customers: ({ request }) => {
      const q = request.query;
      const searched = customers.filter((r) => matches(r, q));
      const filtered = request.filter === "all" ? searched : searched.filter((r) => r.state === request.filter);
      return {
        rows: filtered.slice(request.offset, request.offset + request.limit), total: filtered.length, counts: counts(searched),
        exact_matches: searched.filter((r) => r.state === "suggested" && r.suggestion?.strength === "exact").length,
        qb_customers_read_at: iso(12 * MIN),
      };
    },
    list_vendors: () => structuredClone(vendors),
    link_vendor: ({ vendorId, listId }) => {
      const v = findVendor(vendorId);
      const qb = qbVendors.find((q) => q.list_id === listId);
      if (!v || !qb) return fail("not_found", `No vendor ${vendorId} or QuickBooks vendor ${listId}.`);
      const holder = vendors.find((o) => o.qb_list_id === listId && o.id !== vendorId);
      if (holder) return fail("invalid_input", `QuickBooks vendor "${qb.name}" is already paired with app vendor "${holder.id}"; unpair that one first`);
      Object.assign(v, { state: "synced", pairing_state: "linked", qb_list_id: qb.list_id, qb_name: qb.name, how: "manual", problem: null, suggestions: [] });
      return null;
    },
    create_vendor: ({ vendorId }) => {
      const v = findVendor(vendorId);
      if (!v) return fail("not_found", `No vendor ${vendorId}.`);
      Object.assign(v, { state: "pending", pairing_state: "will_create", how: "create", problem: null });
      return null;
    },
    unpair_vendor: ({ vendorId }) => {
      const v = findVendor(vendorId);
      if (!v) return fail("not_found", `No vendor ${vendorId}.`);
      const was = v.qb_name;
      Object.assign(v, { state: "pending", qb_list_id: null, qb_name: null, how: null });
      const like = qbVendors.find((q) => q.name === was || q.name.toLowerCase().startsWith(v.name.toLowerCase()));
      v.suggestions = like && !vendors.some((o) => o.qb_list_id === like.list_id) ? [{ list_id: like.list_id, name: like.name, score: like.name === v.name ? 100 : 85 }] : [];
      v.pairing_state = v.suggestions[0]?.score === 100 ? "suggested" : v.suggestions.length > 0 ? "needs_decision" : "will_create";
      return null;
    },
    search_qb_customers: ({ request }) => {
      const list = qbCustomers.filter((c) => qbMatches(c, request.query) && (!request.unlinked_only || !c.linked_app_customer_id));
      return { rows: list.slice(request.offset, request.offset + request.limit), total: list.length };
    },
    link_customer: ({ appCustomerId, qbListId }) => {
      const c = find(appCustomerId);
      const qb = qbCustomers.find((q) => q.list_id === qbListId);
      if (!c || !qb) return fail("not_found", "That customer is no longer there. Refresh the list.");
      Object.assign(c, { state: "linked", linked: { list_id: qb.list_id, full_name: qb.full_name, is_job: qb.is_job }, suggestion: null, problem: null });
      qb.linked_app_customer_id = c.id;
      attention.splice(0, attention.length, ...attention.filter((a) => a.app_customer_id !== c.id || a.problem !== "needs_pairing"));
      return c;
    },
    unlink_customer: ({ appCustomerId }) => {
      const c = find(appCustomerId);
      Object.assign(c, { state: "needs_decision", linked: null });
      return c;
    },
    create_customer_in_qb: ({ appCustomerId }) => {
      const c = find(appCustomerId);
      Object.assign(c, { state: "will_create", suggestion: null, problem: null });
      return c;
    },
    accept_exact_matches: () => {
      let linked = 0;
      for (const c of customers) {
        if (c.state === "suggested" && c.suggestion?.strength === "exact") {
          Object.assign(c, { state: "linked", linked: { list_id: c.suggestion.qb_list_id, full_name: c.suggestion.qb_full_name, is_job: false }, suggestion: null });
          linked++;
        }
      }
      return { linked };
    },
    request_customer_refresh: () => null,
    import_qb_customers: ({ qbListIds }) => ({ created: qbListIds.length }),
    get_qb_lists: () => isNew ? ({ ever_read: false, read_at: null, items: [], deposit_accounts: [], payment_methods: [] }) : ({
      ever_read: true, read_at: iso(12 * MIN), items,
      deposit_accounts: [{ list_id: "AC-1", full_name: "Checking", account_type: "Bank" }, { list_id: "AC-2", full_name: "Savings", account_type: "Bank" }],
      payment_methods: [{ list_id: "PM-1", name: "Visa" }, { list_id: "PM-2", name: "Check" }, { list_id: "PM-3", name: "Cash" }],
    }),
    get_item_mappings: () => isNew ? /** @type {ItemMapping["role"][]} */ (["service_item", "service_tax_item", "project_item", "project_tax_item"]).map((role) => ({ role, item_full_name: null, item_list_id: null, status: "not_set", problem: null, rate: null })) : Object.values(mappings),
    set_item_mapping: ({ role, itemFullName }) => {
      const it = items.find((i) => i.full_name === itemFullName);
      mappings[role] = { role, item_full_name: itemFullName, item_list_id: it?.list_id ?? null, status: "valid", problem: null, rate: null };
      return mappings[role];
    },
    get_settings: () => settings,
    update_settings: ({ settings: next }) => {
      const qwc_changed = next.schedule_minutes !== settings.schedule_minutes || next.port !== settings.port;
      settings = next;
      return { settings, qwc_changed };
    },
    get_sync_status: () => isNew ? ({
      current: null, last_session: null,
      records: /** @type {import("../src/lib/ipc/generated").RecordCounts} */ (Object.fromEntries(["customers", "projects", "service_tickets", "invoices", "payments", "vendors", "expenses"].map((k) => [k, { pending: 0, synced: 0, failed: 0, needs_attention: 0, needs_decision: 0, waiting_on_parent: 0, before_start_date: 0 }]))),
    }) : ({
      current: null, last_session: sessions[0],
      records: {
        customers: { pending: 14, synced: 16002, failed: 2000, needs_attention: 2, needs_decision: 0, waiting_on_parent: 0, before_start_date: 0 },
        projects: { pending: 3, synced: 880, failed: 0, needs_attention: 0, needs_decision: 0, waiting_on_parent: 0, before_start_date: 0 },
        service_tickets: { pending: 0, synced: 4120, failed: 0, needs_attention: 0, needs_decision: 0, waiting_on_parent: 0, before_start_date: 0 },
        invoices: { pending: 22, synced: 9731, failed: 0, needs_attention: 1, needs_decision: 0, waiting_on_parent: 0, before_start_date: 0 },
        payments: { pending: 5, synced: 7002, failed: 1, needs_attention: 0, needs_decision: 0, waiting_on_parent: 0, before_start_date: 0 },
        vendors: { pending: 0, synced: 0, failed: 0, needs_attention: 0, needs_decision: 0, waiting_on_parent: 0, before_start_date: 0 },
        expenses: { pending: 0, synced: 0, failed: 0, needs_attention: 0, needs_decision: 0, waiting_on_parent: 0, before_start_date: 0 },
      },
    }),
    list_attention: () => attention.slice(),
    list_attention_cards: () => cardsOf(attention),
    dismiss_attention_card: ({ cardId }) => {
      const i = taxDifferences.findIndex((t) => `tax:${t.invoice_id}` === cardId);
      if (i < 0) return fail("not_found", "That sales tax difference is not on the list any more. Refresh the list.");
      taxDifferences.splice(i, 1);
      return null;
    },
    get_safe_start: () => safeStart(),
    start_sending: () => { held = false; return null; },
    rebind_company_file: () => "At the next Web Connector run, FieldBridge looks in the company file QuickBooks has open for the records it sent before.",
    retry_record: ({ attentionId }) => { attention.splice(attention.findIndex((a) => a.id === attentionId), 1); return null; },
    skip_record: ({ attentionId }) => { attention.splice(attention.findIndex((a) => a.id === attentionId), 1); return null; },
    rename_record: ({ attentionId, value }) => {
      if ([...value].length > 41) return fail("invalid_input", "That name is still longer than 41 characters.");
      attention.splice(attention.findIndex((a) => a.id === attentionId), 1);
      return null;
    },
    list_sessions: ({ offset, limit }) => ({ rows: sessions.slice(offset, offset + limit), total: sessions.length }),
    get_session: ({ sessionId }) => {
      const session = sessions.find((s) => s.id === sessionId);
      if (!session) return fail("not_found", "That sync is no longer in the history.");
      return {
        session,
        records: [
          { record_kind: "customer", record_id: "C-1001", record_label: "Ecker Designs", result: "created", message: "Added to QuickBooks.", qb_status_code: 0, qb_status_message: "Status OK", qb_id: "80000001-1", at: session.started_at },
          { record_kind: "invoice", record_id: "I-9", record_label: "Invoice 10045 for Ecker Designs", result: "created", message: "Added to QuickBooks. QuickBooks worked out the same sales tax ($4.13).", qb_status_code: 0, qb_status_message: "Status OK", qb_id: "1A-123", at: session.started_at },
          { record_kind: "invoice", record_id: "I-12", record_label: "Invoice 10046 for Maple Dental", result: "failed", message: "QuickBooks has no item named 'Labor'. Choose the service item on the Items page.", qb_status_code: 3140, qb_status_message: "There is an invalid reference to QuickBooks Item \"Labor\" in the Invoice line.", qb_id: null, at: session.started_at },
          { record_kind: "payment", record_id: "PAY-3", record_label: "Payment of $194.13 from Harbor Bakery", result: "updated", message: "Applied to invoice 10045.", qb_status_code: 0, qb_status_message: "Status OK", qb_id: "1B-77", at: session.started_at },
        ],
      };
    },
    export_history_csv: () => ({ rows: 96 }),
    import_files: ({ paths }) => ({
      files: paths.map((path, i) => i === 0
        ? { path, imported: true, created: { customers: 12, projects: 2, service_tickets: 0, invoices: 30, payments: 8, vendors: 0, expenses: 0 }, updated: { customers: 1, projects: 0, service_tickets: 0, invoices: 0, payments: 0, vendors: 0, expenses: 0 }, problems: [], problem_count: 0 }
        : { path, imported: false, created: { customers: 0, projects: 0, service_tickets: 0, invoices: 0, payments: 0, vendors: 0, expenses: 0 }, updated: { customers: 0, projects: 0, service_tickets: 0, invoices: 0, payments: 0, vendors: 0, expenses: 0 }, problems: ['invoices[3] (id I-12): date "2026-13-01" is not a date (YYYY-MM-DD)', 'customers.csv row 18: customer_id "C-77" is not a known customer'], problem_count: 2 }),
    }),
    // FieldBridge's own dialogs (the Rust side opens them and remembers the choice); the
    // person keeps what is offered (the save dialog opens in Documents).
    choose_save_path: ({ fileName }) => `C:\\Users\\office\\Documents\\${fileName}`,
    choose_import_files: () => ["C:\\Users\\office\\Documents\\customers.json", "C:\\Users\\office\\Documents\\invoices.csv"],
    choose_folder: () => "C:\\Users\\office\\Documents\\FieldBridge inbox",
    import_sample_data: () => ({ files: [{ path: "sample-data.json", imported: true, created: { customers: 25, projects: 4, service_tickets: 10, invoices: 40, payments: 12, vendors: 0, expenses: 0 }, updated: { customers: 0, projects: 0, service_tickets: 0, invoices: 0, payments: 0, vendors: 0, expenses: 0 }, problems: [], problem_count: 0 }] }),
  };

  /** @type {Record<string, (args: any) => unknown>} */
  const handlers = {
    ...contract,
    "plugin:event|listen": ({ event, handler }) => {
      if (!listeners.has(event)) listeners.set(event, []);
      listeners.get(event).push(handler);
      return handler;
    },
    "plugin:event|unlisten": ({ event, eventId }) => {
      const list = listeners.get(event) ?? [];
      const i = list.indexOf(eventId);
      if (i >= 0) list.splice(i, 1);
      return null;
    },
  };

  win.__TAURI_INTERNALS__ = {
    invoke: async (cmd, args = {}) => {
      calls.push({ cmd, args });
      const handler = handlers[cmd];
      if (!handler) throw { code: "internal", message: `The test backend has no command ${cmd}.` };
      return handler(args);
    },
    transformCallback: (callback, once = false) => {
      const id = nextCallback++;
      callbacks.set(id, (data) => {
        if (once) callbacks.delete(id);
        return callback && callback(data);
      });
      return id;
    },
    unregisterCallback: (id) => callbacks.delete(id),
    runCallback: (id, data) => callbacks.get(id)?.(data),
    callbacks,
    metadata: { currentWindow: { label: "main" }, currentWebview: { windowLabel: "main", label: "main" } },
  };
  win.__TAURI_EVENT_PLUGIN_INTERNALS__ = { unregisterListener: (_event, id) => callbacks.delete(id) };
  win.__fb = { emit, calls };
})();
