// End-to-end flows against the BUILT UI (dist/) in headless Chromium, with the Rust side
// replaced by e2e/mock-backend.js. Each flow saves a screenshot under e2e/screenshots/.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serve } from "./server.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const SHOTS = join(here, "screenshots");
/** Where the README's pictures go: set DOCS_SHOTS=1 to refresh docs/screenshots/. */
const DOCS = process.env.DOCS_SHOTS ? join(here, "..", "..", "docs", "screenshots") : SHOTS;
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

let server;
let browser;

before(async () => {
  await mkdir(SHOTS, { recursive: true });
  await mkdir(DOCS, { recursive: true });
  server = await serve(join(here, "..", "dist"));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      // No --user-data-dir: Playwright refuses it on launch() and gives every launch a fresh
      // temporary profile of its own, which is what the flag was for.
    ],
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function openApp(scenario = "busy", viewport = { width: 1280, height: 860 }) {
  const context = await browser.newContext({ viewport });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url.replace(/\/$/, "") });
  await context.addInitScript((s) => {
    window.__FB_SCENARIO = s;
  }, scenario);
  await context.addInitScript({ path: join(here, "mock-backend.js") });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(server.url);
  return { page, context, errors };
}

/** Screens scroll inside the window, so a tall viewport shows a whole screen in one picture. */
async function shot(page, name, height = 860) {
  await page.setViewportSize({ width: 1280, height });
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  await page.setViewportSize({ width: 1280, height: 860 });
}

const calls = (page, cmd) => page.evaluate((c) => window.__fb.calls.filter((x) => x.cmd === c), cmd);

