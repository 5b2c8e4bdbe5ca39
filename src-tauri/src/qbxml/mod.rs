//! Typed qbXML 13.0: request builders that write elements in the schema's order and enforce
//! its limits, and streaming response parsers. Depends on nothing else of FieldBridge's.
