//! qbsim: an in-memory QuickBooks Desktop company that answers qbXML the way QuickBooks
//! does, and a Web Connector driver that calls a FieldBridge endpoint over real HTTP in the
//! real call order. It shares no code with FieldBridge: it is the independent other side.
