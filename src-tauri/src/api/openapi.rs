//! `GET /api/v1/openapi.json`: the OpenAPI 3.1 description of the local API.
//!
//! Written here as data next to the routes it describes (not yet derived from the Rust types
//! with a generator); `docs/api/openapi.json` is a committed copy that a test keeps equal to
//! [`document`].

use bytes::Bytes;
use serde_json::{json, Value};
use std::sync::OnceLock;

/// The document's bytes, built once.
pub fn document_bytes() -> Bytes {
    static DOC: OnceLock<Bytes> = OnceLock::new();
    DOC.get_or_init(|| Bytes::from(serde_json::to_vec_pretty(&document()).unwrap_or_default()))
        .clone()
}

fn list_params(extra: &[Value]) -> Value {
    let mut p = vec![
        json!({"name": "after", "in": "query", "required": false,
               "description": "the `next` of the previous page",
               "schema": {"type": "string"}}),
        json!({"name": "limit", "in": "query", "required": false,
               "description": "page size, default 100, at most 1000",
               "schema": {"type": "integer", "minimum": 1, "maximum": 1000}}),
    ];
    p.extend_from_slice(extra);
    Value::Array(p)
}

fn ok(schema: &str) -> Value {
    json!({"description": "OK", "content": {"application/json": {
        "schema": {"$ref": format!("#/components/schemas/{schema}")}}}})
}

fn problem(what: &str) -> Value {
    json!({"description": what, "content": {"application/problem+json": {
        "schema": {"$ref": "#/components/schemas/Problem"}}}})
}

fn errors(mut responses: Value) -> Value {
    let map = responses.as_object_mut().expect("responses is an object");
    map.insert("401".into(), problem("the token is missing or wrong"));
    map.insert("403".into(), problem("a web page (Origin header)"));
    map.insert("421".into(), problem("a Host other than localhost"));
    map.insert("429".into(), problem("too many wrong tokens"));
    responses
}

fn page_of(item: Value) -> Value {
    json!({"type": "object", "required": ["records", "next"], "properties": {
        "records": {"type": "array", "items": item},
        "next": {"type": ["string", "null"]}}})
}

