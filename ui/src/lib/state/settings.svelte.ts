/** The Items and settings screen's state: QuickBooks' lists, the four item mappings, the settings. */
import * as ipc from "../ipc";
import { onDataChanged } from "./freshness";
import { loadInto, type Notice } from "../notice";
import type { IpcError, ItemMapping, MappingRole, QbItem, QbLists, Settings } from "../ipc";

export type { Notice } from "../notice";

export const ROLE_ORDER: MappingRole[] = [
  "service_item",
  "service_tax_item",
  "project_item",
  "project_tax_item",
];

export class SettingsState {
  lists = $state.raw<QbLists | null>(null);
  mappings = $state.raw<ItemMapping[]>([]);
  settings = $state.raw<Settings | null>(null);
  loading = $state(true);
  error = $state<IpcError | null>(null);
  notice = $state<Notice | null>(null);
  saving = $state<string | null>(null);
  /**
   * What changed the .qwc file (the schedule or the port), until the new file is downloaded:
   * the person must add it to the Web Connector again.
   */
  qwcChangedBy = $state<"schedule" | "port" | null>(null);

  load() {
    return loadInto(
      this,
      () => Promise.all([ipc.getQbLists(), ipc.getItemMappings(), ipc.getSettings()]),
      ([lists, mappings, settings]) => {
        this.lists = lists;
        this.mappings = mappings;
        this.settings = settings;
      },
    );
  }

  /** Loads now and again whenever a sync, an import or a link may have changed the lists. */
  start(): () => void {
    void this.load();
    return onDataChanged(() => void this.load());
  }

  mapping(role: MappingRole): ItemMapping | undefined {
    return this.mappings.find((m) => m.role === role);
  }

  /** The active items a role may use (each item says which roles it fits), by full name. */
  choices(role: MappingRole): QbItem[] {
    return (this.lists?.items ?? [])
      .filter((i) => i.active && i.roles.includes(role))
      .sort((a, b) => a.full_name.localeCompare(b.full_name));
  }

  async setMapping(role: MappingRole, itemFullName: string) {
    this.saving = role;
    try {
      const updated = await ipc.setItemMapping(role, itemFullName);
      this.mappings = this.mappings.some((m) => m.role === role)
        ? this.mappings.map((m) => (m.role === role ? updated : m))
        : [...this.mappings, updated];
      this.notice = { tone: "good", text: "Saved." };
    } catch (e) {
      this.notice = { tone: "bad", text: ipc.toIpcError(e).message };
    } finally {
      this.saving = null;
    }
  }

  /** Saves the settings with `patch` applied; `what` names the control for the busy state. */
  async update(what: string, patch: Partial<Settings>) {
    if (!this.settings) return;
    this.saving = what;
    try {
      const saved = await ipc.updateSettings({ ...this.settings, ...patch });
      this.settings = saved.settings;
      if (saved.qwc_changed) this.qwcChangedBy = what === "port" ? "port" : "schedule";
      this.notice = { tone: "good", text: "Saved." };
    } catch (e) {
      this.notice = { tone: "bad", text: ipc.toIpcError(e).message };
    } finally {
      this.saving = null;
    }
  }

  async downloadQwc() {
    try {
      const path = await ipc.chooseSavePath("FieldBridge.qwc", "Web Connector file", ["qwc"]);
      if (path === null) return;
      await ipc.saveQwc(path);
      this.qwcChangedBy = null;
      this.notice = {
        tone: "good",
        text: `Saved ${path}. In the Web Connector, remove FieldBridge and add this file again.`,
      };
    } catch (e) {
      this.notice = { tone: "bad", text: ipc.toIpcError(e).message };
    }
  }
}
