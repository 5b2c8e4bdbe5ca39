//! `POST /records` (one import-format document, stored exactly as a file import is: the one
//! import path), `GET /records/{kind}`, `GET /records/{kind}/{id}` (as `export --json` shows
//! records), and QuickBooks' lists as last read.

use super::{json, json_bytes, Api, ApiError, ListPage, Query};
use crate::app::AppError;
use crate::import::{Format, ImportSummary, KindSummary};
use crate::store::{qb_pages, status};
use bytes::Bytes;
use http_body_util::Full;
use hyper::{Response, StatusCode};
use serde::Serialize;
use std::collections::BTreeMap;

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
#[derive(Debug, Serialize, PartialEq, Eq)]
pub(crate) struct PostAnswer {
    pub added: BTreeMap<&'static str, usize>,
    pub updated: BTreeMap<&'static str, usize>,
    pub unchanged: BTreeMap<&'static str, usize>,
}

impl From<&ImportSummary> for PostAnswer {
    fn from(s: &ImportSummary) -> Self {
        let mut a = PostAnswer {
            added: BTreeMap::new(),
            updated: BTreeMap::new(),
            unchanged: BTreeMap::new(),
        };
        let kinds: [(&str, KindSummary); 5] = [
            ("customers", s.customers),
            ("projects", s.projects),
            ("service_tickets", s.service_tickets),
            ("invoices", s.invoices),
            ("payments", s.payments),
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

pub(crate) async fn post(api: &Api, body: Bytes) -> Result<Response<Full<Bytes>>, ApiError> {
    let summary = api
        .blocking(move |app| {
            app.import_as(BODY_NAME, &body, Format::Json)
                .map_err(|e| match e {
                    AppError::ImportRejected { count, details, .. } => {
                        ApiError::Rejected { count, details }
                    }
                    other => other.into(),
                })
        })
        .await?;
    Ok(json(StatusCode::OK, &PostAnswer::from(&summary)))
}

/// One page of a kind, serialised on the blocking pool.
pub(crate) async fn page(
    api: &Api,
    kind: Kind,
    query: Query,
) -> Result<Response<Full<Bytes>>, ApiError> {
    query.only(&["after", "limit", "state"])?;
    let limit = query.limit()?;
    let after = query.after()?;
    if let Some(state) = &query.state {
        if !["pending", "synced", "failed", "needs_attention"].contains(&state.as_str()) {
            return Err(ApiError::BadRequest(format!(
                "state \"{state}\" is not pending, synced, failed or needs_attention"
            )));
        }
    }
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

/// One record as `export --json` shows it; 404 when unknown.
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
