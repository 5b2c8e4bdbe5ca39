/** Which screen is showing. One instance for the window; screens call `go` to send the person elsewhere. */
export type ScreenId = "connect" | "customers" | "records" | "items" | "sync" | "history";

export const SCREENS: { id: ScreenId; label: string }[] = [
  { id: "connect", label: "Connect" },
  { id: "customers", label: "Customers" },
  { id: "records", label: "Records" },
  { id: "items", label: "Items and settings" },
  { id: "sync", label: "Sync" },
  { id: "history", label: "History" },
];

export class Nav {
  current = $state<ScreenId>("connect");
  /** Set once the person chose a screen: the start screen must never move them after that. */
  #chosen = false;

  go(screen: ScreenId) {
    this.#chosen = true;
    this.current = screen;
  }

  /**
   * The screen to start on: Sync once the Web Connector has called at least once (setup is
   * done), the setup steps on Connect before that. Ignored if the person already moved.
   */
  start(everContacted: boolean) {
    if (this.#chosen) return;
    this.current = everContacted ? "sync" : "connect";
  }

  /** As a new window opens (tests share the one instance). */
  reset() {
    this.#chosen = false;
    this.current = "connect";
  }
}

export const nav = new Nav();
