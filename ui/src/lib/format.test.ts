import { describe, expect, it } from "vitest";
import { breakPoints, recordsDone, duration, fileName, money, plural, relativeTime } from "./format";
import { toIpcError } from "./ipc/errors";

describe("format", () => {
  const now = new Date("2026-11-21T12:00:00Z");
  it.each([
    ["2026-11-21T11:59:30Z", "just now"],
    ["2026-11-21T11:48:00Z", "12 minutes ago"],
    ["2026-11-21T09:00:00Z", "3 hours ago"],
    ["2026-11-20T12:00:00Z", "yesterday"],
    ["not a time", "at an unknown time"],
    ["2026-11-19T11:00:00Z", "2 days ago"],
  ])("relativeTime(%s) is %s", (iso, expected) => {
    expect(relativeTime(iso, now)).toBe(expected);
  });

  it.each([
    ["2026-11-21T10:00:00Z", "2026-11-21T10:00:48Z", "48 s"],
    ["2026-11-21T10:00:00Z", "2026-11-21T10:02:05Z", "2 min 5 s"],
    ["2026-11-21T10:00:00Z", "2026-11-21T11:30:00Z", "1 h 30 min"],
    ["2026-11-21T10:00:00Z", null, "still running"],
  ])("duration(%s, %s) is %s", (a, b, expected) => {
    expect(duration(a, b)).toBe(expected);
  });

  it("names files from Windows and POSIX paths", () => {
    expect(fileName("C:\\Company Files\\Ecker HVAC.qbw")).toBe("Ecker HVAC.qbw");
    expect(fileName("/home/me/a.csv")).toBe("a.csv");
  });

  it("pluralises", () => {
    expect(plural(1, "record")).toBe("1 record");
    expect(plural(1200, "record")).toBe("1,200 records");
  });
});

describe("toIpcError", () => {
  it("keeps the Rust side's { code, message }", () => {
    expect(toIpcError({ code: "busy", message: "Try again." })).toEqual({ code: "busy", message: "Try again." });
  });

  it("never shows an empty message", () => {
    expect(toIpcError({ code: "io", message: " " }).message).toMatch(/Try again/);
  });

  it("never lets a raw error or stack trace through to a screen", () => {
    const e = toIpcError(new TypeError("Cannot read properties of undefined (reading 'x')"));
    expect(e.code).toBe("internal");
    expect(e.message, "a sentence for a person, not the exception text").not.toMatch(/undefined|TypeError/);
    expect(toIpcError("command get_x not found").message).not.toMatch(/command/);
  });

  it.each([
    ["C:\\Company Files\\Ecker HVAC.qbw", ["C:\\", "Company Files\\", "Ecker HVAC.", "qbw"]],
    ["http://localhost:8080/qbwc", ["http://", "localhost:", "8080/", "qbwc"]],
    ["plain", ["plain"]],
    ["", []],
  ])("breaks %s only after its separators", (text, pieces) => {
    expect(breakPoints(text)).toEqual(pieces);
    expect(breakPoints(text).join("")).toBe(text);
  });

  it.each([
    [12, 40, "12 of 40 records done"],
    [1, 1, "1 of 1 record done"],
    [0, 32, "0 of 32 records done"],
    [49, 32, "49 records done"],
    [0, 0, null],
  ])("says %i done of %i honestly", (done, total, text) => {
    expect(recordsDone(done, total)).toBe(text);
  });
});

describe("money", () => {
  it("formats the contract's exact decimals without floats", () => {
    expect(money("6.08")).toBe("$6.08");
    expect(money("0.00")).toBe("$0.00");
    expect(money("1234567.5")).toBe("$1,234,567.50");
    expect(money("-12.345")).toBe("-$12.345");
    expect(money("0.1")).toBe("$0.10");
    expect(money("90071992547409931.07"), "beyond a float's exact range").toBe("$90,071,992,547,409,931.07");
    expect(money("n/a"), "shown as it came").toBe("n/a");
  });
});
