/**
 * The native file dialogs (tauri-plugin-dialog). They go through IPC too, so they live here.
 * Each returns null when the person cancels.
 */
import { documentDir, join } from "@tauri-apps/api/path";
import { open, save } from "@tauri-apps/plugin-dialog";

/**
 * Where a file to save is first offered: in the person's Documents folder. A bare file name
 * would open the dialog in whatever folder FieldBridge happened to be started from; when
 * the Documents folder cannot be found, the bare name is still better than no dialog.
 */
async function inDocuments(fileName: string): Promise<string> {
  try {
    return await join(await documentDir(), fileName);
  } catch {
    return fileName;
  }
}

export async function chooseSavePath(
  fileName: string,
  filterName: string,
  extensions: string[],
): Promise<string | null> {
  const defaultPath = await inDocuments(fileName);
  const path = await save({ defaultPath, filters: [{ name: filterName, extensions }] });
  return path ?? null;
}

export async function chooseImportFiles(): Promise<string[] | null> {
  const picked = await open({
    multiple: true,
    directory: false,
    filters: [{ name: "Field-service records (JSON or CSV)", extensions: ["json", "csv"] }],
  });
  if (picked === null) return null;
  return Array.isArray(picked) ? picked : [picked];
}

/** A folder (the watched folder); null when the person cancels. */
export async function chooseFolder(title: string): Promise<string | null> {
  const picked = await open({ directory: true, multiple: false, title });
  return typeof picked === "string" ? picked : null;
}
