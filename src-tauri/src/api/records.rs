//! `POST /records` (one import-format document, stored exactly as a file import is: the one
//! import path), `GET /records/{kind}`, `GET /records/{kind}/{id}` (as `export --json` shows
//! records), and QuickBooks' lists as last read.

use super::problem::ProblemDoc;
use super::{json, json_bytes, Api, ApiError, ListPage, Query};
use crate::import::{Format, ImportSummary, KindSummary};
use crate::office::OfficeError;
use crate::store::qb_pages::{QbCustomerRow, QbItemRow};
use crate::store::status::{
    ExportedCustomer, ExportedInvoice, ExportedPayment, ExportedProject, ExportedTicket,
};
use crate::store::{qb_pages, status};
use bytes::Bytes;
use http_body_util::Full;
use hyper::{Response, StatusCode};
use serde::Serialize;
use std::collections::BTreeMap;

/// One record of the kind named in the path, as `export --json` shows it.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(untagged)]
#[allow(dead_code)] // describes answers; the handlers serialise the variants' types directly
pub enum Record {
    Customer(ExportedCustomer),
    Project(ExportedProject),
    ServiceTicket(ExportedTicket),
    Invoice(ExportedInvoice),
    Payment(ExportedPayment),
}

/// What problems call the posted document ("request body: not valid JSON ...").
const BODY_NAME: &str = "request body";

/// A record kind as the API's paths spell it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Customers,
    Projects,
    ServiceTickets,
    Invoices,
    Payments,
}

impl Kind {
    pub fn parse(text: &str) -> Result<Kind, ApiError> {
        Ok(match text {
            "customers" => Kind::Customers,
            "projects" => Kind::Projects,
            "service_tickets" => Kind::ServiceTickets,
            "invoices" => Kind::Invoices,
            "payments" => Kind::Payments,
            other => {
                return Err(ApiError::NotFound(format!(
                    "there is no kind of record \"{other}\" (customers, projects, \
                     service_tickets, invoices or payments)"
                )))
            }
        })
    }
}

/// `{"added": {KIND: N}, "updated": {...}, "unchanged": {...}}` for the kinds present.
#[derive(Debug, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct PostAnswer {
    #[schema(value_type = BTreeMap<String, u64>)]
    pub added: BTreeMap<&'static str, usize>,
    #[schema(value_type = BTreeMap<String, u64>)]
    pub updated: BTreeMap<&'static str, usize>,
    #[schema(value_type = BTreeMap<String, u64>)]
    pub unchanged: BTreeMap<&'static str, usize>,
}

impl From<&ImportSummary> for PostAnswer {
    fn from(s: &ImportSummary) -> Self {
        let mut a = PostAnswer {
            added: BTreeMap::new(),
            updated: BTreeMap::new(),
            unchanged: BTreeMap::new(),
        };
        let kinds: [(&str, KindSummary); 7] = [
            ("customers", s.customers),
            ("projects", s.projects),
            ("service_tickets", s.service_tickets),
            ("invoices", s.invoices),
            ("payments", s.payments),
            ("vendors", s.vendors),
            ("expenses", s.expenses),
        ];
        for (name, k) in kinds {
            if k == KindSummary::default() {
                continue;
            }
            a.added.insert(name, k.added);
            a.updated.insert(name, k.updated);
            a.unchanged.insert(name, k.unchanged);
        }
        a
    }
}

/// `POST /records`: one import-format document, validated and stored all or nothing,
/// exactly as a file import (the same code).
#[utoipa::path(post, path = "/api/v1/records", tag = "records",
    request_body(content = Object, description = "one import-format JSON document (import-format.md)",
                 content_type = "application/json"),
    responses(
        (status = 200, description = "stored; counts per kind present", body = PostAnswer),
        (status = 400, description = "the body could not be read", body = ProblemDoc, content_type = "application/problem+json"),
        (status = 413, description = "the body is over 64 MiB", body = ProblemDoc, content_type = "application/problem+json"),
        (status = 422, description = "every problem, per record and field; nothing was stored", body = ProblemDoc, content_type = "application/problem+json")))]
pub(crate) async fn post(api: &Api, body: Bytes) -> Result<Response<Full<Bytes>>, ApiError> {
    let summary = api
        .blocking(move |app| {
            app.import_as(BODY_NAME, &body, Format::Json)
                .map_err(|e| match e {
                    OfficeError::ImportRejected { count, details, .. } => {
                        ApiError::Rejected { count, details }
                    }
                    other => other.into(),
                })
        })
        .await?;
    Ok(json(StatusCode::OK, &PostAnswer::from(&summary)))
}

