//! The SQLite store: forward-only migrations, connection setup, one module per aggregate.
