import "@testing-library/jest-dom/vitest";
import { afterEach } from "vitest";
import { clearMocks } from "@tauri-apps/api/mocks";
import { imports } from "./src/lib/state/imports.svelte";
import { nav } from "./src/lib/state/nav.svelte";

// jsdom has no layout engine and no ResizeObserver or scrollTo; the virtualised table
// falls back to a default viewport height when it measures zero.
class NoopResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver ??= NoopResizeObserver as unknown as typeof ResizeObserver;
Element.prototype.scrollTo ??= function () {};

afterEach(() => {
  clearMocks();
  // The window-wide singletons start each test fresh.
  imports.dismiss();
  nav.go("connect");
});