/// `GET /records/{kind}`: one page of a kind's records, serialised on the blocking pool.
#[utoipa::path(get, path = "/api/v1/records/{kind}", tag = "records",
    params(
        ("kind" = String, Path, description = "customers, projects, service_tickets, invoices or payments"),
        ("state" = Option<String>, Query, description = "pending, synced, failed, needs_attention or before_start_date"),
        ("after" = Option<String>, Query, description = "the `next` of the previous page"),
        ("limit" = Option<u32>, Query, description = "default 100, at most 1000", minimum = 1)),
    responses(
        (status = 200, description = "a page, as `export --json` shows records", body = ListPage<Record>),
        (status = 400, description = "a bad cursor, limit or state", body = ProblemDoc, content_type = "application/problem+json"),
        (status = 404, description = "no such kind", body = ProblemDoc, content_type = "application/problem+json")))]
pub(crate) async fn page(
    api: &Api,
    kind: Kind,
    query: Query,
) -> Result<Response<Full<Bytes>>, ApiError> {
    query.only(&["after", "limit", "state"])?;
    let limit = query.limit()?;
    if kind == Kind::Payments {
        return two_sources_page(
            api,
            query,
            limit,
            status::payments,
            status::quickbooks_payments,
        )
        .await;
    }
    if kind == Kind::Invoices {
        return two_sources_page(
            api,
            query,
            limit,
            status::invoices,
            status::quickbooks_invoices,
        )
        .await;
    }
    let after = query.after()?;
    check_state(&query)?;
    let body = api
        .blocking(move |app| {
            let filter = status::Filter {
                state: query.state.as_deref(),
                id: None,
                after: Some(after),
                limit: Some(limit + 1),
            };
            Ok(app
                .store()
                .read(|c| serialise_kind(c, kind, &filter, limit))?)
        })
        .await??;
    Ok(json_bytes(StatusCode::OK, body))
}

fn check_state(query: &Query) -> Result<(), ApiError> {
    if let Some(state) = &query.state {
        if crate::store::standing::Standing::sql_of_public_state(state).is_none() {
            return Err(ApiError::BadRequest(format!(
                "state \"{state}\" is not pending, synced, failed, needs_attention or before_start_date"
            )));
        }
    }
    Ok(())
}

/// One kind's records as `export --json` reads them, from a filter (with row numbers).
type KindRows<T> = fn(
    &rusqlite::Connection,
    &status::Filter<'_>,
) -> Result<Vec<(i64, T)>, crate::store::StoreError>;

/// Payments and invoices: first the app's own (cursor: a row number), then those made in
/// QuickBooks (payments entered there, invoices created there for linked customers), as
/// `export --json` lists both (cursor `q` + a row of the QuickBooks table). QuickBooks' are
/// synced, so a `state` other than synced leaves them out.
async fn two_sources_page<T: Serialize + Send + 'static>(
    api: &Api,
    query: Query,
    limit: usize,
    own_rows: KindRows<T>,
    quickbooks_rows: KindRows<T>,
) -> Result<Response<Full<Bytes>>, ApiError> {
    check_state(&query)?;
    let (in_quickbooks, after) = match query.after.as_deref() {
        Some(text) if text.starts_with('q') => {
            let rest = Query {
                after: Some(text[1..].to_owned()),
                ..Query::default()
            };
            (true, rest.after()?)
        }
        _ => (false, query.after()?),
    };
    let with_qb = matches!(query.state.as_deref(), None | Some("synced"));
    let page = api
        .blocking(move |app| {
            let page_of = |after: i64, n: usize| status::Filter {
                state: None,
                id: None,
                after: Some(after),
                limit: Some(n),
            };
            let page = app
                .store()
                .read(|c| -> Result<_, crate::store::StoreError> {
                    let mut records = Vec::new();
                    let mut next = None;
                    if !in_quickbooks {
                        let filter = status::Filter {
                            state: query.state.as_deref(),
                            ..page_of(after, limit + 1)
                        };
                        let own = own_rows(c, &filter)?;
                        let page = ListPage::from_rows(own, limit);
                        records = page.records;
                        next = page.next;
                    }
                    let room = limit - records.len();
                    if next.is_none() && with_qb {
                        let start = if in_quickbooks { after } else { 0 };
                        let theirs = quickbooks_rows(c, &page_of(start, room + 1))?;
                        let more = theirs.len() > room;
                        let kept: Vec<_> = theirs.into_iter().take(room).collect();
                        if more {
                            next = Some(format!("q{}", kept.last().map_or(start, |(n, _)| *n)));
                        }
                        records.extend(kept.into_iter().map(|(_, p)| p));
                    }
                    Ok(ListPage { records, next })
                })?;
            Ok(page)
        })
        .await?;
    Ok(json(StatusCode::OK, &page))
}

