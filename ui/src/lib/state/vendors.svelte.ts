/**
 * The Vendors tab's state (issue 16): every app vendor with where it stands with QuickBooks,
 * and the decisions the Customers page offers, applied to vendors (accept the suggestion,
 * link to another, create in QuickBooks, unlink). An office has tens or hundreds of vendors,
 * not tens of thousands, so the list comes whole and is searched and filtered here; it is
 * reloaded whenever data changed elsewhere (a sync, an import, the command line).
 */
import * as ipc from "../ipc";
import { onDataChanged } from "./freshness";
import type { Notice } from "../notice";
import type { IpcError, PairingState, VendorRow, VendorSuggestion } from "../ipc";

/** The chips' choices: every vendor, or those in one pairing state. */
export type VendorFilter = "all" | PairingState;

export type VendorCounts = Record<VendorFilter, number>;

const STATES: PairingState[] = ["linked", "suggested", "needs_decision", "will_create", "failed"];

export class VendorsState {
  rows = $state.raw<VendorRow[]>([]);
  /** True until the first answer (or error). */
  loading = $state(true);
  error = $state<IpcError | null>(null);
  query = $state("");
  filter = $state<VendorFilter>("all");
  notice = $state<Notice | null>(null);
  busy = $state<string | null>(null);

  /** How many vendors each chip would show (the search applied, as on the Customers page). */
  get counts(): VendorCounts {
    const counts = Object.fromEntries([["all", 0], ...STATES.map((s) => [s, 0])]) as VendorCounts;
    for (const row of this.#searched()) {
      counts.all++;
      counts[row.pairing_state]++;
    }
    return counts;
  }

  /** The rows the search and the chip leave. */
  get shown(): VendorRow[] {
    return this.#searched().filter((r) => this.filter === "all" || r.pairing_state === this.filter);
  }

  #searched(): VendorRow[] {
    const q = this.query.trim().toLowerCase();
    if (!q) return this.rows;
    return this.rows.filter(
      (r) => r.name.toLowerCase().includes(q) || (r.qb_name ?? "").toLowerCase().includes(q),
    );
  }

  async reload() {
    try {
      this.rows = await ipc.listVendors();
      this.error = null;
    } catch (e) {
      this.error = ipc.toIpcError(e);
    } finally {
      this.loading = false;
    }
  }

  /** Loads now and again whenever data changes elsewhere. Returns the stop. */
  start(): () => void {
    void this.reload();
    return onDataChanged(() => void this.reload());
  }

  setQuery(query: string) {
    this.query = query;
  }

  setFilter(filter: VendorFilter) {
    this.filter = filter;
  }

  async #act(label: string, action: () => Promise<string>) {
    this.busy = label;
    try {
      const text = await action();
      this.notice = { tone: "good", text };
      await this.reload();
    } catch (e) {
      this.notice = { tone: "bad", text: ipc.toIpcError(e).message };
    } finally {
      this.busy = null;
    }
  }

  /** Links the vendor to its likeliest QuickBooks vendor. */
  acceptSuggestion(row: VendorRow) {
    const best = row.suggestions[0];
    if (!best) return Promise.resolve();
    return this.link(row, best);
  }

  link(row: VendorRow, qb: VendorSuggestion) {
    return this.#act(`link:${row.id}`, async () => {
      await ipc.linkVendor(row.id, qb.list_id);
      return `${row.name} is now linked to ${qb.name} in QuickBooks.`;
    });
  }

  createInQb(row: VendorRow) {
    return this.#act(`create:${row.id}`, async () => {
      await ipc.createVendor(row.id);
      return `${row.name} will be added to QuickBooks at the next sync.`;
    });
  }

  /** Removes the link (or a Create decision): the next sync matches it again. */
  unpair(row: VendorRow) {
    return this.#act(`unlink:${row.id}`, async () => {
      await ipc.unpairVendor(row.id);
      return row.qb_list_id
        ? `${row.name} is no longer linked to a QuickBooks vendor.`
        : `${row.name} will not be created; FieldBridge looks for it in QuickBooks again at the next sync.`;
    });
  }
}