describe("FieldBridge window", () => {
  test("connect: window title, live status, show and copy the password, download the .qwc", async () => {
    const { page, context, errors } = await openApp();
    assert.equal(await page.title(), "FieldBridge", "the window title is the product name");
    await page.getByRole("heading", { level: 1, name: "Sync" }).waitFor();
    assert.equal(
      await page.getByRole("navigation", { name: "Main" }).getByRole("button", { name: "Sync" }).getAttribute("aria-current"),
      "page",
      "once the Web Connector has called, the window opens on Sync, not on the setup steps",
    );
    await page.getByRole("button", { name: "Connect" }).click();
    await page.getByText("The last sync, 12 minutes ago, went well.").waitFor();
    assert.ok(await page.getByRole("region", { name: "Connection" }).getByText("Working").isVisible(), "the health chip says it in words");
    // Issue 14: the doctor's checks, as `fieldbridge doctor --json` gives them.
    const doctor = page.getByRole("region", { name: "Check this computer" });
    await doctor.getByText("1 thing needs a look.").waitFor();
    assert.ok(await doctor.getByText(/set Sleep to Never/).isVisible(), "a warning says what to do");

    await page.getByRole("button", { name: "Show password" }).click();
    await page.getByText("k7Qm-29xR-pLw4-Zt8e").waitFor();
    const copy = page.getByRole("button", { name: "Copy" });
    const before = await copy.boundingBox();
    await copy.click();
    await page.getByRole("button", { name: "Copied", exact: true }).waitFor();
    assert.deepEqual(await page.getByRole("button", { name: "Copied", exact: true }).boundingBox(), before, "Copied shows on the Copy button itself, which does not move");
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), "k7Qm-29xR-pLw4-Zt8e", "Copy puts the password on the clipboard");

    await page.getByRole("button", { name: "Download QWC file" }).click();
    await page.getByText(/Saved .*FieldBridge\.qwc/).waitFor();
    const saved = await calls(page, "save_qwc");
    assert.equal(saved.length, 1, "one .qwc written");
    assert.equal(
      saved[0].args.path,
      "C:\\Users\\office\\Documents\\FieldBridge.qwc",
      "the save dialog offers Documents, and save_qwc gets the path it returned",
    );
    await shot(page, "connect", 1500);
    assert.deepEqual(errors, [], "no script errors");
    await context.close();
  });

  test("vendors: the Customers page's Vendors tab, accept a suggestion, link a near match, unlink asks first", async () => {
    const { page, context, errors } = await openApp();
    await page.getByRole("button", { name: "Customers" }).click();
    await page.getByRole("table", { name: "Customers" }).waitFor();
    await page.getByRole("tab", { name: "Vendors" }).click();
    const table = page.getByRole("table", { name: "Vendors" });
    await table.waitFor();
    await table.getByText("Needs a decision").waitFor();
    await shot(page, "vendors");

    const baker = table.locator('[role="row"]', { hasText: "Baker Electric" });
    await baker.getByRole("button", { name: "Accept" }).click();
    await page.getByText("Baker Electric is now linked to Baker Electric Co in QuickBooks.").waitFor();
    await baker.getByText("Linked").waitFor();

    const hilltop = table.locator('[role="row"]', { hasText: "Hilltop Lumber" });
    await hilltop.getByRole("button", { name: "Link to…" }).click();
    const dialog = page.getByRole("dialog", { name: "Link Hilltop Lumber to QuickBooks" });
    await dialog.getByRole("radio", { name: /Hill Top Lumber/ }).check();
    await dialog.getByRole("button", { name: "Link", exact: true }).click();
    await hilltop.getByText("Linked").waitFor();

    const acme = table.locator('[role="row"]', { hasText: "Acme Supply" });
    await acme.getByRole("button", { name: "Unlink…" }).click();
    await page.getByRole("dialog", { name: "Unlink Acme Supply?" }).getByRole("button", { name: "Unlink", exact: true }).click();
    await page.getByText("Acme Supply is no longer linked to a QuickBooks vendor.").waitFor();
    assert.deepEqual(
      (await calls(page, "link_vendor")).map((c) => c.args),
      [{ vendorId: "V-2", listId: "80000104-1" }, { vendorId: "V-3", listId: "80000102-1" }],
      "each decision reaches the Rust side with the vendor and the QuickBooks vendor chosen",
    );
    assert.deepEqual((await calls(page, "unpair_vendor")).map((c) => c.args), [{ vendorId: "V-1" }]);
    assert.deepEqual(errors, [], "no script errors");
    await context.close();
  });

  test("customers: search narrows 20,000 rows, link through the dialog", async () => {
    const { page, context, errors } = await openApp();
    await page.getByRole("button", { name: "Customers" }).click();
    await page.getByRole("table", { name: "Customers" }).waitFor();
    const rendered = await page.locator('[role="table"][aria-label="Customers"] [role="rowgroup"] >> nth=1 >> [role="row"]').count();
    assert.ok(rendered < 200, `only visible rows are in the DOM (found ${rendered} of 20,000)`);
    await shot(page, "customers");
    await page.getByRole("button", { name: "Why is Summit Designs LLC suggested for Summit Designs?" }).click();
    await page.getByRole("dialog", { name: "Why this match?" }).getByText("Same phone number").waitFor();
    await shot(page, "customers-why");
    await page.keyboard.press("Escape");

    await page.getByRole("searchbox", { name: "Search customers" }).fill("Ecker Designs");
    await page.waitForFunction(() => window.__fb.calls.some((c) => c.cmd === "list_customers" && c.args.request.query === "Ecker Designs"));
    const firstRow = page.locator('[role="row"]', { hasText: "Ecker Designs" }).first();
    await firstRow.getByRole("button", { name: "Link to…" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("combobox").fill("Mill");
    await dialog.getByRole("option", { name: /Ecker Designs LLC/ }).first().click();
    await shot(page, "customers-link-dialog");
    await dialog.getByRole("button", { name: /^Link to Ecker Designs LLC/ }).click();
    await page.getByText(/is now linked to Ecker Designs LLC/).waitFor();
    const linked = await calls(page, "link_customer");
    assert.deepEqual(linked[0].args, { appCustomerId: "C-1000", qbListId: "QB-1" }, "the chosen QuickBooks customer is linked");
    assert.deepEqual(errors, [], "no script errors");
    await context.close();
  });

  test("items: a mapping is changed and marked ready; a schedule change asks for the new .qwc", async () => {
    const { page, context, errors } = await openApp();
    await page.getByRole("button", { name: "Items and settings" }).click();
    const select = page.getByLabel("Project item");
    await select.waitFor();
    assert.ok(await page.getByText("'Old Labor' is inactive in QuickBooks").isVisible(), "an unusable mapping says why");
    const options = await select.locator("option").allTextContents();
    assert.ok(!options.includes("CT Sales Tax"), "a sales-tax item is not offered as a project item");
    await select.selectOption("Installation");
    await page.getByTestId("mapping-status-project_item").getByText("Ready").waitFor();
    await page.getByLabel("Sync every (minutes)").fill("15");
    await page.getByRole("button", { name: "Save schedule" }).click();
    await page.getByText("The Web Connector needs the new connection file.").waitFor();
    await shot(page, "items", 1500);
    // Issue 14: the port, from the next start, with the new .qwc offered.
    await page.getByLabel("Port the Web Connector calls").fill("8799");
    await page.getByRole("button", { name: "Save port" }).click();
    await page.getByText("FieldBridge uses port 8799 from its next start.").waitFor();
    assert.equal((await calls(page, "update_settings")).at(-1).args.settings.port, 8799, "saved through update_settings");
    assert.ok(await page.getByRole("switch", { name: "Start FieldBridge when I sign in" }).isChecked());
    await shot(page, "items-port", 1500);
    assert.deepEqual(errors, [], "no script errors");
    await context.close();
  });

  test("sync: the progress event moves the bar; attention items offer their fix", async () => {
    const { page, context, errors } = await openApp();
    await page.getByRole("button", { name: "Sync" }).click();
    await page.getByText("Needs your attention").waitFor();
    await page.evaluate(() =>
      window.__fb.emit("sync-progress", {
        session_id: 201, state: "running", phase: "invoices", percent: 62, done: 124, total: 200,
        started_at: new Date(Date.now() - 90_000).toISOString(), company_file: "Ecker HVAC.qbw", problem: null,
      }),
    );
    const bar = page.getByRole("progressbar");
    await page.waitForFunction(() => document.querySelector('[role="progressbar"]')?.getAttribute("aria-valuenow") === "62");
    assert.ok(await page.getByText("Sending invoices").isVisible(), "the phase is said in words");
    assert.ok(await page.getByText("124 of 200 records done", { exact: false }).isVisible(), "records done and to do");
    assert.equal(await bar.getAttribute("aria-valuenow"), "62");
    assert.ok(await page.getByText("41 characters", { exact: false }).first().isVisible(), "the QuickBooks limit is shown by the rename box");
    const mapping = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "QuickBooks has no item named 'Labor'." }) });
    assert.equal(await mapping.count(), 1, "59 invoices held up by one missing mapping make one card");
    assert.deepEqual((await mapping.getByRole("button").allTextContents()).map((t) => t.trim()), ["Choose the service item"], "with one button");
    await mapping.getByText("Show the 59 records").click();
    assert.ok(await mapping.getByText("Invoice 10157", { exact: false }).isVisible(), "the records fold out under it");
    const waiting = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: /^These records wait for/ }) });
    assert.equal(await waiting.getByRole("button").count(), 0, "records that only wait have no button of their own");
    const tax = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: /with sales tax of \$6\.08/ }) });
    assert.ok(await tax.getByText("$0.00", { exact: true }).isVisible(), "the app's expected tax, as money");
    assert.ok(await tax.getByText("$6.08", { exact: true }).isVisible(), "QuickBooks' sales tax, as money");
    await shot(page, "sync", 1500);
    await tax.getByRole("button", { name: "Dismiss" }).click();
    await page.getByText(/^Dismissed\./).waitFor();
    assert.equal(await tax.count(), 0, "dismissed: the card is gone");
    assert.deepEqual((await calls(page, "dismiss_attention_card"))[0].args, { cardId: "tax:I-31" });
    assert.deepEqual(errors, [], "no script errors");
    await context.close();
  });

  test("a held first run: the Sync page says why, previews the next sync, and Start sending releases it", async () => {
    const { page, context, errors } = await openApp("held");
    await page.getByRole("button", { name: "Sync" }).click();
    const notice = page.locator("section").filter({ has: page.getByRole("heading", { name: "Sending is on hold" }) });
    await notice.waitFor();
    assert.ok(await notice.getByText(/already holds 1,204 customers/).isVisible(), "why it is held");
    const preview = page.getByRole("table", { name: "What the next sync does, by kind" });
    assert.ok(await preview.getByRole("row", { name: /^Invoices/ }).getByText("30 before the start date").isVisible(), "held back, and why");
    const records = page.getByRole("list", { name: "Records in the next sync" });
    assert.equal(await records.getByRole("listitem").count(), 100, "a hundred records at a time");
    await page.getByRole("button", { name: "Held back 31" }).click();
    assert.equal(await records.getByRole("listitem").count(), 31);
    await shot(page, "sync-held-preview", 500);
    await notice.getByRole("button", { name: "Start sending" }).click();
    await page.getByText(/^Sending is on: the next Web Connector run sends/).waitFor();
    assert.equal(await notice.count(), 0, "the hold notice is gone");
    assert.equal((await calls(page, "start_sending")).length, 1);
    assert.deepEqual(errors, [], "no script errors");
    await context.close();
  });

  test("history: chart, drill-down to each record with QuickBooks' code, CSV export", async () => {
    const { page, context, errors } = await openApp();
    await page.getByRole("button", { name: "History" }).click();
    await page.getByRole("img", { name: "Records sent per sync" }).waitFor();
    await shot(page, "history", 1500);
    await page.getByRole("button", { name: /^Details of the sync/ }).first().click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText("QuickBooks has no item named 'Labor'.", { exact: false }).waitFor();
    assert.ok(await dialog.getByText("QuickBooks code 3140", { exact: false }).isVisible(), "QuickBooks' code sits under the plain text");
    await shot(page, "history-detail");
    await dialog.getByRole("button", { name: "Export this sync to CSV…" }).click();
    await dialog.getByText("Saved 96 rows").waitFor();
    const exported = await calls(page, "export_history_csv");
    assert.equal(exported[0].args.sessionId, 200, "the open session is exported");
    assert.match(exported[0].args.path, /\.csv$/, "to the path the save dialog returned");
    assert.deepEqual(errors, [], "no script errors");
    await context.close();
  });

  test("import: files chosen, per-file summary and every problem listed", async () => {
    const { page, context, errors } = await openApp();
    await page.getByRole("button", { name: "Import records…" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Some files were not imported" });
    await dialog.getByText('invoices[3] (id I-12): date "2026-13-01" is not a date (YYYY-MM-DD)').waitFor();
    assert.ok(await dialog.getByText(/Added 12 customers/).isVisible(), "the imported file's summary is shown");
    await shot(page, "import");
    assert.deepEqual(errors, [], "no script errors");
    await context.close();
  });

  test("a new install: every screen explains what to do first", async () => {
    const { page, context, errors } = await openApp("new");
    await page.getByText("Has not connected yet").waitFor();
    await shot(page, "new-connect");
    await page.getByRole("button", { name: "Customers" }).click();
    await page.getByRole("heading", { name: "No customers yet" }).waitFor();
    assert.ok(await page.getByRole("button", { name: "Load sample data" }).isVisible(), "new users can try sample data");
    await shot(page, "new-customers");
    await page.getByRole("button", { name: "Items and settings" }).click();
    await page.getByRole("heading", { name: "Run the Web Connector once so FieldBridge can read your items" }).waitFor();
    await shot(page, "new-items");
    await page.getByRole("button", { name: "Sync" }).click();
    await page.getByText("No sync has run yet.", { exact: false }).waitFor();
    await shot(page, "new-sync");
    await page.getByRole("button", { name: "History" }).click();
    await page.getByRole("heading", { name: "No syncs yet" }).waitFor();
    await shot(page, "new-history");
    assert.deepEqual(errors, [], "no script errors");
    await context.close();
  });

  test("keyboard: the Link dialog opens in its search, arrows pick, Enter links; Enter saves a rename", async () => {
    const { page, context, errors } = await openApp();
    await page.getByRole("button", { name: "Customers" }).click();
    const firstRow = page.locator('[role="row"]', { hasText: "Ecker Designs" }).first();
    await firstRow.getByRole("button", { name: "Link to…" }).click();
    const dialog = page.getByRole("dialog");
    const search = dialog.getByRole("combobox", { name: "Search QuickBooks customers and jobs" });
    await page.waitForFunction(() => document.activeElement?.getAttribute("role") === "combobox");
    await search.fill("Ecker");
    await dialog.getByRole("option", { name: /Ecker, Jane/ }).waitFor();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    assert.equal(await dialog.getByRole("option", { name: /Office Repairs/ }).getAttribute("aria-selected"), "true", "the second result is highlighted");
    await page.keyboard.press("Enter");
    await page.getByText(/is now linked to Ecker Designs LLC:Office Repairs/).waitFor();
    assert.deepEqual((await calls(page, "link_customer"))[0].args, { appCustomerId: "C-1000", qbListId: "QB-2" });

    await page.getByRole("button", { name: "Sync" }).click();
    const rename = page.getByLabel("Customer name for QuickBooks");
    await rename.fill("Northeast Heating and Air of CT");
    await rename.press("Enter");
    await page.getByText(/^Renamed\./).waitFor();
    assert.deepEqual((await calls(page, "rename_record"))[0].args, { attentionId: "A-2", value: "Northeast Heating and Air of CT" });
    assert.deepEqual(errors, [], "no script errors");
    await context.close();
  });

  test("a drop-down does not save on one arrow key press; notices float without moving the page", async () => {
    const { page, context, errors } = await openApp();
    await page.getByRole("button", { name: "Items and settings" }).click();
    const select = page.getByLabel("Project item");
    await select.waitFor();
    const before = await select.boundingBox();
    await select.focus();
    await page.keyboard.press("ArrowDown");
    await page.waitForTimeout(200);
    assert.equal((await calls(page, "set_item_mapping")).length, 0, "one arrow press in the closed box saves nothing");
    await page.keyboard.press("Enter");
    await page.getByTestId("mapping-status-project_item").getByText("Ready").waitFor();
    assert.equal((await calls(page, "set_item_mapping")).length, 1, "Enter saves the choice");
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    assert.deepEqual(await select.boundingBox(), before, "the notice floats: the page under the mouse stays put");
    assert.deepEqual(errors, [], "no script errors");
    await context.close();
  });

  test("platform link: status light, key shown by its ending only, test, turn off, set again", async () => {
    const { page, context, errors } = await openApp();
    await page.getByRole("heading", { level: 1, name: "Sync" }).waitFor();
    await page.getByRole("button", { name: "Connect" }).click();
    const card = page.getByRole("region", { name: "Field-service platform" });
    await card.getByText("Working").waitFor();
    await card.getByTestId("key-help").getByText(/key ending …89ab/).waitFor();
    assert.equal(await card.getByLabel("API key").inputValue(), "", "the stored key is never put back on screen");
    assert.ok(!(await card.innerText()).includes("sk-live"), "no part of the key but its ending is shown");

    await card.getByLabel("Platform address").fill("https://down.example.com");
    await card.getByRole("button", { name: "Test connection" }).click();
    await card.getByText(/The platform did not answer at https:\/\/down\.example\.com/).waitFor();
    assert.deepEqual((await calls(page, "test_link")).map((c) => c.args), [{ url: "https://down.example.com", key: "" }]);

    await card.getByRole("button", { name: "Turn off" }).click();
    await card.locator(".chip").filter({ hasText: "Off" }).waitFor();

    await card.getByLabel("Platform address").fill("https://platform.example.com");
    await card.getByLabel("API key").fill("sk-live-new-key-00007f3e");
    await card.getByRole("spinbutton").fill("120");
    await card.getByRole("button", { name: "Save" }).click();
    await card.getByText(/^Saved\./).waitFor();
    await card.getByTestId("key-help").getByText(/key ending …7f3e/).waitFor();
    assert.equal(await card.getByLabel("API key").inputValue(), "", "the typed key is cleared after saving");
    assert.deepEqual((await calls(page, "set_link")).map((c) => c.args), [
      { url: "https://platform.example.com", key: "sk-live-new-key-00007f3e", intervalS: 120 },
    ]);
    for (const [width, height] of [[1280, 800], [1024, 700]]) {
      await page.setViewportSize({ width, height });
      await card.evaluate((c) => c.scrollIntoView({ block: "start" }));
      await page.screenshot({ path: join(SHOTS, `link-card-${width}x${height}.png`) });
    }
    assert.deepEqual(errors, [], "no script errors");
    await context.close();
  });

  test("records: 12,000 invoices scroll virtualised; search and the state filter ask the backend", async () => {
    const { page, context, errors } = await openApp();
    await page.getByRole("heading", { level: 1, name: "Sync" }).waitFor();
    await page.getByRole("navigation", { name: "Main" }).getByRole("button", { name: "Records", exact: true }).click();
    const table = page.getByRole("table", { name: "Invoices" });
    await table.getByText("#22000").waitFor();
    await page.getByText("12,000 shown.").waitFor();
    const rendered = await page.locator("[role=row]").count();
    assert.ok(rendered < 80, `only the rows in view are in the page (${rendered})`);
    await page.getByRole("searchbox", { name: "Search invoices" }).fill("ecker");
    await page.getByText("40 shown.").waitFor();
    await page.getByRole("searchbox", { name: "Search invoices" }).fill("");
    await page.getByRole("group", { name: "Show invoices" }).getByRole("button", { name: /^Failed/ }).click();
    await table.getByText("QuickBooks has no item named 'Labor'.").first().waitFor();
    const requests = (await calls(page, "list_invoices")).map((c) => c.args.request);
    assert.ok(requests.every((r) => r.limit <= 100), "every request is one page");
    assert.ok(requests.some((r) => r.state === "failed"), "the filter is applied by the backend");
    await shot(page, "records-failed", 800);
    await page.getByRole("tab", { name: "Service tickets" }).click();
    await page.getByRole("table", { name: "Service tickets" }).getByText("#T6300").waitFor();
    await page.getByText("1,300 shown.").waitFor();
    await page.getByRole("tab", { name: "Payments" }).click();
    const pays = page.getByRole("table", { name: "Payments" });
    await pays.getByText("For invoice #", { exact: false }).first().waitFor();
    await page.getByRole("group", { name: "Show payments" }).getByRole("button", { name: /^Failed/ }).click();
    await pays.getByText("QuickBooks has no payment method named 'Venmo'.", { exact: false }).waitFor();
    assert.ok((await calls(page, "list_payments")).some((c) => c.args.request.state === "failed"), "the payments filter is applied by the backend");
    await shot(page, "records-payments", 800);
    assert.deepEqual(errors, [], "no script errors");
    await context.close();
  });


  test("watched folder: picked with the folder dialog, shown, turned off with None", async () => {
    const { page, context, errors } = await openApp();
    await page.getByRole("heading", { level: 1, name: "Sync" }).waitFor();
    await page.getByRole("navigation", { name: "Main" }).getByRole("button", { name: "Items and settings", exact: true }).click();
    const card = page.getByRole("region", { name: "Watched folder" });
    await card.getByText("No folder is watched.").waitFor();
    await card.getByRole("button", { name: "Choose folder…" }).click();
    await card.getByTestId("watch-folder").getByText(/FieldBridge inbox/).waitFor();
    assert.deepEqual((await calls(page, "set_watch_folder")).map((c) => c.args), [{ path: "C:\\Users\\office\\Documents\\FieldBridge inbox" }]);
    await card.evaluate((c) => c.scrollIntoView({ block: "center" }));
    await shot(page, "watch-folder", 800);
    await card.getByRole("button", { name: "None" }).click();
    await card.getByText("No folder is watched.").waitFor();
    assert.deepEqual(errors, [], "no script errors");
    await context.close();
  });
  for (const [width, height] of [[1280, 800], [1024, 700]]) {
    test(`every screen fits at ${width}x${height}: nothing sticks out, the rail ${width < 1100 ? "is icons only" : "has labels"}`, async () => {
      const { page, context, errors } = await openApp("busy", { width, height });
      const nav = page.getByRole("navigation", { name: "Main" });
      await page.getByRole("heading", { level: 1, name: "Sync" }).waitFor();
      const rail = await nav.boundingBox();
      assert.ok(width < 1100 ? rail.width <= 80 : rail.width >= 200, `the rail is ${rail.width}px wide`);
      for (const name of ["Connect", "Customers", "Records", "Items and settings", "Sync", "History"]) {
        const button = nav.getByRole("button", { name, exact: true });
        assert.equal(await button.getAttribute("title"), name, `${name} has a tooltip`);
      }
      const screens = [
        ["Connect", "connect", async () => page.getByText("Every 30 minutes").waitFor()],
        ["Customers", "customers", async () => page.getByRole("table", { name: "Customers" }).waitFor()],
        ["Records", "records", async () => page.getByRole("table", { name: "Invoices" }).getByText("#22000").waitFor()],
        ["Items and settings", "items", async () => page.getByLabel("Project item").waitFor()],
        ["Sync", "sync", async () => {
          await page.getByRole("heading", { name: "QuickBooks has no item named 'Labor'." }).waitFor();
          await page.getByRole("heading", { name: /^Needs your attention/ }).evaluate((h) => h.scrollIntoView());
        }],
        ["History", "history", async () => page.getByRole("button", { name: /^Details of the sync/ }).first().waitFor()],
      ];
      for (const [name, file, ready] of screens) {
        await nav.getByRole("button", { name, exact: true }).click();
        assert.equal(await page.locator("main").evaluate((m) => m.scrollTop), 0, `${name} opens at its top, not where the last screen was scrolled`);
        await ready();
        const sticking = await page.evaluate(() => {
          const limit = document.documentElement.clientWidth;
          return [...document.querySelectorAll("main *")]
            .filter((el) => {
              const r = el.getBoundingClientRect();
              return r.width > 0 && r.height > 0 && r.right > limit + 0.5 && !el.closest("[data-notice]");
            })
            .map((el) => `${el.tagName.toLowerCase()}.${el.className?.baseVal ?? el.className} "${(el.textContent ?? "").trim().slice(0, 40)}"`)
            .slice(0, 5);
        });
        assert.deepEqual(sticking, [], `${name} at ${width}x${height}: nothing past the window's right edge`);
        const main = await page.locator("main").evaluate((m) => [m.scrollWidth, m.clientWidth]);
        assert.ok(main[0] <= main[1], `${name}: no sideways scrolling (${main[0]} > ${main[1]})`);
        await page.screenshot({ path: join(DOCS, `${file}-${width}x${height}.png`) });
      }
      assert.deepEqual(errors, [], "no script errors");
      await context.close();
    });
  }
});