/// A kind's page as JSON bytes.
fn serialise_kind(
    conn: &rusqlite::Connection,
    kind: Kind,
    filter: &status::Filter<'_>,
    limit: usize,
) -> Result<Result<Bytes, ApiError>, crate::store::StoreError> {
    fn bytes<T: Serialize>(rows: Vec<(i64, T)>, limit: usize) -> Result<Bytes, ApiError> {
        serde_json::to_vec(&ListPage::from_rows(rows, limit))
            .map(Bytes::from)
            .map_err(|e| ApiError::Internal(format!("cannot write JSON: {e}")))
    }
    Ok(match kind {
        Kind::Customers => bytes(status::customers(conn, filter)?, limit),
        Kind::Projects => bytes(status::projects(conn, filter)?, limit),
        Kind::ServiceTickets => bytes(status::service_tickets(conn, filter)?, limit),
        Kind::Invoices => bytes(status::invoices(conn, filter)?, limit),
        Kind::Payments => bytes(status::payments(conn, filter)?, limit),
    })
}

/// `GET /records/{kind}/{id}`: one record as `export --json` shows it; 404 when unknown.
#[utoipa::path(get, path = "/api/v1/records/{kind}/{id}", tag = "records",
    params(
        ("kind" = String, Path, description = "customers, projects, service_tickets, invoices or payments"),
        ("id" = String, Path, description = "the record's id in the field-service app")),
    responses(
        (status = 200, description = "the record", body = Record),
        (status = 404, description = "no such kind or record", body = ProblemDoc, content_type = "application/problem+json")))]
pub(crate) async fn one(
    api: &Api,
    kind: Kind,
    id: String,
) -> Result<Response<Full<Bytes>>, ApiError> {
    let body = api
        .blocking(move |app| {
            let filter = status::Filter {
                id: Some(&id),
                ..status::Filter::default()
            };
            let page = app
                .store()
                .read(|c| serialise_kind(c, kind, &filter, 1))??;
            // The page's JSON: take its one record out, or say there is none.
            let mut value: serde_json::Value = serde_json::from_slice(&page)
                .map_err(|e| ApiError::Internal(format!("cannot read JSON: {e}")))?;
            match value["records"].as_array_mut().and_then(|r| r.pop()) {
                Some(record) => Ok(record),
                None => Err(ApiError::NotFound(format!(
                    "there is no record with id \"{id}\""
                ))),
            }
        })
        .await?;
    Ok(json(StatusCode::OK, &body))
}

/// `GET /quickbooks/customers`: QuickBooks customers and jobs as last read.
#[utoipa::path(get, path = "/api/v1/quickbooks/customers", tag = "quickbooks",
    params(
        ("search" = Option<String>, Query, description = "text in the full name, company name, email or phone"),
        ("after" = Option<String>, Query, description = "the `next` of the previous page"),
        ("limit" = Option<u32>, Query, description = "default 100, at most 1000", minimum = 1)),
    responses(
        (status = 200, description = "a page", body = ListPage<QbCustomerRow>),
        (status = 400, description = "a bad cursor or limit", body = ProblemDoc, content_type = "application/problem+json")))]
pub(crate) async fn qb_customers(
    api: &Api,
    query: Query,
) -> Result<Response<Full<Bytes>>, ApiError> {
    query.only(&["after", "limit", "search"])?;
    let (limit, after) = (query.limit()?, query.after()?);
    let page = api
        .blocking(move |app| {
            let rows = app
                .store()
                .read(|c| qb_pages::customers(c, query.search.as_deref(), after, limit + 1))?;
            Ok(ListPage::from_rows(rows, limit))
        })
        .await?;
    Ok(json(StatusCode::OK, &page))
}

/// `GET /quickbooks/items`: QuickBooks items as last read, sales tax items with their rate.
#[utoipa::path(get, path = "/api/v1/quickbooks/items", tag = "quickbooks",
    params(
        ("after" = Option<String>, Query, description = "the `next` of the previous page"),
        ("limit" = Option<u32>, Query, description = "default 100, at most 1000", minimum = 1)),
    responses(
        (status = 200, description = "a page", body = ListPage<QbItemRow>),
        (status = 400, description = "a bad cursor or limit", body = ProblemDoc, content_type = "application/problem+json")))]
pub(crate) async fn qb_items(api: &Api, query: Query) -> Result<Response<Full<Bytes>>, ApiError> {
    query.only(&["after", "limit"])?;
    let (limit, after) = (query.limit()?, query.after()?);
    let page = api
        .blocking(move |app| {
            let rows = app.store().read(|c| qb_pages::items(c, after, limit + 1))?;
            Ok(ListPage::from_rows(rows, limit))
        })
        .await?;
    Ok(json(StatusCode::OK, &page))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_answer_lists_only_the_kinds_present() {
        let s = ImportSummary {
            invoices: KindSummary {
                added: 2,
                updated: 1,
                unchanged: 0,
            },
            ..ImportSummary::default()
        };
        let v = serde_json::to_value(PostAnswer::from(&s)).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"added": {"invoices": 2}, "updated": {"invoices": 1},
                               "unchanged": {"invoices": 0}})
        );
    }
}