/// The whole document.
pub fn document() -> Value {
    let kind = json!({"name": "kind", "in": "path", "required": true, "schema": {
        "type": "string",
        "enum": ["customers", "projects", "service_tickets", "invoices", "payments"]}});
    let text = json!({"type": ["string", "null"]});
    let address = json!({"type": "object", "properties": {
        "line1": text, "line2": text, "city": text, "state": text,
        "postal_code": text, "country": text}});
    json!({
        "openapi": "3.1.0",
        "info": {"title": "FieldBridge local API", "version": crate::VERSION,
                 "description": "Records in, status, records, QuickBooks' lists and the event feed out (shared design api.md)."},
        "servers": [{"url": "http://localhost:8711/api/v1"}],
        "security": [{"bearer": []}],
        "paths": {
            "/status": {"get": {"operationId": "status", "summary": "exactly `status --json`",
                "responses": errors(json!({"200": ok("Status")}))}},
            "/records": {"post": {"operationId": "postRecords",
                "summary": "one import-format document, stored all or nothing",
                "requestBody": {"required": true, "content": {"application/json": {
                    "schema": {"type": "object", "description": "import-format.md"}}}},
                "responses": errors(json!({"200": ok("PostAnswer"),
                    "400": problem("a bad request"),
                    "413": problem("a body over 64 MiB"),
                    "422": problem("every problem; nothing was stored")}))}},
            "/records/{kind}": {"get": {"operationId": "listRecords",
                "parameters": list_params(&[kind.clone(), json!({"name": "state", "in": "query",
                    "required": false, "schema": {"type": "string",
                    "enum": ["pending", "synced", "failed", "needs_attention"]}})]),
                "responses": errors(json!({"200": ok("RecordPage"),
                    "400": problem("a bad cursor, limit or state"),
                    "404": problem("an unknown kind")}))}},
            "/records/{kind}/{id}": {"get": {"operationId": "getRecord",
                "parameters": [kind, {"name": "id", "in": "path", "required": true,
                                      "schema": {"type": "string"}}],
                "responses": errors(json!({"200": ok("Record"),
                    "404": problem("an unknown kind or id")}))}},
            "/quickbooks/customers": {"get": {"operationId": "quickbooksCustomers",
                "parameters": list_params(&[json!({"name": "search", "in": "query",
                    "required": false, "schema": {"type": "string"}})]),
                "responses": errors(json!({"200": ok("QbCustomerPage"),
                    "400": problem("a bad cursor or limit")}))}},
            "/quickbooks/items": {"get": {"operationId": "quickbooksItems",
                "parameters": list_params(&[]),
                "responses": errors(json!({"200": ok("QbItemPage"),
                    "400": problem("a bad cursor or limit")}))}},
            "/events": {"get": {"operationId": "events",
                "parameters": list_params(&[json!({"name": "wait", "in": "query",
                    "required": false, "description": "seconds to wait for a new event",
                    "schema": {"type": "integer", "minimum": 0, "maximum": 30}})]),
                "responses": errors(json!({"200": ok("EventPage"),
                    "400": problem("a bad cursor, limit or wait")}))}},
            "/openapi.json": {"get": {"operationId": "openapi", "security": [],
                "responses": {"200": {"description": "this document",
                    "content": {"application/json": {"schema": {"type": "object"}}}}}}}
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                "description": "`fieldbridge api-token` prints it"}},
            "schemas": {
                "Problem": {"type": "object", "required": ["type", "title", "status", "detail"],
                    "properties": {"type": {"type": "string"}, "title": {"type": "string"},
                        "status": {"type": "integer"}, "detail": {"type": "string"},
                        "errors": {"type": "array", "items": {"type": "object",
                            "required": ["message"], "properties": {
                                "record": text, "kind": text, "id": text, "field": text,
                                "message": {"type": "string"}}}}}},
                "Counts": {"type": "object",
                    "additionalProperties": {"type": "integer", "minimum": 0}},
                "PostAnswer": {"type": "object", "required": ["added", "updated", "unchanged"],
                    "properties": {"added": {"$ref": "#/components/schemas/Counts"},
                        "updated": {"$ref": "#/components/schemas/Counts"},
                        "unchanged": {"$ref": "#/components/schemas/Counts"}}},
                "Status": {"type": "object",
                    "required": ["endpoint", "company_file", "company_name", "last_contact",
                                 "records"],
                    "properties": {"endpoint": {"type": "object", "properties": {
                            "url": {"type": "string"}, "port": {"type": "integer"}}},
                        "company_file": text, "company_name": text, "last_contact": text,
                        "records": {"type": "object"}}},
                "Record": {"type": "object", "required": ["state"], "properties": {
                    "id": text, "state": {"type": "string",
                        "enum": ["pending", "synced", "failed", "needs_attention"]},
                    "qb_id": text, "problem": text, "advice": text},
                    "additionalProperties": true},
                "RecordPage": page_of(json!({"$ref": "#/components/schemas/Record"})),
                "QbCustomer": {"type": "object", "required": ["list_id", "full_name", "active"],
                    "properties": {"list_id": {"type": "string"},
                        "full_name": {"type": "string"}, "name": {"type": "string"},
                        "parent_list_id": text, "company_name": text,
                        "active": {"type": "boolean"}, "billing_address": address,
                        "ship_address": address, "linked_to": text}},
                "QbCustomerPage": page_of(json!({"$ref": "#/components/schemas/QbCustomer"})),
                "QbItem": {"type": "object", "required": ["list_id", "full_name", "type", "active"],
                    "properties": {"list_id": {"type": "string"},
                        "full_name": {"type": "string"}, "type": {"type": "string"},
                        "active": {"type": "boolean"}, "rate": {"type": "string"}}},
                "QbItemPage": page_of(json!({"$ref": "#/components/schemas/QbItem"})),
                "Event": {"type": "object", "required": ["seq", "at", "type", "kind", "id", "data"],
                    "properties": {"seq": {"type": "integer"},
                        "at": {"type": "string", "format": "date-time"},
                        "type": {"type": "string", "examples": crate::store::events::TYPES},
                        "kind": text, "id": text, "data": {"type": "object"}}},
                "EventPage": {"type": "object", "required": ["events", "next"], "properties": {
                    "events": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}},
                    "next": {"type": "string"}}}
            }
        }
    })
}
