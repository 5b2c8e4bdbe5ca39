/** The Import button: choose files, import them, show what happened or every problem. */
import * as ipc from "../ipc";
import type { ImportReport, IpcError } from "../ipc";

export class ImportState {
  busy = $state<"files" | "sample" | null>(null);
  report = $state.raw<ImportReport | null>(null);
  error = $state<IpcError | null>(null);
  #listeners = new Set<() => void>();

  /** Calls `listener` after every import that stored at least one file. Returns the stop. */
  onImported(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #stored(report: ImportReport) {
    this.report = report;
    this.error = null;
    if (report.files.some((f) => f.imported)) for (const l of [...this.#listeners]) l();
  }

  get open() {
    return this.report !== null || this.error !== null;
  }

  async importFiles() {
    this.busy = "files";
    try {
      const paths = await ipc.chooseImportFiles();
      if (paths === null || paths.length === 0) return;
      this.#stored(await ipc.importFiles(paths));
    } catch (e) {
      this.error = ipc.toIpcError(e);
    } finally {
      this.busy = null;
    }
  }

  async importSample() {
    this.busy = "sample";
    try {
      this.#stored(await ipc.importSampleData());
    } catch (e) {
      this.error = ipc.toIpcError(e);
    } finally {
      this.busy = null;
    }
  }

  dismiss() {
    this.report = null;
    this.error = null;
  }
}

/** One window, one import control: the header button and empty states share it. */
export const imports = new ImportState();
