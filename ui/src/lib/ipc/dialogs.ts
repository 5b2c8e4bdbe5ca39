/**
 * The native file dialogs (tauri-plugin-dialog). They go through IPC too, so they live here.
 * Each returns null when the person cancels.
 */
import { open, save } from "@tauri-apps/plugin-dialog";

export async function chooseSavePath(
  defaultPath: string,
  filterName: string,
  extensions: string[],
): Promise<string | null> {
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
