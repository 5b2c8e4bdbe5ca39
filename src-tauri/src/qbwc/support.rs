//! The support page (`GET /support`, the .qwc's AppSupport): what FieldBridge is, where to
//! look, where the password is. Written with quick-xml's writer, so the password file's path
//! is escaped like any other text. The password itself never appears on it.

use std::path::Path;

use quick_xml::events::{BytesText, Event};
use quick_xml::writer::Writer;

/// The page, as UTF-8 HTML.
pub fn render(port: u16, password_file: &Path) -> Vec<u8> {
    let mut w = Writer::new(Vec::new());
    let path = password_file.display().to_string();
    let url = super::soap_url(port);
    // INVARIANT: writing into a Vec<u8> cannot fail.
    let _ = (|| -> std::io::Result<()> {
        w.write_event(Event::DocType(BytesText::from_escaped("html")))?;
        w.create_element("html").with_attribute(("lang", "en")).write_inner_content(|w| {
            w.create_element("head").write_inner_content(|w| {
                w.create_element("meta").with_attribute(("charset", "utf-8")).write_empty()?;
                w.create_element("title").write_text_content(BytesText::new("FieldBridge: help"))?;
                Ok(())
            })?;
            w.create_element("body").write_inner_content(|w| {
                let p = |w: &mut Writer<Vec<u8>>, text: &str| -> std::io::Result<()> {
                    w.create_element("p").write_text_content(BytesText::new(text))?;
                    Ok(())
                };
                w.create_element("h1").write_text_content(BytesText::new("FieldBridge"))?;
                p(w, "FieldBridge keeps your field-service customers, projects, service tickets, invoices and payments in step with QuickBooks Desktop. The QuickBooks Web Connector calls it on this computer to sync.")?;
                w.create_element("h2").write_text_content(BytesText::new("Something went wrong?"))?;
                p(w, "Open the FieldBridge window: its Sync page explains every problem in plain English and says what to do next. Records that could not be synced are listed there with the reason.")?;
                w.create_element("h2").write_text_content(BytesText::new("The Web Connector password"))?;
                p(w, "The password is shown in the FieldBridge window (Connect page). It is kept in this file, readable only by you:")?;
                w.create_element("p").write_inner_content(|w| {
                    w.create_element("code").write_text_content(BytesText::new(&path))?;
                    Ok(())
                })?;
                p(w, "From a command prompt, `fieldbridge password` prints it and `fieldbridge password --reset` makes a new one (then enter the new one in the Web Connector).")?;
                w.create_element("h2").write_text_content(BytesText::new("Technical details"))?;
                p(w, &format!("The Web Connector endpoint is {url}; it answers only programs on this computer."))?;
                Ok(())
            })?;
            Ok(())
        })?;
        Ok(())
    })();
    w.into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_password_file_escaped_and_the_endpoint() {
        let page = String::from_utf8(render(8711, Path::new("/home/a&b/<data>/qbwc-password")))
            .expect("UTF-8");
        assert!(page.starts_with("<!DOCTYPE html>"), "an HTML5 page: {page}");
        assert!(
            page.contains("/home/a&amp;b/&lt;data&gt;/qbwc-password"),
            "the path is shown, escaped as text: {page}"
        );
        assert!(
            page.contains("http://localhost:8711/qbwc"),
            "the endpoint URL is given"
        );
        assert!(page.contains("FieldBridge window"), "it says where to look");
    }
}
