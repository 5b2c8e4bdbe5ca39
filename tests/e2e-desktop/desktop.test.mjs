// The real FieldBridge window, driven through WebDriver (tauri-driver → WebKitWebDriver) under
// Xvfb, against its own Web Connector endpoint called by the simulated Web Connector and
// QuickBooks (qbsim-run). Run through scripts/e2e-desktop.sh, which starts Xvfb and
// tauri-driver and sets the environment below. The flows run in order on one app and one
// fresh data folder: each builds on the one before, like an office manager's first hour.
//
// Environment: FIELDBRIDGE_BIN (the app), QBSIM_RUN (tests/qbsim's qbsim-run), WEBDRIVER_URL
// (tauri-driver), E2E_WORK (a scratch folder), DISPLAY (Xvfb).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { newSession, sleep, waitForDriver, xpathLiteral } from "./webdriver.mjs";

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const SHOTS = join(here, "screenshots");

const APP = required("FIELDBRIDGE_BIN");
const QBSIM_RUN = required("QBSIM_RUN");
const DRIVER = required("WEBDRIVER_URL");
const WORK = required("E2E_WORK");

/** The sample customer and the QuickBooks customer whose name is close to it. */
const SAMPLE_CUSTOMER = "Ecker Designs";
const NEAR_MATCH = "Ecker Designs Inc";
/** The simulated company's seed: fixed, so every run sees the same company. */
const SEED = "7";
/** Wait inside each round trip of the watched sync, so the window has time to show it. */
const WATCHED_PAUSE_MS = "700";

