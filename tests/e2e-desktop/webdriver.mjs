// A small W3C WebDriver client (classic protocol, plain fetch): just what the real-window
// suite needs, so every request it makes is visible here. tauri-driver speaks this protocol
// and forwards it to WebKitWebDriver, which drives the app's own WebKitGTK webview.
//
// Owns: sessions, finding elements (CSS or XPath), clicking, typing, reading text and
// attributes, running a script, screenshots, and waiting for a condition with a readable
// failure. Does not own: what the app's screens look like (desktop.test.mjs).

/** The W3C key for an element reference in JSON. */
const ELEMENT_KEY = "element-6066-11e4-a52e-4f735466cecf";

/** How long `waitFor` polls by default: the slowest step (a sync finishing) is well under. */
export const DEFAULT_WAIT_MS = 15_000;
const POLL_MS = 150;

export class WebDriverError extends Error {
  constructor(method, path, status, value) {
    const what = value?.error ? `${value.error}: ${value.message}` : JSON.stringify(value);
    super(`WebDriver ${method} ${path} answered ${status}: ${what}`);
    this.code = value?.error ?? null;
  }
}

/** Longest wait for one WebDriver answer; starting a session launches the app, the slowest. */
const REQUEST_TIMEOUT_MS = 60_000;

async function request(base, method, path, body) {
  const res = await fetch(base + path, {
    method,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`WebDriver ${method} ${path} answered ${res.status} with something that is not JSON: ${text.slice(0, 300)}`);
  }
  if (!res.ok) throw new WebDriverError(method, path, res.status, json.value);
  return json.value;
}

/** Starts a session; `capabilities` is the `alwaysMatch` object. */
export async function newSession(base, capabilities) {
  const value = await request(base, "POST", "/session", { capabilities: { alwaysMatch: capabilities } });
  return new Session(base, value.sessionId);
}

/** Waits until the driver answers /status with ready (it may still be starting). */
export async function waitForDriver(base, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const value = await request(base, "GET", "/status");
      if (value?.ready !== false) return;
      last = JSON.stringify(value);
    } catch (e) {
      last = e.message;
    }
    await sleep(200);
  }
  throw new Error(`the WebDriver server at ${base} did not become ready in ${timeoutMs} ms (last: ${last})`);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** An XPath string literal for any text (quotes included). */
export function xpathLiteral(text) {
  if (!text.includes("'")) return `'${text}'`;
  if (!text.includes('"')) return `"${text}"`;
  return `concat('${text.split("'").join(`', "'", '`)}')`;
}

export class Session {
  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  cmd(method, path, body) {
    return request(this.base, method, `/session/${this.id}${path}`, body);
  }

  async quit() {
    await request(this.base, "DELETE", `/session/${this.id}`);
  }

  title() {
    return this.cmd("GET", "/title");
  }

  /** Runs `script` (a function body; `arguments` holds `args`) in the page and returns its value. */
  execute(script, ...args) {
    return this.cmd("POST", "/execute/sync", { script, args });
  }

  /** Every element matching a CSS selector (possibly none). */
  async findAll(css) {
    return this.#elements({ using: "css selector", value: css });
  }

  async findAllXPath(xpath) {
    return this.#elements({ using: "xpath", value: xpath });
  }

  /**
   * A search, asked again when WebKitWebDriver answers "stale element reference" to the
   * search itself: it does while the page replaces the nodes it was collecting (the screens
   * reload whenever the database changes, which is constantly during a sync).
   */
  async #elements(locator) {
    for (let attempt = 1; ; attempt++) {
      try {
        const value = await this.cmd("POST", "/elements", locator);
        return value.map((v) => new Element(this, v[ELEMENT_KEY]));
      } catch (e) {
        if (e.code !== "stale element reference" || attempt >= 5) throw e;
        await sleep(POLL_MS);
      }
    }
  }

  /** An element returned by `execute` (its JSON reference) as an Element. */
  elementFrom(value) {
    return new Element(this, value[ELEMENT_KEY]);
  }

  /** Polls `probe` until it returns something truthy; fails saying what was awaited. */
  async waitFor(what, probe, timeoutMs = DEFAULT_WAIT_MS) {
    const deadline = Date.now() + timeoutMs;
    let lastError;
    for (;;) {
      try {
        const value = await probe();
        if (value) return value;
        lastError = undefined;
      } catch (e) {
        lastError = e;
      }
      if (Date.now() > deadline) {
        const why = lastError ? ` (last error: ${lastError.message})` : "";
        throw new Error(`waited ${timeoutMs} ms for ${what}, it did not happen${why}`);
      }
      await sleep(POLL_MS);
    }
  }

  /** The first displayed element matching `css`, waiting for it. */
  async find(css, timeoutMs) {
    return this.waitFor(`an element matching ${css}`, async () => {
      for (const el of await this.findAll(css)) if (await el.displayed()) return el;
      return null;
    }, timeoutMs);
  }

  /** The first displayed button whose text (trimmed, whitespace collapsed) is exactly `label`. */
  async button(label, timeoutMs) {
    const xpath = `//button[normalize-space(.)=${xpathLiteral(label)}]`;
    return this.waitFor(`a button "${label}"`, async () => {
      for (const el of await this.findAllXPath(xpath)) if (await el.displayed()) return el;
      return null;
    }, timeoutMs);
  }

  /** The first displayed element of `tag` (default any) whose own text contains `text`. */
  async text(text, { tag = "*", timeoutMs } = {}) {
    const xpath = `//${tag}[contains(normalize-space(.), ${xpathLiteral(text)}) and not(.//*[contains(normalize-space(.), ${xpathLiteral(text)})])]`;
    return this.waitFor(`text "${text}" on screen`, async () => {
      for (const el of await this.findAllXPath(xpath)) if (await el.displayed()) return el;
      return null;
    }, timeoutMs);
  }

  /** The visible text of the whole page. */
  async pageText() {
    return this.execute("return document.body.innerText;");
  }

  /** A PNG of the window's viewport. */
  async screenshot() {
    const b64 = await this.cmd("GET", "/screenshot");
    return Buffer.from(b64, "base64");
  }
}

export class Element {
  constructor(session, id) {
    this.session = session;
    this.id = id;
  }

  cmd(method, path, body) {
    return this.session.cmd(method, `/element/${this.id}${path}`, body);
  }

  click() {
    return this.cmd("POST", "/click", {});
  }

  async type(text) {
    await this.cmd("POST", "/value", { text });
  }

  clear() {
    return this.cmd("POST", "/clear", {});
  }

  text() {
    return this.cmd("GET", "/text");
  }

  attribute(name) {
    return this.cmd("GET", `/attribute/${encodeURIComponent(name)}`);
  }

  property(name) {
    return this.cmd("GET", `/property/${encodeURIComponent(name)}`);
  }

  displayed() {
    return this.cmd("GET", "/displayed");
  }

  enabled() {
    return this.cmd("GET", "/enabled");
  }

  async findAll(css) {
    const value = await this.cmd("POST", "/elements", { using: "css selector", value: css });
    return value.map((v) => new Element(this.session, v[ELEMENT_KEY]));
  }
}
