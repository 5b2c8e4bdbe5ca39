/**
 * One typed async function per Tauri command. Argument keys are camelCase because Tauri 2
 * maps them to the Rust parameters in snake_case (`appCustomerId` -> `app_customer_id`);
 * struct arguments and results keep serde's snake_case fields (see ./types.ts).
 * Every function rejects with an {@link IpcError}.
 */
import { invoke } from "@tauri-apps/api/core";
import { toIpcError } from "./errors";
import type {
  AcceptMatchesResult,
  AttentionItem,
  ConnectionStatus,
  CustomerPage,
  CustomerRow,
  ExportResult,
  ImportQbCustomersResult,
  ImportReport,
  ItemMapping,
  ListCustomersRequest,
  MappingRole,
  QbCustomerPage,
  QbLists,
  SearchQbCustomersRequest,
  SessionDetail,
  SessionPage,
  Settings,
  SettingsSaved,
  SyncStatus,
} from "./types";

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw toIpcError(error);
  }
}

// ---- connect
export const getConnectionStatus = () => call<ConnectionStatus>("get_connection_status");
export const getQwcPassword = () => call<string>("get_qwc_password");
export const resetQwcPassword = () => call<string>("reset_qwc_password");
export const saveQwc = (path: string) => call<null>("save_qwc", { path });

// ---- customers
export const listCustomers = (request: ListCustomersRequest) =>
  call<CustomerPage>("list_customers", { request });
export const searchQbCustomers = (request: SearchQbCustomersRequest) =>
  call<QbCustomerPage>("search_qb_customers", { request });
export const linkCustomer = (appCustomerId: string, qbListId: string) =>
  call<CustomerRow>("link_customer", { appCustomerId, qbListId });
export const unlinkCustomer = (appCustomerId: string) =>
  call<CustomerRow>("unlink_customer", { appCustomerId });
export const createCustomerInQb = (appCustomerId: string) =>
  call<CustomerRow>("create_customer_in_qb", { appCustomerId });
export const acceptExactMatches = () => call<AcceptMatchesResult>("accept_exact_matches");
export const requestCustomerRefresh = () => call<null>("request_customer_refresh");
export const importQbCustomers = (qbListIds: string[]) =>
  call<ImportQbCustomersResult>("import_qb_customers", { qbListIds });

// ---- items and settings
export const getQbLists = () => call<QbLists>("get_qb_lists");
export const getItemMappings = () => call<ItemMapping[]>("get_item_mappings");
export const setItemMapping = (role: MappingRole, itemFullName: string) =>
  call<ItemMapping>("set_item_mapping", { role, itemFullName });
export const getSettings = () => call<Settings>("get_settings");
export const updateSettings = (settings: Settings) =>
  call<SettingsSaved>("update_settings", { settings });

// ---- sync
export const getSyncStatus = () => call<SyncStatus>("get_sync_status");
export const listAttention = () => call<AttentionItem[]>("list_attention");
export const retryRecord = (attentionId: string) => call<null>("retry_record", { attentionId });
export const skipRecord = (attentionId: string) => call<null>("skip_record", { attentionId });
export const renameRecord = (attentionId: string, value: string) =>
  call<null>("rename_record", { attentionId, value });

// ---- history
export const listSessions = (offset: number, limit: number) =>
  call<SessionPage>("list_sessions", { offset, limit });
export const getSession = (sessionId: number) => call<SessionDetail>("get_session", { sessionId });
export const exportHistoryCsv = (path: string, sessionId: number | null) =>
  call<ExportResult>("export_history_csv", { path, sessionId });

// ---- import
export const importFiles = (paths: string[]) => call<ImportReport>("import_files", { paths });
export const importSampleData = () => call<ImportReport>("import_sample_data");
