/** Which screen is showing. One instance for the window; screens call `go` to send the person elsewhere. */
export type ScreenId = "connect" | "customers" | "items" | "sync" | "history";

export const SCREENS: { id: ScreenId; label: string }[] = [
  { id: "connect", label: "Connect" },
  { id: "customers", label: "Customers" },
  { id: "items", label: "Items and settings" },
  { id: "sync", label: "Sync" },
  { id: "history", label: "History" },
];

export class Nav {
  current = $state<ScreenId>("connect");
  go(screen: ScreenId) {
    this.current = screen;
  }
}

export const nav = new Nav();
