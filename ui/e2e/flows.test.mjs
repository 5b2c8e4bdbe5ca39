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
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

let server;
let browser;

before(async () => {
  await mkdir(SHOTS, { recursive: true });
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

async function openApp(scenario = "busy") {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
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
    await page.getByText("The last sync, 12 minutes ago, went well.").waitFor();
    assert.ok(await page.getByText("Working").isVisible(), "the health chip says it in words");

    await page.getByRole("button", { name: "Show password" }).click();
    await page.getByText("k7Qm-29xR-pLw4-Zt8e").waitFor();
    await page.getByRole("button", { name: "Copy" }).click();
    await page.getByText("Password copied").waitFor();
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
    await dialog.getByRole("searchbox").fill("Mill");
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
    await shot(page, "sync", 1500);
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
});
