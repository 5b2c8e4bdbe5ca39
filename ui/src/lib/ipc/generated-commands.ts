// Generated from the Rust types by src-tauri/src/desktop/ipc_types.rs: do not edit.
// Regenerate: FIELDBRIDGE_WRITE_IPC=1 cargo test -p fieldbridge --lib desktop::ipc_types
import { call } from "./call";
import type * as T from "./generated";

export const getConnectionStatus = () =>
  call<T.ConnectionStatus>("get_connection_status");
export const getQwcPassword = () =>
  call<string>("get_qwc_password");
export const resetQwcPassword = () =>
  call<string>("reset_qwc_password");
export const getApiToken = () =>
  call<string>("get_api_token");
export const resetApiToken = () =>
  call<string>("reset_api_token");
export const saveQwc = (path: string) =>
  call<null>("save_qwc", { path });
export const listCustomers = (request: T.ListCustomersRequest) =>
  call<T.CustomerPage>("list_customers", { request });
export const searchQbCustomers = (request: T.SearchQbCustomersRequest) =>
  call<T.QbCustomerPage>("search_qb_customers", { request });
export const linkCustomer = (appCustomerId: string, qbListId: string) =>
  call<T.CustomerRow>("link_customer", { appCustomerId, qbListId });
export const unlinkCustomer = (appCustomerId: string) =>
  call<T.CustomerRow>("unlink_customer", { appCustomerId });
export const createCustomerInQb = (appCustomerId: string) =>
  call<T.CustomerRow>("create_customer_in_qb", { appCustomerId });
export const acceptExactMatches = () =>
  call<T.AcceptMatchesResult>("accept_exact_matches");
export const requestCustomerRefresh = () =>
  call<null>("request_customer_refresh");
export const listVendors = () =>
  call<Array<T.VendorRow>>("list_vendors");
export const linkVendor = (vendorId: string, listId: string) =>
  call<null>("link_vendor", { vendorId, listId });
export const createVendor = (vendorId: string) =>
  call<null>("create_vendor", { vendorId });
export const unpairVendor = (vendorId: string) =>
  call<null>("unpair_vendor", { vendorId });
export const importQbCustomers = (qbListIds: Array<string>) =>
  call<T.ImportQbCustomersResult>("import_qb_customers", { qbListIds });
export const getQbLists = () =>
  call<T.QbLists>("get_qb_lists");
export const getItemMappings = () =>
  call<Array<T.ItemMapping>>("get_item_mappings");
export const setItemMapping = (role: T.MappingRole, itemFullName: string) =>
  call<T.ItemMapping>("set_item_mapping", { role, itemFullName });
export const getSettings = () =>
  call<T.Settings>("get_settings");
export const updateSettings = (settings: T.Settings) =>
  call<T.SettingsSaved>("update_settings", { settings });
export const getSyncStatus = () =>
  call<T.SyncStatus>("get_sync_status");
export const listAttention = () =>
  call<Array<T.AttentionItem>>("list_attention");
export const retryRecord = (attentionId: string) =>
  call<null>("retry_record", { attentionId });
export const skipRecord = (attentionId: string) =>
  call<null>("skip_record", { attentionId });
export const renameRecord = (attentionId: string, value: string) =>
  call<null>("rename_record", { attentionId, value });
export const listSessions = (offset: number, limit: number) =>
  call<T.SessionPage>("list_sessions", { offset, limit });
export const getSession = (sessionId: number) =>
  call<T.SessionDetail>("get_session", { sessionId });
export const exportHistoryCsv = (path: string, sessionId: number | null) =>
  call<T.ExportResult>("export_history_csv", { path, sessionId });
export const importFiles = (paths: Array<string>) =>
  call<T.ImportReport>("import_files", { paths });
export const importSampleData = () =>
  call<T.ImportReport>("import_sample_data");
export const getLinkStatus = () =>
  call<T.LinkCard>("get_link_status");
export const setLink = (url: string, key: string, intervalS: number | null) =>
  call<T.LinkCard>("set_link", { url, key, intervalS });
export const turnLinkOff = () =>
  call<T.LinkCard>("turn_link_off");
export const testLink = (url: string, key: string) =>
  call<null>("test_link", { url, key });
export const listInvoices = (request: T.ListRecordsRequest) =>
  call<T.RecordPage<T.InvoiceRow>>("list_invoices", { request });
export const listTickets = (request: T.ListRecordsRequest) =>
  call<T.RecordPage<T.TicketRow>>("list_tickets", { request });
export const listPayments = (request: T.ListRecordsRequest) =>
  call<T.RecordPage<T.PaymentRow>>("list_payments", { request });
export const getWatchFolder = () =>
  call<T.WatchFolder>("get_watch_folder");
export const setWatchFolder = (path: string | null) =>
  call<T.WatchFolder>("set_watch_folder", { path });
export const chooseSavePath = (fileName: string, filterName: string, extensions: Array<string>) =>
  call<string | null>("choose_save_path", { fileName, filterName, extensions });
export const chooseImportFiles = () =>
  call<Array<string> | null>("choose_import_files");
export const chooseFolder = (title: string) =>
  call<string | null>("choose_folder", { title });
export const runDoctor = () =>
  call<T.DoctorReport>("run_doctor");
export const showWatchFolder = () =>
  call<null>("show_watch_folder");
export const listAttentionCards = () =>
  call<Array<T.AttentionCard>>("list_attention_cards");
export const dismissAttentionCard = (cardId: string) =>
  call<null>("dismiss_attention_card", { cardId });
export const getSafeStart = () =>
  call<T.SafeStart>("get_safe_start");
export const startSending = () =>
  call<null>("start_sending");
export const rebindCompanyFile = () =>
  call<string>("rebind_company_file");
