//! What an estimate or invoice needs besides its own fields: the QuickBooks customer or job
//! it is billed to, the mapped line and sales tax items (checked against what QuickBooks
//! has), and its lines as qbXML lines with their sales tax codes.

use super::context::Context;
use super::kind::{Hold, Planning};
use super::parents;
use crate::qbxml::{ListRef, SalesLine};
use crate::store::mappings::ItemRole;
use crate::store::outbox::Problem;
use crate::store::records::Line;
use crate::sync::problems::{self, code};
use crate::sync::status::capitalise;
use rusqlite::Transaction;

/// What an estimate or invoice needs from its surroundings.
pub(super) struct SalesParts {
    /// The customer's or job's ListID.
    pub customer: String,
    pub tax_item: Option<String>,
    /// `CustomerSalesTaxCodeRef` for an exempt customer: QuickBooks' non-taxable code, which
    /// wins over the lines' codes, so none of its lines is taxed (import-format.md).
    pub customer_tax_code: Option<ListRef>,
    pub lines: Vec<SalesLine>,
}

/// The record a ticket or invoice belongs to, as the app names it.
pub(super) struct Billing<'a> {
    pub customer_id: &'a str,
    pub project_id: Option<&'a str>,
}

/// The customer or job, the mapped items and the lines of a ticket or invoice (named
/// `label`); or why it cannot go (waiting for the parent, parked for a mapping or an item).
pub(super) fn sales_parts(
    tx: &Transaction<'_>,
    p: &Planning<'_>,
    label: &str,
    billing: Billing<'_>,
    lines: &[Line],
) -> Result<SalesParts, Hold> {
    let parent = parents::billed_to(billing.customer_id, billing.project_id);
    let customer = parents::ready(tx, p.ctx, label, &parent)?;
    let taxable = p.ctx.taxable(tx, billing.customer_id)?;
    let sales_tax = p.s.company.sales_tax;
    let labelled = |hold| with_label(hold, label);
    let (item, tax_item) =
        items_for(tx, p.ctx, billing.project_id.is_some(), sales_tax).map_err(labelled)?;
    let lines = sales_lines(tx, p.ctx, lines, &item, taxable, sales_tax).map_err(labelled)?;
    Ok(SalesParts {
        customer,
        tax_item,
        customer_tax_code: customer_tax_code(p.ctx, taxable, sales_tax).filter(|_| !taxable),
        lines,
    })
}

/// The sales tax code of a customer (or of a job, from its customer) as QuickBooks names
/// it: taxable or not. `None` when QuickBooks' sales tax is off (it has no codes to name).
pub(super) fn customer_tax_code(ctx: &Context, taxable: bool, sales_tax: bool) -> Option<ListRef> {
    sales_tax.then(|| {
        ListRef::full_name(if taxable {
            ctx.taxable_code.clone()
        } else {
            ctx.non_taxable_code.clone()
        })
    })
}

/// A problem of the record's items or lines, under the record's name.
fn with_label(hold: Hold, label: &str) -> Hold {
    match hold {
        Hold::Park(mut p) => {
            p.text = format!("{} cannot be sent: {}", capitalise(label), p.text);
            Hold::Park(p)
        }
        other => other,
    }
}

/// The problem that keeps the record from being sent.
fn refuse(problem: Problem) -> Hold {
    Hold::Park(problem)
}

/// The item for lines and the sales tax item, checked against what QuickBooks has.
fn items_for(
    tx: &Transaction<'_>,
    ctx: &Context,
    project: bool,
    sales_tax: bool,
) -> Result<(String, Option<String>), Hold> {
    let (item_role, tax_role, what) = if project {
        (ItemRole::ProjectItem, ItemRole::ProjectTaxItem, "project")
    } else {
        (ItemRole::ServiceItem, ItemRole::ServiceTaxItem, "service")
    };
    let item = check_item(tx, ctx, item_role, what, "item")?;
    let tax = if sales_tax {
        Some(check_item(tx, ctx, tax_role, what, "sales tax item")?)
    } else {
        None
    };
    Ok((item, tax))
}

fn check_item(
    tx: &Transaction<'_>,
    ctx: &Context,
    role: ItemRole,
    what: &str,
    noun: &str,
) -> Result<String, Hold> {
    let Some(Some(name)) = ctx.mappings.get(&role).cloned() else {
        return Err(refuse(problems::ours(
            code::needs_mapping(role),
            format!("No {what} {noun} is chosen, so FieldBridge cannot say what the lines are in QuickBooks."),
            format!("Choose the {what} {noun} on the Items page."),
        )));
    };
    match ctx.item(tx, &name)? {
        None => Err(refuse(problems::ours(
            code::needs_mapping(role),
            format!("QuickBooks has no item named \"{name}\"."),
            format!("Choose the {what} {noun} on the Items page."),
        ))),
        Some(i) if !i.is_active => Err(refuse(problems::ours(
            code::needs_mapping(role),
            format!("The item \"{name}\" is inactive in QuickBooks."),
            format!(
                "Make it active in QuickBooks, or choose another {what} {noun} on the Items page."
            ),
        ))),
        // The one rule of which types fit a role, shared with the Items page.
        Some(i) if !role.accepts(i.item_type) => Err(refuse(problems::ours(
            code::needs_mapping(role),
            format!(
                "\"{name}\" is {} item in QuickBooks and cannot be the {what} {noun}.",
                i.item_type.a_words()
            ),
            format!("Choose the {what} {noun} on the Items page."),
        ))),
        Some(i) => Ok(i.full_name),
    }
}

/// The lines of a ticket or invoice as qbXML lines; a line that names an item QuickBooks
/// lacks is a problem for a person.
fn sales_lines(
    tx: &Transaction<'_>,
    ctx: &Context,
    lines: &[Line],
    default_item: &str,
    customer_taxable: bool,
    sales_tax: bool,
) -> Result<Vec<SalesLine>, Hold> {
    let mut out = Vec::with_capacity(lines.len());
    for (n, line) in lines.iter().enumerate() {
        let item = match &line.item {
            Some(name) => match ctx.item(tx, name)? {
                Some(i) if i.is_active => i.full_name,
                Some(_) => {
                    return Err(refuse(problems::ours(
                        code::MISSING_ITEM,
                        format!("Line {} names the item \"{name}\", which is inactive in QuickBooks.", n + 1),
                        "Make the item active in QuickBooks, or correct the line in your field-service app.",
                    )))
                }
                None => {
                    return Err(refuse(problems::ours(
                        code::MISSING_ITEM,
                        format!("Line {} names the item \"{name}\", which QuickBooks does not have.", n + 1),
                        "Add the item in QuickBooks, or correct the line in your field-service app.",
                    )))
                }
            },
            None => default_item.to_owned(),
        };
        let taxable = line.taxable.unwrap_or(customer_taxable);
        let (quantity, rate, amount) = match (line.quantity, line.rate) {
            (Some(q), Some(r)) => (Some(q), Some(r), None),
            _ => (None, None, line.amount),
        };
        out.push(SalesLine {
            item: Some(ListRef::full_name(item)),
            desc: Some(line.description.clone()),
            quantity,
            rate,
            amount,
            service_date: None,
            sales_tax_code: sales_tax.then(|| {
                ListRef::full_name(if taxable {
                    ctx.taxable_code.clone()
                } else {
                    ctx.non_taxable_code.clone()
                })
            }),
        });
    }
    Ok(out)
}