/** The item each role is mapped to, from the simulated company's fixture (tests/qbsim/README.md). */
const MAPPINGS = {
  service_item: "Labor",
  service_tax_item: "IL State",
  project_item: "Trip Charge",
  project_tax_item: "Chicago Combined",
};

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this suite through scripts/e2e-desktop.sh`);
  return value;
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

let session;
let dataDir;
let port;
let qb;

/** The CLI on the same data folder and port as the window: the reference answers. */
async function cli(...args) {
  const { stdout } = await run(APP, ["--data-dir", dataDir, "--port", String(port), ...args]);
  return stdout;
}

/** A screenshot of the window after a second to settle (fades, late renders). */
async function shot(name) {
  await sleep(1000);
  await writeFile(join(SHOTS, `${name}.png`), await session.screenshot());
}

/** The whole X screen (the window plus any native dialog above it). */
async function screenShot(name) {
  await run("import", ["-window", "root", join(SHOTS, `${name}.png`)]);
}

/**
 * The customers table row whose name (its <strong>) is exactly `name`, and its visible text.
 * Found by a script: the table is virtualised (rows are transformed into place), and
 * WebKitWebDriver's own text/visibility checks do not see into it reliably.
 */
async function customerRow(name) {
  const row = await session.execute(
    `return [...document.querySelectorAll('div[role="row"]')]
       .find((r) => r.querySelector("strong")?.textContent.trim() === arguments[0]) ?? null;`,
    name,
  );
  if (!row) return null;
  const text = await session.execute("return arguments[0].innerText;", row);
  return { row, text };
}

/** A button inside a customers row, as a WebDriver element (clicked for real). */
async function rowButton(name, label) {
  return session.execute(
    `const row = [...document.querySelectorAll('div[role="row"]')]
       .find((r) => r.querySelector("strong")?.textContent.trim() === arguments[0]);
     return [...(row?.querySelectorAll("button") ?? [])].find((b) => b.textContent.trim() === arguments[1]) ?? null;`,
    name,
    label,
  );
}

async function go(screen) {
  await (await session.button(screen)).click();
  await session.find(`main h1`);
  await session.waitFor(`the ${screen} screen`, async () => {
    const h1 = await session.findAll("main h1");
    return h1.length > 0;
  });
}

/** The simulated QuickBooks and Web Connector, kept alive so the company persists between runs. */
class SimulatedQuickBooks {
  constructor(args) {
    this.proc = spawn(QBSIM_RUN, [...args, "--runs-from-stdin"], { stdio: ["pipe", "pipe", "inherit"] });
    this.lines = createInterface({ input: this.proc.stdout })[Symbol.asyncIterator]();
  }

  /** One Web Connector run; resolves with qbsim-run's JSON summary. */
  async run() {
    this.proc.stdin.write("run\n");
    const { value, done } = await this.lines.next();
    if (done) throw new Error("qbsim-run ended without reporting the run");
    return JSON.parse(value);
  }

  stop() {
    this.proc.stdin.end();
  }
}

/**
 * One Web Connector run, watched on the Sync screen: every percent the progress bar shows
 * while it runs, and a screenshot (`shotName`) once it has moved.
 */
async function watchedRun(shotName) {
  const running = qb.run();
  const seen = new Set();
  let shotTaken = false;
  let finished = false;
  running.then(() => (finished = true), () => (finished = true));
  while (!finished) {
    // The screen reloads as the sync commits, so a bar found a moment ago may be gone.
    const bars = await session.findAll('[role="progressbar"]').catch(() => []);
    if (bars.length) {
      const now = await bars[0].attribute("aria-valuenow").catch(() => null);
      if (now !== null) seen.add(now);
      if (!shotTaken && seen.size >= 2) {
        shotTaken = true;
        await writeFile(join(SHOTS, `${shotName}.png`), await session.screenshot());
      }
    }
    await sleep(100);
  }
  return { summary: await running, seen: [...seen] };
}

before(async () => {
  await mkdir(SHOTS, { recursive: true });
  dataDir = await mkdtemp(join(WORK, "data-"));
  port = await freePort();
  await waitForDriver(DRIVER);
  session = await newSession(DRIVER, {
    browserName: "wry",
    "tauri:options": { application: APP, args: ["--data-dir", dataDir, "--port", String(port)] },
  });
  await session.find("main h1", 30_000);
});

after(async () => {
  qb?.stop();
  await session?.quit().catch(() => {});
});

/** A flow; when it fails, the window as it was goes to screenshots/FAILED-*.png. */
function flow(name, body) {
  test(name, async () => {
    try {
      await body();
    } catch (e) {
      const file = `FAILED-${name.replace(/[^A-Za-z0-9]+/g, "-").slice(0, 60)}`;
      await writeFile(join(SHOTS, `${file}.png`), await session.screenshot()).catch(() => {});
      const text = await session.pageText().catch(() => "");
      await writeFile(join(SHOTS, `${file}.txt`), text).catch(() => {});
      throw e;
    }
  });
}

describe("FieldBridge desktop app", () => {
  flow("a fresh data folder opens on Connect, waiting for the Web Connector", async () => {
    assert.equal(await session.title(), "FieldBridge", "the window title is the product name");
    const h1 = await session.find("main h1");
    assert.equal(await h1.text(), "Connect QuickBooks", "a fresh data folder starts on the Connect page");
    await session.text("Has not connected yet");
    const address = await session.text(`http://localhost:${port}/qbwc`);
    assert.ok(address, "the Connect page shows the endpoint on the port the app was given");
  });

  flow("Show password shows what `fieldbridge password` prints", async () => {
    await (await session.button("Show password")).click();
    const shown = await session.find('[data-testid="password"]');
    const expected = (await cli("password")).trim();
    assert.ok(expected.length >= 12, `the CLI prints a real password, got ${JSON.stringify(expected)}`);
    assert.equal((await shown.text()).trim(), expected, "the window and the CLI read the same password");
    await shot("01-connect-password");
  });

  flow("Download QWC writes, through the native save dialog, the file `fieldbridge qwc` writes", async () => {
    const target = join(dataDir, "..", `FieldBridge-${port}.qwc`);
    await (await session.button("Download QWC file")).click();
    const dialog = await session.waitFor("the native save dialog", async () => {
      const { stdout } = await run("xdotool", ["search", "--onlyvisible", "--name", "^Save File$"]).catch(() => ({ stdout: "" }));
      return stdout.trim().split("\n")[0] || null;
    });
    await run("xdotool", ["windowfocus", "--sync", dialog]);
    // The name field has the focus and the suggested name; a full path there saves there.
    await run("xdotool", ["key", "--clearmodifiers", "ctrl+a"]);
    await run("xdotool", ["type", "--delay", "15", target]);
    await sleep(500);
    await screenShot("02-save-dialog");
    await run("xdotool", ["key", "Return"]);
    await session.text(`Saved ${target}`);
    const saved = await readFile(target, "utf8");
    const expected = await cli("qwc");
    assert.equal(saved.trim(), expected.trim(), "the window saves exactly what `fieldbridge qwc` prints");
    // It must parse as XML, and point the Web Connector at this app's endpoint.
    const { stdout: url } = await run("xmllint", ["--xpath", "string(/QBWCXML/AppURL)", target]);
    assert.equal(url.trim(), `http://localhost:${port}/qbwc`, "the .qwc sends the Web Connector to this app's port");
    const { stdout: user } = await run("xmllint", ["--xpath", "string(/QBWCXML/UserName)", target]);
    assert.equal(user.trim(), "fieldbridge", "the .qwc names the user the endpoint expects");
    await shot("03-connect-saved");
  });

  flow("Load sample data imports the bundled customers", async () => {
    await go("Customers");
    await session.text("No customers yet");
    await (await session.button("Load sample data")).click();
    await session.text("Import finished");
    const report = await session.text("Added 20 customers");
    assert.match(await report.text(), /4 projects, 27 service tickets, 22 invoices, 10 payments/, "the whole sample arrives");
    await (await session.button("Done")).click();
    await session.waitFor(`${SAMPLE_CUSTOMER} in the table`, () => customerRow(SAMPLE_CUSTOMER));
    await session.text("QuickBooks customers have not been read yet");
    await shot("04-customers-sample");
  });

  flow("the first Web Connector run moves the Sync screen and adds a History row", async () => {
    await go("Sync");
    await session.text("No sync has run yet");
    const password = (await cli("password")).trim();
    qb = new SimulatedQuickBooks([`http://127.0.0.1:${port}/qbwc`, "fieldbridge", password, SEED,
      "--near-match", NEAR_MATCH, "--pause-ms", WATCHED_PAUSE_MS]);
    const { summary: first } = await watchedRun("05-sync-running");
    assert.equal(first.completed, true, `the first run completes: ${first.problem}`);
    // The company already has a customer, so a new data folder's first run only reads
    // QuickBooks (issue 15): nothing is sent until Start sending (the progress bar's moves
    // are checked on the run that sends, below).
    assert.equal(first.company.invoices, 0, "a held first run sends nothing to QuickBooks");
    await session.text("No sync running. The last one ended");
    await shot("05-sync-first-done");
    await go("History");
    await session.waitFor("one History row", async () => (await session.findAll("table.sessions tbody tr")).length === 1);
  });

  flow("the four item mappings can be set from QuickBooks' items", async () => {
    await go("Items and settings");
    for (const [role, item] of Object.entries(MAPPINGS)) {
      const select = await session.find(`#map-${role}`);
      await session.waitFor(`option ${item} for ${role}`, async () =>
        (await session.findAllXPath(`//select[@id='map-${role}']/option[@value=${xpathLiteral(item)}]`)).length === 1,
      );
      await select.click();
      const [option] = await session.findAllXPath(`//select[@id='map-${role}']/option[@value=${xpathLiteral(item)}]`);
      await option.click();
      await session.waitFor(`${role} mapped to ${item} and Ready`, async () => {
        const status = await session.find(`[data-testid="mapping-status-${role}"]`);
        return (await status.text()).includes("Ready") && (await select.property("value")) === item;
      });
    }
    // Move the focus off the last box, so WebKitGTK repaints it closed.
    await (await session.find("main h1")).click();
    await shot("06-items-mapped");
    // Once all four are saved, every box still shows its item (not only the last one chosen).
    for (const [role, item] of Object.entries(MAPPINGS)) {
      const shown = await session.execute(
        "const s = document.getElementById(arguments[0]); return s.options[s.selectedIndex]?.textContent ?? null;",
        `map-${role}`,
      );
      // Sales tax items show their rate after the name: "IL State (6.25 %)".
      assert.ok(shown === item || shown?.startsWith(`${item} (`), `the ${role} box shows the item just chosen, got ${shown}`);
    }
  });

  flow("a suggested customer is linked to its QuickBooks namesake", async () => {
    await go("Customers");
    await session.waitFor(`${SAMPLE_CUSTOMER} suggested as ${NEAR_MATCH}`, async () => {
      const r = await customerRow(SAMPLE_CUSTOMER);
      // A near name is never created without a person (issue 17): it needs a decision.
      return r && r.text.includes(NEAR_MATCH) && r.text.includes("Needs a decision");
    });
    await shot("07-customers-suggested");
    const accept = await rowButton(SAMPLE_CUSTOMER, "Accept");
    assert.ok(accept, `the ${SAMPLE_CUSTOMER} row offers Accept`);
    await session.elementFrom(accept).click();
    await session.waitFor(`${SAMPLE_CUSTOMER} linked`, async () => {
      const r = await customerRow(SAMPLE_CUSTOMER);
      return r && r.text.includes("Linked") && r.text.includes(NEAR_MATCH);
    });
    await shot("08-customers-linked");
  });

  flow("the first run on a company that has customers is held: the Sync page previews it and Start sending releases it", async () => {
    await go("Sync");
    // The simulated company already has a customer (the near match): a new data folder's
    // first run there read QuickBooks and sent nothing (issue 15).
    await session.text("Sending is on hold");
    await session.text("What the next sync will do");
    await shot("09-sync-held-preview");
    await (await session.button("Start sending")).click();
    await session.waitFor("the hold notice gone", async () => (await session.findAllXPath("//h2[normalize-space()='Sending is on hold']")).length === 0);
  });

  flow("after the mappings and the link, the next run sends what was waiting, watched on Sync", async () => {
    await go("Sync");
    const { summary: second, seen } = await watchedRun("10-sync-running");
    assert.ok(
      second.company.invoices > 0,
      `records parked only on a mapping or a pairing go at the next run once it is decided: ` +
        `the run ended ${second.outcome} (authenticate ${JSON.stringify(second.authenticate)}) and QuickBooks holds no invoice`,
    );
    assert.equal(second.completed, true, `the watched run completes: ${second.problem}`);
    assert.ok(seen.length >= 2, `the progress bar moved during the run (percents seen: ${seen.join(", ")})`);
    const names = second.company.customers;
    assert.equal(names.filter((n) => n === SAMPLE_CUSTOMER).length, 0, `the linked ${SAMPLE_CUSTOMER} is never added to QuickBooks (${names.join(", ")})`);
    assert.equal(names.filter((n) => n === NEAR_MATCH).length, 1, `${NEAR_MATCH} stays the one QuickBooks customer`);
    await session.text("No sync running. The last one ended");
    await shot("11-sync-after");
    await go("History");
    await session.waitFor("two History rows", async () => (await session.findAll("table.sessions tbody tr")).length >= 2);
    await shot("12-history");
  });
});
